"""Which signals open an executor: Hummingbot's per-side cap and cooldown, decided event by event.

The gate state (open executors per side, the newest one's open time) changes only when an
executor opens or terminates. Between two such events a side accepts exactly the signals opened
more than `cooldown` seconds after its newest open executor, if it is below its cap, so the next
accepted signal is a binary search away; rejected signals are never visited one by one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.closes import BUY

_NEVER = 1 << 62
_STALE = -1  # a cached "next accepted signal" that must be searched again


def _next_signal(positions: list[int], opened: list[int], start: int, newer_than: int) -> int:
    """The first of a side's signals (positions and open times, both rising) at position
    ≥ start opened after `newer_than`; _NEVER if none."""
    j = bisect_left(positions, start)
    k = bisect_right(opened, newer_than)
    if k > j:
        j = k
    return positions[j] if j < len(positions) else _NEVER


def gate(
    candidate_rows: npt.ArrayLike,
    candidate_sides: npt.ArrayLike,
    candidate_opened: npt.ArrayLike,
    terminate: Callable[[int], int],
    *,
    max_per_side: int,
    cooldown: int,
    shorts_count_longs: bool,
) -> list[int]:
    """Which signals become executors: indices into the candidates, in order.

    Candidate rows and open times rise strictly. `terminate(i)` is asked once per created
    executor, in order, for the row that terminates it (> its row); an executor counts as open
    on the rows before that one.

    A signal needs fewer than `max_per_side` open executors on its side and more than
    `cooldown` seconds since the newest of them opened. With `shorts_count_longs` a short signal
    counts every open executor, long or short (Hummingbot's side filter is a constant for shorts).
    """
    rows: list[int] = np.asarray(candidate_rows, dtype=np.int64).tolist()
    opened_at = np.asarray(candidate_opened, dtype=np.int64)
    is_long = np.asarray(candidate_sides) == BUY
    opened: list[int] = opened_at.tolist()
    long_positions: list[int] = np.flatnonzero(is_long).tolist()
    long_opened: list[int] = opened_at[is_long].tolist()
    short_positions: list[int] = np.flatnonzero(~is_long).tolist()
    short_opened: list[int] = opened_at[~is_long].tolist()
    n = len(rows)
    longs: list[tuple[int, int]] = []  # open executors: (terminated row, opened at), by age
    shorts: list[tuple[int, int]] = []
    expiry = _NEVER  # the earliest row at which an open executor terminates
    expiry_at = n  # the first signal at or after that row
    next_long = next_short = _STALE
    created: list[int] = []
    start = 0
    while True:
        if next_long < start:
            next_long = _NEVER
            if len(longs) < max_per_side:
                newest = longs[-1][1] if longs else -_NEVER
                next_long = _next_signal(long_positions, long_opened, start, newest + cooldown)
        if next_short < start:
            next_short = _NEVER
            count = len(shorts) + (len(longs) if shorts_count_longs else 0)
            if count < max_per_side:
                newest = shorts[-1][1] if shorts else -_NEVER
                if shorts_count_longs and longs and longs[-1][1] > newest:
                    newest = longs[-1][1]
                next_short = _next_signal(short_positions, short_opened, start, newest + cooldown)
        accept = next_long if next_long < next_short else next_short
        if expiry_at <= accept and expiry_at < n:
            # The signal at `expiry_at` sees the executors that terminated by its row first.
            row = rows[expiry_at]
            still_long = [executor for executor in longs if executor[0] > row]
            still_short = [executor for executor in shorts if executor[0] > row]
            if len(still_long) < len(longs):
                longs = still_long
                next_long = _STALE
                if shorts_count_longs:
                    next_short = _STALE
            if len(still_short) < len(shorts):
                shorts = still_short
                next_short = _STALE
            expiry = min([executor[0] for executor in longs + shorts], default=_NEVER)
            start = expiry_at
            expiry_at = bisect_left(rows, expiry, start) if expiry < _NEVER else n
            continue
        if accept >= n:
            return created
        ends = terminate(accept)
        if is_long[accept]:
            longs.append((ends, opened[accept]))
            next_long = _STALE
            if shorts_count_longs:
                next_short = _STALE
        else:
            shorts.append((ends, opened[accept]))
            next_short = _STALE
        created.append(accept)
        start = accept + 1
        if ends < expiry:
            expiry = ends
            expiry_at = bisect_left(rows, expiry, start)
