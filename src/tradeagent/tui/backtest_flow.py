"""ctrl+b in the app: backtest the draft in an exclusive worker, journal the result under its config
hash (the deploy gate reads it), and keep the preview's backtest region up to date.

The app owns one :class:`BacktestFlow` and calls it from its actions; what the flow needs (the
journal writer, the Hummingbot client when connected) is handed in. The engine, httpx and the
charts are imported in a thread on the first run, never at app start.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.worker import Worker, WorkerState

from tradeagent.strategy import ControllerConfigBase, config_hash
from tradeagent.tui.backtest_options import BacktestOptions
from tradeagent.tui.backtest_state import BacktestOutcome, BacktestStatus
from tradeagent.tui.draft import Draft
from tradeagent.tui.widgets.backtest_panel import BacktestPanel

if TYPE_CHECKING:
    from tradeagent.backtest import BacktestResult
    from tradeagent.hb import HummingbotClient

log = logging.getLogger(__name__)

GROUP = "backtest"
HTTP_TIMEOUT_S = 30.0
RERUN = "ctrl+b runs it again"
OPTIONS_HINT = "B (in the preview) changes the period, candle source and mode"

Recorder = Callable[["BacktestResult"], None]
"""Journals a finished backtest under its config hash (raises on failure)."""

_HEAVY = ("httpx", "textual_plotext", "tradeagent.desk.backtesting")


def _load_engine() -> Any:
    """Import the engine and what draws its results (≈ 1 s cold: run it off the event loop)."""
    for name in _HEAVY:
        importlib.import_module(name)
    return importlib.import_module("tradeagent.desk.backtesting")


class BacktestFlow:
    def __init__(
        self,
        app: App[Any],
        options: BacktestOptions,
        *,
        cache_dir: Path | None,
        record: Recorder | None = None,
        hummingbot: Callable[[], HummingbotClient | None] = lambda: None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.options = options
        self.cache_dir = cache_dir
        self.record = record
        self.hummingbot = hummingbot
        self.hyperliquid_url: str | None = None
        """Another Hyperliquid info API (tests point it at a fake on loopback)."""
        self.now = now
        """Unix seconds: the end of "the last N days" and the "ran at" time."""
        self.timer: Callable[[], float] = time.perf_counter
        self.outcome: BacktestOutcome | None = None
        self._worker: Worker[None] | None = None
        self._engine: Any = None
        """``tradeagent.desk.backtesting`` once imported (in a thread, on the first run)."""
        self._running_hash: str | None = None

    @property
    def panel(self) -> BacktestPanel:
        return self.app.query_one(BacktestPanel)

    @property
    def running(self) -> bool:
        worker = self._worker
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    # ------------------------------------------------------------------ actions
    def start(self, draft: Draft | None) -> None:
        """Backtest ``draft`` with the current options (a run in progress is replaced)."""
        if draft is None or draft.config is None:
            self._cancel_running()
            self.panel.status = _not_backtestable(draft)
            return
        config = draft.config
        self._running_hash = draft.config_hash
        self._worker = self.app.run_worker(
            self._run(config, config_hash(config), self.options),
            name=GROUP,
            group=GROUP,
            exclusive=True,
            exit_on_error=False,
            description=f"backtest of {config.id}",
        )

    def draft_changed(self, draft: Draft | None) -> None:
        """Mark older results stale; a run of an older config is superseded, not finished."""
        current = draft.config_hash if draft is not None else None
        panel = self.panel
        panel.plan = self.options.plan
        panel.current_hash = current
        status = panel.status
        if status is not None and status.kind != "running" and status.config_hash != current:
            panel.status = None  # a failure of another config: its results (if any) say stale
        if self.running and self._running_hash != current:
            self.cancel("Superseded: the draft changed while it ran.")

    def cancel(self, reason: str = "Cancelled.") -> None:
        if not self.running:
            return
        self._cancel_running()
        status = self.panel.status
        title = status.title if status is not None else "Backtest"
        about = status.config_hash if status is not None else None
        self.panel.status = BacktestStatus("cancelled", title, reason, RERUN, about)

    def set_options(self, options: BacktestOptions) -> None:
        self.options = options
        self.panel.plan = options.plan

    def _cancel_running(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self._worker = None
        self._running_hash = None

    # ------------------------------------------------------------------ the run
    async def _run(
        self, config: ControllerConfigBase, about: str, options: BacktestOptions
    ) -> None:
        title = f"{config.id} · {options.plan}"
        panel = self.panel

        def phase(text: str) -> None:
            panel.status = BacktestStatus("running", title, text, config_hash=about)

        try:
            if self._engine is None:
                phase("loading the engine…")
                self._engine = await asyncio.to_thread(_load_engine)
            backtesting = self._engine
            import httpx

            started = self.timer()  # what the trader waits for on every run, not the import
            job = options.job(config, now=self.now())
            phase(f"fetching {options.source_label} candles…")
            if job.source.kind in backtesting.OFFLINE_SOURCES:
                # Generating or parsing a year of candles takes seconds of CPU: not on the loop.
                fetch = partial(backtesting.fetch_candles, job, cache_dir=self.cache_dir)
                candles, window = await asyncio.to_thread(lambda: asyncio.run(fetch()))
            else:
                extra = {"hyperliquid_url": self.hyperliquid_url} if self.hyperliquid_url else {}
                async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_S) as http:
                    candles, window = await backtesting.fetch_candles(
                        job,
                        cache_dir=self.cache_dir,
                        http=http,
                        hummingbot=self.hummingbot(),
                        **extra,
                    )
            phase(f"running the engine on {window.candles:,} candles…")
            result = await asyncio.to_thread(backtesting.backtest_candles, job, candles, window)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            panel.status = replace(_failure(exc, title, config, options), config_hash=about)
            return
        elapsed = self.timer() - started
        ran_at = datetime.fromtimestamp(self.now(), UTC)
        problem = await self._journal(result)
        outcome = BacktestOutcome(result, options, elapsed, ran_at, journal_problem=problem)
        self.outcome = outcome
        self._running_hash = None
        panel.status = None
        panel.outcome = outcome

    async def _journal(self, result: BacktestResult) -> str | None:
        if self.record is None:
            return "no journal this session"
        try:
            await asyncio.to_thread(self.record, result)
        except Exception as exc:  # the journal's own errors say what to do
            log.warning("backtest not journalled: %s", exc)
            return str(exc)
        return None


def _not_backtestable(draft: Draft | None) -> BacktestStatus:
    if draft is None:
        return BacktestStatus(
            "failed",
            "Nothing to backtest",
            "There is no draft yet.",
            "Ask the assistant for a strategy, or press t in the preview for a template.",
        )
    count = len(draft.problems)
    return BacktestStatus(
        "failed",
        "The draft cannot be backtested",
        f"It has {count} problem{'s' if count != 1 else ''} (listed above the YAML).",
        f"Fix {'it' if count == 1 else 'them'} (e edits the YAML), then press ctrl+b again.",
    )


def _failure(
    exc: Exception, title: str, config: ControllerConfigBase, options: BacktestOptions
) -> BacktestStatus:
    """What went wrong, in the trader's words, and what to do; tracebacks go to the log."""
    from tradeagent.backtest import SUPPORTED, BacktestError, CandleError
    from tradeagent.backtest.sources import CandleSourceError
    from tradeagent.hb import HummingbotError

    message = str(exc) or type(exc).__name__
    if isinstance(exc, BacktestError) and config.controller_name not in SUPPORTED:
        hint = "Pick a supported controller (t in the preview opens the templates)."
    elif isinstance(exc, BacktestError):
        hint = OPTIONS_HINT + "."
    elif isinstance(exc, CandleError | CandleSourceError | HummingbotError):
        hint = _source_hint(options)
    else:
        log.exception("backtest failed unexpectedly")
        message = f"Unexpected error ({type(exc).__name__}: {message}); the log has details."
        hint = "The draft and earlier results are kept; " + RERUN + "."
    return BacktestStatus("failed", title, message, hint)


def _source_hint(options: BacktestOptions) -> str:
    if options.source == "file":
        return "Check the file, or choose another with B (synthetic works offline)."
    if options.source == "hyperliquid":
        return "Check the network, or switch to the synthetic market with B (offline)."
    if options.source == "hummingbot":
        return "Is the Hummingbot API up? `tradeagent doctor` checks it; B picks another source."
    return OPTIONS_HINT + "."
