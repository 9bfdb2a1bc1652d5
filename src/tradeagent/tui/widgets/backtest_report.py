"""One backtest result: rule, headline, warnings, stale note, summary table, PnL and drawdown.

The same widget in the preview (charts under the table) and on the results screen (charts
beside the table when it is wide: ``side_by_side``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Static

from tradeagent.backtest.report import quote_of
from tradeagent.tui import backtest_render as render
from tradeagent.tui.backtest_state import BacktestOutcome
from tradeagent.tui.strategy_render import Palette
from tradeagent.tui.widgets.backtest_charts import POINTS, PnlChart

STALE_NOTE = (
    "The draft changed since this backtest: these numbers are for an earlier config. "
    "ctrl+b backtests the current draft."
)


class BacktestReport(Vertical):
    DEFAULT_CSS = """
    BacktestReport { height: auto; }
    BacktestReport > Static { height: auto; }
    BacktestReport #backtest-rule { color: $text-muted; }
    BacktestReport #backtest-stale-note { color: $text-warning; text-style: bold; }
    BacktestReport #backtest-journal { color: $text-warning; }
    BacktestReport #backtest-body { height: auto; }
    BacktestReport #backtest-summary { height: auto; margin-top: 1; }
    BacktestReport #backtest-charts { height: auto; }
    BacktestReport #backtest-pnl { height: 9; }
    BacktestReport #backtest-drawdown { height: 6; }
    BacktestReport .-no-trades { color: $text-muted; margin-top: 1; }
    BacktestReport.-stale #backtest-headline, BacktestReport.-stale #backtest-body {
        text-opacity: 60%;
    }
    BacktestReport.-side-by-side #backtest-body { height: auto; }
    BacktestReport.-side-by-side #backtest-summary { width: 1fr; margin-right: 2; }
    BacktestReport.-side-by-side #backtest-charts { width: 1fr; height: auto; }
    BacktestReport.-side-by-side #backtest-pnl { height: 12; }
    BacktestReport.-side-by-side #backtest-drawdown { height: 8; }
    """

    stale: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        outcome: BacktestOutcome,
        *,
        stale: bool,
        side_by_side: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.outcome = outcome
        self.side_by_side = side_by_side
        self.set_reactive(BacktestReport.stale, stale)
        self.set_class(side_by_side, "-side-by-side")

    def compose(self) -> ComposeResult:
        result = self.outcome.result
        palette = Palette.from_theme(self.app.theme_variables)
        yield Static(self._rule(), id="backtest-rule")
        yield Static(render.headline(result, palette), id="backtest-headline")
        warnings = Static(render.warnings_text(result, palette), id="backtest-warnings")
        warnings.display = bool(render.all_warnings(result))
        yield warnings
        yield Static(STALE_NOTE, id="backtest-stale-note")
        journal = Static(
            f"Not journalled ({(self.outcome.journal_problem or '').rstrip('.')}): the deploy gate "
            "will not see this backtest.",
            id="backtest-journal",
        )
        journal.display = self.outcome.journal_problem is not None
        yield journal
        with (Horizontal if self.side_by_side else Vertical)(id="backtest-body"):
            yield Static(render.summary_table(result), id="backtest-summary")
            with Vertical(id="backtest-charts"):
                if result.summary["total_executors"]:
                    series = result.pnl.downsampled(POINTS)
                    quote = quote_of(result.trading_pair)
                    yield PnlChart(series, "pnl", f"PnL ({quote})", id="backtest-pnl")
                    yield PnlChart(
                        series, "drawdown", f"Drawdown ({quote})", id="backtest-drawdown"
                    )
                else:
                    yield Static(
                        "No executors: the controller never traded in this window.",
                        classes="-no-trades",
                    )

    def on_mount(self) -> None:
        self._show_stale()

    def watch_stale(self) -> None:
        self._show_stale()

    def _show_stale(self) -> None:
        self.set_class(self.stale, "-stale")
        self.query_one("#backtest-stale-note").display = self.stale
        self.query_one("#backtest-rule", Static).update(self._rule())

    def _rule(self) -> Text:
        return render.rule(self.outcome, stale=self.stale)
