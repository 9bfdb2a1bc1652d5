"""Money at risk: how much a config puts in the market, and what it loses if every stop is hit.

The figures follow how Hummingbot sizes executors: ``total_amount_quote`` is position value (not
margin), split over ``max_executors_per_side`` for directional controllers, over the levels for
market making, and over the DCA entries for DCA executors. Losses are before slippage.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tradeagent.strategy.bases import (
    ControllerConfigBase,
    DirectionalTradingBase,
    MarketMakingBase,
)
from tradeagent.strategy.exchanges import DEFAULT_FEE, facts_for
from tradeagent.strategy.fields import TradeType
from tradeagent.strategy.models import (
    ArbitrageControllerConfig,
    BollinGridConfig,
    DManMakerV2Config,
    DManV3Config,
    GridStrikeConfig,
)


@dataclass(frozen=True)
class MoneyAtRisk:
    notional_per_side: Decimal
    """Value of all positions one side (long or short) can hold at once."""
    gross_notional: Decimal
    """Value of everything that can be open at once, both sides."""
    leverage: int
    margin: Decimal
    """Collateral the open positions tie up (gross notional / leverage)."""
    max_positions: int
    """Executors that can be open at once."""
    stop: Decimal | None
    """Adverse price move (fraction) that closes a position; None when nothing bounds the loss."""
    worst_case_loss: Decimal | None
    """Loss if every position opens and hits its stop, before fees; None when unbounded."""
    fee_rate: Decimal
    """Entry + exit fee rate of one round trip."""
    fees: Decimal
    """Fees of one round trip of the gross notional."""
    orders: tuple[Decimal, ...]
    """Quote value of each order one executor places (what exchange minimums apply to)."""
    fee_source: str
    notes: tuple[str, ...] = ()

    @property
    def smallest_order(self) -> Decimal:
        return min(self.orders)


def _fees(connector: str) -> tuple[Decimal, Decimal, str]:
    facts = facts_for(connector)
    if facts is None:
        return DEFAULT_FEE, DEFAULT_FEE, f"{DEFAULT_FEE:%} assumed (no fee facts for {connector})"
    return facts.maker_fee, facts.taker_fee, facts.source("fees")


def _split(total: Decimal, weights: tuple[Decimal, ...] | None, count: int) -> list[Decimal]:
    if count == 0:
        return []
    parts = list(weights) if weights else [Decimal(1)] * count
    weight_sum = sum(parts)
    return [total * part / weight_sum for part in parts]


def money_at_risk(config: ControllerConfigBase) -> MoneyAtRisk:
    """The money-at-risk figures of any stock controller config."""
    if isinstance(config, DirectionalTradingBase):
        return _directional(config)
    if isinstance(config, MarketMakingBase):
        return _market_making(config)
    if isinstance(config, GridStrikeConfig):
        return _grid(config)
    if isinstance(config, ArbitrageControllerConfig):
        return _arbitrage(config)
    raise TypeError(f"no money-at-risk model for {type(config).__name__}")


def _directional(config: DirectionalTradingBase) -> MoneyAtRisk:
    maker, taker, source = _fees(config.connector_name)
    per_side = config.total_amount_quote
    per_position = per_side / config.max_executors_per_side
    gross = per_side * 2
    notes: list[str] = []
    entry_fee = taker  # position executors open with a market order
    orders = [per_position]
    stop = config.stop_loss
    if isinstance(config, DManV3Config):
        entry_fee = maker  # DCA executors place maker limit entries
        orders = _split(per_position, config.dca_amounts_pct, len(config.dca_spreads))
        if config.dynamic_target:
            notes.append("stop and trailing stop scale with the Bollinger band width")
            stop = None
    elif isinstance(config, BollinGridConfig):
        entry_fee = maker
        orders = [config.min_order_amount_quote]
        notes.append("each signal opens a grid whose stop depends on the band width")
    notes.append("longs and shorts may be open together (each side counted)")
    return _result(
        config.leverage,
        per_side,
        gross,
        2 * config.max_executors_per_side,
        stop,
        entry_fee + taker,
        orders,
        source,
        notes,
    )


def _market_making(config: MarketMakingBase) -> MoneyAtRisk:
    maker, taker, source = _fees(config.connector_name)
    buy_weights = config.buy_amounts_pct or tuple(Decimal(1) for _ in config.buy_spreads)
    sell_weights = config.sell_amounts_pct or tuple(Decimal(1) for _ in config.sell_spreads)
    weight_sum = sum(buy_weights) + sum(sell_weights)
    total = config.total_amount_quote
    buy = [total * w / weight_sum for w in buy_weights]
    sell = [total * w / weight_sum for w in sell_weights]
    levels = [amount for amount in buy + sell if amount > 0]
    orders = levels
    if isinstance(config, DManMakerV2Config):
        orders = [
            part
            for level in levels
            for part in _split(level, config.dca_amounts, len(config.dca_spreads))
        ]
    notes = ["a stop closes at market; entries are maker limit orders"]
    return _result(
        config.leverage,
        max(sum(buy, Decimal(0)), sum(sell, Decimal(0))),
        total,
        len(levels),
        config.stop_loss,
        maker + taker,
        orders,
        source,
        notes,
    )


def _grid(config: GridStrikeConfig) -> MoneyAtRisk:
    maker, taker, source = _fees(config.connector_name)
    total = config.total_amount_quote
    # If the whole grid fills, the average entry is about the middle of the grid; the grid
    # closes at market when price reaches limit_price.
    middle = (config.start_price + config.end_price) / 2
    if config.side is TradeType.BUY:
        stop = (middle - config.limit_price) / middle
    else:
        stop = (config.limit_price - middle) / middle
    notes = ["worst case: the whole grid fills, then price reaches limit_price"]
    stop_or_none: Decimal | None = stop
    if config.keep_position:
        notes.append("keep_position: the inventory is not closed at the limit, loss is open")
        stop_or_none = None
    order = config.min_order_amount_quote or total
    return _result(
        config.leverage,
        total,
        total,
        config.max_open_orders,
        stop_or_none,
        maker + taker,
        [order],
        source,
        notes,
    )


def _arbitrage(config: ArbitrageControllerConfig) -> MoneyAtRisk:
    _, taker_1, source = _fees(config.exchange_pair_1.connector_name)
    _, taker_2, _ = _fees(config.exchange_pair_2.connector_name)
    total = config.total_amount_quote
    notes = [
        "no stop: the risk is one leg filling without the other",
        "each arbitrage buys on one venue and sells on the other",
    ]
    return _result(1, total, total * 2, 2, None, taker_1 + taker_2, [total], source, notes)


def _result(
    leverage: int,
    per_side: Decimal,
    gross: Decimal,
    positions: int,
    stop: Decimal | None,
    fee_rate: Decimal,
    orders: list[Decimal],
    fee_source: str,
    notes: list[str],
) -> MoneyAtRisk:
    return MoneyAtRisk(
        notional_per_side=per_side,
        gross_notional=gross,
        leverage=leverage,
        margin=gross / leverage,
        max_positions=positions,
        stop=stop,
        worst_case_loss=None if stop is None else gross * min(stop, Decimal(1)),
        fee_rate=fee_rate,
        fees=gross * fee_rate,
        orders=tuple(orders) or (per_side,),
        fee_source=fee_source,
        notes=tuple(notes),
    )
