"""Candles as numpy columns, candle intervals, and the k-row resampling the engine needs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class CandleError(ValueError):
    """Candle data or a candle interval the engine cannot use, with what to do about it."""


def interval_seconds(interval: str) -> int:
    """`"1m"` → 60, `"4h"` → 14400. Months (`"1M"`) have no fixed length and are refused."""
    text = interval.strip()
    if text.endswith("M"):
        raise CandleError(f"interval {interval!r}: calendar months are not supported; use 1w or 1d")
    number, unit = text[:-1], text[-1:]
    if unit not in _UNIT_SECONDS or not number.isdigit() or int(number) <= 0:
        raise CandleError(
            f"interval {interval!r} is not a candle interval; use e.g. 1m, 5m, 15m, 1h, 4h, 1d"
        )
    return int(number) * _UNIT_SECONDS[unit]


def format_interval(seconds: int) -> str:
    for unit, size in sorted(_UNIT_SECONDS.items(), key=lambda item: -item[1]):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise AssertionError("every positive integer of seconds has a unit")  # pragma: no cover


@dataclass(frozen=True)
class Candles:
    """OHLCV candles at one interval, oldest first. `timestamp` is the open time in unix seconds."""

    interval_s: int
    timestamp: IntArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray

    def __post_init__(self) -> None:
        n = len(self.timestamp)
        for name in ("open", "high", "low", "close", "volume"):
            if len(getattr(self, name)) != n:
                raise CandleError(f"candle column {name} has a different length than timestamp")
        if n > 1 and not bool(np.all(np.diff(self.timestamp) > 0)):
            raise CandleError(
                "candle timestamps must be strictly increasing (sorted, no duplicates)"
            )

    def __len__(self) -> int:
        return len(self.timestamp)

    @classmethod
    def from_columns(
        cls,
        interval_s: int,
        timestamp: npt.ArrayLike,
        open_: npt.ArrayLike,
        high: npt.ArrayLike,
        low: npt.ArrayLike,
        close: npt.ArrayLike,
        volume: npt.ArrayLike,
    ) -> Candles:
        ts = np.asarray(timestamp, dtype=np.float64)
        if ts.size and not bool(np.all(ts == np.floor(ts))):
            raise CandleError("candle timestamps must be whole unix seconds")
        return cls(
            interval_s,
            ts.astype(np.int64),
            np.ascontiguousarray(open_, dtype=np.float64),
            np.ascontiguousarray(high, dtype=np.float64),
            np.ascontiguousarray(low, dtype=np.float64),
            np.ascontiguousarray(close, dtype=np.float64),
            np.ascontiguousarray(volume, dtype=np.float64),
        )

    def take(self, rows: slice | IntArray) -> Candles:
        return Candles(
            self.interval_s,
            self.timestamp[rows],
            self.open[rows],
            self.high[rows],
            self.low[rows],
            self.close[rows],
            self.volume[rows],
        )

    def between(self, start: int, end: int) -> Candles:
        """The candles with `start ≤ open time ≤ end` (both inclusive)."""
        lo = int(np.searchsorted(self.timestamp, start, side="left"))
        hi = int(np.searchsorted(self.timestamp, end, side="right"))
        return self.take(slice(lo, hi))

    def gaps(self) -> list[tuple[int, int]]:
        """Missing stretches as (first missing open time, last missing open time)."""
        if len(self) < 2:
            return []
        step = np.diff(self.timestamp)
        holes = np.flatnonzero(step != self.interval_s)
        return [
            (int(self.timestamp[i]) + self.interval_s, int(self.timestamp[i + 1]) - self.interval_s)
            for i in holes.tolist()
        ]

    def grouped(self, k: int) -> Candles:
        """Candles k times longer, aligned to the first row's open time.

        Each group spans k intervals of time (on gap-free data: k consecutive rows); a group whose
        span runs past the last row is incomplete and dropped. Used to build a controller's coarser
        candles from the backtest resolution.
        """
        if k == 1 or len(self) == 0:
            return self
        span = self.interval_s * k
        bucket = (self.timestamp - self.timestamp[0]) // span
        starts = np.concatenate(([0], np.flatnonzero(np.diff(bucket)) + 1))
        ends = np.concatenate((starts[1:], [len(self)])) - 1
        opened = self.timestamp[0] + bucket[starts] * span
        last_complete = bool(self.timestamp[-1] >= opened[-1] + span - self.interval_s)
        keep = slice(None) if last_complete else slice(0, len(starts) - 1)
        return Candles(
            span,
            opened[keep],
            self.open[starts][keep],
            np.maximum.reduceat(self.high, starts)[keep],
            np.minimum.reduceat(self.low, starts)[keep],
            self.close[ends][keep],
            np.add.reduceat(self.volume, starts)[keep],
        )
