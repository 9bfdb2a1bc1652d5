"""Backtest a config the way both faces (CLI, TUI) ask for it: a time range, a candle source,
a mode; optionally on the Hummingbot API's own backtester too, compared side by side.

This is where the Hummingbot API client meets the backtest package (which must not import it).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import httpx

from tradeagent.backtest import BacktestError, BacktestResult, Mode, controller_params, run_backtest
from tradeagent.backtest.candles import CandleError, interval_seconds
from tradeagent.backtest.report import Difference, compare_summaries
from tradeagent.backtest.sources import (
    CandleCache,
    CandleRequest,
    CandleSource,
    CsvFileSource,
    SyntheticSource,
    load_candles,
)
from tradeagent.backtest.sources.hummingbot import HummingbotCandleSource
from tradeagent.backtest.sources.hyperliquid import MAINNET, HyperliquidSource
from tradeagent.hb import HummingbotClient
from tradeagent.strategy import ControllerConfigBase, to_mapping

SourceKind = Literal["synthetic", "file", "hyperliquid", "hummingbot"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("synthetic", "file", "hyperliquid", "hummingbot")
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class SourceSpec:
    kind: SourceKind = "synthetic"
    path: Path | None = None
    seed: int = 7

    @classmethod
    def parse(cls, text: str, *, seed: int = 7) -> SourceSpec:
        """`synthetic`, `file:PATH`, `hyperliquid` or `hummingbot`."""
        if text.startswith("file:"):
            path = text[len("file:") :]
            if not path:
                raise BacktestError("--source file: needs a path, e.g. file:candles.csv.gz")
            return cls("file", Path(path).expanduser(), seed)
        if text in SOURCE_KINDS and text != "file":
            return cls(text, None, seed)
        raise BacktestError(
            f"unknown candle source {text!r}; use synthetic, file:PATH, hyperliquid or hummingbot"
        )

    def describe(self) -> str:
        return f"file:{self.path}" if self.kind == "file" else self.kind


@dataclass(frozen=True)
class BacktestJob:
    """One backtest as asked: which config, which candles, which rules."""

    config: ControllerConfigBase
    start: int  # first candle open time, unix seconds
    end: int  # last candle open time (inclusive)
    resolution: str = "1m"
    mode: Mode = "hummingbot"
    trade_cost: float = 0.0006
    source: SourceSpec = field(default_factory=SourceSpec)


@dataclass(frozen=True)
class ServerRun:
    """The Hummingbot API's own backtest of the same job, and how it differs from ours."""

    summary: dict[str, Any]
    executors: int
    differences: list[Difference]


def last_closed_open(resolution: str, now: float | None = None) -> int:
    step = interval_seconds(resolution)
    current = int(time.time() if now is None else now)
    return current // step * step - step


def days_window(days: float, resolution: str, now: float | None = None) -> tuple[int, int]:
    """The last `days` of closed candles: (first open time, last open time)."""
    if days <= 0:
        raise BacktestError(f"--days must be positive, got {days:g}")
    step = interval_seconds(resolution)
    end = last_closed_open(resolution, now)
    return end - int(days * 86400) + step, end


