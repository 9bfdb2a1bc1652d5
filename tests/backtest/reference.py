"""Plain reference implementations the engine's fast paths must agree with exactly."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from tradeagent.backtest.closes import BUY
from tradeagent.backtest.indicators import wilder_atr


def plain_gate(
    rows: list[int],
    sides: list[int],
    opened: list[int],
    terminate: Callable[[int], int],
    *,
    max_per_side: int,
    cooldown: int,
    shorts_count_longs: bool,
) -> list[int]:
    """The gate visiting every signal in turn and recounting the open executors each time."""
    longs: list[tuple[int, int]] = []  # open executors: (terminated row, opened at)
    shorts: list[tuple[int, int]] = []
    created = []
    for i, row in enumerate(rows):
        longs = [executor for executor in longs if executor[0] > row]
        shorts = [executor for executor in shorts if executor[0] > row]
        mine = longs if sides[i] == BUY else shorts
        counted = longs + shorts if sides[i] != BUY and shorts_count_longs else mine
        newest = max((executor[1] for executor in counted), default=None)
        if len(counted) >= max_per_side:
            continue
        if newest is not None and opened[i] - newest <= cooldown:
            continue
        mine.append((terminate(i), opened[i]))
        created.append(i)
    return created


def reference_supertrend(
    high: np.ndarray, low: np.ndarray, close: np.ndarray, length: int, multiplier: float
) -> tuple[list[float], list[float]]:
    """pandas-ta's loop, transcribed literally (band arrays mutated in place)."""
    n = len(close)
    atr = wilder_atr(high, low, close, length)
    hl2 = (high + low) / 2
    ub = list(hl2 + multiplier * atr)
    lb = list(hl2 - multiplier * atr)
    direction = [1.0] * n
    trend = [math.nan] * n
    for i in range(1, n):
        if close[i] > ub[i - 1]:
            direction[i] = 1
        elif close[i] < lb[i - 1]:
            direction[i] = -1
        else:
            direction[i] = direction[i - 1]
            if direction[i] > 0 and lb[i] < lb[i - 1]:
                lb[i] = lb[i - 1]
            if direction[i] < 0 and ub[i] > ub[i - 1]:
                ub[i] = ub[i - 1]
        trend[i] = lb[i] if direction[i] > 0 else ub[i]
    for i in range(min(length, n)):
        direction[i] = math.nan
        trend[i] = math.nan
    return trend, direction
