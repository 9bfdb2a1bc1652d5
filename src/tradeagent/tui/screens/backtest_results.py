"""The full backtest results: the preview's report with room for the charts, and the executor
ledger (the first rows; the CLI's --json has them all). Esc goes back."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tradeagent.tui import backtest_render as render
from tradeagent.tui.backtest_state import BacktestOutcome
from tradeagent.tui.widgets.backtest_report import BacktestReport

WIDE = 110
"""Columns from which the charts sit beside the summary."""
LEDGER_ROWS = 500
"""Executors listed; more would only slow the table down (the CLI's --json has every one)."""


class BacktestResultsScreen(Screen[None]):
    DEFAULT_CSS = """
    BacktestResultsScreen { layout: vertical; }
    BacktestResultsScreen #results-title { height: 1; text-style: bold; color: $accent;
        padding: 0 1; }
    BacktestResultsScreen #results-scroll { height: 3fr; padding: 0 1; }
    BacktestResultsScreen #ledger-pane { height: 2fr; border: round $panel-lighten-2;
        border-title-color: $text-muted; padding: 0 1; }
    BacktestResultsScreen #ledger-pane:focus-within { border: round $accent; }
    BacktestResultsScreen #ledger { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="backtest-results-close"),
    ]

    def __init__(self, outcome: BacktestOutcome, *, stale: bool) -> None:
        super().__init__()
        self.outcome = outcome
        self.stale = stale

    def compose(self) -> ComposeResult:
        result = self.outcome.result
        yield Static(
            f"Backtest results · {result.controller_name} · {result.trading_pair} · "
            f"{result.connector_name} · ran {render.ran_at(self.outcome)} · "
            f"config {result.config_hash[:12]} · Esc back",
            id="results-title",
        )
        # Charts beside the table when there is room for both, under it otherwise.
        wide = self.app.size.width >= WIDE
        with VerticalScroll(id="results-scroll"):
            yield BacktestReport(
                self.outcome, stale=self.stale, side_by_side=wide, id="results-report"
            )
        with Vertical(id="ledger-pane"):
            yield DataTable(id="ledger", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        result = self.outcome.result
        table = self.query_one("#ledger", DataTable)
        table.add_columns(*render.LEDGER_COLUMNS)
        table.add_rows(render.ledger_rows(result, LEDGER_ROWS))
        total = len(result.ledger)
        shown = min(total, LEDGER_ROWS)
        pane = self.query_one("#ledger-pane")
        pane.border_title = f"Executors · {total:,}" + (
            f" · the first {shown:,} shown (tradeagent backtest FILE --json lists all)"
            if shown < total
            else ""
        )
        table.focus()
