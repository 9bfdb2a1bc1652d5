"""Spot market making with inventory rebalancing (pmm_simple, skip_rebalance false).

Before quoting on each row, the controller compares the base it should hold to quote its sell
levels (Σ sell-level quote amounts / close) with what its position hold nets; beyond
`position_rebalance_threshold_pct` of the target it sends a market order for the difference,
filled at the close with one fee, that ends as a POSITION_HOLD executor.

Hummingbot mode keeps the backtester's lag: a rebalance executor terminates on the next row and
is merged into the hold on the row after that, so the hold trails by two rows and the controller
orders twice before it sees the effect (and then overshoots the other way). Realistic mode
merges the fill at once. The hold nets buys and sells at an average entry price: reducing trades
realize PnL, the rest is marked at each close. Rebalance executors carry no PnL of their own;
in Hummingbot mode their fees count in the total fees only, as in Hummingbot; realistic mode
also takes them out of the hold's realized PnL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from tradeagent.backtest.candles import FloatArray
from tradeagent.backtest.closes import BUY, SELL, CloseType
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.params import MarketMakingParams
from tradeagent.backtest.tape import Tape

REBALANCE_LEVEL = "position_rebalance"


@dataclass
class Hold:
    """A net spot position with an average entry price."""

    amount: float = 0.0  # base; negative when net short
    average: float = 0.0
    realized: float = 0.0

    def trade(self, side: int, amount: float, price: float) -> None:
        signed = side * amount
        if self.amount == 0 or (self.amount > 0) == (signed > 0):
            total = self.amount + signed
            self.average = (self.average * abs(self.amount) + price * amount) / abs(total)
            self.amount = total
            return
        closing = min(amount, abs(self.amount))
        self.realized += closing * (price - self.average) * (1 if self.amount > 0 else -1)
        remaining = self.amount + signed
        if remaining == 0 or (remaining > 0) == (self.amount > 0):
            self.amount = remaining
        else:  # flipped: the rest opens the other way at this price
            self.amount, self.average = remaining, price

    def unrealized(self, price: float) -> float:
        return self.amount * (price - self.average)


@dataclass(frozen=True)
class Inventory:
    ledger: Ledger  # the rebalance executors
    pnl: FloatArray  # hold realized + unrealized after each row's merges, marked at its close
    realized: float
    unrealized: float


def simulate_inventory(
    params: MarketMakingParams, tape: Tape, *, lagged: bool, trade_cost: float
) -> Inventory:
    sells = sum(params.sell_amounts_pct, Decimal(0))
    total_pct = sum(params.buy_amounts_pct, Decimal(0)) + sells
    sell_quote_exact = sells / total_pct * params.total_amount_quote
    sell_quote = float(sell_quote_exact)
    threshold = float(params.rebalance_threshold)
    closes = tape.close[: tape.n].tolist()
    hold = Hold()
    pending: list[tuple[int, int, float, float]] = []  # (merge row, side, amount, price)
    orders: list[tuple[int, int, Decimal, float]] = []  # (row, side, amount, price)
    pnl = np.zeros(tape.n)
    for row, close in enumerate(closes):
        while pending and pending[0][0] <= row:
            _, merged_side, merged_amount, price = pending.pop(0)
            hold.trade(merged_side, merged_amount, price)
        pnl[row] = hold.realized + hold.unrealized(close)
        required = sell_quote / close
        gap = required - hold.amount
        if abs(gap) > threshold * required:
            side = BUY if gap > 0 else SELL
            exact = abs(sell_quote_exact / Decimal(close) - Decimal(hold.amount))
            orders.append((row, side, exact, close))
            if lagged:
                pending.append((row + 2, side, float(exact), close))
            else:
                hold.trade(side, float(exact), close)
                hold.realized -= trade_cost * float(exact) * close
    final = closes[-1] if closes else 0.0
    return Inventory(
        ledger=_ledger(tape, orders, trade_cost),
        pnl=pnl,
        realized=hold.realized,
        unrealized=hold.unrealized(final),
    )


def _ledger(tape: Tape, orders: list[tuple[int, int, Decimal, float]], fee: float) -> Ledger:
    n = len(orders)
    rows = np.asarray([order[0] for order in orders], dtype=np.int64)
    closed = np.minimum(rows + 1, tape.n - 1)  # terminated on the next row
    notional = np.asarray([float(order[2]) * order[3] for order in orders])
    return Ledger(
        timestamp=tape.timestamp[rows],
        side=np.asarray([order[1] for order in orders], dtype=np.int8),
        close_timestamp=tape.timestamp[closed],
        close_type=np.full(n, int(CloseType.POSITION_HOLD), dtype=np.int16),
        net_pnl_pct=np.zeros(n),
        net_pnl_quote=np.zeros(n),
        filled_amount_quote=notional,
        cum_fees_quote=fee * notional,
        fill_timestamp=tape.timestamp[rows],
        fill_price=tape.close[rows],
        close_price=tape.close[closed],
        order_price=[str(Decimal(order[3])) for order in orders],
        amount_base=[str(order[2]) for order in orders],
        level_id=[REBALANCE_LEVEL] * n,
        terminated_row=np.where(rows + 1 < tape.n, rows + 1, tape.n),
    )
