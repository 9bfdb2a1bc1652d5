"""pandas-ta's supertrend on a Wilder ATR, regime by regime instead of candle by candle.

The pandas-ta loop only compares and copies band values, it never computes with them, so any
evaluation order that makes the same comparisons gives bit-identical output. While the direction
is up the lower band is a running maximum of the raw lower bands since the regime (or its last
reset) began and the upper band is the raw one, and mirrored while it is down. Each regime is
therefore one `maximum.accumulate` (or `minimum.accumulate`) over a slice, ended by the first
candle whose close crosses it: a few numpy calls per regime instead of a Python step per candle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tradeagent.backtest.candles import FloatArray
from tradeagent.backtest.indicators import wilder_atr

# Candles examined for the end of a regime before doubling; regimes are usually shorter.
_FIRST_SLICE = 256


@dataclass(frozen=True)
class Supertrend:
    trend: FloatArray
    direction: FloatArray  # +1 / -1, NaN during warm-up


def supertrend(
    high: FloatArray, low: FloatArray, close: FloatArray, length: int, multiplier: float
) -> Supertrend:
    """pandas-ta supertrend on a Wilder ATR: bands hl2 ± multiplier·ATR, ratcheted while the
    direction holds; direction and trend are undefined for the first `length` candles."""
    n = len(close)
    hl2 = (high + low) / 2.0
    matr = multiplier * wilder_atr(high, low, close, length)
    lowers = hl2 - matr
    uppers = hl2 + matr
    warm = min(length, n)
    settled = slice(warm, n)
    if all(np.isfinite(values[settled]).all() for values in (lowers, uppers, close)):
        trend, direction = by_regime(lowers, uppers, close, warm)
    else:
        trend, direction = by_candle(lowers, uppers, close)
    trend[:warm] = np.nan
    direction[:warm] = np.nan
    return Supertrend(trend=trend, direction=direction)


def by_candle(
    lowers: FloatArray, uppers: FloatArray, close: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The pandas-ta loop, one candle at a time (any input, NaN bands included)."""
    n = len(close)
    lows, ups, closes = lowers.tolist(), uppers.tolist(), close.tolist()
    direction = [1.0] * n
    trend = [math.nan] * n
    if n:
        lower, upper, sign = lows[0], ups[0], 1.0  # the bands as ratcheted so far
        for i in range(1, n):
            raw_lower, raw_upper, price = lows[i], ups[i], closes[i]
            if price > upper:
                sign = 1.0
            elif price < lower:
                sign = -1.0
            elif sign > 0:
                if raw_lower < lower:
                    raw_lower = lower
            elif raw_upper > upper:
                raw_upper = upper
            lower, upper = raw_lower, raw_upper
            direction[i] = sign
            trend[i] = lower if sign > 0 else upper
    return np.asarray(trend), np.asarray(direction)


def by_regime(
    lowers: FloatArray, uppers: FloatArray, close: FloatArray, start: int
) -> tuple[FloatArray, FloatArray]:
    """The pandas-ta loop's output from `start` on, for bands NaN before `start` and finite
    (closes too) from there; entries before `start` are left NaN.

    At `start` the loop compares against NaN bands, so it keeps its initial upward direction and
    takes the raw bands: an up regime begins there. In an up regime a close above the previous
    raw upper band restarts the running maximum (checked first), a close below the running
    maximum turns the direction down; mirrored in a down regime, where the turn is checked first.
    """
    n = len(close)
    trend = np.full(n, np.nan)
    direction = np.full(n, np.nan)
    above = np.zeros(n, dtype=bool)  # close above the previous candle's raw upper band
    below = np.zeros(n, dtype=bool)  # close below the previous candle's raw lower band
    above[1:] = close[1:] > uppers[:-1]
    below[1:] = close[1:] < lowers[:-1]
    up = True
    s = start
    while s < n:
        size = _FIRST_SLICE
        while True:
            end = min(s + size, n)
            if up:
                band = np.maximum.accumulate(lowers[s:end])
                crossed = close[s + 1 : end] < band[:-1]
                restarted = above[s + 1 : end]
            else:
                band = np.minimum.accumulate(uppers[s:end])
                crossed = close[s + 1 : end] > band[:-1]
                restarted = below[s + 1 : end]
            events = crossed | restarted
            if end == n or events.any():
                break
            size *= 2
        stop = s + 1 + int(np.argmax(events)) if events.any() else n
        trend[s:stop] = band[: stop - s]
        direction[s:stop] = 1.0 if up else -1.0
        if stop < n:
            k = stop - s - 1
            # Ties: an up regime restarts before it turns; a down regime turns before it restarts.
            turns = bool(crossed[k]) and not (up and bool(restarted[k]))
            if turns:
                up = not up
        s = stop
    return trend, direction
