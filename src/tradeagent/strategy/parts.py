"""The pieces controller configs are made of: trailing stops, triple barriers, connector legs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tradeagent.strategy.fields import (
    ConnectorName,
    Dec,
    Int,
    OrderType,
    TradeType,
    TradingPair,
    parse_enum_value,
    parse_trade_side_name,
)

ControllerType = Literal["directional_trading", "market_making", "generic"]


def hot(description: str, **kwargs: Any) -> Any:
    """A field a running bot picks up without a redeploy (Hummingbot's ``is_updatable``)."""
    return Field(description=description, json_schema_extra={"hot_updatable": True}, **kwargs)


class StrictModel(BaseModel):
    # defer_build: validators are built on first use, not at import; the TUI imports every
    # controller class on its startup path but validates none until a draft arrives.
    model_config = ConfigDict(
        extra="forbid", frozen=True, hide_input_in_errors=False, defer_build=True
    )


class TrailingStop(StrictModel):
    """Trailing stop of a position: arms at ``activation_price`` profit, then trails by delta."""

    activation_price: Dec = Field(gt=0, description="Profit (fraction) that arms the trail.")
    trailing_delta: Dec = Field(gt=0, description="Pullback (fraction) from the best price.")


def parse_trailing_stop(value: Any) -> Any:
    """Hummingbot's directional and market-making bases also take ``"activation,delta"``."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2:
        raise ValueError("as text it must be 'activation_price,trailing_delta', e.g. '0.015,0.005'")
    return {"activation_price": parts[0], "trailing_delta": parts[1]}


class InitialPosition(StrictModel):
    """A position the controller treats as already held when it starts."""

    connector_name: ConnectorName
    trading_pair: TradingPair
    amount: Dec = Field(gt=0, description="Position size in base units.")
    side: TradeType = Field(description="BUY or SELL.")

    @field_validator("side", mode="before")
    @classmethod
    def _side(cls, value: Any) -> Any:
        return parse_trade_side_name(value)


class ConnectorPair(StrictModel):
    """One leg of an arbitrage: a connector and a pair on it."""

    connector_name: ConnectorName
    trading_pair: TradingPair


class TripleBarrier(StrictModel):
    """grid_strike's per-level exits. Order types are Hummingbot's integer values only."""

    stop_loss: Dec | None = Field(default=None, gt=0)
    take_profit: Dec | None = Field(default=None, gt=0)
    time_limit: Int | None = Field(default=None, gt=0)
    trailing_stop: TrailingStop | None = None
    open_order_type: OrderType = OrderType.LIMIT
    take_profit_order_type: OrderType = OrderType.MARKET
    stop_loss_order_type: OrderType = OrderType.MARKET
    time_limit_order_type: OrderType = OrderType.MARKET

    @field_validator(
        "open_order_type",
        "take_profit_order_type",
        "stop_loss_order_type",
        "time_limit_order_type",
        mode="before",
    )
    @classmethod
    def _order_type(cls, value: Any) -> Any:
        return parse_enum_value(OrderType, value)
