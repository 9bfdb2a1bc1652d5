"""Entries whose window provably fires no barrier, found without scanning them.

Most executors end on their time limit: over the whole window the price never comes near a
barrier. The barrier scan tests every (offset, entry) cell; here a window's highest and lowest
close, high and low settle most entries with a few comparisons each.

Stop losses compare candle extremes with the stop price, so `min(low) > stop` is the same
decision as every cell's. Take profit and trailing-stop arming compare the PnL from the
cumulative product of growth factors, which differs from the exact price ratio
`close[r+k] / close[r]` by rounding only: when every growth factor lies in [0.5, 2] it is the
correctly rounded ratio of two closes (1 + (x − 1) is exact there), so k factors carry a relative
error below 2k·2⁻⁵³ (< 3e-11 for the windows allowed here). An entry counts as quiet only when
its extreme close stays clear of the threshold by `_MARGIN`, far beyond that error, so no
rounding can flip a decision; entries near a threshold, ties included, go to the exact scan.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import BUY
from tradeagent.backtest.params import TripleBarrier
from tradeagent.backtest.tape import Reach, Tape

_MARGIN = 1e-9
_MAX_WIDTH = 100_000
# Fewer entries than one per this many rows are cheaper to scan than the whole-tape extremes.
_SPARSE = 32  # keeps the product's rounding error (2k·2⁻⁵³) below 3e-11


def quiet_entries(
    tape: Tape, starts: IntArray, side: int, barrier: TripleBarrier, trade_cost: float
) -> npt.NDArray[np.bool_]:
    """Per entry (filled at the close of row `starts`): True when no barrier can fire on the
    `tape.width` rows from its entry row, exactly as the barrier scan would find."""
    quiet = np.zeros(len(starts), dtype=bool)
    if _SPARSE * len(starts) < tape.n or tape.width > _MAX_WIDTH or not tape.ratios_bounded:
        return quiet
    quiet[:] = True
    entry = tape.close[starts]
    reach = tape.reach
    sl = barrier.stop_loss
    if sl is not None:
        stop = entry * (1.0 - sl * side)
        if side == BUY:
            quiet &= reach.lowest_low[starts] > stop
        else:
            quiet &= reach.highest_high[starts] < stop
    levels = [barrier.take_profit] if barrier.take_profit is not None else []
    if barrier.trailing_stop is not None:
        levels.append(barrier.trailing_stop.activation)
    if levels:
        quiet &= _below_profit(reach, starts, entry, side, min(levels) + 2.0 * trade_cost)
    return quiet


def _below_profit(
    reach: Reach, starts: IntArray, entry: FloatArray, side: int, level: float
) -> npt.NDArray[np.bool_]:
    """PnL before fees (side · (ratio − 1)) stays clear below `level` on every row of the
    window: the ratio stays under 1 + level (long) or over 1 − level (short)."""
    if side == BUY:
        bound = (1.0 + level) * (1.0 - _MARGIN) - _MARGIN
        return np.asarray(reach.highest_close[starts] < entry * bound)
    bound = (1.0 - level) * (1.0 + _MARGIN) + _MARGIN
    return np.asarray(reach.lowest_close[starts] > entry * bound)
