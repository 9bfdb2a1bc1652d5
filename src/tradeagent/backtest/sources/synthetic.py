"""A seeded synthetic market: the offline default.

A geometric random walk at one-minute steps with intra-candle highs and lows. The market is a
fixed function of (seed, pair): each UTC day's total move is drawn from a per-(seed, pair) stream
and the minutes inside the day are a Brownian bridge from a per-(seed, pair, day) stream, so any
window of it is the same wherever a request starts or ends.
"""

from __future__ import annotations

import hashlib

import numpy as np

from tradeagent.backtest.candles import Candles, format_interval
from tradeagent.backtest.sources.base import CandleRequest, CandleSourceError, Fetched

EPOCH = 1420070400  # 2015-01-01 00:00 UTC: the synthetic market starts here
DAY = 86400
MINUTES = 1440
MINUTE_VOLATILITY = 0.0008  # ≈ 3 % a day, a liquid crypto pair
MAX_DAYS = 20 * 365


def _stream(*parts: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(list(parts)))


def _pair_key(pair: str) -> int:
    return int.from_bytes(hashlib.sha256(pair.encode()).digest()[:8], "little")


class SyntheticSource:
    name = "synthetic"
    cacheable = False

    def __init__(self, seed: int = 7, volatility: float = MINUTE_VOLATILITY) -> None:
        if seed < 0:
            raise CandleSourceError(f"the synthetic seed must be ≥ 0, got {seed}")
        self.seed = seed
        self.volatility = volatility

    @property
    def detail(self) -> str:
        return f"seed {self.seed}"

    async def fetch(self, request: CandleRequest) -> Fetched:
        return Fetched(self.candles(request))

    def candles(self, request: CandleRequest) -> Candles:
        step = request.interval_s
        if step % 60 or (DAY % step and step % DAY):
            raise CandleSourceError(
                f"the synthetic market has no {request.interval} candles; use a whole number "
                "of minutes that divides a day (1m … 1d) or whole days"
            )
        if request.start < EPOCH:
            raise CandleSourceError("the synthetic market starts on 2015-01-01; ask for later")
        first_day = (request.start - EPOCH) // DAY
        last_day = (request.end - EPOCH) // DAY
        if last_day - first_day >= MAX_DAYS or last_day >= MAX_DAYS * 2:
            raise CandleSourceError("the synthetic market covers at most 20 years per request")
        minutes = self._minutes(request.trading_pair, int(first_day), int(last_day))
        k = step // 60
        day_start = EPOCH + first_day * DAY
        minutes = minutes.between(day_start, request.end + step - 60)
        grouped = minutes.grouped(k) if k > 1 else minutes
        if grouped.interval_s != step:  # pragma: no cover - guarded above
            raise CandleSourceError(f"cannot build {format_interval(step)} candles")
        return grouped.between(request.start, request.end)

    def _minutes(self, pair: str, first_day: int, last_day: int) -> Candles:
        key = _pair_key(pair)
        sigma_day = self.volatility * np.sqrt(MINUTES)
        daily = _stream(self.seed, key, 0).normal(-0.5 * sigma_day**2, sigma_day, last_day + 1)
        base = 10.0 ** _stream(self.seed, key, 1).uniform(0.0, 4.0)
        levels = np.log(base) + np.concatenate(([0.0], np.cumsum(daily)))
        days = last_day - first_day + 1
        log_close = np.empty(days * MINUTES)
        upper_wick = np.empty(days * MINUTES)
        lower_wick = np.empty(days * MINUTES)
        volume = np.empty(days * MINUTES)
        for i, day in enumerate(range(first_day, last_day + 1)):
            rng = _stream(self.seed, key, 2, day)
            steps = rng.normal(0.0, self.volatility, MINUTES)
            walk = np.cumsum(steps)
            fraction = np.arange(1, MINUTES + 1) / MINUTES
            bridge = walk - fraction * (walk[-1] - daily[day])
            part = slice(i * MINUTES, (i + 1) * MINUTES)
            log_close[part] = levels[day] + bridge
            upper_wick[part] = np.abs(rng.normal(0.0, self.volatility * 0.6, MINUTES))
            lower_wick[part] = np.abs(rng.normal(0.0, self.volatility * 0.6, MINUTES))
            volume[part] = rng.lognormal(3.0, 0.8, MINUTES)
        close = np.exp(log_close)
        open_ = np.empty_like(close)
        open_[0] = np.exp(levels[first_day])
        open_[1:] = close[:-1]
        high = np.maximum(open_, close) * np.exp(upper_wick)
        low = np.minimum(open_, close) * np.exp(-lower_wick)
        timestamp = EPOCH + first_day * DAY + 60 * np.arange(days * MINUTES, dtype=np.int64)
        return Candles(60, timestamp, open_, high, low, close, volume)
