"""Ask for a file path (save / open)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PathPrompt(ModalScreen[Path | None]):
    """Enter returns the path (``~`` expanded), Esc returns None."""

    DEFAULT_CSS = """
    PathPrompt { align: center middle; }
    #path-error { color: $text-error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="path-cancel")
    ]

    def __init__(self, title: str, default: Path, hint: str) -> None:
        super().__init__()
        self._title = title
        self._default = default
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog", classes="dialog"):
            yield Static(f"{self._title} · Enter confirms · Esc cancels", classes="dialog-title")
            yield Static(self._hint, classes="chat-hint")
            yield Input(value=str(self._default), id="path-input")
            yield Static("", id="path-error")

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    @on(Input.Submitted, "#path-input")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.query_one("#path-error", Static).update("Type a file path, e.g. btc_bb.yml")
            return
        self.dismiss(Path(value).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
