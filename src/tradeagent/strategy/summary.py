"""A config in plain words: what it trades, how, with how much, and how it gets out."""

from __future__ import annotations

from dataclasses import dataclass

from tradeagent.strategy.bases import (
    ControllerConfigBase,
    DirectionalTradingBase,
    ExitsBase,
    MarketMakingBase,
)
from tradeagent.strategy.exchanges import facts_for, market_of
from tradeagent.strategy.exposure import MoneyAtRisk
from tradeagent.strategy.fields import TradeType
from tradeagent.strategy.formatting import duration, money, number, pct, quote_of
from tradeagent.strategy.models import (
    ArbitrageControllerConfig,
    BollinGridConfig,
    DManMakerV2Config,
    DManV3Config,
    GridStrikeConfig,
    IndicatorConfig,
    MACDBBV1Config,
    PMMDynamicConfig,
    SuperTrendV1Config,
)

STRATEGY_NAMES = {
    "dman_v3": "Bollinger DCA (D-Man v3)",
    "macd_bb_v1": "Bollinger + MACD",
    "supertrend_v1": "SuperTrend trend-following",
    "bollinger_v1": "Bollinger mean-reversion",
    "bollinger_v2": "Bollinger mean-reversion (TA-Lib)",
    "bollingrid": "Bollinger grid",
    "pmm_simple": "Market making",
    "pmm_dynamic": "Dynamic market making (MACD / NATR)",
    "dman_maker_v2": "DCA market making (D-Man Maker v2)",
    "grid_strike": "Grid",
    "arbitrage_controller": "Arbitrage",
}


@dataclass(frozen=True)
class Description:
    headline: str
    """``Bollinger mean-reversion on BTC-USD perpetual (Hyperliquid)``"""
    terms: str
    """``$500 over ≤ 2 positions per side · 1x · stop 2% · take profit 3% · 45 min limit``"""
    signal: str | None
    """How entries are decided, for indicator controllers."""


def market_label(connector: str, trading_pair: str) -> str:
    facts = facts_for(connector)
    kind = market_of(connector)
    venue = facts.venue if facts else connector
    return f"{trading_pair} {kind} ({venue})"


def describe(config: ControllerConfigBase) -> Description:
    name = STRATEGY_NAMES[config.controller_name]
    if isinstance(config, ArbitrageControllerConfig):
        leg1, leg2 = config.exchange_pair_1, config.exchange_pair_2
        quote = quote_of(leg1.trading_pair)
        return Description(
            f"Arbitrage {leg1.trading_pair} ({leg1.connector_name}) ⇄ "
            f"{leg2.trading_pair} ({leg2.connector_name})",
            f"{money(config.total_amount_quote, quote)} per arbitrage · min profit "
            f"{pct(config.min_profitability)} · {duration(config.delay_between_executors)} "
            "between trades",
            None,
        )
    connector, pair = config.connector, config.pair
    quote = quote_of(pair)
    if isinstance(config, GridStrikeConfig):
        side = "Long" if config.side is TradeType.BUY else "Short"
        name = f"{side} grid"
    headline = f"{name} on {market_label(connector, pair)}"
    return Description(headline, _terms(config, quote), _signal(config))


