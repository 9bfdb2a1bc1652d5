"""First barrier hits of position executors, for many entry rows at once.

An executor's outcome depends only on the rows of its own window, so instead of simulating
executors one by one the scan takes a block of entries and a run of row offsets as one
(offset × entry) table: the growth factors gathered at once, the cumulative product down the
offsets, every barrier tested on the whole table. Entries with a hit in the run are settled and
dropped; the others carry their product, PnL peak and trailing-stop arming into the next run.
The products are the same sequential products, in the same order, as a candle-by-candle loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import BUY
from tradeagent.backtest.params import TripleBarrier
from tradeagent.backtest.quiet import quiet_entries
from tradeagent.backtest.tape import Tape

NO_HIT = np.iinfo(np.int64).max // 4
# Table cells per block (offsets × entries): big enough that numpy's per-call cost vanishes, small
# enough to stay in cache and to bound memory on long runs.
_CELLS = 1 << 15
_MAX_RUN = 64  # row offsets per table


@dataclass(frozen=True)
class Hits:
    """Offsets (rows after the entry row) of the first hit of each barrier; NO_HIT if none in
    `width` rows. `pnl` is the net PnL fraction at the earliest hit (NaN without a hit)."""

    take_profit: IntArray
    stop_loss: IntArray
    trailing_stop: IntArray
    pnl: FloatArray

    @cached_property
    def first(self) -> IntArray:
        return np.minimum(np.minimum(self.take_profit, self.stop_loss), self.trailing_stop)


def scan_hummingbot(
    tape: Tape, starts: IntArray, side: int, barrier: TripleBarrier, trade_cost: float
) -> Hits:
    """Hummingbot's position-executor barriers for entries filled at the close of `starts`.

    PnL path p_k = side·(Π growth − 1) − 2·fee (entry notional, both fees); take profit when
    p_k > take_profit; stop loss when the low (long) / high (short) reaches entry·(1 ∓ stop_loss),
    from the entry row itself; trailing stop armed once p_k > activation, firing when p_k falls
    below max(p) − delta. Time limits are the caller's business.
    """
    m = len(starts)
    hits = Hits(
        take_profit=np.full(m, NO_HIT, dtype=np.int64),
        stop_loss=np.full(m, NO_HIT, dtype=np.int64),
        trailing_stop=np.full(m, NO_HIT, dtype=np.int64),
        pnl=np.full(m, np.nan),
    )
    # Quiet entries keep the no-hit defaults; only the others are scanned.
    pending = np.flatnonzero(~quiet_entries(tape, starts, side, barrier, trade_cost))
    run = min(tape.width, _MAX_RUN)
    block = max(1, min(len(pending), _CELLS // run))
    space = _Workspace(run * block)
    for lo in range(0, len(pending), block):
        _scan_block(tape, starts, pending[lo : lo + block], side, barrier, trade_cost, hits, space)
    return hits


class _Workspace:
    """Flat scratch tables reused by every block of one scan: fresh multi-megabyte temporaries
    per block would cost more in page faults than the arithmetic on them."""

    def __init__(self, cells: int) -> None:
        self.at = np.empty(cells, dtype=np.int64)
        self.path = np.empty(cells)
        self.other = np.empty(cells)  # extremes, then the running PnL peak
        self.hit = np.empty(cells, dtype=bool)
        self.take_profit = np.empty(cells, dtype=bool)
        self.stop_loss = np.empty(cells, dtype=bool)
        self.trailing_stop = np.empty(cells, dtype=bool)
        self.armed = np.empty(cells, dtype=bool)


def _table(flat: npt.NDArray[Any], rows: int, columns: int) -> npt.NDArray[Any]:
    return flat[: rows * columns].reshape(rows, columns)


def _scan_block(
    tape: Tape,
    starts: IntArray,
    alive: IntArray,
    side: int,
    barrier: TripleBarrier,
    trade_cost: float,
    hits: Hits,
    space: _Workspace,
) -> None:
    """Fill `hits` for the entries `alive` (indices into `starts`), a run of offsets at a time."""
    fees = 2.0 * trade_cost
    tp = barrier.take_profit
    sl = barrier.stop_loss
    ts = barrier.trailing_stop
    rows = starts[alive].astype(np.int64)
    stop_price = tape.close[rows] * (1.0 - sl * side) if sl is not None else None
    extremes = tape.low if side == BUY else tape.high
    growth = np.ones(len(alive))  # Π growth up to the previous run's last offset
    peak = np.full(len(alive), -np.inf)
    armed = np.zeros(len(alive), dtype=bool)
    first = 0
    while first < tape.width and len(alive):
        count, width = min(_MAX_RUN, tape.width - first), len(alive)
        at = _table(space.at, count, width)
        np.add(rows[None, :], np.arange(first, first + count)[:, None], out=at)
        path = _table(space.path, count, width)
        np.take(tape.growth, at, out=path, mode="clip")
        if first == 0:
            path[0] = 1.0  # the entry row itself: no growth yet
        path[0] *= growth
        _accumulate(np.multiply, path)
        growth = path[-1].copy()
        path -= 1.0
        path *= side
        path -= fees  # now the net PnL p_k
        hit = _table(space.hit, count, width)
        hit.fill(False)
        tp_hit = sl_hit = ts_hit = None
        if tp is not None:
            tp_hit = np.greater(path, tp, out=_table(space.take_profit, count, width))
            hit |= tp_hit
        if stop_price is not None:
            extreme = np.take(extremes, at, out=_table(space.other, count, width), mode="clip")
            compare = np.less_equal if side == BUY else np.greater_equal
            sl_hit = compare(extreme, stop_price, out=_table(space.stop_loss, count, width))
            hit |= sl_hit
        if ts is not None:
            running = _table(space.other, count, width)
            running[...] = path
            np.maximum(running[0], peak, out=running[0])
            _accumulate(np.maximum, running)
            peak = running[-1].copy()
            on = np.greater(path, ts.activation, out=_table(space.armed, count, width))
            on[0] |= armed
            _accumulate(np.logical_or, on)
            armed = on[-1].copy()
            running -= ts.delta
            ts_hit = np.less(path, running, out=_table(space.trailing_stop, count, width))
            ts_hit &= on
            hit |= ts_hit
        done = hit.any(axis=0)
        if done.any():
            entries = np.flatnonzero(done)
            step = hit[:, entries].argmax(axis=0)
            settled = alive[entries]
            for kind, record in (
                (tp_hit, hits.take_profit),
                (sl_hit, hits.stop_loss),
                (ts_hit, hits.trailing_stop),
            ):
                if kind is not None:
                    fired = kind[step, entries]
                    record[settled[fired]] = first + step[fired]
            hits.pnl[settled] = path[step, entries]
            keep = ~done
            alive, rows, growth = alive[keep], rows[keep], growth[keep]
            peak, armed = peak[keep], armed[keep]
            if stop_price is not None:
                stop_price = stop_price[keep]
        first += count


def _accumulate(op: np.ufunc, table: npt.NDArray[Any]) -> None:
    """`op.accumulate(table, axis=0)` in place, one row at a time: the same operations in the
    same order, but each a contiguous vector op (numpy's own walks the columns one by one)."""
    for k in range(1, len(table)):
        op(table[k - 1], table[k], out=table[k])
