"""Which signals open an executor: Hummingbot's per-side cap and cooldown, decided event by event.

The gate state (open executors per side, the newest one's open time) changes only when an
executor opens or terminates. Between two such events a side accepts exactly its signals opened
more than `cooldown` seconds after its newest open executor, if it is below its cap: from the
first position past that cooldown (searched once, when the executor opens) the next accepted
signal is one binary search into the runs of one-side signals away, and rejected signals are
never visited one by one.
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
    opened: list[int] = np.asarray(candidate_opened, dtype=np.int64).tolist()
    is_long = np.asarray(candidate_sides) == BUY
    n = len(rows)
    # Runs of signals on one side, by first position (n as a sentinel): sides alternate from run
    # to run, so a run's side is its parity. Signals come in long runs (a trend, a band excursion).
    runs: list[int] = [0, *(np.flatnonzero(is_long[1:] != is_long[:-1]) + 1).tolist(), n]
    long_parity = 0 if n and is_long[0] else 1  # parity of the long runs
    # Open executors per side, oldest first: the row terminating each, and the first position
    # past its cooldown (rising like their open times, so the newest executor's is the last).
    long_ends: list[int] = []
    long_cool: list[int] = []
    short_ends: list[int] = []
    short_cool: list[int] = []
    expiry = _NEVER  # the earliest row at which an open executor terminates
    expiry_at = n  # the first signal at or after that row
    next_long = next_short = _STALE  # positions of the next signal each side would accept
    created: list[int] = []
    start = 0
    while True:
        # A side's next signal: the first of its signals from `start` opened after the cooldown
        # of the newest executor it counts, found from the run holding that position.
        if next_long < start:
            next_long = _NEVER
            if len(long_ends) < max_per_side:
                at = long_cool[-1] if long_cool and long_cool[-1] > start else start
                if at < n:
                    run = bisect_right(runs, at) - 1
                    next_long = at if run % 2 == long_parity else runs[run + 1]
                else:
                    next_long = n
        if next_short < start:
            next_short = _NEVER
            count = len(short_ends)
            at = short_cool[-1] if short_cool and short_cool[-1] > start else start
            if shorts_count_longs and long_cool:
                count += len(long_ends)
                at = long_cool[-1] if long_cool[-1] > at else at
            if count < max_per_side:
                if at < n:
                    run = bisect_right(runs, at) - 1
                    next_short = at if run % 2 != long_parity else runs[run + 1]
                else:
                    next_short = n
        accept = next_long if next_long < next_short else next_short
        if expiry_at <= accept:
            if expiry_at >= n:
                return created
            # The signal at `expiry_at` sees the executors that terminated by its row first.
            row = rows[expiry_at]
            # Inline on purpose: this runs once per terminated executor.
            expiry = _NEVER
            if long_ends:
                kept_ends, kept_cool = [], []
                for end, cool in zip(long_ends, long_cool, strict=True):
                    if end > row:
                        kept_ends.append(end)
                        kept_cool.append(cool)
                        expiry = end if end < expiry else expiry
                if len(kept_ends) < len(long_ends):
                    long_ends, long_cool = kept_ends, kept_cool
                    next_long = _STALE
                    if shorts_count_longs:
                        next_short = _STALE
            if short_ends:
                kept_ends, kept_cool = [], []
                for end, cool in zip(short_ends, short_cool, strict=True):
                    if end > row:
                        kept_ends.append(end)
                        kept_cool.append(cool)
                        expiry = end if end < expiry else expiry
                if len(kept_ends) < len(short_ends):
                    short_ends, short_cool = kept_ends, kept_cool
                    next_short = _STALE
            start = expiry_at
            expiry_at = bisect_left(rows, expiry, start) if expiry < _NEVER else n
            continue
        if accept >= n:
            return created
        ends = terminate(accept)
        cool = bisect_right(opened, opened[accept] + cooldown)
        if accept == next_long:
            long_ends.append(ends)
            long_cool.append(cool)
            next_long = _STALE
            if shorts_count_longs:
                next_short = _STALE
        else:
            short_ends.append(ends)
            short_cool.append(cool)
            next_short = _STALE
        created.append(accept)
        start = accept + 1
        if ends < expiry:
            expiry = ends
            expiry_at = bisect_left(rows, expiry, start)
