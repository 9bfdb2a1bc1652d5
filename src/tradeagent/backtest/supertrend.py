"""pandas-ta's supertrend on a Wilder ATR, regime by regime instead of candle by candle.

The pandas-ta loop only compares and copies band values, it never computes with them, so any
evaluation order that makes the same comparisons gives bit-identical output. While the direction
is up the lower band is a running maximum of the raw lower bands since the regime (or its last
reset) began and the upper band is the raw one, and mirrored while it is down. Each regime is
therefore one `maximum.accumulate` (or `minimum.accumulate`) over a slice, ended by the first
candle whose close crosses it or by the next restart (a close beyond the previous raw band, all
found up front): a few numpy calls per regime instead of a Python step per candle.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from tradeagent.backtest.candles import FloatArray
from tradeagent.backtest.indicators import wilder_atr

# Candles examined for the end of a regime before doubling; regimes are usually shorter.
_FIRST_SLICE = 128


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
    # Candles whose close passes the previous candle's raw upper (lower) band: restarts of an up
    # (down) regime.
    up_restarts: list[int] = (np.flatnonzero(close[1:] > uppers[:-1]) + 1).tolist()
    down_restarts: list[int] = (np.flatnonzero(close[1:] < lowers[:-1]) + 1).tolist()
    bands: list[FloatArray] = []
    signs: list[float] = []
    lengths: list[int] = []
    up = True
    s = start
    while s < n:
        restarts = up_restarts if up else down_restarts
        j = bisect_right(restarts, s)
        restart = restarts[j] if j < len(restarts) else n
        # Ties: an up regime restarts before it turns; a down regime turns before it restarts,
        # so a down regime looks for a turn on its restart candle too.
        limit = restart if up else min(restart + 1, n)
        size = _FIRST_SLICE
        while True:
            end = min(s + size, limit)
            if up:
                band = np.maximum.accumulate(lowers[s:end])
                turned = close[s + 1 : end] < band[:-1]
            else:
                band = np.minimum.accumulate(uppers[s:end])
                turned = close[s + 1 : end] > band[:-1]
            k = int(np.argmax(turned)) if len(turned) else 0
            if len(turned) and turned[k]:
                stop, turns = s + 1 + k, True
                break
            if end == limit:
                stop, turns = restart, False
                break
            size *= 2
        bands.append(band[: stop - s])
        signs.append(1.0 if up else -1.0)
        lengths.append(stop - s)
        up = up != turns
        s = stop
    if bands:
        trend[start:] = np.concatenate(bands)
        direction[start:] = np.repeat(signs, lengths)
    return trend, direction
