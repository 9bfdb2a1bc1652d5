"""Pydantic models of Hummingbot's V2 controller configs, one class per stock controller.

Field names, defaults and accepted inputs follow the config classes that hummingbot-api mounts into
bot containers (see ``tests/data/controller-schemas.json``). Like Hummingbot, unknown keys are
rejected. On top of Hummingbot's own rules, values that would load but make a bot misbehave
(negative amounts, a grid whose stop is inside the grid, amounts that do not match the spreads)
are rejected here, with the field to blame.

Models are frozen: change a config with :func:`tradeagent.strategy.with_changes`, which validates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from tradeagent.strategy.bases import (
    BollingerMixin,
    CandlesMixin,
    ControllerConfigBase,
    DirectionalTradingBase,
    MacdMixin,
    MarketMakingBase,
    TradedMarket,
)
from tradeagent.strategy.errors import FieldValueError
from tradeagent.strategy.fields import (
    Asset,
    ConnectorName,
    Dec,
    Flt,
    Int,
    OrderType,
    PositionMode,
    TradeType,
    TradingPair,
    parse_enum_value,
    parse_position_mode_exact,
    split_csv,
)
from tradeagent.strategy.parts import ConnectorPair, TrailingStop, TripleBarrier, hot


def _check_dca(
    spreads: tuple[Decimal, ...], amounts: tuple[Decimal, ...] | None, names: tuple[str, str]
) -> None:
    spreads_name, amounts_name = names
    if not spreads:
        raise FieldValueError(spreads_name, "needs at least one DCA level")
    for index, spread in enumerate(spreads):
        if spread < 0:
            raise FieldValueError(
                f"{spreads_name}[{index}]", "a spread cannot be negative", allowed=">= 0"
            )
    if amounts is None:
        return
    if len(amounts) != len(spreads):
        raise FieldValueError(
            amounts_name,
            f"has {len(amounts)} values but {spreads_name} has {len(spreads)} levels",
            allowed=f"exactly {len(spreads)} values",
        )
    if any(amount < 0 for amount in amounts) or sum(amounts) <= 0:
        raise FieldValueError(amounts_name, "amounts must be >= 0 and not all zero")


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return split_csv(value)


# --------------------------------------------------------------------------- directional


class DManV3Config(DirectionalTradingBase, CandlesMixin, BollingerMixin):
    """Bollinger %B signal that opens a DCA executor (several limit entries)."""

    controller_name: Literal["dman_v3"] = "dman_v3"
    trailing_stop: TrailingStop | None = Field(
        default=TrailingStop(activation_price=Decimal("0.015"), trailing_delta=Decimal("0.005")),
        description="Trailing stop {activation_price, trailing_delta}; null disables.",
    )
    dca_spreads: tuple[Dec, ...] = Field(
        default=(Decimal("0.001"), Decimal("0.018"), Decimal("0.15"), Decimal("0.25")),
        description="Distance of each DCA entry from the signal price (fraction, or multiple of "
        "the band width when dynamic_order_spread).",
    )
    dca_amounts_pct: tuple[Dec, ...] | None = Field(
        default=None, description="Relative size of each DCA entry; null splits equally."
    )
    dynamic_order_spread: bool = Field(
        default=False, description="dca_spreads are multiples of the Bollinger band width."
    )
    dynamic_target: bool = Field(
        default=False, description="Stop loss and trailing stop scale with the band width."
    )
    activation_bounds: tuple[Dec, ...] | None = Field(
        default=None, description="Place a DCA order only within this fraction of its price."
    )

    @field_validator("dca_spreads", mode="before")
    @classmethod
    def _spreads(cls, value: Any) -> Any:
        return split_csv(value)

    @field_validator("dca_amounts_pct", "activation_bounds", mode="before")
    @classmethod
    def _optional_lists(cls, value: Any) -> Any:
        return _empty_to_none(value)

    @model_validator(mode="after")
    def _dca(self) -> DManV3Config:
        _check_dca(self.dca_spreads, self.dca_amounts_pct, ("dca_spreads", "dca_amounts_pct"))
        return self


class MACDBBV1Config(DirectionalTradingBase, CandlesMixin, BollingerMixin, MacdMixin):
    """Bollinger %B signal confirmed by the MACD histogram; one position per signal."""

    controller_name: Literal["macd_bb_v1"] = "macd_bb_v1"


class SuperTrendV1Config(DirectionalTradingBase, CandlesMixin):
    """SuperTrend direction, taken only near the SuperTrend line."""

    controller_name: Literal["supertrend_v1"] = "supertrend_v1"
    length: Int = Field(default=20, ge=1, description="SuperTrend ATR length.")
    multiplier: Flt = Field(default=4.0, gt=0, description="SuperTrend ATR multiplier.")
    percentage_threshold: Flt = Field(
        default=0.01, gt=0, description="Max distance of price from the line (fraction)."
    )


class BollingerV1Config(DirectionalTradingBase, CandlesMixin, BollingerMixin):
    """Bollinger mean reversion: long below the lower threshold, short above the upper one."""

    controller_name: Literal["bollinger_v1"] = "bollinger_v1"


class BollingerV2Config(DirectionalTradingBase, CandlesMixin, BollingerMixin):
    """bollinger_v1's signal computed with TA-Lib."""

    controller_name: Literal["bollinger_v2"] = "bollinger_v2"


