"""The simulated market: seeded, deterministic 1-minute candles for any pair at any time.

Prices depend only on (seed, base asset, minute), so every bot trading BTC sees the same BTC,
a restart regenerates exactly the same history, and any window can be produced directly without
replaying the past: a slow daily walk fixes each day's open and each day's minutes are a
Brownian bridge between two consecutive opens.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

CANDLE_S = 60
MINUTES_PER_DAY = 1440
EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z: the market's first candle
DAILY_VOL = 0.03
MINUTE_VOL = DAILY_VOL / np.sqrt(MINUTES_PER_DAY)
_DAYS_PER_CHUNK = 365
_BLOCK_CACHE = 256

# Plausible starting prices; other assets get a stable pseudo-random one.
BASE_PRICES: dict[str, float] = {
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
    "USDC": 1.0,
    "USDT": 1.0,
}
STABLE = frozenset({"USD", "USDC", "USDT", "DAI", "FDUSD", "USDE"})


@dataclass(frozen=True)
class Candles:
    """1-minute candles; ``timestamp`` is each candle's open time in unix seconds."""

    timestamp: np.ndarray
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    volume: np.ndarray

    def __len__(self) -> int:
        return int(self.timestamp.shape[0])


def base_asset(trading_pair: str) -> str:
    """``BTC`` for ``BTC-USD``; HIP-3 markets (``XYZ:XYZ100-USD``) keep their dex prefix."""
    return trading_pair.split("-", 1)[0].upper()


