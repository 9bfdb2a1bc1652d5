"""The preview's backtest region: a run in progress (with a progress bar) or why it failed, and
the last result, marked stale once the draft is no longer the config that ran.

A view only: :class:`~tradeagent.tui.backtest_flow.BacktestFlow` sets its attributes. The
report (engine types, charts) is imported with the first result, never at app start.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from tradeagent.tui.backtest_state import BacktestOutcome, BacktestStatus

STATUS_MARKS = {"running": "⚙", "failed": "✘", "cancelled": "■"}


class BacktestPanel(Vertical):
    DEFAULT_CSS = """
    BacktestPanel { height: auto; }
    BacktestPanel #backtest-status { height: auto; }
    BacktestPanel #backtest-idle { height: auto; color: $text-muted; }
    BacktestPanel #backtest-status.-failed { border-left: thick $error; padding-left: 1; }
    BacktestPanel #backtest-progress { height: 1; }
    BacktestPanel #backtest-progress Bar { width: 1fr; }
    """

    status: reactive[BacktestStatus | None] = reactive(None, init=False)
    outcome: reactive[BacktestOutcome | None] = reactive(None, init=False)
    current_hash: reactive[str | None] = reactive(None, init=False)
    """The draft's config hash now (None without a valid draft): older results are stale."""
    plan: reactive[str] = reactive("", init=False)
    """What ctrl+b would run (``30 d synthetic · Hummingbot-compatible mode``)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="backtest-idle")
        yield Static("", id="backtest-status")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="backtest-progress")

    def on_mount(self) -> None:
        self._show_status()
        self._show_idle()

    @property
    def stale(self) -> bool:
        return self.outcome is not None and self.outcome.stale_for(self.current_hash)

    def watch_status(self, old: BacktestStatus | None, new: BacktestStatus | None) -> None:
        self._show_status()
        self._show_idle()
        if _running(old) != _running(new):
            # Esc cancels only while it runs. Only then: the footer redraws on every refresh.
            self.app.refresh_bindings()

    def watch_plan(self) -> None:
        self._show_idle()

    def _show_idle(self) -> None:
        """Before the first backtest of a valid draft: what ctrl+b would run."""
        idle = self.query_one("#backtest-idle", Static)
        idle.display = self.status is None and self.outcome is None and bool(self.current_hash)
        idle.update(f"── Backtest ── b runs it: {self.plan} · B options")

    def _show_status(self) -> None:
        status = self.status
        line = self.query_one("#backtest-status", Static)
        line.display = status is not None
        line.set_class(status is not None and status.kind == "failed", "-failed")
        self.query_one("#backtest-progress").display = (
            status is not None and status.kind == "running"
        )
        if status is None:
            return
        palette = self.app.theme_variables
        colour = {
            "running": palette.get("text-accent", "cyan"),
            "failed": palette.get("text-error", "red"),
            "cancelled": palette.get("text-warning", "yellow"),
        }[status.kind]
        text = Text(f"{STATUS_MARKS[status.kind]} Backtest · {status.title}", style="bold")
        text.append("\n" + status.detail, style=colour)
        if status.hint:
            text.append("\n→ " + status.hint)
        line.update(text)

    async def watch_outcome(
        self, old: BacktestOutcome | None, outcome: BacktestOutcome | None
    ) -> None:
        from tradeagent.tui.widgets.backtest_report import BacktestReport

        await self.query(BacktestReport).remove()
        if outcome is not None:
            await self.mount(BacktestReport(outcome, stale=self.stale, id="backtest-report"))
        self._show_idle()
        if (old is None) != (outcome is None):
            self.app.refresh_bindings()  # Enter opens the results once there are some

    def watch_current_hash(self) -> None:
        self._show_idle()
        if self.outcome is None:
            return
        from tradeagent.tui.widgets.backtest_report import BacktestReport

        for report in self.query(BacktestReport):
            report.stale = self.stale


def _running(status: BacktestStatus | None) -> bool:
    return status is not None and status.kind == "running"
