"""Which signals open an executor: Hummingbot's per-side cap and cooldown, decided event by event.

The gate state (open executors per side, the newest one's open time) changes only when an
executor opens or terminates. Between two such events a side accepts exactly its signals opened
more than `cooldown` seconds after its newest open executor, if it is below its cap: the next
accepted signal is two table look-ups away, so rejected signals are never visited one by one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.closes import BUY

_NEVER = 1 << 62
_STALE = -1  # a cached "next accepted signal" that must be looked up again


def _tables(
    is_side: npt.NDArray[np.bool_], opened: npt.NDArray[np.int64], cooldown: int
) -> tuple[list[int], list[int]]:
    """For one side: its first signal at or after each position (n if none, entry n included),
    and its first signal opened more than `cooldown` after each position's signal."""
    n = len(opened)
    positions = np.flatnonzero(is_side)
    first_from = np.full(n + 1, n, dtype=np.int64)
    first_from[positions] = positions
    first_from = np.minimum.accumulate(first_from[::-1])[::-1]
    after = np.searchsorted(opened[positions], opened + cooldown, side="right")
    cooled = np.append(positions, n)[after]
    return first_from.tolist(), cooled.tolist()


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
    opened = np.asarray(candidate_opened, dtype=np.int64)
    is_long = np.asarray(candidate_sides) == BUY
    n = len(rows)
    long_from, long_cooled = _tables(is_long, opened, cooldown)
    short_from, short_cooled = _tables(~is_long, opened, cooldown)
    long_flags: list[bool] = is_long.tolist()
    # Open executors per side, oldest first: (terminated row, signal position).
    longs: list[tuple[int, int]] = []
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
                at = max(start, long_cooled[longs[-1][1]]) if longs else start
                next_long = long_from[at] if at < n else n
        if next_short < start:
            next_short = _NEVER
            newest = shorts[-1][1] if shorts else -1
            count = len(shorts)
            if shorts_count_longs and longs:
                count += len(longs)
                newest = max(newest, longs[-1][1])
            if count < max_per_side:
                at = max(start, short_cooled[newest]) if newest >= 0 else start
                next_short = short_from[at] if at < n else n
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
        if long_flags[accept]:
            longs.append((ends, accept))
            next_long = _STALE
            if shorts_count_longs:
                next_short = _STALE
        else:
            shorts.append((ends, accept))
            next_short = _STALE
        created.append(accept)
        start = accept + 1
        if ends < expiry:
            expiry = ends
            expiry_at = bisect_left(rows, expiry, start)
