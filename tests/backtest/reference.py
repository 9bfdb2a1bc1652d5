"""Plain reference implementations the engine's fast paths must agree with exactly."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from tradeagent.backtest.barriers import NO_HIT
from tradeagent.backtest.closes import BUY, CloseType
from tradeagent.backtest.dca import (
    DcaOutcome,
    DcaPlan,
    _first,
    _placements,
    _positions,
    _trailing_fire,
)
from tradeagent.backtest.indicators import wilder_atr
from tradeagent.backtest.ledger import NOT_FILLED
from tradeagent.backtest.outcomes import time_limit_close
from tradeagent.backtest.params import DcaParams, TrailingStop, TripleBarrier
from tradeagent.backtest.tape import Tape


def plain_gate(
    rows: list[int],
    sides: list[int],
    opened: list[int],
    terminate: Callable[[int], int],
    *,
    max_per_side: int,
    cooldown: int,
    shorts_count_longs: bool,
) -> list[int]:
    """The gate visiting every signal in turn and recounting the open executors each time."""
    longs: list[tuple[int, int]] = []  # open executors: (terminated row, opened at)
    shorts: list[tuple[int, int]] = []
    created = []
    for i, row in enumerate(rows):
        longs = [executor for executor in longs if executor[0] > row]
        shorts = [executor for executor in shorts if executor[0] > row]
        mine = longs if sides[i] == BUY else shorts
        counted = longs + shorts if sides[i] != BUY and shorts_count_longs else mine
        newest = max((executor[1] for executor in counted), default=None)
        if len(counted) >= max_per_side:
            continue
        if newest is not None and opened[i] - newest <= cooldown:
            continue
        mine.append((terminate(i), opened[i]))
        created.append(i)
    return created


def reference_supertrend(
    high: np.ndarray, low: np.ndarray, close: np.ndarray, length: int, multiplier: float
) -> tuple[list[float], list[float]]:
    """pandas-ta's loop, transcribed literally (band arrays mutated in place)."""
    n = len(close)
    atr = wilder_atr(high, low, close, length)
    hl2 = (high + low) / 2
    ub = list(hl2 + multiplier * atr)
    lb = list(hl2 - multiplier * atr)
    direction = [1.0] * n
    trend = [math.nan] * n
    for i in range(1, n):
        if close[i] > ub[i - 1]:
            direction[i] = 1
        elif close[i] < lb[i - 1]:
            direction[i] = -1
        else:
            direction[i] = direction[i - 1]
            if direction[i] > 0 and lb[i] < lb[i - 1]:
                lb[i] = lb[i - 1]
            if direction[i] < 0 and ub[i] > ub[i - 1]:
                ub[i] = ub[i - 1]
        trend[i] = lb[i] if direction[i] > 0 else ub[i]
    for i in range(min(length, n)):
        direction[i] = math.nan
        trend[i] = math.nan
    return trend, direction


@dataclass
class PlainHits:
    take_profit: list[int]
    stop_loss: list[int]
    trailing_stop: list[int]
    pnl: list[float]


def plain_scan(
    tape: Tape, starts: list[int], side: int, barrier: TripleBarrier, trade_cost: float
) -> PlainHits:
    """Each entry walked candle by candle until a barrier fires (the barriers' documented rules)."""
    fees = 2.0 * trade_cost
    out = PlainHits([], [], [], [])
    extremes = (tape.low if side == BUY else tape.high).tolist()
    for start in starts:
        growth, peak, armed = 1.0, -math.inf, False
        stop = (
            float(tape.close[start]) * (1.0 - barrier.stop_loss * side)
            if barrier.stop_loss is not None
            else None
        )
        found = [NO_HIT, NO_HIT, NO_HIT]
        pnl = math.nan
        for offset in range(tape.width):
            if offset:
                growth = growth * float(tape.growth[start + offset])
            p = (growth - 1.0) * side - fees
            fired = [False, False, False]
            if barrier.take_profit is not None:
                fired[0] = p > barrier.take_profit
            if stop is not None:
                extreme = extremes[start + offset]
                fired[1] = extreme <= stop if side == BUY else extreme >= stop
            if barrier.trailing_stop is not None:
                peak = max(peak, p)
                armed = armed or p > barrier.trailing_stop.activation
                fired[2] = armed and p < peak - barrier.trailing_stop.delta
            if any(fired):
                found = [offset if hit else NO_HIT for hit in fired]
                pnl = p
                break
        out.take_profit.append(found[0])
        out.stop_loss.append(found[1])
        out.trailing_stop.append(found[2])
        out.pnl.append(pnl)
    return out


