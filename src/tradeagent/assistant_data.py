"""What the assistant's read-only tools read: market facts and backtests, from the same candle
sources, cache and job runner as ``tradeagent backtest`` (``tradeagent.desk.backtesting``).

Candles come from the synthetic market in SIM (labelled so) and from Hyperliquid's public API for
Hyperliquid markets in LIVE. The CPU work (candles, the engine) runs on a worker thread with its
own event loop, so the chat stays responsive while a backtest runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from tradeagent.ai.facts import backtest_digest, market_facts
from tradeagent.ai.tools import BacktestRunner, MarketReader
from tradeagent.backtest.sources import CandleCache, CandleRequest, load_candles
from tradeagent.desk.backtesting import (
    SourceSpec,
    build_job,
    candle_source,
    last_closed_open,
    run_job,
)
from tradeagent.settings import Settings
from tradeagent.strategy import ControllerConfigBase

T = TypeVar("T")
MARKET_DAYS = 7
MARKET_INTERVAL = "1h"
SYNTHETIC_SEED = 7


def source_for(settings: Settings, connector: str) -> str:
    if settings.mode == "LIVE" and connector.startswith("hyperliquid"):
        return "hyperliquid"
    return "synthetic"


def _label(source: str) -> str:
    if source == "synthetic":
        return "synthetic market (simulated prices, not the real market)"
    return source


def _off_loop(work: Callable[[httpx.AsyncClient], Awaitable[T]], timeout: float) -> Awaitable[T]:
    async def with_client() -> T:
        async with httpx.AsyncClient(timeout=timeout) as http:
            return await work(http)

    return asyncio.to_thread(asyncio.run, with_client())


def backtest_runner(settings: Settings) -> BacktestRunner:
    async def run(config: ControllerConfigBase, days: int) -> dict[str, Any]:
        connector = str(getattr(config, "connector_name", ""))
        source = source_for(settings, connector)
        job = build_job(
            config,
            days=days,
            start=None,
            end=None,
            source=source,
            seed=SYNTHETIC_SEED,
            mode="hummingbot",
            trade_cost=0.0006,
            resolution="1m",
        )
        result = await _off_loop(
            lambda http: run_job(job, cache_dir=settings.cache_dir, http=http),
            settings.hummingbot.long_timeout_s,
        )
        digest = backtest_digest(result)
        digest["candles"]["source"] = _label(source)
        return digest

    return run


def market_reader(settings: Settings) -> MarketReader:
    async def read(connector: str, pair: str) -> dict[str, Any]:
        source = source_for(settings, connector)
        end = last_closed_open(MARKET_INTERVAL)
        request = CandleRequest(connector, pair, MARKET_INTERVAL, end - MARKET_DAYS * 86400, end)

        async def fetch(http: httpx.AsyncClient) -> dict[str, Any]:
            candles, _ = await load_candles(
                candle_source(
                    SourceSpec.parse(source, seed=SYNTHETIC_SEED), http=http, hummingbot=None
                ),
                request,
                cache=CandleCache(settings.cache_dir),
            )
            return market_facts(candles, source=_label(source))

        return await _off_loop(fetch, settings.hummingbot.timeout_s)

    return read
