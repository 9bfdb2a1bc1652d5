"""Fetch candles through a source (and the disk cache) and describe what was obtained."""

from __future__ import annotations

from tradeagent.backtest.candles import Candles
from tradeagent.backtest.sources.base import CandleRequest, CandleSource, Fetched, now_s
from tradeagent.backtest.sources.cache import CandleCache
from tradeagent.backtest.window import DataWindow


async def load_candles(
    source: CandleSource,
    request: CandleRequest,
    *,
    cache: CandleCache | None = None,
    now: int | None = None,
) -> tuple[Candles, DataWindow]:
    """The candles of `request` and the window they form, with warnings for what is missing.

    Never silently short: a shortfall or a gap is in `DataWindow.warnings`.
    """
    request = request.validated()
    closed = request.end + request.interval_s <= (now_s() if now is None else now)
    use_cache = cache is not None and source.cacheable and closed
    fetched: Fetched | None = cache.load(source.name, request) if use_cache and cache else None
    if fetched is None:
        fetched = await source.fetch(request)
        if use_cache and cache is not None and len(fetched.candles):
            cache.store(source.name, request, fetched)
    candles = fetched.candles.between(request.start, request.end)
    window = DataWindow.describe(
        candles,
        source=source.name,
        detail=source.detail,
        trading_pair=request.trading_pair,
        requested_start=request.start,
        requested_end=request.end,
        notes=fetched.notes,
    )
    return candles, window