class BollinGridConfig(DirectionalTradingBase, CandlesMixin, BollingerMixin):
    """Bollinger signal that opens a grid sized by the band width."""

    controller_name: Literal["bollingrid"] = "bollingrid"
    grid_start_price_coefficient: Flt = Field(
        default=0.25, ge=0, description="Grid start = band price -/+ this multiple of the width."
    )
    grid_end_price_coefficient: Flt = Field(
        default=0.75, ge=0, description="Grid end = band price +/- this multiple of the width."
    )
    grid_limit_price_coefficient: Flt = Field(
        default=0.35, ge=0, description="Grid stop = this multiple of the width beyond the start."
    )
    min_spread_between_orders: Dec = Field(
        default=Decimal("0.005"), gt=0, description="Min distance between grid levels (fraction)."
    )
    order_frequency: Int = Field(default=2, ge=0, description="Seconds between order batches.")
    max_orders_per_batch: Int = Field(default=1, ge=1, description="Max orders per batch.")
    min_order_amount_quote: Dec = Field(
        default=Decimal(6), gt=0, description="Min size of one grid order (quote)."
    )
    max_open_orders: Int = Field(default=5, ge=1, description="Max grid orders open at once.")

    @model_validator(mode="after")
    def _grid(self) -> BollinGridConfig:
        if self.grid_limit_price_coefficient <= self.grid_start_price_coefficient:
            raise FieldValueError(
                "grid_limit_price_coefficient",
                "the grid's stop must lie beyond its start, or the grid stops as it opens",
                allowed=f"> grid_start_price_coefficient ({self.grid_start_price_coefficient})",
            )
        return self


# --------------------------------------------------------------------------- market making


class PMMSimpleConfig(MarketMakingBase):
    """Pure market making around the mid price with fixed spreads."""

    controller_name: Literal["pmm_simple"] = "pmm_simple"


class PMMDynamicConfig(MarketMakingBase, CandlesMixin, MacdMixin):
    """Market making around a MACD-shifted price; spreads are multiples of NATR."""

    controller_name: Literal["pmm_dynamic"] = "pmm_dynamic"
    buy_spreads: tuple[Flt, ...] = hot(
        "Distance of each buy level, in multiples of NATR.", default=(1.0, 2.0, 4.0)
    )
    sell_spreads: tuple[Flt, ...] = hot(
        "Distance of each sell level, in multiples of NATR.", default=(1.0, 2.0, 4.0)
    )
    natr_length: Int = Field(default=14, ge=1, description="NATR length; spreads multiply NATR.")


class DManMakerV2Config(MarketMakingBase):
    """Market making where each level is a DCA executor."""

    controller_name: Literal["dman_maker_v2"] = "dman_maker_v2"
    dca_spreads: tuple[Dec, ...] = Field(
        default=(Decimal("0.01"), Decimal("0.02"), Decimal("0.04"), Decimal("0.08")),
        description="Distance of each DCA entry of a level (fraction).",
    )
    dca_amounts: tuple[Dec, ...] = Field(
        default=(Decimal("0.1"), Decimal("0.2"), Decimal("0.4"), Decimal("0.8")),
        description="Relative size of each DCA entry of a level.",
    )
    top_executor_refresh_time: Flt | None = hot(
        "Seconds before the nearest level is refreshed; null disables.", default=None, gt=0
    )
    executor_activation_bounds: tuple[Dec, ...] | None = hot(
        "Place a DCA order only within this fraction of its price; null places all.",
        default=None,
    )

    @model_validator(mode="before")
    @classmethod
    def _default_amounts(cls, data: Any) -> Any:
        # Hummingbot fills an empty dca_amounts with 1 per spread.
        if isinstance(data, dict) and data.get("dca_amounts", "missing") in (None, ""):
            spreads = split_csv(data.get("dca_spreads"))
            count = len(spreads) if isinstance(spreads, list | tuple) else 0
            return {**data, "dca_amounts": [1] * count}
        return data

    @field_validator("dca_spreads", mode="before")
    @classmethod
    def _spreads(cls, value: Any) -> Any:
        return [] if value is None else split_csv(value)

    @field_validator("dca_amounts", mode="before")
    @classmethod
    def _dca_amounts(cls, value: Any) -> Any:
        return split_csv(value)

    @field_validator("executor_activation_bounds", mode="before")
    @classmethod
    def _bounds(cls, value: Any) -> Any:
        return _empty_to_none(value)

    @model_validator(mode="after")
    def _dca(self) -> DManMakerV2Config:
        _check_dca(self.dca_spreads, self.dca_amounts, ("dca_spreads", "dca_amounts"))
        return self


