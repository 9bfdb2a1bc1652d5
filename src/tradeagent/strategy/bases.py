"""Hummingbot's controller base classes: common fields, exits, and the directional / market
making families, plus the candle, Bollinger and MACD field groups indicator controllers share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from tradeagent.strategy.errors import FieldValueError
from tradeagent.strategy.fields import (
    ConfigId,
    ConnectorName,
    Dec,
    Flt,
    Int,
    Interval,
    OrderType,
    PositionMode,
    TradingPair,
    parse_order_type_name,
    parse_position_mode_name,
    split_csv,
)
from tradeagent.strategy.parts import (
    ControllerType,
    InitialPosition,
    StrictModel,
    TrailingStop,
    hot,
    parse_trailing_stop,
)

# --------------------------------------------------------------------------- bases


@dataclass(frozen=True)
class TradedMarket:
    """A connector and pair a controller trades; ``prefix`` locates its fields in the config."""

    connector: str
    trading_pair: str
    prefix: str = ""


class ControllerConfigBase(StrictModel):
    """Fields every controller has. ``id`` doubles as the config's file name."""

    KIND: ClassVar[str] = "generic"
    """What the controller does, for summaries and templates: directional, market making, grid,
    arbitrage."""

    id: ConfigId = Field(description="Controller id and config name (letters, digits, - and _).")
    controller_name: str
    controller_type: ControllerType
    total_amount_quote: Dec = hot(
        "Capital the controller may deploy, in quote currency.", default=Decimal(100), gt=0
    )
    manual_kill_switch: bool = hot("True stops the controller on a running bot.", default=False)
    initial_positions: tuple[InitialPosition, ...] = Field(
        default=(), description="Positions treated as already held at start (normally empty)."
    )

    @field_validator("initial_positions", mode="before")
    @classmethod
    def _positions_list(cls, value: Any) -> Any:
        if value is None or not isinstance(value, list | tuple):
            raise ValueError("must be a list (use [] for none)")
        return value

    def markets(self) -> tuple[TradedMarket, ...]:
        """Every market the controller trades (arbitrage has two)."""
        raise NotImplementedError

    @property
    def connector(self) -> str:
        """The (first) connector traded."""
        return self.markets()[0].connector

    @property
    def pair(self) -> str:
        """The (first) trading pair traded."""
        return self.markets()[0].trading_pair


