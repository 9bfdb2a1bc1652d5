"""How each candidate position executor ends: close row, time, type, exit price and PnL."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tradeagent.backtest.barriers import NO_HIT, Hits
from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import BUY, CloseType
from tradeagent.backtest.params import TripleBarrier
from tradeagent.backtest.tape import Tape

NO_FILL_ROW = -1


@dataclass
class Outcomes:
    """One entry per candidate executor.

    `close_row` is the row whose price the exit uses, `close_ts` the executor's close timestamp
    (it differs from the row's when a time limit falls into a data gap). `pnl` is the net PnL as a
    fraction of the entry notional, `turnover` the traded volume (entry + exit legs) and `fees`
    the fees, both as multiples of the entry notional. A NaN pnl is computed on demand by
    `Outcomes.settle` (time-limit exits under Hummingbot rules, whose cumulative product is only
    worth computing for executors actually created).
    """

    fill_row: IntArray  # −1: never filled
    close_row: IntArray
    close_ts: IntArray
    close_type: IntArray
    pnl: FloatArray
    entry_price: FloatArray  # NaN when never filled
    exit_price: FloatArray
    turnover: FloatArray
    fees: FloatArray

    def terminated_row(self, tape: Tape, created_row: IntArray) -> IntArray:
        """The row whose first step terminates each executor: the first row after its creation
        row at or after its close time (tape.n: only the closing pass after the last row)."""
        return tape.first_row_at_or_after(self.close_ts, created_row)


def time_limit_close(
    tape: Tape, created: IntArray, time_limit: int | None
) -> tuple[IntArray, IntArray]:
    """(close row, close timestamp) of executors that reach their time limit.

    The close row is the last row of the window; the close timestamp is created + time_limit,
    except when that lies past the data, where the executor closes on the last row.
    """
    close_row = tape.window_end[created]
    if time_limit is None:
        return close_row, tape.timestamp[close_row]
    limit = tape.timestamp[created] + time_limit
    beyond = limit > tape.timestamp[tape.n - 1]
    return close_row, np.where(beyond, tape.timestamp[close_row], limit)


def hummingbot_outcomes(
    tape: Tape,
    starts: IntArray,
    hits: Hits,
    time_limit: int | None,
    trade_cost: float,
) -> Outcomes:
    """Outcomes of executors filled at the close of their creation row `starts` (directional)."""
    end_offset = tape.window_end[starts] - starts
    first = hits.first
    by_barrier = first <= end_offset
    tl_row, tl_ts = time_limit_close(tape, starts, time_limit)
    close_row = np.where(by_barrier, starts + np.where(by_barrier, first, 0), tl_row)
    close_ts = np.where(by_barrier, tape.timestamp[close_row], tl_ts)
    close_type = np.where(by_barrier, hit_types(hits), int(CloseType.TIME_LIMIT))
    n = len(starts)
    return Outcomes(
        fill_row=starts.copy(),
        close_row=close_row,
        close_ts=close_ts,
        close_type=close_type,
        pnl=np.where(by_barrier, hits.pnl, np.nan),
        entry_price=tape.close[starts],
        exit_price=tape.close[close_row],
        turnover=np.full(n, 2.0),
        fees=np.full(n, 2.0 * trade_cost),
    )


def settle_hummingbot_pnl(
    tape: Tape, outcomes: Outcomes, chosen: IntArray, side: int, trade_cost: float
) -> FloatArray:
    """Net PnL fractions of the chosen executors, computing the pending time-limit ones with
    the same sequential cumulative product Hummingbot's simulator uses."""
    pnl = outcomes.pnl[chosen].copy()
    pending = np.flatnonzero(np.isnan(pnl))
    fills = outcomes.fill_row[chosen][pending]
    growth = tape.compounded(fills, outcomes.close_row[chosen][pending] - fills)
    pnl[pending] = (growth - 1.0) * side - 2.0 * trade_cost
    return pnl


def hit_types(hits: Hits) -> IntArray:
    """Close type of the earliest barrier hit of each entry. Ties go take profit, stop loss,
    trailing stop (Hummingbot's order); TIME_LIMIT where nothing hit."""
    first = hits.first
    kinds = np.full(len(first), int(CloseType.TIME_LIMIT), dtype=np.int64)
    for offsets, kind in (
        (hits.trailing_stop, CloseType.TRAILING_STOP),
        (hits.stop_loss, CloseType.STOP_LOSS),
        (hits.take_profit, CloseType.TAKE_PROFIT),
    ):
        kinds[(offsets == first) & (offsets != NO_HIT)] = int(kind)
    return kinds


def first_stop_before_fill(
    tape: Tape, created: IntArray, fills: IntArray, side: int, stop_loss: float
) -> IntArray:
    """Hummingbot also tests a limit executor's stop loss on the rows before its fill, against
    the level set from the fill close: the first such row in [created, fill), or NO_HIT."""
    found = np.full(len(created), NO_HIT, dtype=np.int64)
    waiting = np.flatnonzero(fills > created)
    if not len(waiting):
        return found
    rows = created[waiting]
    stop = tape.close[fills[waiting]] * (1.0 - stop_loss * side)
    extremes = sliding_window_view(tape.low if side == BUY else tape.high, tape.width)[rows]
    hit = extremes <= stop[:, None] if side == BUY else extremes >= stop[:, None]
    hit &= np.arange(tape.width)[None, :] < (fills[waiting] - rows)[:, None]
    any_hit = hit.any(axis=1)
    found[waiting[any_hit]] = rows[any_hit] + np.argmax(hit[any_hit], axis=1)
    return found


def hummingbot_limit_outcomes(
    tape: Tape,
    created: IntArray,
    fills: IntArray,
    side: int,
    hits: Hits,
    kinds: IntArray,
    barrier: TripleBarrier,
    trade_cost: float,
) -> Outcomes:
    """Outcomes of limit executors created at `created` that fill at `fills` (−1: never), before
    any refresh. `hits`/`kinds` are indexed by fill row (entries filled at every row's close)."""
    n = len(created)
    tl_row, tl_ts = time_limit_close(tape, created, barrier.time_limit)
    close_row = tl_row.copy()
    close_ts = tl_ts.copy()
    close_type = np.full(n, int(CloseType.TIME_LIMIT), dtype=np.int64)
    pnl = np.zeros(n)
    fill_row = fills.copy()
    filled = fills >= 0
    if barrier.stop_loss is not None:
        early = first_stop_before_fill(tape, created, fills, side, barrier.stop_loss)
        stopped = early != NO_HIT
        close_row[stopped] = early[stopped]
        close_ts[stopped] = tape.timestamp[early[stopped]]
        close_type[stopped] = int(CloseType.STOP_LOSS)
        fill_row[stopped] = NO_FILL_ROW
        filled &= ~stopped
    at = fills[filled]
    first = hits.first[at]
    by_barrier = first <= (tape.window_end[created[filled]] - at)
    positions = np.flatnonzero(filled)
    barrier_rows = positions[by_barrier]
    close_row[barrier_rows] = at[by_barrier] + first[by_barrier]
    close_ts[barrier_rows] = tape.timestamp[close_row[barrier_rows]]
    close_type[barrier_rows] = kinds[at[by_barrier]]
    pnl[barrier_rows] = hits.pnl[at[by_barrier]]
    pnl[positions[~by_barrier]] = np.nan
    return Outcomes(
        fill_row=fill_row,
        close_row=close_row,
        close_ts=close_ts,
        close_type=close_type,
        pnl=pnl,
        entry_price=np.where(fill_row >= 0, tape.close[np.maximum(fill_row, 0)], np.nan),
        exit_price=tape.close[close_row],
        turnover=np.where(filled, 2.0, 0.0),
        fees=np.where(filled, 2.0 * trade_cost, 0.0),
    )