# --------------------------------------------------------------------------- generic


class GridStrikeConfig(ControllerConfigBase):
    """One grid between start_price and end_price, stopped at limit_price."""

    KIND = "grid"
    controller_name: Literal["grid_strike"] = "grid_strike"
    controller_type: Literal["generic"] = "generic"
    total_amount_quote: Dec = hot(
        "Capital allocated to the grid (quote).", default=Decimal(1000), gt=0
    )
    leverage: Int = Field(default=20, ge=1, description="Leverage set at start; 1 for spot.")
    position_mode: PositionMode = Field(
        default=PositionMode.HEDGE, description="HEDGE or ONEWAY, in capitals."
    )
    connector_name: ConnectorName = Field(default="okx", description="Exchange connector.")
    trading_pair: TradingPair = Field(default="WLD-USDT", description="Market as BASE-QUOTE.")
    side: TradeType = Field(
        default=TradeType.BUY, description="Grid direction as a number: 1 = BUY, 2 = SELL."
    )
    start_price: Dec = hot("Lower bound of the grid.", default=Decimal("0.38"), gt=0)
    end_price: Dec = hot("Upper bound of the grid.", default=Decimal("0.75"), gt=0)
    limit_price: Dec = hot(
        "Stop price: below start for BUY grids, above end for SELL grids.",
        default=Decimal("0.35"),
        gt=0,
    )
    min_spread_between_orders: Dec | None = hot(
        "Min distance between grid levels (fraction).", default=Decimal("0.001"), gt=0
    )
    min_order_amount_quote: Dec | None = hot(
        "Min size of one grid order (quote).", default=Decimal(5), gt=0
    )
    max_open_orders: Int = hot("Max grid orders open at once.", default=2, ge=1)
    max_orders_per_batch: Int | None = hot("Max grid orders per batch.", default=1, ge=1)
    order_frequency: Int = hot("Seconds between order batches.", default=3, ge=0)
    activation_bounds: Dec | None = hot(
        "Keep only orders within this fraction of the price open; null keeps all.",
        default=None,
        gt=0,
    )
    keep_position: bool = hot("Keep the inventory when the grid stops.", default=False)
    triple_barrier_config: TripleBarrier = Field(
        default=TripleBarrier(
            take_profit=Decimal("0.001"),
            open_order_type=OrderType.LIMIT_MAKER,
            take_profit_order_type=OrderType.LIMIT_MAKER,
        ),
        description="Per-level exits; order types as numbers (1 MARKET, 2 LIMIT, 3 LIMIT_MAKER).",
    )

    def markets(self) -> tuple[TradedMarket, ...]:
        return (TradedMarket(self.connector_name, self.trading_pair),)

    @field_validator("side", mode="before")
    @classmethod
    def _side(cls, value: Any) -> Any:
        return parse_enum_value(TradeType, value)

    @field_validator("position_mode", mode="before")
    @classmethod
    def _position_mode(cls, value: Any) -> Any:
        return parse_position_mode_exact(value)

    @model_validator(mode="after")
    def _prices(self) -> GridStrikeConfig:
        if self.start_price >= self.end_price:
            raise FieldValueError(
                "start_price",
                f"the grid's start ({self.start_price}) must be below its end ({self.end_price})",
                allowed=f"< end_price ({self.end_price})",
            )
        if self.side is TradeType.BUY and self.limit_price >= self.start_price:
            raise FieldValueError(
                "limit_price",
                "a BUY grid stops below its start price; this limit is inside or above the grid",
                allowed=f"< start_price ({self.start_price})",
            )
        if self.side is TradeType.SELL and self.limit_price <= self.end_price:
            raise FieldValueError(
                "limit_price",
                "a SELL grid stops above its end price; this limit is inside or below the grid",
                allowed=f"> end_price ({self.end_price})",
            )
        if (
            self.min_order_amount_quote is not None
            and self.min_order_amount_quote > self.total_amount_quote
        ):
            raise FieldValueError(
                "min_order_amount_quote",
                "one grid order would be larger than the whole grid",
                allowed=f"<= total_amount_quote ({self.total_amount_quote})",
            )
        return self