def plain_simulate_hummingbot(
    tape: Tape,
    row: int,
    plan: DcaPlan,
    bound: float | None,
    trade_cost: float,
    time_limit: int | None,
) -> DcaOutcome:
    """dman_v3's executor in Hummingbot mode, as numpy columns over its whole window."""
    last = int(tape.window_end[row])
    closes = tape.close[row : last + 1]
    width = len(closes)
    side = plan.side
    prices = [float(price) for price in plan.prices]
    placed = _placements(closes, prices, side, bound)
    fills = []
    for offset, price in zip(placed, prices, strict=True):
        crossed = closes <= price if side == BUY else closes >= price
        fills.append(_first(crossed, offset) if offset < width else width)
    fill_closes = [float(closes[min(fill, width - 1)]) for fill in fills]
    quote, base, complete = _positions(width, fills, plan.quotes, fill_closes)
    held = quote > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        net = np.where(held, (closes * base / quote - 1.0) * side - 2.0 * trade_cost, 0.0)
    stop = width if plan.stop_loss is None else _first(complete & (net <= -plan.stop_loss), 0)
    trail = _trailing_fire(net, held, plan.trailing)
    tl_row, tl_ts = time_limit_close(tape, np.asarray([row]), time_limit)
    if min(stop, trail) < width:
        offset = min(stop, trail)
        kind = CloseType.STOP_LOSS if stop == offset else CloseType.TRAILING_STOP
        close_row, close_ts = row + offset, int(tape.timestamp[row + offset])
    else:
        offset, kind = width - 1, CloseType.TIME_LIMIT
        close_row, close_ts = int(tl_row[0]), int(tl_ts[0])
    filled = float(quote[offset])
    first_fill = min(fills)
    return DcaOutcome(
        close_row=close_row,
        close_ts=close_ts,
        close_type=kind,
        first_fill_row=row + first_fill if filled > 0 else NOT_FILLED,
        quote=filled,
        base=float(base[offset]),
        pnl_quote=float(net[offset]) * filled,
        exit_price=float(closes[offset]),
        turnover=2.0 * filled,
        fees=2.0 * trade_cost * filled,
    )


def plain_plan(params: DcaParams, side: int, close: float, band_width: float) -> DcaPlan:
    """dman_v3's levels and exits for one executor, every Decimal factor computed afresh."""
    price = Decimal(close)  # exact, so converting once gives the same operands every time
    amount = params.total_amount_quote / price / Decimal(params.max_executors_per_side)
    total_quote = amount * price
    weights = sum(params.dca_amounts_pct)
    quotes = tuple([float(pct / weights * total_quote) for pct in params.dca_amounts_pct])
    dynamic = Decimal(band_width / 200) if math.isfinite(band_width) else Decimal(1)
    spread_multiplier = dynamic if params.dynamic_order_spread else Decimal(1)
    direction = Decimal(-1 if side == BUY else 1)
    prices = tuple(
        [price * (1 + direction * spread * spread_multiplier) for spread in params.dca_spreads]
    )
    target_multiplier = float(dynamic) if params.dynamic_target else 1.0
    barrier = params.barrier
    stop_loss = None if barrier.stop_loss is None else barrier.stop_loss * target_multiplier
    trailing = barrier.trailing_stop
    if trailing is not None and params.dynamic_target:
        trailing = TrailingStop(
            activation=trailing.activation * target_multiplier,
            delta=trailing.delta * target_multiplier,
        )
    return DcaPlan(side, prices, quotes, stop_loss, trailing)