def parse_time(text: str, *, is_end: bool, resolution: str) -> int:
    """Unix seconds, or an ISO date / date-time (UTC unless it says otherwise).

    A bare end date means the whole of that day: its last candle.
    """
    value = text.strip()
    if value.isdigit():
        return int(value)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            if is_end:
                return int(moment.timestamp()) + 86400 - interval_seconds(resolution)
            return int(moment.timestamp())
        parsed = datetime.fromisoformat(value)
    except ValueError:
        which = "--end" if is_end else "--start"
        raise BacktestError(
            f"{which} {text!r} is neither unix seconds nor an ISO date (2025-01-31 or "
            "2025-01-31T12:00)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def check_range(start: int, end: int, resolution: str) -> None:
    try:
        step = interval_seconds(resolution)
    except CandleError as exc:
        raise BacktestError(f"--resolution: {exc}") from None
    if end < start + step:
        raise BacktestError("the backtest range is empty: --end must be after --start")


def candle_source(
    spec: SourceSpec,
    *,
    http: httpx.AsyncClient,
    hummingbot: HummingbotClient | None,
    hyperliquid_url: str = MAINNET,
) -> CandleSource:
    if spec.kind == "synthetic":
        return SyntheticSource(spec.seed)
    if spec.kind == "file":
        assert spec.path is not None
        return CsvFileSource(spec.path)
    if spec.kind == "hyperliquid":
        return HyperliquidSource(http, base_url=hyperliquid_url)
    if hummingbot is None:
        raise BacktestError(
            "--source hummingbot needs a Hummingbot API: set hummingbot.url in the config "
            "(tradeagent config init), then check it with tradeagent doctor"
        )
    client = hummingbot

    async def historical(body: dict[str, Any]) -> list[Mapping[str, Any]]:
        rows = await client.historical_candles(
            body["connector_name"],
            body["trading_pair"],
            interval=body["interval"],
            start_time=body["start_time"],
            end_time=body["end_time"],
        )
        return [row.model_dump() for row in rows]

    return HummingbotCandleSource(historical, server=client.url)


async def run_job(
    job: BacktestJob,
    *,
    cache_dir: Path | None,
    http: httpx.AsyncClient,
    hummingbot: HummingbotClient | None = None,
    hyperliquid_url: str = MAINNET,
) -> BacktestResult:
    """Fetch the candles (through the disk cache) and backtest the job locally."""
    check_range(job.start, job.end, job.resolution)
    params = controller_params(job.config)
    source = candle_source(
        job.source, http=http, hummingbot=hummingbot, hyperliquid_url=hyperliquid_url
    )
    request = CandleRequest(
        params.market.connector_name,
        params.market.trading_pair,
        job.resolution,
        job.start,
        job.end,
    )
    cache = CandleCache(cache_dir) if cache_dir is not None else None
    candles, window = await load_candles(source, request, cache=cache)
    return run_backtest(
        job.config,
        candles,
        start=window.requested_start,
        end=job.end,
        mode=job.mode,
        trade_cost=job.trade_cost,
        window=window,
    )


async def run_on_server(
    job: BacktestJob, local: BacktestResult, client: HummingbotClient
) -> ServerRun:
    """The same job through the server's `POST /backtesting/run`, compared with `local`."""
    answer = await client.run_backtest(
        to_mapping(job.config),
        start_time=job.start,
        end_time=job.end,
        resolution=job.resolution,
        trade_cost=job.trade_cost,
    )
    summary = answer.results.model_dump()
    return ServerRun(
        summary=summary,
        executors=len(answer.executors),
        differences=compare_summaries(local.summary, summary),
    )


def build_job(
    config: ControllerConfigBase,
    *,
    days: float | None,
    start: str | None,
    end: str | None,
    source: str,
    seed: int,
    mode: Mode,
    trade_cost: float,
    resolution: str,
    now: float | None = None,
) -> BacktestJob:
    """A job from command-line style values: `--days N` or `--start/--end` (not both)."""
    try:
        interval_seconds(resolution)
    except CandleError as exc:
        raise BacktestError(f"--resolution: {exc}") from None
    if days is not None and (start is not None or end is not None):
        raise BacktestError("give either --days or --start/--end, not both")
    if start is None and end is None:
        first, last = days_window(days if days is not None else DEFAULT_DAYS, resolution, now)
    else:
        last = (
            parse_time(end, is_end=True, resolution=resolution)
            if end is not None
            else last_closed_open(resolution, now)
        )
        if start is None:
            raise BacktestError("--end needs --start (or use --days N)")
        first = parse_time(start, is_end=False, resolution=resolution)
    check_range(first, last, resolution)
    if not 0 <= trade_cost < 0.1:
        raise BacktestError(
            f"--trade-cost is a fraction per fill (0.0006 = 0.06 %), got {trade_cost}"
        )
    return BacktestJob(
        config=config,
        start=first,
        end=last,
        resolution=resolution,
        mode=mode,
        trade_cost=trade_cost,
        source=SourceSpec.parse(source, seed=seed),
    )
