"""dman_v3: a Bollinger signal opens a DCA executor (several limit entries, one exit).

Hummingbot's own backtester cannot run dman_v3 (its executors are stamped with the wall clock,
so their time limits expire at once), so these semantics follow the live controller and the
live DCAExecutor in MAKER mode:

- Gating and sizing are the directional controller's: the executor gets
  total_amount_quote / max_executors_per_side, split over the levels by dca_amounts_pct.
- Level k rests at close·(1 ∓ spread_k·m) (− for a buy), m = band width / 2 (pandas-ta BBB/200)
  with dynamic_order_spread, else 1. Levels are placed in order; with activation_bounds a level
  is placed only once the close is within bounds[0] of it (close·(1 − b) < price for a buy).
- No take profit (dman_v3 never passes one). The stop loss (× m with dynamic_target) fires only
  once every level has filled, when the net PnL fraction ≤ −stop_loss; the trailing stop
  (× m with dynamic_target) arms above its activation and fires below max(PnL) − delta; the
  time limit runs from creation. Ties: stop loss, then trailing stop.
- Hummingbot mode decides on closes like Hummingbot's backtester: a level fills at the close of
  the first row whose close crosses its price (from its placement row), both fees are charged on
  the filled notional, exits at the close. Realistic mode: a level rests from the row after its
  placement and fills at its price when the range reaches it (the open on a gap); the stop loss
  and liquidation trigger on the range and fill at their price (from the position held at the
  previous close); fees per leg on that leg's notional; the trailing stop acts on closes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from tradeagent.backtest.candles import FloatArray
from tradeagent.backtest.closes import BUY, SELL, CloseType
from tradeagent.backtest.ledger import NOT_FILLED
from tradeagent.backtest.outcomes import time_limit_close
from tradeagent.backtest.params import DcaParams, TrailingStop
from tradeagent.backtest.realistic import MAINTENANCE_MARGIN
from tradeagent.backtest.tape import Tape


@dataclass(frozen=True)
class DcaPlan:
    """One executor's levels and exits, as the controller configures it at creation."""

    side: int
    prices: tuple[Decimal, ...]
    quotes: tuple[float, ...]
    stop_loss: float | None
    trailing: TrailingStop | None


@dataclass(frozen=True)
class DcaOutcome:
    close_row: int
    close_ts: int
    close_type: CloseType
    first_fill_row: int  # −1: nothing filled
    quote: float  # filled notional Q (sum of the filled levels' quote amounts)
    base: float  # base amount held at the close
    pnl_quote: float
    exit_price: float
    turnover: float  # entry + exit notional
    fees: float


def plan(params: DcaParams, side: int, close: float, band_width: float) -> DcaPlan:
    """Levels and exits of an executor created at a row closing at `close`."""
    return Planner(params)(side, close, band_width)


class Planner:
    """`plan` for many executors of one controller: the Decimal factors that do not depend on
    the executor are computed once (the same operations, so the same values, in the decimal
    context in force when the planner is built and called)."""

    def __init__(self, params: DcaParams) -> None:
        self.params = params
        weights = sum(params.dca_amounts_pct)
        self.shares = [pct / weights for pct in params.dca_amounts_pct]
        self.per_side = Decimal(params.max_executors_per_side)
        # direction · spread per side (BUY, SELL); with fixed spreads the whole level factor
        self.steps = {
            side: [Decimal(-1 if side == BUY else 1) * spread for spread in params.dca_spreads]
            for side in (BUY, SELL)
        }
        self.factors = {side: [1 + step for step in steps] for side, steps in self.steps.items()}

    def __call__(self, side: int, close: float, band_width: float) -> DcaPlan:
        params = self.params
        price = Decimal(close)  # exact, so converting once gives the same operands every time
        amount = params.total_amount_quote / price / self.per_side
        total_quote = amount * price
        quotes = tuple([float(share * total_quote) for share in self.shares])
        dynamic = Decimal(band_width / 200) if math.isfinite(band_width) else Decimal(1)
        if params.dynamic_order_spread:
            prices = tuple([price * (1 + step * dynamic) for step in self.steps[side]])
        else:
            prices = tuple([price * factor for factor in self.factors[side]])
        barrier = params.barrier
        if not params.dynamic_target:
            return DcaPlan(side, prices, quotes, barrier.stop_loss, barrier.trailing_stop)
        target_multiplier = float(dynamic)
        stop_loss = None if barrier.stop_loss is None else barrier.stop_loss * target_multiplier
        trailing = barrier.trailing_stop
        if trailing is not None:
            trailing = TrailingStop(
                activation=trailing.activation * target_multiplier,
                delta=trailing.delta * target_multiplier,
            )
        return DcaPlan(side, prices, quotes, stop_loss, trailing)


