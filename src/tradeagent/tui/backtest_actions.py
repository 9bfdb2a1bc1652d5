"""The app's backtest actions (ctrl+b, and b / B / Enter / Esc in the preview), their gates and
palette entries, as a base of the app so that ``app.py`` only wires them in."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand

from tradeagent.desk.journal import Journal, JournalError
from tradeagent.tui.backtest_flow import BacktestFlow
from tradeagent.tui.backtest_options import BacktestOptions
from tradeagent.tui.draft import Draft
from tradeagent.tui.widgets.backtest_panel import BacktestPanel
from tradeagent.tui.widgets.strategy_pane import StrategyPane

if TYPE_CHECKING:
    from tradeagent.backtest import BacktestResult

BACKTEST_ACTIONS = frozenset(
    {"backtest", "backtest_options", "backtest_results", "cancel_backtest"}
)
PALETTE = (
    ("backtest_options", "Backtest: options…", "Period, candle source and mode (B in the preview)"),
    ("backtest_results", "Backtest: full results", "Summary, charts and executors (Enter)"),
    ("cancel_backtest", "Backtest: cancel", "Stop the backtest that is running (Esc)"),
)
"""Palette entries besides ctrl+b itself (listed with the app's keys)."""


class BacktestActions(App[None]):
    backtests: BacktestFlow
    journal: Journal | None
    journal_problem: str | None

    def journal_backtest(self, result: BacktestResult) -> None:
        """Journal a finished backtest as ``tradeagent backtest`` does (by its config hash: the
        deploy gate looks it up). Runs in a thread; raises ``JournalError`` when it cannot."""
        from tradeagent.desk.gate import record_result

        if self.journal is None:
            raise JournalError(self.journal_problem or "The journal is not open this session.")
        record_result(self.journal, result)

    def _preview_draft(self) -> Draft | None:
        # The preview's draft is current even before its DraftChanged reaches the app (a
        # proposal backtested at once).
        panes = self.query(StrategyPane)
        return panes.first().draft if panes else None

    def action_backtest(self) -> None:
        self.backtests.start(self._preview_draft())

    def action_backtest_options(self) -> None:
        from tradeagent.tui.screens.backtest_options import BacktestOptionsScreen

        def chosen(options: BacktestOptions | None) -> None:
            if options is None:
                return
            self.backtests.set_options(options)
            draft = self._preview_draft()
            if draft is not None and draft.valid:
                self.backtests.start(draft)
            else:
                self.notify(
                    f"Backtests now run on {options.describe()}; ctrl+b runs one once the "
                    "draft is valid.",
                    title="Backtest",
                )

        screen = BacktestOptionsScreen(
            self.backtests.options,
            hummingbot_connected=self.backtests.hummingbot() is not None,
        )
        self.push_screen(screen, chosen)

    def action_backtest_results(self) -> None:
        from tradeagent.tui.screens.backtest_results import BacktestResultsScreen

        outcome = self.backtests.outcome
        if outcome is not None:
            stale = self.query_one(BacktestPanel).stale
            self.push_screen(BacktestResultsScreen(outcome, stale=stale))

    def action_cancel_backtest(self) -> None:
        self.backtests.cancel()

    def check_backtest(self, action: str) -> bool | None:
        """The gate of the backtest actions (greyed out, or hidden so the key passes on)."""
        if action == "backtest":
            draft = self._preview_draft()
            return True if draft is not None and draft.valid else None
        if action == "backtest_results":
            # Not while editing: Enter is the editor's there.
            panes = self.query(StrategyPane)
            editing = bool(panes) and panes.first().editing
            return self.backtests.outcome is not None and not editing
        if action == "cancel_backtest":
            return self.backtests.running
        return True

    def backtest_commands(self) -> Iterator[SystemCommand]:
        for action, title, help_text in PALETTE:
            if self.check_action(action, ()):
                yield SystemCommand(title, help_text, partial(self.run_action, action))
