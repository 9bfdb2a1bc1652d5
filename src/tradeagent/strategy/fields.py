"""Field types shared by the controller models: Hummingbot's enums and its number/string rules.

Hummingbot loads configs with pydantic in lax mode (numeric strings become numbers, ``"0.1,0.2"``
becomes a list for some fields). We accept the same inputs, and refuse what would load but make a
bot misbehave: booleans where numbers go, NaN/infinity, magnitudes no market has.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, AllowInfNan, BeforeValidator


class PositionMode(StrEnum):
    """Hummingbot's PositionMode; written by name."""

    HEDGE = "HEDGE"
    ONEWAY = "ONEWAY"


class OrderType(IntEnum):
    """Hummingbot's OrderType (the values Hummingbot uses; AMM_SWAP is not a controller order)."""

    MARKET = 1
    LIMIT = 2
    LIMIT_MAKER = 3


class TradeType(IntEnum):
    """Hummingbot's TradeType for grid sides and initial positions (RANGE is not a side)."""

    BUY = 1
    SELL = 2


MAX_MAGNITUDE = Decimal("1e12")
"""Larger than any amount, price or count a controller needs; bigger means a typo."""
MAX_INT = 10**12
_NON_FINITE = {"nan", "inf", "infinity"}

CANDLE_INTERVALS = (
    "1s",
    "1m",
    "3m",
    "5m",
    "15m",
    "30m",
    "1h",
    "2h",
    "4h",
    "6h",
    "8h",
    "12h",
    "1d",
    "3d",
    "1w",
    "1M",
)
"""Every interval some Hummingbot candle feed knows; exchange tables narrow it per connector."""

_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,100}")
_CONNECTOR_RE = re.compile(r"[A-Za-z0-9_./-]{1,64}")
_PAIR_RE = re.compile(r"[^\s-]{1,40}-[^\s-]{1,20}")
_ASSET_RE = re.compile(r"[^\s-]{1,20}")


def _number_input(value: Any) -> Any:
    # bool is an int subclass: pydantic would read `leverage: true` as 1x.
    if isinstance(value, bool):
        raise ValueError("expected a number, got true/false")
    if isinstance(value, str):
        value = value.strip()
        try:
            number = float(value)
        except ValueError:
            return value
        if not math.isfinite(number) and value.lower().lstrip("+-") in _NON_FINITE:
            raise ValueError("must be a finite number, not NaN or infinity")
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number, not NaN or infinity")
    return value


def _bounded_decimal(value: Decimal) -> Decimal:
    if abs(value) > MAX_MAGNITUDE:
        raise ValueError(f"is too large (max magnitude {MAX_MAGNITUDE:,.0f})")
    return value


def _bounded_float(value: float) -> float:
    if abs(value) > float(MAX_MAGNITUDE):
        raise ValueError(f"is too large (max magnitude {MAX_MAGNITUDE:,.0f})")
    return value


def _bounded_int(value: int) -> int:
    if abs(value) > MAX_INT:
        raise ValueError(f"is too large (max magnitude {MAX_INT:,})")
    return value


Dec = Annotated[
    Decimal, BeforeValidator(_number_input), AllowInfNan(False), AfterValidator(_bounded_decimal)
]
"""A finite decimal of sane magnitude; accepts numbers and numeric strings like Hummingbot."""
Flt = Annotated[
    float, BeforeValidator(_number_input), AllowInfNan(False), AfterValidator(_bounded_float)
]
Int = Annotated[int, BeforeValidator(_number_input), AfterValidator(_bounded_int)]


def _config_id(value: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise ValueError(
            "must be 1-100 letters, digits, '-' or '_' (it is also the config file name)"
        )
    return value


def _connector(value: str) -> str:
    if not _CONNECTOR_RE.fullmatch(value):
        raise ValueError("is not a connector name (e.g. hyperliquid_perpetual, binance)")
    return value


def _pair(value: str) -> str:
    if not _PAIR_RE.fullmatch(value):
        raise ValueError("must be BASE-QUOTE with one '-' and no spaces, e.g. BTC-USD or ETH-USDT")
    return value


def _asset(value: str) -> str:
    if not _ASSET_RE.fullmatch(value):
        raise ValueError("must be one asset symbol, e.g. USDT")
    return value


def _interval(value: str) -> str:
    if value not in CANDLE_INTERVALS:
        raise ValueError(f"is not a candle interval ({' '.join(CANDLE_INTERVALS)})")
    return value


ConfigId = Annotated[str, AfterValidator(_config_id)]
ConnectorName = Annotated[str, AfterValidator(_connector)]
TradingPair = Annotated[str, AfterValidator(_pair)]
Asset = Annotated[str, AfterValidator(_asset)]
Interval = Annotated[str, AfterValidator(_interval)]


def split_csv(value: Any) -> Any:
    """Hummingbot's comma-string lists: ``"0.01, 0.02"`` -> ``["0.01", "0.02"]``; ``""`` -> []."""
    if isinstance(value, str):
        text = value.strip()
        return [part.strip() for part in text.split(",")] if text else []
    return value


def parse_order_type_name(value: Any) -> Any:
    """Directional / market-making bases take LIMIT, limit, OrderType.LIMIT or 2; null = MARKET."""
    if value is None:
        return OrderType.MARKET
    if isinstance(value, str):
        name = value.strip().removeprefix("OrderType.").upper()
        if name in OrderType.__members__:
            return OrderType[name]
        raise ValueError(f"unknown order type {value!r}")
    return parse_enum_value(OrderType, value)


def parse_enum_value(enum: type[IntEnum], value: Any) -> Any:
    """Only the integer value (grid_strike's side and order types: Hummingbot rejects names)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().upper() in enum.__members__:
            member = enum[value.strip().upper()]
            raise ValueError(
                f"must be the number {member.value}, not the name {value!r}: "
                "Hummingbot only accepts the integer value here"
            )
        raise ValueError("must be an integer enum value")
    try:
        return enum(value)
    except ValueError:
        raise ValueError("is not one of the allowed values") from None


def enum_allowed(enum: type[IntEnum]) -> str:
    return " | ".join(f"{member.value} ({member.name})" for member in enum)


def parse_position_mode_name(value: Any) -> Any:
    """Directional and market-making bases upper-case the name (``oneway`` works there)."""
    if isinstance(value, str) and value.strip().upper() in PositionMode.__members__:
        return PositionMode[value.strip().upper()]
    if isinstance(value, PositionMode):
        return value
    raise ValueError(f"unknown position mode {value!r}")


def parse_position_mode_exact(value: Any) -> Any:
    """grid_strike has no name validator: only the exact values HEDGE / ONEWAY load."""
    if isinstance(value, str) and value in PositionMode.__members__:
        return PositionMode[value]
    if isinstance(value, PositionMode):
        return value
    hint = ""
    if isinstance(value, str) and value.strip().upper() in PositionMode.__members__:
        hint = f": write it in capitals ({value.strip().upper()}), grid_strike is case-sensitive"
    raise ValueError(f"unknown position mode {value!r}{hint}")


def parse_trade_side_name(value: Any) -> Any:
    """Initial positions take BUY / SELL by name (any case) or the enum value."""
    if isinstance(value, str) and value.strip().upper() in TradeType.__members__:
        return TradeType[value.strip().upper()]
    return parse_enum_value(TradeType, value)
