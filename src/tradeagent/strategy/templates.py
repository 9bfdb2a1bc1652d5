"""Starting points: a handful of questions (connector, pair, amount, leverage, risk level) in,
a valid config with sensible, exchange-aware defaults out.

Exchange-aware means: ONEWAY on venues that only net positions (Hyperliquid), leverage 1 on spot
and never above the venue's cap, candle intervals the venue serves, mainnet candles for testnets,
and as few levels / positions as it takes for every order to clear the minimum order size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from tradeagent.strategy.errors import ConfigError, Problem
from tradeagent.strategy.exchanges import ExchangeFacts, facts_for, market_of
from tradeagent.strategy.exposure import money_at_risk
from tradeagent.strategy.fields import PositionMode
from tradeagent.strategy.models import (
    ControllerConfig,
)
from tradeagent.strategy.parsing import parse_config

RiskLevel = Literal["low", "medium", "high"]
RISK_LEVELS: tuple[RiskLevel, ...] = ("low", "medium", "high")


@dataclass(frozen=True)
class TemplateInputs:
    connector: str
    trading_pair: str
    amount: Decimal
    leverage: int | None = None
    """None: the template's default for the risk level, capped by the exchange."""
    risk: RiskLevel = "medium"
    config_id: str | None = None
    price: Decimal | None = None
    """Current price; only grid templates need it (to place the grid)."""


@dataclass(frozen=True)
class _Exits:
    stop_loss: Decimal
    take_profit: Decimal
    time_limit: int
    executors: int
    cooldown: int
    leverage: int


_EXITS: dict[RiskLevel, _Exits] = {
    "low": _Exits(Decimal("0.015"), Decimal("0.02"), 6 * 3600, 1, 900, 1),
    "medium": _Exits(Decimal("0.025"), Decimal("0.035"), 12 * 3600, 2, 600, 2),
    "high": _Exits(Decimal("0.04"), Decimal("0.06"), 24 * 3600, 3, 300, 3),
}

Builder = Callable[[TemplateInputs, _Exits], dict[str, Any]]


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    controller_name: str
    description: str
    build: Builder = field(repr=False)
    note: str | None = None
    """An honest caveat shown with the template."""
    needs_price: bool = False


