"""The desk's settings as the plain values :mod:`tradeagent.desk` takes, and the journal the
CLI and the TUI share (both faces build them here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradeagent.desk.journal import Journal, journal_path
from tradeagent.settings import Settings

if TYPE_CHECKING:
    from tradeagent.backtest import BacktestResult  # numpy: only when a backtest ran
    from tradeagent.desk.service import DeskOptions

SIM_SERVER = "sim"
"""How the journal names the built-in simulator (the app and the CLI alike)."""


def desk_options(settings: Settings) -> DeskOptions:
    from tradeagent.desk.gate import GateMode
    from tradeagent.desk.service import DeskOptions
    from tradeagent.desk.stop import StopOptions
    from tradeagent.desk.watch import WatchOptions

    desk = settings.desk
    return DeskOptions(
        mode=settings.mode,
        account=settings.hummingbot.account,
        policy=settings.risk,
        gate=GateMode(desk.backtest_gate),
        confirm_word=desk.confirm_word,
        image=desk.image,
        global_drawdown_pct=desk.global_drawdown_pct,
        controller_drawdown_pct=desk.controller_drawdown_pct,
        watch=WatchOptions(
            duration_s=desk.watch_s,
            appear_s=desk.watch_appear_s,
            poll_s=desk.watch_poll_s,
            idle_reports=desk.watch_idle_reports,
        ),
        stop=StopOptions(timeout_s=desk.stop_timeout_s, archive_timeout_s=desk.archive_timeout_s),
        kill_concurrency=desk.kill_concurrency,
        # Real money only: the simulator needs no exchange, and may run where there is no internet.
        hyperliquid_url=(desk.hyperliquid_info_url or None) if settings.mode == "LIVE" else None,
    )


def open_journal(settings: Settings) -> Journal:
    """The journal in the data dir, its rows naming the configured server (or the simulator)."""
    server = settings.hummingbot.url or SIM_SERVER
    return Journal(journal_path(settings.data_dir), server=server, mode=settings.mode)


def journal_backtest(settings: Settings, result: BacktestResult) -> None:
    """Record a finished backtest under its config's hash: the deploy gate looks for it."""
    from tradeagent.desk.gate import record_result

    journal = open_journal(settings)
    try:
        record_result(journal, result)
    finally:
        journal.close()
