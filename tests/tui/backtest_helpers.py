"""Shared steps for the backtest-in-the-app tests: fixed clocks, a template draft, the engine
run directly on the same candles, a candle server that never answers."""

from __future__ import annotations

import asyncio
import io
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from tradeagent.backtest import BacktestResult, Mode, run_backtest
from tradeagent.backtest.sources import CandleRequest, SyntheticSource
from tradeagent.desk.backtesting import days_window
from tradeagent.strategy import ControllerConfig, TemplateInputs, build_template
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.widgets.backtest_panel import BacktestPanel

NOW = 1_764_000_000.0
"""2025-11-24 16:00 UTC: the end of every "last N days" in these tests."""
ELAPSED = 0.04


def stop_clocks(app: TradeAgentApp) -> None:
    """The backtest's "now" and its stopwatch, fixed (no clocks on screen or in numbers)."""
    app.backtests.now = lambda: NOW
    ticks = itertools.count()
    app.backtests.timer = lambda: next(ticks) * ELAPSED


def template_config(key: str = "rsi_style", **inputs: Any) -> ControllerConfig:
    values: dict[str, Any] = {
        "connector": "hyperliquid_perpetual",
        "trading_pair": "BTC-USD",
        "amount": Decimal(500),
    } | inputs
    return build_template(key, TemplateInputs(**values))


def engine_result(
    config: ControllerConfig, *, mode: Mode = "hummingbot", days: float = 30, seed: int = 7
) -> BacktestResult:
    """The engine on the synthetic candles of the last ``days`` before NOW, no app involved."""
    start, end = days_window(days, "1m", NOW)
    request = CandleRequest(config.connector, config.pair, "1m", start, end)
    candles = SyntheticSource(seed).candles(request)
    return run_backtest(config, candles, start=start, end=end, mode=mode, trade_cost=0.0006)


def panel(app: TradeAgentApp) -> BacktestPanel:
    return app.query_one(BacktestPanel)


def shown(app: TradeAgentApp, selector: str) -> str:
    """The text of a Static on the active screen, unwrapped."""
    console = Console(width=500, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


async def backtest(pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys`` (ctrl+b by default) and wait for the backtest to finish."""
    await pilot.press(*(keys or ("ctrl+b",)))
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """A loopback HTTP server that accepts requests and never answers (a hung candle API)."""
    hung: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hung.append(writer)
        await reader.read(65536)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        for writer in hung:
            writer.close()
        server.close()
        await server.wait_closed()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], tries: int = 250) -> None:
    """Wait (in small steps) for ``condition``: a worker somewhere in the middle of its run."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")