def _directional(
    interval: str, *, bb: tuple[int, float] | None = (100, 2.0), **extra: Any
) -> Builder:
    def build(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
        data: dict[str, Any] = {
            "stop_loss": exits.stop_loss,
            "take_profit": exits.take_profit,
            "time_limit": exits.time_limit,
            "max_executors_per_side": exits.executors,
            "cooldown_time": exits.cooldown,
            "trailing_stop": {
                "activation_price": exits.take_profit * Decimal("0.6"),
                "trailing_delta": exits.take_profit * Decimal("0.2"),
            },
            "interval": interval,
        }
        if bb is not None:
            data |= {"bb_length": bb[0], "bb_std": bb[1]}
        return data | extra

    return build


def _scalping(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    tight = exits.stop_loss / 5
    return {
        "interval": "1m",
        "bb_length": 20,
        "bb_std": 2.0,
        "macd_fast": 12,
        "macd_slow": 26,
        "macd_signal": 9,
        "stop_loss": tight,
        "take_profit": tight * Decimal("1.5"),
        "time_limit": 15 * 60,
        "max_executors_per_side": exits.executors + 1,
        "cooldown_time": 60,
        "trailing_stop": None,
    }


_SPREADS: dict[RiskLevel, tuple[float, float]] = {
    "low": (0.004, 0.008),
    "medium": (0.002, 0.004),
    "high": (0.001, 0.002),
}


def _market_making(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    spreads = list(_SPREADS[inputs.risk])
    return {
        "buy_spreads": spreads,
        "sell_spreads": spreads,
        "buy_amounts_pct": None,
        "sell_amounts_pct": None,
        "executor_refresh_time": 60,
        "cooldown_time": 15,
        "stop_loss": exits.stop_loss / 2,
        "take_profit": Decimal(str(spreads[0])) * Decimal("1.5"),
        "time_limit": 3600,
        "take_profit_order_type": "LIMIT_MAKER",
        "trailing_stop": None,
        "skip_rebalance": market_of(inputs.connector) == "perpetual",
    }


def _pmm_dynamic(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    multiples = {"low": [1.5, 3.0], "medium": [1.0, 2.0], "high": [0.5, 1.0]}[inputs.risk]
    return _market_making(inputs, exits) | {
        "buy_spreads": multiples,
        "sell_spreads": multiples,
        "take_profit": exits.take_profit / 4,
        "interval": "3m",
        "natr_length": 14,
    }


def _dman_maker(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    return _market_making(inputs, exits) | {
        "buy_spreads": [0.005],
        "sell_spreads": [0.005],
        "dca_spreads": [0.0, 0.01, 0.02],
        "dca_amounts": [1, 1, 2],
        "stop_loss": exits.stop_loss,
        "take_profit": exits.take_profit / 2,
        "time_limit": exits.time_limit,
        "executor_refresh_time": 300,
        "take_profit_order_type": "LIMIT",
    }


def _dman_v3(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    return _directional("15m")(inputs, exits) | {
        "max_executors_per_side": 1,
        "dca_spreads": [0.0, 0.01, 0.02],
        "dca_amounts_pct": [1, 1, 2],
        "dynamic_order_spread": False,
        "dynamic_target": False,
        "stop_loss": exits.stop_loss * 2,
    }


def _bollingrid(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    return _directional("15m")(inputs, exits) | {
        "max_executors_per_side": 1,
        "min_order_amount_quote": _min_order(inputs.connector),
        "max_open_orders": 3,
    }


_GRID_WIDTH: dict[RiskLevel, tuple[Decimal, Decimal]] = {
    # (half-width of the grid, stop distance below/above it) as fractions of the price
    "low": (Decimal("0.03"), Decimal("0.02")),
    "medium": (Decimal("0.05"), Decimal("0.03")),
    "high": (Decimal("0.06"), Decimal("0.03")),
}


def _grid(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    price = inputs.price
    assert price is not None  # checked by build_template
    width, stop = _GRID_WIDTH[inputs.risk]
    start = _five_figures(price * (1 - width))
    end = _five_figures(price * (1 + width))
    return {
        "side": 1,
        "start_price": start,
        "end_price": end,
        "limit_price": _five_figures(start * (1 - stop)),
        "min_spread_between_orders": Decimal("0.002"),
        "min_order_amount_quote": _min_order(inputs.connector),
        "max_open_orders": 3,
        "max_orders_per_batch": 1,
        "order_frequency": 3,
        "activation_bounds": Decimal("0.01"),
        "keep_position": False,
        "triple_barrier_config": {
            "stop_loss": None,
            "take_profit": Decimal("0.002"),
            "time_limit": None,
            "trailing_stop": None,
            "open_order_type": 3,
            "take_profit_order_type": 3,
            "stop_loss_order_type": 1,
            "time_limit_order_type": 1,
        },
    }


def _arbitrage(inputs: TemplateInputs, exits: _Exits) -> dict[str, Any]:
    base = inputs.trading_pair.split("-", 1)[0]
    other = "okx" if inputs.connector == "binance" else "binance"
    return {
        "exchange_pair_1": {
            "connector_name": inputs.connector,
            "trading_pair": inputs.trading_pair,
        },
        "exchange_pair_2": {"connector_name": other, "trading_pair": f"{base}-USDT"},
        "min_profitability": {"low": "0.006", "medium": "0.004", "high": "0.002"}[inputs.risk],
        "delay_between_executors": 10,
        "max_executors_imbalance": 1,
        "rate_connector": "binance",
        "quote_conversion_asset": "USDT",
    }


_HONEST_RSI = (
    "No stock Hummingbot controller computes RSI. This runs bollinger_v1, whose %B is an "
    "oscillator read the same way: buy when oversold (below the lower band), sell when "
    "overbought. A real RSI controller is a later feature."
)

TEMPLATES: dict[str, Template] = {
    template.key: template
    for template in (
        Template(
            "rsi_style",
            "Directional, RSI-style (on bollinger_v1)",
            "bollinger_v1",
            "Mean reversion on an oscillator: long when oversold, short when overbought.",
            _directional("15m", bb=(20, 2.0)),
            note=_HONEST_RSI,
        ),
        Template(
            "market_making",
            "Market making",
            "pmm_simple",
            "Two quotes a side around the mid price, taken in by maker take-profits.",
            _market_making,
        ),
        Template(
            "conservative",
            "Conservative",
            "bollinger_v1",
            "Slow mean reversion on 1 h candles, one position a side, tight stop, 1x.",
            lambda inputs, exits: (
                _directional("1h", bb=(100, 2.5))(inputs, exits)
                | {"max_executors_per_side": 1, "stop_loss": min(exits.stop_loss, Decimal("0.02"))}
            ),
        ),
        Template(
            "scalping",
            "Aggressive scalping",
            "macd_bb_v1",
            "1 m candles, small targets, several positions, 15 min limit. Fees matter here.",
            _scalping,
            note="Targets are small: fees and slippage eat a large share of each win.",
        ),
        Template(
            "dman_v3",
            "Bollinger DCA (dman_v3)",
            "dman_v3",
            "Bollinger signal opening three maker DCA entries.",
            _dman_v3,
        ),
        Template(
            "macd_bb_v1",
            "Bollinger + MACD (macd_bb_v1)",
            "macd_bb_v1",
            "Bollinger %B signal confirmed by MACD.",
            _directional("5m", macd_fast=21, macd_slow=42, macd_signal=9),
        ),
        Template(
            "supertrend_v1",
            "SuperTrend trend-following (supertrend_v1)",
            "supertrend_v1",
            "Follows the SuperTrend direction, entering near the line.",
            _directional("1h", bb=None, length=20, multiplier=4.0, percentage_threshold=0.01),
        ),
        Template(
            "bollinger_v1",
            "Bollinger mean-reversion (bollinger_v1)",
            "bollinger_v1",
            "Long below the lower band, short above the upper band.",
            _directional("5m"),
        ),
        Template(
            "bollinger_v2",
            "Bollinger mean-reversion, TA-Lib (bollinger_v2)",
            "bollinger_v2",
            "bollinger_v1's signal computed with TA-Lib (the bot image needs TA-Lib).",
            _directional("15m", bb=(50, 2.0)),
        ),
        Template(
            "bollingrid",
            "Bollinger grid (bollingrid)",
            "bollingrid",
            "A Bollinger signal opens a grid sized by the band width.",
            _bollingrid,
        ),
        Template(
            "pmm_simple",
            "Pure market making (pmm_simple)",
            "pmm_simple",
            "Fixed spreads around the mid price.",
            _market_making,
        ),
        Template(
            "pmm_dynamic",
            "Dynamic market making (pmm_dynamic)",
            "pmm_dynamic",
            "Spreads in multiples of NATR around a MACD-shifted price.",
            _pmm_dynamic,
        ),
        Template(
            "dman_maker_v2",
            "DCA market making (dman_maker_v2)",
            "dman_maker_v2",
            "Each quote level is a three-entry DCA.",
            _dman_maker,
        ),
        Template(
            "grid_strike",
            "Long grid (grid_strike)",
            "grid_strike",
            "One long grid around the current price, stopped below it.",
            _grid,
            needs_price=True,
        ),
        Template(
            "arbitrage_controller",
            "Arbitrage (arbitrage_controller)",
            "arbitrage_controller",
            "Buys on one venue and sells on another when the gap pays.",
            _arbitrage,
            note="The second leg defaults to Binance (or OKX) spot in USDT: check it.",
        ),
    )
}


def build_template(key: str, inputs: TemplateInputs) -> ControllerConfig:
    """A validated config from a template. Raises :class:`ConfigError` on bad inputs."""
    template = TEMPLATES.get(key)
    if template is None:
        raise ConfigError(
            [Problem("template", "unknown template", value=key, allowed=", ".join(TEMPLATES))]
        )
    if template.needs_price and (inputs.price is None or inputs.price <= 0):
        raise ConfigError(
            [
                Problem(
                    "price",
                    f"the {template.title} template needs the current price to place the grid",
                    allowed="> 0",
                )
            ]
        )
    if inputs.amount <= 0:
        raise ConfigError([Problem("amount", "must be more than 0", value=str(inputs.amount))])
    exits = _EXITS[inputs.risk]
    facts = facts_for(inputs.connector)
    data: dict[str, Any] = {
        "id": inputs.config_id or default_id(key, inputs.trading_pair, inputs.connector),
        "controller_name": template.controller_name,
        "total_amount_quote": inputs.amount,
    }
    if template.controller_name != "arbitrage_controller":
        data |= {
            "connector_name": inputs.connector,
            "trading_pair": inputs.trading_pair,
            "leverage": _leverage(inputs, exits, facts),
            "position_mode": _position_mode(facts),
        }
    data |= template.build(inputs, exits)
    if "interval" in data:
        data |= _candles(inputs, data["interval"], facts)
    return _fit_minimum_orders(parse_config(data), facts)


def default_id(key: str, trading_pair: str, connector: str) -> str:
    base = trading_pair.split("-", 1)[0].split(":")[-1]
    venue = connector.split("_", 1)[0]
    return re.sub(r"[^a-z0-9_-]", "", f"{key}_{base}_{venue}".lower())[:100]


def _leverage(inputs: TemplateInputs, exits: _Exits, facts: ExchangeFacts | None) -> int:
    if market_of(inputs.connector) == "spot":
        return 1
    wanted = inputs.leverage if inputs.leverage is not None else exits.leverage
    cap = facts.leverage_cap(inputs.trading_pair) if facts else None
    return max(1, min(wanted, cap) if cap is not None else wanted)


def _position_mode(facts: ExchangeFacts | None) -> PositionMode:
    if facts is None or not facts.position_modes or PositionMode.ONEWAY in facts.position_modes:
        return PositionMode.ONEWAY
    return facts.position_modes[0]


def _candles(inputs: TemplateInputs, interval: str, facts: ExchangeFacts | None) -> dict[str, str]:
    if facts is not None and interval not in facts.candle_intervals:
        interval = "15m" if "15m" in facts.candle_intervals else sorted(facts.candle_intervals)[0]
    return {
        "candles_connector": facts.candles_connector if facts else inputs.connector,
        "candles_trading_pair": inputs.trading_pair,
        "interval": interval,
    }


def _min_order(connector: str) -> Decimal:
    facts = facts_for(connector)
    if facts is None or facts.min_order_notional is None:
        return Decimal(10)
    return (facts.min_order_notional * facts.min_notional_margin * Decimal("1.05")).quantize(
        Decimal(1)
    )


def _five_figures(price: Decimal) -> Decimal:
    """Hyperliquid (and most venues) accept prices with 5 significant figures."""
    exponent = price.adjusted() - 4
    return price.quantize(Decimal(1).scaleb(exponent)).normalize()


def _fit_minimum_orders(config: ControllerConfig, facts: ExchangeFacts | None) -> ControllerConfig:
    """Fewer positions / levels until every order clears the venue's minimum (if it can)."""
    if facts is None or facts.min_order_notional is None:
        return config
    needed = facts.min_order_notional * facts.min_notional_margin
    for _ in range(8):
        if money_at_risk(config).smallest_order >= needed:
            return config
        fewer = _fewer_orders(config)
        if fewer is None:
            return config
        config = parse_config(fewer)
    return config


def _fewer_orders(config: ControllerConfig) -> dict[str, Any] | None:
    data = {name: getattr(config, name) for name in type(config).model_fields}
    if data.get("max_executors_per_side", 1) > 1:
        data["max_executors_per_side"] -= 1
        return data
    for name in ("dca_spreads",):
        if len(data.get(name) or ()) > 1:
            data[name] = data[name][:-1]
            for amounts in ("dca_amounts", "dca_amounts_pct"):
                if data.get(amounts):
                    data[amounts] = data[amounts][:-1]
            return data
    for side in ("buy", "sell"):
        if len(data.get(f"{side}_spreads") or ()) > 1:
            data[f"{side}_spreads"] = data[f"{side}_spreads"][:1]
            if data.get(f"{side}_amounts_pct"):
                data[f"{side}_amounts_pct"] = data[f"{side}_amounts_pct"][:1]
            return data
    return None
