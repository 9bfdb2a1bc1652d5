"""Indicators with TA-Lib / pandas-ta numerics, vectorised where the maths allows.

Values before an indicator's first defined index are NaN, as in TA-Lib, so "drop rows where any
indicator is NaN" reproduces Hummingbot's warm-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tradeagent.backtest.candles import FloatArray

# Rolling sums are exact enough to classify %B everywhere except within this distance of a
# threshold; those few rows are recomputed with the two-pass deviation TA-Lib agrees with.
_REFINE_BAND = 1e-6


@dataclass(frozen=True)
class Bollinger:
    mid: FloatArray
    std: FloatArray  # population standard deviation (divisor = length)
    percent_b: FloatArray
    width: FloatArray  # pandas-ta BBB: (upper - lower) / mid · 100


def bollinger(
    close: FloatArray, length: int, std: float, thresholds: tuple[float, ...] = ()
) -> Bollinger:
    """TA-Lib BBANDS(close, length, std, std, SMA) with %B and bandwidth.

    %B is exact to ~1e-12 within `_REFINE_BAND` of each of `thresholds`, so signals derived from
    comparisons with them match a two-pass computation.
    """
    n = len(close)
    mid = np.full(n, np.nan)
    sd = np.full(n, np.nan)
    if n >= length:
        anchor = float(np.mean(close))  # centring keeps the rolling sums well conditioned
        x = close - anchor
        sums = np.cumsum(np.concatenate(([0.0], x)))
        squares = np.cumsum(np.concatenate(([0.0], x * x)))
        mean_x = (sums[length:] - sums[:-length]) / length
        variance = (squares[length:] - squares[:-length]) / length - mean_x * mean_x
        mid[length - 1 :] = mean_x + anchor
        sd[length - 1 :] = np.sqrt(np.maximum(variance, 0.0))
    percent_b = _percent_b(close, mid, sd, std)
    if thresholds and n >= length:
        near = np.zeros(n, dtype=bool)
        for threshold in thresholds:
            near |= np.abs(percent_b - threshold) < _REFINE_BAND
        rows = np.flatnonzero(near)
        if rows.size:
            windows = sliding_window_view(close, length)[rows - (length - 1)]
            exact_mid = windows.mean(axis=1)
            mid[rows] = exact_mid
            sd[rows] = np.sqrt(((windows - exact_mid[:, None]) ** 2).mean(axis=1))
            percent_b[rows] = _percent_b(close[rows], mid[rows], sd[rows], std)
    with np.errstate(divide="ignore", invalid="ignore"):
        width = (2.0 * std * sd) / mid * 100.0
    return Bollinger(mid=mid, std=sd, percent_b=percent_b, width=width)


def _percent_b(close: FloatArray, mid: FloatArray, sd: FloatArray, std: float) -> FloatArray:
    upper = mid + std * sd
    lower = mid - std * sd
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray((close - lower) / (upper - lower), dtype=np.float64)


def _seed(values: list[float], period: int, seed_end: int) -> float:
    """TA-Lib's EMA seed: the mean of the `period` values ending at `seed_end`, summed in order."""
    total = 0.0
    for value in values[seed_end - period + 1 : seed_end + 1]:
        total += value
    return total / period


def ema_from(values: list[float], period: int, seed_end: int) -> list[float]:
    """TA-Lib's EMA recursion from index `seed_end`, seeded with the mean of the `period` values
    ending there; returns the EMA for indices `seed_end` … end. Sequential on purpose: it is the
    float rounding TA-Lib produces."""
    k = 2.0 / (period + 1)
    previous = _seed(values, period, seed_end)
    out = [previous]
    append = out.append
    for value in values[seed_end + 1 :]:
        previous = ((value - previous) * k) + previous
        append(previous)
    return out


@dataclass(frozen=True)
class Macd:
    macd: FloatArray
    signal: FloatArray
    histogram: FloatArray


def macd(close: FloatArray, fast: int, slow: int, signal: int) -> Macd:
    """TA-Lib MACD: both EMAs start at index slow-1, each seeded with the mean of its own last
    `period` closes there; the signal line is seeded with the mean of the first `signal` MACDs."""
    n = len(close)
    line = np.full(n, np.nan)
    signal_line = np.full(n, np.nan)
    first = slow + signal - 2
    if n > first:
        raw = _macd_line(close.tolist(), fast, slow)  # index 0 is close index slow-1
        smoothed = ema_from(raw, signal, signal - 1)
        line[first:] = raw[signal - 1 :]
        signal_line[first:] = smoothed
    return Macd(macd=line, signal=signal_line, histogram=line - signal_line)


def _macd_line(values: list[float], fast: int, slow: int) -> list[float]:
    """Fast EMA − slow EMA from index slow-1 on, both recursions in one pass."""
    k_fast, k_slow = 2.0 / (fast + 1), 2.0 / (slow + 1)
    fast_ema = _seed(values, fast, slow - 1)
    slow_ema = _seed(values, slow, slow - 1)
    out = [fast_ema - slow_ema]
    append = out.append
    for value in values[slow:]:
        fast_ema = ((value - fast_ema) * k_fast) + fast_ema
        slow_ema = ((value - slow_ema) * k_slow) + slow_ema
        append(fast_ema - slow_ema)
    return out


def true_range(high: FloatArray, low: FloatArray, close: FloatArray) -> FloatArray:
    """pandas-ta true range; NaN at index 0 (no previous close)."""
    tr = np.full(len(close), np.nan)
    if len(close) > 1:
        previous = close[:-1]
        tr[1:] = np.maximum(
            high[1:] - low[1:],
            np.maximum(np.abs(high[1:] - previous), np.abs(low[1:] - previous)),
        )
    return tr


def wilder_atr(high: FloatArray, low: FloatArray, close: FloatArray, length: int) -> FloatArray:
    """TA-Lib ATR: Wilder's smoothing `(atr·(length-1) + tr) / length`, seeded with the mean of the
    first `length` true ranges; first defined at index `length`. Sequential on purpose: it is the
    float rounding TA-Lib produces."""
    tr = true_range(high, low, close)
    atr = np.full(len(close), np.nan)
    if len(close) > length:
        values: list[float] = tr.tolist()
        total = 0.0
        for value in values[1 : length + 1]:
            total += value
        # Integer weights converted to float once: the same products and quotients as TA-Lib's.
        weight, divisor = float(length - 1), float(length)

        def smoothed() -> Iterator[float]:
            previous = total / length
            yield previous
            for value in values[length + 1 :]:
                previous = (previous * weight + value) / divisor
                yield previous

        atr[length:] = np.fromiter(smoothed(), dtype=np.float64, count=len(close) - length)
    return atr
