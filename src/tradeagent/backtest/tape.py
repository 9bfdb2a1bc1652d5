"""The simulated rows as the executor simulation reads them, padded past the last row.

Padding lets every executor window be read as `start + offset` without bounds checks: past the
end the price stops moving (growth 1, so PnL stays at the last row's value) and the candle range
is empty (high −inf, low +inf, so no stop can trigger there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tradeagent.backtest.candles import Candles, FloatArray, IntArray


@dataclass(frozen=True)
class Reach:
    """Per row r < n: the extremes over the executor window rows r … r + width − 1 (padding
    included)."""

    highest_close: FloatArray
    lowest_close: FloatArray
    highest_high: FloatArray
    lowest_low: FloatArray


@dataclass(frozen=True)
class Tape:
    n: int
    width: int  # rows in the longest executor window (time limit), at least 1
    timestamp: IntArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    growth: FloatArray  # 1 + (c_i / c_{i-1} - 1): the factor Hummingbot's cumulative product uses
    window_end: IntArray  # last row index inside each row's executor window

    @classmethod
    def build(cls, rows: Candles, time_limit: int | None, extra: int = 0) -> Tape:
        n = len(rows)
        ts = rows.timestamp
        if time_limit is None or n == 0:
            window_end = np.full(n, n - 1, dtype=np.int64)
        elif n > 1 and ts[-1] - ts[0] == (n - 1) * rows.interval_s:  # no gaps: plain arithmetic
            steps = time_limit // rows.interval_s
            window_end = np.minimum(np.arange(n, dtype=np.int64) + steps, n - 1)
        else:
            window_end = np.searchsorted(ts, ts + time_limit, side="right").astype(np.int64) - 1
        width = int(np.max(window_end - np.arange(n))) + 1 if n else 1
        pad = width + extra + 1
        growth = np.ones(n + pad)
        if n > 1:
            growth[1:n] = 1.0 + (rows.close[1:] / rows.close[:-1] - 1.0)

        def padded(values: FloatArray, fill: float) -> FloatArray:
            out = np.full(n + pad, fill)
            out[:n] = values
            return out

        last_close = float(rows.close[-1]) if n else math.nan
        return cls(
            n=n,
            width=width,
            timestamp=ts,
            open=padded(rows.open, last_close),
            high=padded(rows.high, -math.inf),
            low=padded(rows.low, math.inf),
            close=padded(rows.close, last_close),
            growth=growth,
            window_end=window_end,
        )

    @cached_property
    def ratios_bounded(self) -> bool:
        """Every close is positive and every growth factor lies in [0.5, 2], where it equals the
        correctly rounded ratio of two closes."""
        growth = self.growth[: self.n]
        return bool(
            np.all(self.close[: self.n] > 0.0) and np.all((growth >= 0.5) & (growth <= 2.0))
        )

    @cached_property
    def reach(self) -> Reach:
        def extreme(values: FloatArray, op: np.ufunc) -> FloatArray:
            return sliding_extreme(values, self.width, self.n, op)

        return Reach(
            highest_close=extreme(self.close, np.maximum),
            lowest_close=extreme(self.close, np.minimum),
            highest_high=extreme(self.high, np.maximum),
            lowest_low=extreme(self.low, np.minimum),
        )

    def compounded(self, starts: IntArray, offsets: IntArray) -> FloatArray:
        """Per entry: Π growth over rows start+1 … start+offset, multiplied in order like a
        cumprod (1.0 for offset 0). Entries are stepped together, longest first, so each step
        multiplies the ones still going as one slice."""
        order = np.argsort(-offsets, kind="stable")
        rows = starts[order]
        remaining = offsets[order]
        product = np.ones(len(order))
        going = len(order)
        for step in range(1, int(remaining[0]) + 1 if len(order) else 1):
            while remaining[going - 1] < step:
                going -= 1
            product[:going] *= self.growth[rows[:going] + step]
        out = np.empty(len(order))
        out[order] = product
        return out

    def first_row_at_or_after(self, timestamps: IntArray, after: IntArray) -> IntArray:
        """Per executor: the first row after row `after` whose open time ≥ `timestamps`
        (n when there is none)."""
        rows = np.searchsorted(self.timestamp, timestamps, side="left").astype(np.int64)
        return np.maximum(rows, after + 1)


def sliding_extreme(values: FloatArray, width: int, count: int, op: np.ufunc) -> FloatArray:
    """`op.reduce(values[i : i + width])` for i < count (needs count + width − 1 values), by
    doubling spans: log2(width) whole-array passes instead of one window per row."""
    span = 1
    covered = values
    while 2 * span <= width:
        covered = op(covered[:-span], covered[span:])
        span *= 2
    tail = width - span
    return np.asarray(op(covered[:count], covered[tail : tail + count]))
