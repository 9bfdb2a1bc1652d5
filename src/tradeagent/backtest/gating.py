"""Which signals open an executor: Hummingbot's per-side cap and cooldown, decided event by event.

The gate state (open executors per side, the newest one's open time) changes only when an
executor opens or terminates. Between two such events a side accepts exactly its signals opened
more than `cooldown` seconds after its newest open executor, if it is below its cap, so the next
accepted signal is a binary search away and rejected signals are never visited one by one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.closes import BUY

_NEVER = 1 << 62
_STALE = -1  # a cached "next accepted signal" that must be searched again


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
    # Per side: the signals' positions (with n as a sentinel) and open times, both rising.
    long_at, short_at = np.flatnonzero(is_long), np.flatnonzero(~is_long)
    long_opened: list[int] = opened[long_at].tolist()
    short_opened: list[int] = opened[short_at].tolist()
    long_positions: list[int] = [*long_at.tolist(), n]
    short_positions: list[int] = [*short_at.tolist(), n]
    # Open executors per side, oldest first: the row terminating each, and its open time.
    long_ends: list[int] = []
    long_open: list[int] = []
    short_ends: list[int] = []
    short_open: list[int] = []
    expiry = _NEVER  # the earliest row at which an open executor terminates
    expiry_at = n  # the first signal at or after that row
    next_long = next_short = _STALE  # positions of the next signal each side would accept
    long_j = short_j = 0  # their indices among the side's signals
    created: list[int] = []
    start = 0
    while True:
        if next_long < start:
            next_long = _NEVER
            if len(long_ends) < max_per_side:
                long_j = bisect_left(long_positions, start)
                if long_open:
                    cooled = bisect_right(long_opened, long_open[-1] + cooldown, long_j)
                    long_j = cooled if cooled > long_j else long_j
                next_long = long_positions[long_j]
        if next_short < start:
            next_short = _NEVER
            count = len(short_ends)
            newest = short_open[-1] if short_open else -_NEVER
            if shorts_count_longs and long_open:
                count += len(long_ends)
                newest = long_open[-1] if long_open[-1] > newest else newest
            if count < max_per_side:
                short_j = bisect_left(short_positions, start)
                if newest > -_NEVER:
                    cooled = bisect_right(short_opened, newest + cooldown, short_j)
                    short_j = cooled if cooled > short_j else short_j
                next_short = short_positions[short_j]
        accept = next_long if next_long < next_short else next_short
        if expiry_at <= accept:
            if expiry_at >= n:
                return created
            # The signal at `expiry_at` sees the executors that terminated by its row first.
            row = rows[expiry_at]
            # Inline on purpose: this runs once per terminated executor.
            expiry = _NEVER
            if long_ends:
                kept_ends, kept_open = [], []
                for end, at in zip(long_ends, long_open, strict=True):
                    if end > row:
                        kept_ends.append(end)
                        kept_open.append(at)
                        expiry = end if end < expiry else expiry
                if len(kept_ends) < len(long_ends):
                    long_ends, long_open = kept_ends, kept_open
                    next_long = _STALE
                    if shorts_count_longs:
                        next_short = _STALE
            if short_ends:
                kept_ends, kept_open = [], []
                for end, at in zip(short_ends, short_open, strict=True):
                    if end > row:
                        kept_ends.append(end)
                        kept_open.append(at)
                        expiry = end if end < expiry else expiry
                if len(kept_ends) < len(short_ends):
                    short_ends, short_open = kept_ends, kept_open
                    next_short = _STALE
            start = expiry_at
            expiry_at = bisect_left(rows, expiry, start) if expiry < _NEVER else n
            continue
        if accept >= n:
            return created
        ends = terminate(accept)
        if accept == next_long:
            long_ends.append(ends)
            long_open.append(long_opened[long_j])
            next_long = _STALE
            if shorts_count_longs:
                next_short = _STALE
        else:
            short_ends.append(ends)
            short_open.append(short_opened[short_j])
            next_short = _STALE
        created.append(accept)
        start = accept + 1
        if ends < expiry:
            expiry = ends
            expiry_at = bisect_left(rows, expiry, start)
