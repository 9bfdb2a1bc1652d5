"""Realistic execution: Hummingbot's quirks fixed. Not comparable with Hummingbot's numbers.

- Signals come only from controller candles that have closed (no look-ahead join); rows whose
  indicators are undefined stay in the simulation with no signal instead of vanishing.
- Short signals are capped and cooled down by shorts only.
- A market entry fills at the signal row's close and is exposed from the next row; a limit
  entry rests from the next row and fills when the range trades through its price, at that price
  (or the open when the market gaps through it).
- Stops and liquidations trigger on the candle range and fill at their price (or the open on a
  gap); take profits are limit orders filled at their price. When a stop and a take profit are
  both inside one candle, the stop is assumed first. Trailing stops act on closes.
- Fees are charged per leg on that leg's notional.
- Leverage: each executor puts up notional / leverage as margin and is liquidated when its loss
  reaches that margin less the maintenance margin; percentages are of the margin put up.
- The PnL series is marked to market at every close; Sharpe is annualised from its per-row
  changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import BUY, CloseType
from tradeagent.backtest.execution import Mode
from tradeagent.backtest.ledger import NOT_FILLED, Ledger
from tradeagent.backtest.limit_orders import LimitPrices
from tradeagent.backtest.outcomes import NO_FILL_ROW, Outcomes, time_limit_close
from tradeagent.backtest.params import TripleBarrier
from tradeagent.backtest.tape import Tape

MAINTENANCE_MARGIN = 0.005  # of notional; a typical major-pair rate
SECONDS_PER_YEAR = 365 * 86400


@dataclass(frozen=True)
class Exits:
    row: IntArray
    kind: IntArray
    price: FloatArray


def scan_realistic(
    tape: Tape,
    first_rows: IntArray,
    last_rows: IntArray,
    entries: FloatArray,
    side: int,
    barrier: TripleBarrier,
    trade_cost: float,
    leverage: int,
    *,
    take_profit_on_first: bool,
) -> Exits:
    """Exits of positions entered at `entries`, watched from `first_rows` to `last_rows`."""
    m = len(first_rows)
    exit_row = last_rows.copy()
    kind = np.full(m, int(CloseType.TIME_LIMIT), dtype=np.int64)
    price = tape.close[last_rows].copy()
    buy = side == BUY
    liquidation_move = 1.0 / leverage - MAINTENANCE_MARGIN
    liquidation = entries * (1.0 - side * liquidation_move)
    if barrier.stop_loss is not None:
        stop = entries * (1.0 - side * barrier.stop_loss)
        stop_first = barrier.stop_loss <= liquidation_move
        adverse = np.maximum(stop, liquidation) if buy else np.minimum(stop, liquidation)
        adverse_kind = CloseType.STOP_LOSS if stop_first else CloseType.LIQUIDATION
    else:
        adverse, adverse_kind = liquidation, CloseType.LIQUIDATION
    target = None if barrier.take_profit is None else entries * (1.0 + side * barrier.take_profit)
    trailing = barrier.trailing_stop
    alive = np.flatnonzero(first_rows <= last_rows)
    peak = np.full(m, -np.inf)
    armed = np.zeros(m, dtype=bool)
    for offset in range(tape.width):
        if not len(alive):
            break
        rows = first_rows[alive] + offset
        in_window = rows <= last_rows[alive]
        alive, rows = alive[in_window], rows[in_window]
        opens = tape.open[rows]
        done = np.zeros(len(alive), dtype=bool)
        level = adverse[alive]
        hit = tape.low[rows] <= level if buy else tape.high[rows] >= level
        filled_at = np.minimum(opens, level) if buy else np.maximum(opens, level)
        _record(alive, hit, rows, adverse_kind, filled_at, exit_row, kind, price, done)
        if target is not None and (offset > 0 or take_profit_on_first):
            level = target[alive]
            hit = ~done & (tape.high[rows] >= level if buy else tape.low[rows] <= level)
            filled_at = np.maximum(opens, level) if buy else np.minimum(opens, level)
            _record(alive, hit, rows, CloseType.TAKE_PROFIT, filled_at, exit_row, kind, price, done)
        if trailing is not None:
            closes = tape.close[rows]
            ratio = closes / entries[alive]
            net = side * (ratio - 1.0) - trade_cost * (1.0 + ratio)
            peak[alive] = np.maximum(peak[alive], net)
            armed[alive] |= net > trailing.activation
            hit = ~done & armed[alive] & (net < peak[alive] - trailing.delta)
            _record(alive, hit, rows, CloseType.TRAILING_STOP, closes, exit_row, kind, price, done)
        alive = alive[~done]
    return Exits(row=exit_row, kind=kind, price=price)


def _record(
    alive: IntArray,
    hit: np.ndarray,
    rows: IntArray,
    close_type: CloseType,
    fill: FloatArray,
    exit_row: IntArray,
    kind: IntArray,
    price: FloatArray,
    done: np.ndarray,
) -> None:
    chosen = alive[hit]
    exit_row[chosen] = rows[hit]
    kind[chosen] = int(close_type)
    price[chosen] = fill[hit]
    done |= hit


def _outcomes(
    tape: Tape,
    created: IntArray,
    fill_row: IntArray,
    entries: FloatArray,
    exits: Exits,
    side: int,
    trade_cost: float,
    leverage: int,
    time_limit: int | None,
) -> Outcomes:
    filled = fill_row != NO_FILL_ROW
    _, tl_ts = time_limit_close(tape, created, time_limit)
    by_time = exits.kind == int(CloseType.TIME_LIMIT)
    ratio = exits.price / entries
    pnl = side * (ratio - 1.0) - trade_cost * (1.0 + ratio)
    liquidated = exits.kind == int(CloseType.LIQUIDATION)
    pnl = np.where(liquidated, -1.0 / leverage - trade_cost, pnl)
    return Outcomes(
        fill_row=fill_row,
        close_row=exits.row,
        close_ts=np.where(by_time, tl_ts, tape.timestamp[exits.row]),
        close_type=exits.kind,
        pnl=np.where(filled, pnl, 0.0),
        entry_price=np.where(filled, entries, np.nan),
        exit_price=np.where(filled, exits.price, tape.close[exits.row]),
        turnover=np.where(filled, 1.0 + ratio, 0.0),
        fees=np.where(filled, trade_cost * (1.0 + ratio), 0.0),
    )


@dataclass(frozen=True)
class RealisticExecution:
    barrier: TripleBarrier
    trade_cost: float
    leverage: int
    mode: Mode = "realistic"
    look_ahead_join: bool = False
    drops_undefined_rows: bool = False
    shorts_count_longs: bool = False

    def market_entries(self, tape: Tape, starts: IntArray, side: int) -> Outcomes:
        entries = tape.close[starts]
        exits = scan_realistic(
            tape,
            starts + 1,
            tape.window_end[starts],
            entries,
            side,
            self.barrier,
            self.trade_cost,
            self.leverage,
            take_profit_on_first=True,
        )
        return _outcomes(
            tape,
            starts,
            starts.copy(),
            entries,
            exits,
            side,
            self.trade_cost,
            self.leverage,
            self.barrier.time_limit,
        )

    def limit_entries(self, tape: Tape, side: int, levels: list[LimitPrices]) -> list[Outcomes]:
        created = np.arange(tape.n, dtype=np.int64)
        last = tape.window_end
        out = []
        for prices in levels:
            fills, entries = _range_fills(tape, prices, created, last)
            filled = fills != NO_FILL_ROW
            exits = scan_realistic(
                tape,
                np.where(filled, fills, last + 1),
                last,
                np.where(filled, entries, tape.close[created]),
                side,
                self.barrier,
                self.trade_cost,
                self.leverage,
                take_profit_on_first=False,
            )
            out.append(
                _outcomes(
                    tape,
                    created,
                    fills,
                    entries,
                    exits,
                    side,
                    self.trade_cost,
                    self.leverage,
                    self.barrier.time_limit,
                )
            )
        return out

    def settle(self, tape: Tape, outcomes: Outcomes, chosen: IntArray, side: int) -> FloatArray:
        return outcomes.pnl[chosen].copy()


def _range_fills(
    tape: Tape, prices: LimitPrices, created: IntArray, last: IntArray
) -> tuple[IntArray, FloatArray]:
    """Limit orders resting from the row after creation: the first row whose range reaches the
    price, and the fill price (the limit, or the open when the market gapped through it)."""
    buy = prices.side == BUY
    extremes = sliding_window_view(tape.low if buy else tape.high, tape.width)
    fills = np.full(len(created), NO_FILL_ROW, dtype=np.int64)
    entries = np.full(len(created), np.nan)
    offsets = np.arange(tape.width)
    chunk = max(1, (1 << 22) // tape.width)
    for lo in range(0, len(created), chunk):
        part = created[lo : lo + chunk]
        limit = prices.approx[part]
        window = extremes[part + 1]
        cross = window <= limit[:, None] if buy else window >= limit[:, None]
        cross &= offsets[None, :] < (last[lo : lo + chunk] - part)[:, None]
        found = np.flatnonzero(cross.any(axis=1))
        rows = part[found] + 1 + np.argmax(cross[found], axis=1)
        fills[lo + found] = rows
        opens = tape.open[rows]
        level = limit[found]
        entries[lo + found] = np.minimum(opens, level) if buy else np.maximum(opens, level)
    return fills, entries


def equity_series(ledger: Ledger, tape: Tape, trade_cost: float) -> FloatArray:
    """Realized PnL plus the open positions marked at each row's close, net of their entry fee.

    Positions are booked from their fill row and leave at their close row, where their realized
    PnL takes over.
    """
    n = tape.n
    if n == 0:
        return np.zeros(0)
    realized = np.zeros(n + 1)
    held = np.zeros(n + 1)  # signed base amount
    cost = np.zeros(n + 1)  # signed entry value plus the entry fee
    close_rows = np.minimum(np.searchsorted(tape.timestamp, ledger.close_timestamp), n)
    np.add.at(realized, close_rows, ledger.net_pnl_quote)
    holds = ledger.close_type == int(CloseType.POSITION_HOLD)  # the inventory marks those
    filled = np.flatnonzero((ledger.fill_timestamp != NOT_FILLED) & ~holds)
    if len(filled):
        fill_rows = np.searchsorted(tape.timestamp, ledger.fill_timestamp[filled])
        base = np.asarray([float(ledger.amount_base[i]) for i in filled.tolist()])
        entry = ledger.fill_price[filled]
        signed = ledger.side[filled] * base
        entry_cost = signed * entry + trade_cost * base * entry
        for rows, sign in ((fill_rows, 1.0), (close_rows[filled], -1.0)):
            np.add.at(held, rows, sign * signed)
            np.add.at(cost, rows, sign * entry_cost)
    return np.cumsum(realized)[:n] + tape.close[:n] * np.cumsum(held)[:n] - np.cumsum(cost)[:n]


def period_sharpe(series: FloatArray, capital: float, row_seconds: int) -> float:
    """Annualised Sharpe of per-row changes of the marked-to-market PnL over capital."""
    if len(series) < 3:
        return 0.0
    returns = np.diff(series) / capital
    std = float(np.std(returns, ddof=1))
    if std == 0:
        return 0.0
    return float(np.mean(returns)) / std * math.sqrt(SECONDS_PER_YEAR / row_seconds)