class ExitsBase(ControllerConfigBase):
    """Connector, leverage and the per-position exits shared by directional and MM controllers."""

    connector_name: ConnectorName = Field(
        default="binance_perpetual", description="Exchange connector, e.g. hyperliquid_perpetual."
    )
    trading_pair: TradingPair = Field(
        default="WLD-USDT", description="Market as BASE-QUOTE, e.g. BTC-USD."
    )
    leverage: Int = Field(default=20, ge=1, description="Leverage set at start; 1 for spot.")
    position_mode: PositionMode = Field(
        default=PositionMode.HEDGE, description="HEDGE or ONEWAY (Hyperliquid: ONEWAY only)."
    )
    stop_loss: Dec | None = hot(
        "Stop loss per position, fraction of entry price; null disables.",
        default=Decimal("0.03"),
        gt=0,
    )
    take_profit: Dec | None = hot(
        "Take profit per position, fraction of entry price; null disables.",
        default=Decimal("0.02"),
        gt=0,
    )
    time_limit: Int | None = hot(
        "Seconds before a position is closed at market; null disables.", default=2700, gt=0
    )
    take_profit_order_type: OrderType = hot(
        "Order type of the take profit: LIMIT, MARKET or LIMIT_MAKER.", default=OrderType.LIMIT
    )
    trailing_stop: TrailingStop | None = hot(
        "Trailing stop {activation_price, trailing_delta}; null disables.", default=None
    )

    def markets(self) -> tuple[TradedMarket, ...]:
        return (TradedMarket(self.connector_name, self.trading_pair),)

    @field_validator("trailing_stop", mode="before")
    @classmethod
    def _trailing(cls, value: Any) -> Any:
        return parse_trailing_stop(value)

    @field_validator("stop_loss", "take_profit", "time_limit", mode="before")
    @classmethod
    def _empty_target(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                return Decimal(text)  # Hummingbot's own conversion: "2700.0" is a valid limit
            except InvalidOperation:
                return text  # pydantic then explains what is wrong with it
        return value

    @field_validator("take_profit_order_type", mode="before")
    @classmethod
    def _order_type(cls, value: Any) -> Any:
        return parse_order_type_name(value)

    @field_validator("position_mode", mode="before")
    @classmethod
    def _position_mode(cls, value: Any) -> Any:
        return parse_position_mode_name(value)


class DirectionalTradingBase(ExitsBase):
    """Controllers that open one position (or DCA / grid) per signal."""

    KIND = "directional"
    controller_type: Literal["directional_trading"] = "directional_trading"
    max_executors_per_side: Int = hot(
        "Max positions open at once per side (long / short).", default=2, ge=1
    )
    cooldown_time: Int = hot("Seconds between new positions on one side.", default=300, gt=0)


class MarketMakingBase(ExitsBase):
    """Controllers that quote levels on both sides of a reference price."""

    KIND = "market making"
    controller_type: Literal["market_making"] = "market_making"
    buy_spreads: tuple[Flt, ...] = hot(
        "Distance of each buy level below the reference price (fraction).", default=(0.01, 0.02)
    )
    sell_spreads: tuple[Flt, ...] = hot(
        "Distance of each sell level above the reference price (fraction).", default=(0.01, 0.02)
    )
    buy_amounts_pct: tuple[Dec, ...] | None = hot(
        "Relative size of each buy level; null splits equally.", default=None
    )
    sell_amounts_pct: tuple[Dec, ...] | None = hot(
        "Relative size of each sell level; null splits equally.", default=None
    )
    executor_refresh_time: Int = hot(
        "Seconds before an unfilled level is re-placed at the current price.", default=300, gt=0
    )
    cooldown_time: Int = hot("Seconds before re-placing a level that traded.", default=15, ge=0)
    position_rebalance_threshold_pct: Dec = hot(
        "Spot: inventory drift (fraction) that triggers a rebalance.",
        default=Decimal("0.05"),
        ge=0,
    )
    skip_rebalance: bool = Field(default=False, description="Disable spot inventory rebalancing.")

    @field_validator("buy_spreads", "sell_spreads", mode="before")
    @classmethod
    def _spreads(cls, value: Any) -> Any:
        return [] if value is None else split_csv(value)

    @field_validator("buy_amounts_pct", "sell_amounts_pct", mode="before")
    @classmethod
    def _amounts(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return split_csv(value)

    @model_validator(mode="after")
    def _levels(self) -> MarketMakingBase:
        if not self.buy_spreads and not self.sell_spreads:
            raise FieldValueError(
                "buy_spreads", "no levels on either side: the controller would never quote"
            )
        for side in ("buy", "sell"):
            spreads: tuple[float, ...] = getattr(self, f"{side}_spreads")
            amounts: tuple[Decimal, ...] | None = getattr(self, f"{side}_amounts_pct")
            for index, spread in enumerate(spreads):
                if spread < 0:
                    raise FieldValueError(
                        f"{side}_spreads[{index}]", "a spread cannot be negative", allowed=">= 0"
                    )
            if amounts is None:
                continue
            if len(amounts) != len(spreads):
                raise FieldValueError(
                    f"{side}_amounts_pct",
                    f"has {len(amounts)} values but {side}_spreads has {len(spreads)} levels",
                    allowed=f"exactly {len(spreads)} values, or null to split equally",
                )
            if any(amount < 0 for amount in amounts):
                raise FieldValueError(f"{side}_amounts_pct", "amounts cannot be negative")
        total = sum(self.buy_amounts_pct or [1] * len(self.buy_spreads)) + sum(
            self.sell_amounts_pct or [1] * len(self.sell_spreads)
        )
        if total <= 0:
            raise FieldValueError(
                "buy_amounts_pct", "all level amounts are zero: nothing would be quoted"
            )
        return self


class CandlesMixin(BaseModel, defer_build=True):
    """Candle feed of indicator controllers. Empty or null means the traded connector / pair."""

    candles_connector: ConnectorName = Field(
        default="", description="Candle source connector; empty = connector_name."
    )
    candles_trading_pair: TradingPair = Field(
        default="", description="Candle source pair; empty = trading_pair."
    )
    interval: Interval = Field(default="3m", description="Candle interval, e.g. 1m, 5m, 1h.")

    @model_validator(mode="before")
    @classmethod
    def _fill_candles(cls, data: Any) -> Any:
        # Hummingbot copies connector/pair only when a value is sent; omitted it stays null and
        # the bot fails. Always filling them makes the saved YAML load everywhere.
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        fields = cls.model_fields
        for target, source in (
            ("candles_connector", "connector_name"),
            ("candles_trading_pair", "trading_pair"),
        ):
            current = filled.get(target)
            if current is None or (isinstance(current, str) and not current.strip()):
                filled[target] = filled.get(source, fields[source].default)
        return filled


class BollingerMixin(BaseModel, defer_build=True):
    bb_length: Int = Field(default=100, ge=2, description="Bollinger lookback in candles.")
    bb_std: Flt = Field(default=2.0, gt=0, description="Band width in standard deviations.")
    bb_long_threshold: Flt = Field(default=0.0, description="Long when %B is below this.")
    bb_short_threshold: Flt = Field(default=1.0, description="Short when %B is above this.")


class MacdMixin(BaseModel, defer_build=True):
    macd_fast: Int = Field(default=21, ge=1, description="MACD fast EMA period.")
    macd_slow: Int = Field(default=42, ge=2, description="MACD slow EMA period.")
    macd_signal: Int = Field(default=9, ge=1, description="MACD signal period.")

    @model_validator(mode="after")
    def _fast_below_slow(self) -> Any:
        if self.macd_fast >= self.macd_slow:
            raise FieldValueError(
                "macd_fast",
                f"the fast period ({self.macd_fast}) must be shorter than the slow one "
                f"({self.macd_slow})",
                allowed=f"< {self.macd_slow}",
            )
        return self
