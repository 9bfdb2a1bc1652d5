"""Directional controllers: at most one market-entry position executor per row, on a signal."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np

from tradeagent.backtest.candles import IntArray
from tradeagent.backtest.closes import BUY, SELL
from tradeagent.backtest.execution import Execution
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.outcomes import Outcomes
from tradeagent.backtest.params import DirectionalParams
from tradeagent.backtest.signals import SignalArray
from tradeagent.backtest.tape import Tape


def gate(
    rows: list[int],
    sides: list[int],
    opened: list[int],
    terminate: Callable[[int], int],
    *,
    max_per_side: int,
    cooldown: int,
    shorts_count_longs: bool,
) -> list[int]:
    """Which signals become executors: indices into the candidate lists, in order.

    `terminate(i)` is asked once per created executor for the row that terminates it.

    A signal needs fewer than `max_per_side` open executors on its side and more than
    `cooldown` seconds since the newest of them opened. With `shorts_count_longs` a short signal
    counts every open executor, long or short (Hummingbot's side filter is a constant for shorts).
    """
    never = 1 << 62
    longs: list[tuple[int, int]] = []  # open executors: (terminated row, opened at)
    shorts: list[tuple[int, int]] = []
    expiry = never  # the earliest row at which an open executor terminates
    # What gates each side, refreshed only when an executor opens or terminates.
    long_count = short_count = 0
    long_newest = short_newest = -never
    created: list[int] = []
    for i in range(len(rows)):
        row = rows[i]
        if row >= expiry:
            longs = [executor for executor in longs if executor[0] > row]
            shorts = [executor for executor in shorts if executor[0] > row]
            expiry = min([executor[0] for executor in longs + shorts], default=never)
            long_count, short_count, long_newest, short_newest = _gating(longs, shorts, never)
        if sides[i] == BUY:
            if long_count >= max_per_side or opened[i] - long_newest <= cooldown:
                continue
            ends = terminate(i)
            longs.append((ends, opened[i]))
        else:
            count, newest = short_count, short_newest
            if shorts_count_longs:
                count, newest = count + long_count, max(newest, long_newest)
            if count >= max_per_side or opened[i] - newest <= cooldown:
                continue
            ends = terminate(i)
            shorts.append((ends, opened[i]))
        created.append(i)
        expiry = min(expiry, ends)
        long_count, short_count, long_newest, short_newest = _gating(longs, shorts, never)
    return created


def _gating(
    longs: list[tuple[int, int]], shorts: list[tuple[int, int]], never: int
) -> tuple[int, int, int, int]:
    """Open counts and newest open times per side (−never when a side has none open)."""
    return (
        len(longs),
        len(shorts),
        longs[-1][1] if longs else -never,
        shorts[-1][1] if shorts else -never,
    )


def run_directional(
    params: DirectionalParams, tape: Tape, signal: SignalArray, execution: Execution
) -> Ledger:
    """Executors of a directional controller over the simulated rows, given each row's signal."""
    candidates = np.flatnonzero(signal != 0).astype(np.int64)
    sides = signal[candidates].astype(np.int64)
    outcome_parts: dict[int, tuple[IntArray, Outcomes]] = {}
    terminated = np.zeros(len(candidates), dtype=np.int64)
    for side in (BUY, SELL):
        where = np.flatnonzero(sides == side)
        starts = candidates[where]
        outcomes = execution.market_entries(tape, starts, side)
        outcome_parts[side] = (where, outcomes)
        terminated[where] = outcomes.terminated_row(tape, starts)
    created = gate(
        candidates.tolist(),
        sides.tolist(),
        tape.timestamp[candidates].tolist(),
        terminated.tolist().__getitem__,
        max_per_side=params.max_executors_per_side,
        cooldown=params.cooldown_time,
        shorts_count_longs=execution.shorts_count_longs,
    )
    is_created = np.zeros(len(candidates), dtype=bool)
    is_created[created] = True
    parts = []
    for side, (where, outcomes) in outcome_parts.items():
        mine = np.flatnonzero(is_created[where])
        rows = candidates[where[mine]]
        parts.append(
            directional_ledger(
                params, tape, rows, side, outcomes, mine, execution, terminated[where[mine]]
            )
        )
    return Ledger.concat(parts)


def directional_ledger(
    params: DirectionalParams,
    tape: Tape,
    rows: IntArray,
    side: int,
    outcomes: Outcomes,
    chosen: IntArray,
    execution: Execution,
    terminated: IntArray,
) -> Ledger:
    """Ledger rows of the executors created at `rows` (indices `chosen` into `outcomes`)."""
    closes = tape.close[rows].tolist()
    total = params.total_amount_quote
    per_side = Decimal(params.max_executors_per_side)
    amounts = [total / Decimal(price) / per_side for price in closes]
    notional = np.asarray([float(amount) for amount in amounts]) * outcomes.entry_price[chosen]
    pnl = execution.settle(tape, outcomes, chosen, side)
    turnover = outcomes.turnover[chosen] * notional
    n = len(rows)
    return Ledger(
        timestamp=tape.timestamp[rows],
        side=np.full(n, side, dtype=np.int8),
        close_timestamp=outcomes.close_ts[chosen],
        close_type=outcomes.close_type[chosen].astype(np.int16),
        net_pnl_pct=pnl,
        net_pnl_quote=pnl * notional,
        filled_amount_quote=turnover,
        cum_fees_quote=outcomes.fees[chosen] * notional,
        fill_timestamp=tape.timestamp[rows],
        fill_price=outcomes.entry_price[chosen],
        close_price=outcomes.exit_price[chosen],
        order_price=[str(Decimal(price)) for price in closes],
        amount_base=[str(amount) for amount in amounts],
        level_id=[""] * n,
        terminated_row=terminated,
    )
