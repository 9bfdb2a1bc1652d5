"""The simulated market: the backtest package's seeded synthetic candles, as the simulator's
exchanges quote them.

Two things are added on top of :class:`tradeagent.backtest.sources.synthetic.SyntheticSource`:
whole UTC days are fetched once and cached, because every bot on a pair asks for a few new
candles on every tick; and each pair is rescaled to a plausible price level (the synthetic
walk starts every pair at a random level), which changes no return and so no PnL in quote.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from tradeagent.backtest import Candles
from tradeagent.backtest.sources.base import CandleRequest
from tradeagent.backtest.sources.synthetic import DAY, EPOCH, SyntheticSource

CANDLE_S = 60
REFERENCE_TIME = 1_767_225_600  # 2026-01-01T00:00:00Z: where levels below hold
_CACHED_DAYS = 256

# Plausible levels at the reference time; other assets keep the synthetic walk's level.
LEVELS: dict[str, float] = {
    "BTC": 97_000.0,
    "ETH": 3_500.0,
    "SOL": 180.0,
    "HYPE": 30.0,
    "BNB": 650.0,
    "XRP": 2.2,
    "DOGE": 0.32,
    "AVAX": 38.0,
    "LINK": 22.0,
    "ARB": 0.8,
}


def last_closed_open(timestamp: float) -> int:
    """Open time of the last 1-minute candle that has closed at ``timestamp``."""
    return int(timestamp // CANDLE_S) * CANDLE_S - CANDLE_S


class SimMarket:
    """1-minute candles of any pair at any time since 2015, identical across restarts."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        self._source = SyntheticSource(seed)
        self._days: OrderedDict[tuple[str, int], Candles] = OrderedDict()
        self._scale: dict[str, float] = {}
        self._last: dict[str, tuple[int, int, Candles]] = {}

    def candles(self, trading_pair: str, start: int, end: int) -> Candles:
        """1-minute candles with ``start <= open time <= end``; none before the market began."""
        start = max(start, EPOCH)
        if end < start:
            return self._day(trading_pair, 0).take(slice(0, 0))
        last = self._last.get(trading_pair)
        if last is not None and last[0] == start and last[1] == end:
            return last[2]  # bots on the same pair ask for the same window on the same tick
        days = [
            self._day(trading_pair, day)
            for day in range((start - EPOCH) // DAY, (end - EPOCH) // DAY + 1)
        ]
        whole = days[0] if len(days) == 1 else _concat(days)
        result = whole.between(start, end)
        self._last[trading_pair] = (start, end, result)
        return result

    def price(self, trading_pair: str, timestamp: float) -> float:
        """Close of the last candle closed at ``timestamp``."""
        opened = last_closed_open(timestamp)
        return float(self.candles(trading_pair, opened, opened).close[-1])

    def _day(self, trading_pair: str, day: int) -> Candles:
        key = (trading_pair, day)
        cached = self._days.get(key)
        if cached is not None:
            self._days.move_to_end(key)
            return cached
        start = EPOCH + day * DAY
        raw = self._source.candles(
            CandleRequest("synthetic", trading_pair, "1m", start, start + DAY - CANDLE_S)
        )
        scale = self._scale_of(trading_pair)
        candles = Candles(
            raw.interval_s,
            raw.timestamp,
            raw.open * scale,
            raw.high * scale,
            raw.low * scale,
            raw.close * scale,
            raw.volume,
        )
        self._days[key] = candles
        if len(self._days) > _CACHED_DAYS:
            self._days.popitem(last=False)
        return candles

    def _scale_of(self, trading_pair: str) -> float:
        scale = self._scale.get(trading_pair)
        if scale is None:
            level = LEVELS.get(trading_pair.split("-", 1)[0].upper())
            scale = 1.0
            if level is not None:
                at = REFERENCE_TIME - CANDLE_S
                reference = self._source.candles(
                    CandleRequest("synthetic", trading_pair, "1m", at, at)
                )
                scale = level / float(reference.close[-1])
            self._scale[trading_pair] = scale
        return scale


def _concat(parts: list[Candles]) -> Candles:
    return Candles(
        parts[0].interval_s,
        np.concatenate([p.timestamp for p in parts]),
        np.concatenate([p.open for p in parts]),
        np.concatenate([p.high for p in parts]),
        np.concatenate([p.low for p in parts]),
        np.concatenate([p.close for p in parts]),
        np.concatenate([p.volume for p in parts]),
    )
