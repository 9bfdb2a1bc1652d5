"""The journal from the palette: every proposal, backtest, preflight, deploy, stop and watch
finding, newest first. ``/`` filters, Enter shows an entry in full, ``a`` adds the background
rows (PnL samples, pieces of streaming replies), Esc goes back."""

from __future__ import annotations

import asyncio
import json

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from tradeagent.desk import Entry, Journal
from tradeagent.desk.report import BACKGROUND_KINDS, entry_row

LIMIT = 1000


class JournalScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    JournalScreen { align: center middle; }
    JournalScreen .dialog { max-width: 160; width: 95%; height: 90%; max-height: 90%; }
    JournalScreen #journal-filter { display: none; }
    JournalScreen #journal-filter.-shown { display: block; }
    JournalScreen #journal-table { height: 1fr; }
    JournalScreen #journal-detail { height: auto; max-height: 14; display: none; }
    JournalScreen #journal-detail.-shown { display: block; }
    JournalScreen .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="journal-back"),
        Binding("slash", "filter", "Filter", id="journal-filter"),
        Binding("a", "everything", "All rows", id="journal-all"),
    ]

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.entries: list[Entry] = []
        self.everything = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Journal · {self.journal.path}", classes="dialog-title", markup=False)
            yield Input(placeholder="filter: kind or words", id="journal-filter")
            yield DataTable(id="journal-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="journal-detail"):
                yield Static("", id="journal-detail-text", markup=False)
            yield Static(self._hint(), classes="hint", id="journal-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("time", "kind", "outcome/mode", "what")
        table.focus()
        self.load()

    @work(exclusive=True, group="journal-read", exit_on_error=False)
    async def load(self) -> None:
        hidden = () if self.everything else BACKGROUND_KINDS
        found = await asyncio.to_thread(
            self.journal.entries, limit=LIMIT, newest_first=True, exclude_kinds=hidden
        )
        self.entries = found
        self._show(self.query_one("#journal-filter", Input).value)

    def _show(self, words: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        needle = words.strip().lower()
        for entry in self.entries:
            row = entry_row(entry)
            if needle and not any(needle in cell.lower() for cell in row):
                continue
            table.add_row(*(Text(cell) for cell in row), key=str(entry.id))

    @on(Input.Changed, "#journal-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#journal-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _details(self, event: DataTable.RowSelected) -> None:
        entry = next((e for e in self.entries if str(e.id) == event.row_key.value), None)
        if entry is None:
            return
        text = json.dumps(entry.to_json(), indent=2, ensure_ascii=False, default=str)
        self.query_one("#journal-detail-text", Static).update(text)
        self.query_one("#journal-detail").add_class("-shown")

    def action_everything(self) -> None:
        self.everything = not self.everything
        self.query_one("#journal-hint", Static).update(self._hint())
        self.load()

    def _hint(self) -> str:
        rows = "a hides PnL samples and reply pieces" if self.everything else "a shows every row"
        return f"Enter details · / filter · {rows} · Esc back · times are local"

    def action_filter(self) -> None:
        box = self.query_one("#journal-filter", Input)
        box.add_class("-shown")
        box.focus()

    def action_back(self) -> None:
        detail = self.query_one("#journal-detail")
        if detail.has_class("-shown"):
            detail.remove_class("-shown")
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)