def _placements(
    closes: FloatArray, prices: list[float], side: int, bound: float | None
) -> list[int]:
    """Offset at which each level is placed (len(closes) if never), in order."""
    width = len(closes)
    placed = []
    start = 0
    for price in prices:
        if start >= width:
            placed.append(width)
            continue
        if bound is None:
            offset = start
        else:
            window = closes[start:]
            near = price > window * (1 - bound) if side == BUY else price < window * (1 + bound)
            offset = start + int(np.argmax(near)) if near.any() else width
        placed.append(offset)
        start = offset
    return placed


def _first(condition: np.ndarray, start: int) -> int:
    """First index ≥ start where condition holds (len if none)."""
    tail = condition[start:]
    return start + int(np.argmax(tail)) if tail.any() else len(condition)


def _positions(
    width: int, fills: list[int], quotes: tuple[float, ...], prices: list[float]
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """Filled notional, base held and whether every level has filled, after each offset."""
    quote = np.zeros(width + 1)
    base = np.zeros(width + 1)
    count = np.zeros(width + 1, dtype=np.int64)
    for offset, level_quote, price in zip(fills, quotes, prices, strict=True):
        quote[offset] += level_quote
        base[offset] += level_quote / price
        count[offset] += 1
    return (
        np.cumsum(quote)[:width],
        np.cumsum(base)[:width],
        np.cumsum(count)[:width] == len(quotes),
    )


def _trailing_fire(net: FloatArray, held: np.ndarray, trailing: TrailingStop | None) -> int:
    if trailing is None:
        return len(net)
    armed = np.logical_or.accumulate(held & (net > trailing.activation))
    peak = np.maximum.accumulate(np.where(held, net, -np.inf))
    return _first(armed & (net < peak - trailing.delta), 0)


def simulate_hummingbot(
    tape: Tape,
    row: int,
    plan: DcaPlan,
    bound: float | None,
    trade_cost: float,
    time_limit: int | None,
) -> DcaOutcome:
    last = int(tape.window_end[row])
    window = tape.close[row : last + 1]
    width = len(window)
    side = plan.side
    prices = [float(price) for price in plan.prices]
    placed = _placements(window, prices, side, bound)
    closes: list[float] = window.tolist()
    fills = []
    # What each offset adds to the position, levels summed in order from 0.0 (as numpy's
    # scatter-add before its cumulative sums does).
    added: dict[int, tuple[float, float, int]] = {}
    for offset, price, level_quote in zip(placed, prices, plan.quotes, strict=True):
        fill = width
        if offset < width:
            crossed = window[offset:] <= price if side == BUY else window[offset:] >= price
            fill = offset + int(np.argmax(crossed)) if crossed.any() else width
        fills.append(fill)
        if fill < width:
            quote_in, base_in, count_in = added.get(fill, (0.0, 0.0, 0))
            added[fill] = (
                quote_in + level_quote,
                base_in + level_quote / closes[fill],
                count_in + 1,
            )
    fees = 2.0 * trade_cost
    levels = len(plan.quotes)
    stop_loss = None if plan.stop_loss is None else -plan.stop_loss
    trailing = plan.trailing
    quote = base = net = 0.0
    filled_levels = 0
    peak, armed = -math.inf, False
    offset, kind = width - 1, CloseType.TIME_LIMIT
    # One pass in offset order; the first offset where a stop fires ends it (stop loss first).
    for i, close in enumerate(closes):
        if i in added:
            quote_in, base_in, count_in = added[i]
            quote += quote_in
            base += base_in
            filled_levels += count_in
        if quote <= 0:
            continue
        net = (close * base / quote - 1.0) * side - fees
        if stop_loss is not None and filled_levels == levels and net <= stop_loss:
            offset, kind = i, CloseType.STOP_LOSS
            break
        if trailing is not None:
            peak = net if net > peak else peak
            armed = armed or net > trailing.activation
            if armed and net < peak - trailing.delta:
                offset, kind = i, CloseType.TRAILING_STOP
                break
    if kind == CloseType.TIME_LIMIT:
        tl_row, tl_ts = time_limit_close(tape, np.asarray([row]), time_limit)
        close_row, close_ts = int(tl_row[0]), int(tl_ts[0])
    else:
        close_row, close_ts = row + offset, int(tape.timestamp[row + offset])
    first_fill = min(fills)
    return DcaOutcome(
        close_row=close_row,
        close_ts=close_ts,
        close_type=kind,
        first_fill_row=row + first_fill if quote > 0 else NOT_FILLED,
        quote=quote,
        base=base,
        pnl_quote=net * quote,
        exit_price=closes[offset],
        turnover=2.0 * quote,
        fees=2.0 * trade_cost * quote,
    )


def simulate_realistic(
    tape: Tape,
    row: int,
    plan: DcaPlan,
    bound: float | None,
    trade_cost: float,
    leverage: int,
    time_limit: int | None,
) -> DcaOutcome:
    last = int(tape.window_end[row])
    rows = slice(row, last + 1)
    closes, opens = tape.close[rows], tape.open[rows]
    lows, highs = tape.low[rows], tape.high[rows]
    width = len(closes)
    side = plan.side
    buy = side == BUY
    prices = [float(price) for price in plan.prices]
    placed = _placements(closes, prices, side, bound)
    fills, fill_prices = [], []
    for offset, price in zip(placed, prices, strict=True):
        reached = lows <= price if buy else highs >= price
        fill = _first(reached, offset + 1) if offset + 1 < width else width
        fills.append(fill)
        at = min(fill, width - 1)
        fill_prices.append(min(opens[at], price) if buy else max(opens[at], price))
    quote, base, complete = _positions(width, fills, plan.quotes, fill_prices)
    held = quote > 0
    fee = trade_cost
    with np.errstate(invalid="ignore", divide="ignore"):
        net = np.where(
            held, (side * (closes * base - quote) - fee * (quote + closes * base)) / quote, 0.0
        )
    # Stops act on the position held at the previous close.
    q_prev = np.concatenate(([0.0], quote[:-1]))
    b_prev = np.concatenate(([0.0], base[:-1]))
    done_prev = np.concatenate(([False], complete[:-1]))
    loss_at_liquidation = 1.0 / leverage - MAINTENANCE_MARGIN
    with np.errstate(invalid="ignore", divide="ignore"):
        liquidation = _price_at_loss(q_prev, b_prev, side, fee, loss_at_liquidation)
        stop_price = (
            _price_at_loss(q_prev, b_prev, side, fee, plan.stop_loss)
            if plan.stop_loss is not None
            else np.full(width, np.nan)
        )
    stop_price = np.where(done_prev, stop_price, np.nan)
    extreme = lows if buy else highs
    exposed = q_prev > 0
    liq_hit = exposed & ((extreme <= liquidation) if buy else (extreme >= liquidation))
    stop_hit = exposed & ((extreme <= stop_price) if buy else (extreme >= stop_price))
    liq_at, stop_at = _first(liq_hit, 0), _first(stop_hit, 0)
    trail = _trailing_fire(net, held, plan.trailing)
    tl_row, tl_ts = time_limit_close(tape, np.asarray([row]), time_limit)
    offset = min(liq_at, stop_at, trail)
    if offset >= width:
        offset = width - 1
        kind = CloseType.TIME_LIMIT
        close_row, close_ts = int(tl_row[0]), int(tl_ts[0])
    else:
        close_row, close_ts = row + offset, int(tape.timestamp[row + offset])
        kind = CloseType.TRAILING_STOP
        if offset in (liq_at, stop_at):
            nearer_is_stop = stop_at == offset and (
                liq_at != offset
                or (
                    stop_price[offset] >= liquidation[offset]
                    if buy
                    else stop_price[offset] <= liquidation[offset]
                )
            )
            kind = CloseType.STOP_LOSS if nearer_is_stop else CloseType.LIQUIDATION
    if kind in (CloseType.STOP_LOSS, CloseType.LIQUIDATION):
        level = stop_price[offset] if kind == CloseType.STOP_LOSS else liquidation[offset]
        exit_price = min(opens[offset], level) if buy else max(opens[offset], level)
        filled, held_base = float(q_prev[offset]), float(b_prev[offset])
    else:
        exit_price = float(closes[offset])
        filled, held_base = float(quote[offset]), float(base[offset])
    exit_value = exit_price * held_base
    pnl = side * (exit_value - filled) - fee * (filled + exit_value)
    if kind == CloseType.LIQUIDATION:
        pnl = -filled / leverage - fee * filled
    first_fill = min(fills)
    return DcaOutcome(
        close_row=close_row,
        close_ts=close_ts,
        close_type=kind,
        first_fill_row=row + first_fill if filled > 0 else NOT_FILLED,
        quote=filled,
        base=held_base,
        pnl_quote=pnl if filled > 0 else 0.0,
        exit_price=float(exit_price),
        turnover=filled + exit_value if filled > 0 else 0.0,
        fees=fee * (filled + exit_value) if filled > 0 else 0.0,
    )


def _price_at_loss(
    quote: FloatArray, base: FloatArray, side: int, fee: float, loss: float
) -> FloatArray:
    """The price at which a position (quote spent, base held) shows a net loss of
    `loss`·quote after both fees."""
    if side == BUY:
        return np.asarray(quote * (1 + fee - loss) / (base * (1 - fee)))
    return np.asarray(quote * (1 - fee + loss) / (base * (1 + fee)))