def _terms(config: ControllerConfigBase, quote: str) -> str:
    amount = money(config.total_amount_quote, quote)
    parts: list[str] = []
    if isinstance(config, DirectionalTradingBase):
        positions = config.max_executors_per_side
        unit = "position" if positions == 1 else "positions"
        parts.append(f"{amount} over ≤ {positions} {unit} per side")
        if isinstance(config, DManV3Config):
            parts.append(f"{len(config.dca_spreads)} DCA entries each")
    elif isinstance(config, MarketMakingBase):
        unit = "×NATR" if isinstance(config, PMMDynamicConfig) else ""
        buys = "/".join(_spread(s, unit) for s in config.buy_spreads) or "none"
        sells = "/".join(_spread(s, unit) for s in config.sell_spreads) or "none"
        parts.append(
            f"{amount} over {len(config.buy_spreads)} buy + {len(config.sell_spreads)} sell "
            f"levels (buy {buys}, sell {sells})"
        )
        if isinstance(config, DManMakerV2Config):
            parts.append(f"{len(config.dca_spreads)} DCA entries per level")
    elif isinstance(config, GridStrikeConfig):
        parts.append(
            f"{amount} between {number(config.start_price)} and {number(config.end_price)}, "
            f"stop at {number(config.limit_price)}"
        )
    leverage: int = getattr(config, "leverage", 1)
    parts.append(f"{leverage}x")
    if isinstance(config, ExitsBase):
        parts.extend(_exits(config))
        if isinstance(config, MarketMakingBase):
            parts.append(f"refresh {duration(config.executor_refresh_time)}")
    elif isinstance(config, GridStrikeConfig):
        barrier = config.triple_barrier_config
        if barrier.take_profit is not None:
            parts.append(f"take profit {pct(barrier.take_profit)} per level")
        parts.append(f"≤ {config.max_open_orders} open orders")
    return " · ".join(parts)


def _spread(value: float, unit: str) -> str:
    return f"{number(value)}{unit}" if unit else pct(value)


def _exits(config: ExitsBase) -> list[str]:
    parts = [
        f"stop {pct(config.stop_loss)}" if config.stop_loss is not None else "no stop loss",
    ]
    if config.take_profit is not None:
        parts.append(f"take profit {pct(config.take_profit)}")
    if config.time_limit is not None:
        parts.append(f"{duration(config.time_limit)} limit")
    if config.trailing_stop is not None:
        trailing = config.trailing_stop
        parts.append(f"trailing {pct(trailing.activation_price)}/{pct(trailing.trailing_delta)}")
    return parts


def _signal(config: ControllerConfigBase) -> str | None:
    if not isinstance(config, IndicatorConfig):
        return None
    source = ""
    if (config.candles_connector, config.candles_trading_pair) != (config.connector, config.pair):
        source = f" of {config.candles_trading_pair} on {config.candles_connector}"
    candles = f"{config.interval} candles{source}"
    if isinstance(config, SuperTrendV1Config):
        return (
            f"{candles} · SuperTrend({config.length}, {number(config.multiplier)}) · "
            f"enter within {pct(config.percentage_threshold)} of the line"
        )
    if isinstance(config, PMMDynamicConfig):
        return (
            f"{candles} · MACD({config.macd_fast}/{config.macd_slow}/{config.macd_signal}) "
            f"shifts the price · spreads × NATR({config.natr_length})"
        )
    text = (
        f"{candles} · BB({config.bb_length}, {number(config.bb_std)}) · long below %B "
        f"{number(config.bb_long_threshold)}, short above {number(config.bb_short_threshold)}"
    )
    if isinstance(config, MACDBBV1Config):
        text += f" · confirmed by MACD({config.macd_fast}/{config.macd_slow}/{config.macd_signal})"
    if isinstance(config, BollinGridConfig):
        text += " · opens a grid sized by the band width"
    return text


def risk_line(money_at_risk: MoneyAtRisk, quote: str) -> str:
    """``notional $500 per side · margin $500 · worst case if all stop out −$20.00 · fees ≈ …``"""
    parts = [f"notional {money(money_at_risk.notional_per_side, quote)} per side"]
    if money_at_risk.leverage > 1:
        parts.append(f"margin {money(money_at_risk.margin, quote)}")
    if money_at_risk.worst_case_loss is None:
        parts.append("worst case unbounded (no stop)")
    else:
        loss = money(-money_at_risk.worst_case_loss, quote, signed=True)
        parts.append(f"worst case if all stop out {loss}")
    parts.append(
        f"fees ≈ {money(money_at_risk.fees, quote)} ({pct(money_at_risk.fee_rate)} round trip)"
    )
    return " · ".join(parts)
