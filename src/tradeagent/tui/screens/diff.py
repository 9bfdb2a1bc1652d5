"""The diff of the draft against its previous version."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class DiffScreen(ModalScreen[None]):
    """Shows a coloured unified diff; Esc (or d) closes it."""

    DEFAULT_CSS = """
    DiffScreen { align: center middle; }
    #diff-dialog { width: 90%; max-width: 120; height: 80%; }
    #diff-body { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,d,q", "dismiss", "Close", id="diff-close")
    ]

    def __init__(self, title: str, diff: Text) -> None:
        super().__init__()
        self._title = title
        self._diff = diff

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-dialog", classes="dialog"):
            yield Static(f"{self._title} · Esc closes", classes="dialog-title")
            with VerticalScroll(id="diff-body"):
                yield Static(self._diff, id="diff-text")

    def on_mount(self) -> None:
        self.query_one("#diff-body").focus()

    def diff_text(self) -> str:
        """The diff as plain text (for tests and screen readers)."""
        return self._diff.plain
