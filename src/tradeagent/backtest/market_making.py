"""pmm_simple: one limit-entry position executor per level, re-quoted after a refresh.

Levels never interact, so each level is a chain: an executor created at row t decides, through
how it ends, the first row its level may quote again. Every possible executor is resolved at once
(one per row and level); the chain then only hops from creation row to next creation row.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from tradeagent.backtest.candles import IntArray
from tradeagent.backtest.closes import BUY, SELL, CloseType
from tradeagent.backtest.execution import Execution
from tradeagent.backtest.inventory import Inventory, simulate_inventory
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.limit_orders import LimitPrices
from tradeagent.backtest.outcomes import NO_FILL_ROW, Outcomes
from tradeagent.backtest.params import MarketMakingParams
from tradeagent.backtest.tape import Tape

# The backtester shows a controller only the executors that terminated in the last hour, so a
# stop-loss cooldown longer than that ends after 3600 s.
VISIBLE_CLOSED_S = 3600


def run_market_making(
    params: MarketMakingParams, tape: Tape, execution: Execution
) -> tuple[Ledger, Inventory | None]:
    """The level executors, and on spot connectors without skip_rebalance the inventory
    rebalancing (its executors first in each row, as the controller creates them)."""
    inventory = None
    parts = []
    if not params.market.is_perpetual and not params.skip_rebalance:
        inventory = simulate_inventory(
            params,
            tape,
            lagged=execution.mode == "hummingbot",
            trade_cost=execution.trade_cost,
        )
        parts.append(inventory.ledger)
    total_pct = sum(params.buy_amounts_pct) + sum(params.sell_amounts_pct)
    closes = tape.close[: tape.n]
    for side, spreads, pcts in (
        (BUY, params.buy_spreads, params.buy_amounts_pct),
        (SELL, params.sell_spreads, params.sell_amounts_pct),
    ):
        prices = [LimitPrices.level(closes, side, spread) for spread in spreads]
        outcomes = execution.limit_entries(tape, side, prices)
        for level, (level_prices, level_outcomes) in enumerate(zip(prices, outcomes, strict=True)):
            quote = pcts[level] / total_pct * params.total_amount_quote
            level_id = f"{'buy' if side == BUY else 'sell'}_{level}"
            parts.append(
                _level_ledger(
                    params, tape, execution, side, level_id, level_prices, quote, level_outcomes
                )
            )
    return Ledger.concat(parts), inventory


def _with_refresh(tape: Tape, outcomes: Outcomes, refresh_time: int) -> tuple[Outcomes, IntArray]:
    """Apply the refresh (an open executor not filled by row t, older than `refresh_time`, is
    stopped at t after that row's creations) and return the terminated rows."""
    created = np.arange(tape.n, dtype=np.int64)
    terminated = outcomes.terminated_row(tape, created)
    refresh = np.searchsorted(tape.timestamp, tape.timestamp + refresh_time, side="right")
    fill = outcomes.fill_row
    stopped = (refresh < tape.n) & (refresh < terminated)
    stopped &= (fill == NO_FILL_ROW) | (fill > refresh)
    at = np.minimum(refresh, tape.n - 1)
    refreshed = Outcomes(
        fill_row=np.where(stopped, NO_FILL_ROW, fill),
        close_row=np.where(stopped, refresh, outcomes.close_row),
        close_ts=np.where(stopped, tape.timestamp[at], outcomes.close_ts),
        close_type=np.where(stopped, int(CloseType.EARLY_STOP), outcomes.close_type),
        pnl=np.where(stopped, 0.0, outcomes.pnl),
        entry_price=np.where(stopped, np.nan, outcomes.entry_price),
        exit_price=np.where(stopped, tape.close[at], outcomes.exit_price),
        turnover=np.where(stopped, 0.0, outcomes.turnover),
        fees=np.where(stopped, 0.0, outcomes.fees),
    )
    return refreshed, np.where(stopped, refresh, terminated)


def _next_quote_rows(
    tape: Tape, outcomes: Outcomes, terminated: IntArray, cooldown: int
) -> IntArray:
    """First row at which each level may quote again after the executor created at each row.

    Stopped by a refresh at row r: r + 1 (the stop comes after that row's creations). Otherwise
    the row that terminates it, and after a stop loss also `cooldown` seconds after its close.
    """
    early = outcomes.close_type == int(CloseType.EARLY_STOP)
    free = np.where(early, outcomes.close_row + 1, terminated)
    stop = outcomes.close_type == int(CloseType.STOP_LOSS)
    wait = min(cooldown, VISIBLE_CLOSED_S + 1)
    cooled = np.searchsorted(tape.timestamp, outcomes.close_ts + wait, side="left")
    return np.where(stop, np.maximum(free, cooled), free)


def _chain(next_row: IntArray, n: int) -> IntArray:
    hops = next_row.tolist()
    rows = []
    row = 0
    while row < n:
        rows.append(row)
        row = hops[row]
    return np.asarray(rows, dtype=np.int64)


def _level_ledger(
    params: MarketMakingParams,
    tape: Tape,
    execution: Execution,
    side: int,
    level_id: str,
    prices: LimitPrices,
    quote: Decimal,
    outcomes: Outcomes,
) -> Ledger:
    outcomes, terminated = _with_refresh(tape, outcomes, params.executor_refresh_time)
    next_row = _next_quote_rows(tape, outcomes, terminated, params.cooldown_time)
    rows = _chain(next_row, tape.n)
    order_prices = [prices.exact(close) for close in tape.close[rows].tolist()]
    amounts = [quote / price for price in order_prices]
    fills = outcomes.fill_row[rows]
    filled = fills != NO_FILL_ROW
    entry = outcomes.entry_price[rows]
    notional = np.where(filled, np.asarray([float(a) for a in amounts]) * entry, 0.0)
    pnl = execution.settle(tape, outcomes, rows, side)
    n = len(rows)
    return Ledger(
        timestamp=tape.timestamp[rows],
        side=np.full(n, side, dtype=np.int8),
        close_timestamp=outcomes.close_ts[rows],
        close_type=outcomes.close_type[rows].astype(np.int16),
        net_pnl_pct=pnl,
        net_pnl_quote=pnl * notional,
        filled_amount_quote=outcomes.turnover[rows] * notional,
        cum_fees_quote=outcomes.fees[rows] * notional,
        fill_timestamp=np.where(filled, tape.timestamp[np.where(filled, fills, 0)], NO_FILL_ROW),
        fill_price=entry,
        close_price=outcomes.exit_price[rows],
        order_price=[str(price) for price in order_prices],
        amount_base=[str(amount) for amount in amounts],
        level_id=[level_id] * n,
        terminated_row=terminated[rows],
    )