class ArbitrageControllerConfig(ControllerConfigBase):
    """Arbitrage between two connector / pair legs."""

    KIND = "arbitrage"
    controller_name: Literal["arbitrage_controller"] = "arbitrage_controller"
    controller_type: Literal["generic"] = "generic"
    exchange_pair_1: ConnectorPair = Field(
        default=ConnectorPair(connector_name="binance", trading_pair="SOL-USDT"),
        description="First leg {connector_name, trading_pair}.",
    )
    exchange_pair_2: ConnectorPair = Field(
        default=ConnectorPair(connector_name="jupiter/router", trading_pair="SOL-USDC"),
        description="Second leg {connector_name, trading_pair}.",
    )
    min_profitability: Dec = Field(
        default=Decimal("0.01"), ge=0, lt=1, description="Min net profit (fraction) to trade."
    )
    delay_between_executors: Int = Field(
        default=10, ge=0, description="Seconds between arbitrages."
    )
    max_executors_imbalance: Int = Field(
        default=1, ge=1, description="Max buy/sell arbitrage count difference before pausing."
    )
    rate_connector: ConnectorName = Field(
        default="binance", description="Connector used for conversion rates."
    )
    quote_conversion_asset: Asset = Field(
        default="USDT", description="Asset both legs' quotes are compared in."
    )

    def markets(self) -> tuple[TradedMarket, ...]:
        return tuple(
            TradedMarket(leg.connector_name, leg.trading_pair, f"{name}.")
            for name, leg in (
                ("exchange_pair_1", self.exchange_pair_1),
                ("exchange_pair_2", self.exchange_pair_2),
            )
        )

    @model_validator(mode="after")
    def _distinct_legs(self) -> ArbitrageControllerConfig:
        if self.exchange_pair_1 == self.exchange_pair_2:
            raise FieldValueError(
                "exchange_pair_2", "both legs are the same market: there is nothing to arbitrage"
            )
        return self


CONTROLLER_CLASSES: dict[str, type[ControllerConfigBase]] = {
    "dman_v3": DManV3Config,
    "macd_bb_v1": MACDBBV1Config,
    "supertrend_v1": SuperTrendV1Config,
    "bollinger_v1": BollingerV1Config,
    "bollinger_v2": BollingerV2Config,
    "bollingrid": BollinGridConfig,
    "pmm_simple": PMMSimpleConfig,
    "pmm_dynamic": PMMDynamicConfig,
    "dman_maker_v2": DManMakerV2Config,
    "grid_strike": GridStrikeConfig,
    "arbitrage_controller": ArbitrageControllerConfig,
}
"""controller_name -> model class, in the order Hummingbot lists them (directional first)."""

ControllerConfig = Annotated[
    DManV3Config
    | MACDBBV1Config
    | SuperTrendV1Config
    | BollingerV1Config
    | BollingerV2Config
    | BollinGridConfig
    | PMMSimpleConfig
    | PMMDynamicConfig
    | DManMakerV2Config
    | GridStrikeConfig
    | ArbitrageControllerConfig,
    Field(discriminator="controller_name"),
]
"""Any stock controller config, discriminated by ``controller_name``."""


IndicatorConfig = (
    DManV3Config
    | MACDBBV1Config
    | SuperTrendV1Config
    | BollingerV1Config
    | BollingerV2Config
    | BollinGridConfig
    | PMMDynamicConfig
)
"""Controllers fed by candles (candles_connector / candles_trading_pair / interval)."""


def has_candles(config: ControllerConfigBase) -> bool:
    """True for indicator controllers (they carry candles_connector / pair / interval)."""
    return isinstance(config, IndicatorConfig)


def hot_updatable_fields(cls: type[ControllerConfigBase]) -> frozenset[str]:
    """Fields a running bot applies without a redeploy."""
    return frozenset(
        name
        for name, info in cls.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("hot_updatable")
    )
