"""dman_v3 executors in Hummingbot mode that provably end on their time limit, settled together.

Most executors close on their time limit. Whether a stop can fire needs no level prices: the
average entry price of any filled position lies between the window's lowest and highest close,
so the net PnL stays within side·(lowest/highest − 1) … side·(highest/lowest − 1), less fees.
An executor whose bounds stay clear of the stop loss and of the trailing stop's activation by
`_MARGIN` (far beyond the rounding of a few float operations) ends on its time limit, as the
one-by-one simulation finds; the others, ties included, are simulated one by one.

The time-limited ones are then settled as (executor × offset) tables: each level's fill offset
found for all executors at once, and the position summed in the same order as the one-by-one
loop (levels filling on one offset summed from 0.0 in level order, offsets in order), so the
results are bit for bit the same.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import BUY, CloseType
from tradeagent.backtest.dca import DcaOutcome, DcaPlan
from tradeagent.backtest.ledger import NOT_FILLED
from tradeagent.backtest.outcomes import time_limit_close
from tradeagent.backtest.params import DcaParams
from tradeagent.backtest.tape import Tape

_MARGIN = 1e-9
# Table cells per block of executors (executors × window offsets): bounds memory on long windows.
_CELLS = 1 << 16


def time_limited(
    tape: Tape,
    rows: IntArray,
    sides: IntArray,
    band_width: FloatArray,
    params: DcaParams,
    trade_cost: float,
) -> npt.NDArray[np.bool_]:
    """Per executor created at `rows` (band width at its row): True when no stop can fire in its
    window, whatever its levels."""
    quiet = np.zeros(len(rows), dtype=bool)
    positive = params.total_amount_quote > 0 and min(params.dca_amounts_pct) > 0
    if not len(rows) or not positive or not np.all(tape.close[: tape.n] > 0.0):
        return quiet  # the bounds below hold for positive prices and level amounts
    reach = tape.reach  # extremes over tape.width rows: a superset of every window
    high, low = reach.highest_close[rows], reach.lowest_close[rows]
    entry = tape.close[rows]
    buy = sides == BUY
    fees = 2.0 * trade_cost
    barrier = params.barrier
    quiet[:] = True
    if barrier.trailing_stop is not None:
        # Fills happen at closes within [low, high].
        best = np.where(buy, high / low - 1.0, 1.0 - low / high) - fees
        activation = barrier.trailing_stop.activation * _multiplier(
            band_width, params.dynamic_target
        )
        quiet &= best + _MARGIN * (1.0 + np.abs(best)) < activation
    if barrier.stop_loss is not None:
        # A stop loss needs every level filled: a level beyond every close never fills.
        spreads = np.asarray([float(spread) for spread in params.dca_spreads])
        moved = spreads[None, :] * _multiplier(band_width, params.dynamic_order_spread)[:, None]
        direction = np.where(buy, -1.0, 1.0)[:, None]
        level = entry[:, None] * (1.0 + direction * moved)
        unfilled = np.where(
            buy[:, None],
            level * (1.0 + _MARGIN) < low[:, None],
            level * (1.0 - _MARGIN) > high[:, None],
        ).any(axis=1)
        # Fills of a buy happen at closes within [low, min(high, entry)] (levels rest at or
        # below the entry when spreads are not negative), of a sell within [max(low, entry), high].
        if np.all(moved >= 0):
            worst = np.where(
                buy, low / np.minimum(high, entry) - 1.0, 1.0 - high / np.maximum(low, entry)
            )
        else:
            worst = np.where(buy, low / high - 1.0, 1.0 - high / low)
        worst -= fees
        loss = -(barrier.stop_loss * _multiplier(band_width, params.dynamic_target))
        quiet &= unfilled | (worst - _MARGIN * (1.0 + np.abs(worst)) > loss)
    return quiet


def _multiplier(band_width: FloatArray, dynamic: bool) -> FloatArray:
    """Per executor: the factor on spreads or targets (band width / 200 when dynamic)."""
    if not dynamic:
        return np.ones(len(band_width))
    return np.where(np.isfinite(band_width), band_width / 200, 1.0)


def settle_time_limited(
    tape: Tape,
    rows: list[int],
    plans: list[DcaPlan],
    bound: float | None,
    trade_cost: float,
    time_limit: int | None,
) -> list[DcaOutcome]:
    """Outcomes of executors (created at `rows`) that end on their time limit."""
    block = max(1, _CELLS // tape.width)
    return [
        outcome
        for lo in range(0, len(rows), block)
        for outcome in _settle_block(
            tape, rows[lo : lo + block], plans[lo : lo + block], bound, trade_cost, time_limit
        )
    ]


def _settle_block(
    tape: Tape,
    rows: list[int],
    plans: list[DcaPlan],
    bound: float | None,
    trade_cost: float,
    time_limit: int | None,
) -> list[DcaOutcome]:
    m = len(rows)
    starts = np.asarray(rows, dtype=np.int64)
    widths = tape.window_end[starts] - starts + 1
    span = int(widths.max())
    offsets = np.arange(span)
    inside = offsets[None, :] < widths[:, None]
    closes = tape.close[starts[:, None] + offsets[None, :]]
    buy = np.asarray([p.side for p in plans]) == BUY
    levels = len(plans[0].prices)
    prices = np.asarray([[float(price) for price in p.prices] for p in plans]).reshape(m, levels)
    quotes = np.asarray([p.quotes for p in plans]).reshape(m, levels)
    quote_in = np.zeros((m, span))
    base_in = np.zeros((m, span))
    every = np.arange(m)
    start = np.zeros(m, dtype=np.int64)
    first_fill = widths.copy()
    for k in range(levels):
        price = prices[:, k : k + 1]
        if bound is None:
            placed = np.where(start < widths, start, widths)
        else:
            near = np.where(
                buy[:, None], price > closes * (1 - bound), price < closes * (1 + bound)
            )
            placed = _first(near & inside & (offsets[None, :] >= start[:, None]), widths)
        start = placed
        crossed = np.where(buy[:, None], closes <= price, closes >= price)
        fill = _first(crossed & inside & (offsets[None, :] >= placed[:, None]), widths)
        filled = np.flatnonzero(fill < widths)
        at = fill[filled]
        quote_in[filled, at] += quotes[filled, k]
        base_in[filled, at] += quotes[filled, k] / closes[filled, at]
        first_fill = np.minimum(first_fill, fill)
    last = widths - 1
    quote = np.cumsum(quote_in, axis=1)[every, last]
    base = np.cumsum(base_in, axis=1)[every, last]
    exit_price = closes[every, last]
    side = np.where(buy, 1.0, -1.0)
    held = quote > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        net = np.where(held, (exit_price * base / quote - 1.0) * side - 2.0 * trade_cost, 0.0)
    close_row, close_ts = time_limit_close(tape, starts, time_limit)
    first_row = np.where(held, starts + first_fill, NOT_FILLED)
    return [
        DcaOutcome(
            close_row=row_,
            close_ts=ts,
            close_type=CloseType.TIME_LIMIT,
            first_fill_row=first_,
            quote=q,
            base=b,
            pnl_quote=pnl,
            exit_price=price_,
            turnover=2.0 * q,
            fees=2.0 * trade_cost * q,
        )
        for row_, ts, first_, q, b, pnl, price_ in zip(
            close_row.tolist(),
            close_ts.tolist(),
            first_row.tolist(),
            quote.tolist(),
            base.tolist(),
            (net * quote).tolist(),
            exit_price.tolist(),
            strict=True,
        )
    ]


def _first(condition: npt.NDArray[np.bool_], none: IntArray) -> IntArray:
    """Per row of the table: the first column where `condition` holds (`none` if nowhere)."""
    found = condition.argmax(axis=1)
    return np.where(condition.any(axis=1), found, none)
