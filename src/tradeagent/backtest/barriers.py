"""First barrier hits of position executors, for many entry rows at once.

An executor's outcome depends only on the rows of its own window, so instead of simulating
executors one by one the scan walks all candidate entries forward together, one row offset per
step, dropping each entry as soon as a barrier has fired. Every step is a handful of numpy
operations over the entries still alive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import BUY
from tradeagent.backtest.params import TripleBarrier
from tradeagent.backtest.tape import Tape

NO_HIT = np.iinfo(np.int64).max // 4


@dataclass(frozen=True)
class Hits:
    """Offsets (rows after the entry row) of the first hit of each barrier; NO_HIT if none in
    `width` rows. `pnl` is the net PnL fraction at the earliest hit (NaN without a hit)."""

    take_profit: IntArray
    stop_loss: IntArray
    trailing_stop: IntArray
    pnl: FloatArray

    @property
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
    take_profit = np.full(m, NO_HIT, dtype=np.int64)
    stop_loss = np.full(m, NO_HIT, dtype=np.int64)
    trailing = np.full(m, NO_HIT, dtype=np.int64)
    pnl = np.full(m, np.nan)
    fees = 2.0 * trade_cost
    tp = barrier.take_profit
    sl = barrier.stop_loss
    ts = barrier.trailing_stop

    alive = np.arange(m)
    rows = starts.astype(np.int64)
    growth = np.ones(m)
    stop_price = tape.close[rows] * (1.0 - sl * side) if sl is not None else None
    peak = np.full(m, -np.inf)
    armed = np.zeros(m, dtype=bool)
    extremes = tape.low if side == BUY else tape.high
    for offset in range(tape.width):
        if offset:
            rows = rows + 1
            growth = growth * tape.growth[rows]
        p = (growth - 1.0) * side - fees
        done = np.zeros(len(alive), dtype=bool)
        if tp is not None:
            hit = p > tp
            take_profit[alive[hit]] = offset
            done |= hit
        if stop_price is not None:
            extreme = extremes[rows]
            hit = extreme <= stop_price if side == BUY else extreme >= stop_price
            stop_loss[alive[hit]] = offset
            done |= hit
        if ts is not None:
            np.maximum(peak, p, out=peak)
            armed |= p > ts.activation
            hit = armed & (p < peak - ts.delta)
            trailing[alive[hit]] = offset
            done |= hit
        if done.any():
            pnl[alive[done]] = p[done]
            keep = ~done
            alive = alive[keep]
            if not len(alive):
                break
            rows = rows[keep]
            growth = growth[keep]
            peak = peak[keep]
            armed = armed[keep]
            if stop_price is not None:
                stop_price = stop_price[keep]
    return Hits(take_profit=take_profit, stop_loss=stop_loss, trailing_stop=trailing, pnl=pnl)