def candle_index(timestamp: float) -> int:
    """Index of the candle containing ``timestamp`` (candle 0 opens at :data:`EPOCH`)."""
    return int((timestamp - EPOCH) // CANDLE_S)


def candle_open_time(index: int) -> float:
    return float(EPOCH + index * CANDLE_S)


def _seed(*parts: object) -> int:
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class SyntheticMarket:
    """Seeded candles for every asset, generated on demand and cached by day."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        self._daily: dict[str, np.ndarray] = {}
        self._blocks: OrderedDict[tuple[str, int], Candles] = OrderedDict()
        # Bots on the same asset ask for the same window on the same tick.
        self._last: dict[str, tuple[int, int, Candles]] = {}

    def start_price(self, asset: str) -> float:
        if asset in BASE_PRICES:
            return BASE_PRICES[asset]
        return float(1 + _seed(self.seed, "price", asset) % 20_000) / 100

    def candles(self, trading_pair: str, first: int, stop: int) -> Candles:
        """Candles with index in ``[first, stop)``; indices before the epoch are skipped."""
        first = max(first, 0)
        if stop <= first:
            return empty_candles()
        asset = base_asset(trading_pair)
        if asset in STABLE:
            return self._flat(first, stop)
        last = self._last.get(asset)
        if last is not None and last[0] == first and last[1] == stop:
            return last[2]
        parts = []
        for day in range(first // MINUTES_PER_DAY, (stop - 1) // MINUTES_PER_DAY + 1):
            block = self._block(asset, day)
            lo = max(first - day * MINUTES_PER_DAY, 0)
            hi = min(stop - day * MINUTES_PER_DAY, MINUTES_PER_DAY)
            parts.append(_slice(block, lo, hi))
        result = parts[0] if len(parts) == 1 else _concat(parts)
        self._last[asset] = (first, stop, result)
        return result

    def candles_between(self, trading_pair: str, start: float, end: float) -> Candles:
        """Closed candles whose open time is in ``[start, end)`` and that closed by ``end``."""
        return self.candles(trading_pair, -(-int(start - EPOCH) // CANDLE_S), candle_index(end))

    def price(self, trading_pair: str, timestamp: float) -> float:
        """Close of the last candle closed at ``timestamp``."""
        index = max(candle_index(timestamp) - 1, 0)
        return float(self.candles(trading_pair, index, index + 1).close[0])

    def _daily_log_opens(self, asset: str, days: int) -> np.ndarray:
        have = self._daily.get(asset)
        if have is not None and have.shape[0] > days:
            return have
        anchor = np.log(self.start_price(asset))
        values = [anchor] if have is None else list(have)
        while len(values) <= days + 1:
            chunk = len(values) // _DAYS_PER_CHUNK
            rng = np.random.default_rng(_seed(self.seed, asset, "daily", chunk))
            for shock in rng.normal(0.0, DAILY_VOL, _DAYS_PER_CHUNK):
                # A gentle pull back to the anchor keeps prices plausible over years.
                values.append(values[-1] + 0.02 * (anchor - values[-1]) + shock)
        result = np.array(values)
        self._daily[asset] = result
        return result

    def _block(self, asset: str, day: int) -> Candles:
        key = (asset, day)
        cached = self._blocks.get(key)
        if cached is not None:
            self._blocks.move_to_end(key)
            return cached
        opens = self._daily_log_opens(asset, day + 1)
        start, end = opens[day], opens[day + 1]
        rng = np.random.default_rng(_seed(self.seed, asset, "day", day))
        walk = np.cumsum(rng.normal(0.0, MINUTE_VOL, MINUTES_PER_DAY))
        steps = np.arange(1, MINUTES_PER_DAY + 1) / MINUTES_PER_DAY
        close = np.exp(start + walk - steps * (walk[-1] - (end - start)))
        open_ = np.concatenate(([np.exp(start)], close[:-1]))
        wick = np.abs(rng.normal(0.0, MINUTE_VOL * 0.6, (2, MINUTES_PER_DAY)))
        high = np.maximum(open_, close) * np.exp(wick[0])
        low = np.minimum(open_, close) * np.exp(-wick[1])
        volume = rng.lognormal(3.0, 0.6, MINUTES_PER_DAY) * 1_000 / np.sqrt(close)
        timestamp = EPOCH + (day * MINUTES_PER_DAY + np.arange(MINUTES_PER_DAY)) * float(CANDLE_S)
        block = Candles(timestamp, open_, high, low, close, volume)
        self._blocks[key] = block
        if len(self._blocks) > _BLOCK_CACHE:
            self._blocks.popitem(last=False)
        return block

    def _flat(self, first: int, stop: int) -> Candles:
        count = stop - first
        ones = np.ones(count)
        timestamp = EPOCH + np.arange(first, stop) * float(CANDLE_S)
        return Candles(timestamp, ones, ones, ones, ones.copy(), ones * 1_000)


def _slice(block: Candles, lo: int, hi: int) -> Candles:
    return Candles(
        block.timestamp[lo:hi],
        block.open[lo:hi],
        block.high[lo:hi],
        block.low[lo:hi],
        block.close[lo:hi],
        block.volume[lo:hi],
    )


def _concat(parts: list[Candles]) -> Candles:
    return Candles(
        np.concatenate([p.timestamp for p in parts]),
        np.concatenate([p.open for p in parts]),
        np.concatenate([p.high for p in parts]),
        np.concatenate([p.low for p in parts]),
        np.concatenate([p.close for p in parts]),
        np.concatenate([p.volume for p in parts]),
    )


def empty_candles() -> Candles:
    nothing = np.empty(0)
    return Candles(nothing, nothing, nothing, nothing, nothing, nothing)


def resample(candles: Candles, minutes: int) -> Candles:
    """Aggregate 1-minute candles into ``minutes``-minute candles aligned on the epoch."""
    if minutes == 1 or len(candles) == 0:
        return candles
    bucket = ((candles.timestamp - EPOCH) // (minutes * CANDLE_S)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    ends = np.r_[starts[1:], len(candles)] - 1
    return Candles(
        EPOCH + bucket[starts] * float(minutes * CANDLE_S),
        candles.open[starts],
        np.maximum.reduceat(candles.high, starts),
        np.minimum.reduceat(candles.low, starts),
        candles.close[ends],
        np.add.reduceat(candles.volume, starts),
    )
