"""Directional controllers: at most one market-entry position executor per row, on a signal."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from tradeagent.backtest.candles import IntArray
from tradeagent.backtest.closes import BUY, SELL
from tradeagent.backtest.execution import Execution
from tradeagent.backtest.gating import gate
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.outcomes import Outcomes
from tradeagent.backtest.params import DirectionalParams
from tradeagent.backtest.signals import SignalArray
from tradeagent.backtest.tape import Tape


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
        candidates,
        sides,
        tape.timestamp[candidates],
        terminated.item,
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
    prices = list(map(Decimal.from_float, tape.close[rows].tolist()))
    total = params.total_amount_quote
    per_side = Decimal(params.max_executors_per_side)
    amounts = [total / price / per_side for price in prices]
    notional = np.asarray(list(map(float, amounts))) * outcomes.entry_price[chosen]
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
        order_price=list(map(str, prices)),
        amount_base=list(map(str, amounts)),
        level_id=[""] * n,
        terminated_row=terminated,
    )
