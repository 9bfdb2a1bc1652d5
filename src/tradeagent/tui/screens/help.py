"""F1: every key binding, grouped by where it works, with its id for ``ui.keymap``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static


def display_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys that trigger ``binding`` once the keymap is applied, as a user would type them."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    names = []
    for key in keys.split(","):
        key = key.strip()
        names.append({"question_mark": "?", "escape": "esc", "slash": "/"}.get(key, key))
    return ", ".join(names)


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the app and of each pane."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help-close")]

    def __init__(
        self, groups: Iterable[tuple[str, Iterable[Binding]]], keymap: Mapping[str, str]
    ) -> None:
        super().__init__()
        self._groups = [(title, list(bindings)) for title, bindings in groups]
        self._keymap = dict(keymap)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(
                "Keys · Esc closes · remap with ui.keymap (binding id)", classes="dialog-title"
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("where", "keys", "action", "id")
        for title, bindings in self._groups:
            for binding in bindings:
                if binding.system:
                    continue
                description = binding.description or binding.action
                if binding.tooltip:
                    description = f"{description} — {binding.tooltip}"
                table.add_row(
                    title, display_keys(binding, self._keymap), description, binding.id or ""
                )
        table.focus()

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The table's rows as text (used by tests and by screen readers of the table)."""
        table = self.query_one(DataTable)
        return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]  # type: ignore[misc]
