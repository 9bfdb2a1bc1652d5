"""The bots pane: every bot on the server with status and PnL."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tradeagent.tui.widgets.pane import Pane


class BotsPane(Pane):
    PANE_TITLE = "Bots"
    PRIMARY = "#bots-table"

    def compose(self) -> ComposeResult:
        yield Static("Not connected to a Hummingbot API.", id="bots-status")
        table: DataTable[str] = DataTable(id="bots-table", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#bots-table", DataTable)
        table.add_columns("bot", "status", "up", "ctl", "PnL", "vol", "pos", "win")
