"""A config as the plain data Hummingbot reads (YAML / JSON), and its stable hash."""

from __future__ import annotations

import hashlib
import inspect
import json
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel

from tradeagent.strategy.bases import (
    ControllerConfigBase,
)
from tradeagent.strategy.fields import OrderType, TradeType
from tradeagent.strategy.models import (
    GridStrikeConfig,
)
from tradeagent.strategy.parts import (
    TripleBarrier,
)

_LAST = ("manual_kill_switch", "initial_positions")
_INT_FLOAT_LIMIT = Decimal(2**53)


@cache
def field_order(cls: type[ControllerConfigBase]) -> tuple[str, ...]:
    """Keys in the order a person reads them: identity, market, capital, exits, then the
    controller's own parameters, kill switch last."""
    chain = [c for c in reversed(cls.__mro__) if isinstance(c, type) and issubclass(c, BaseModel)]
    primary = [c for c in chain if issubclass(c, ControllerConfigBase)]
    mixins = [c for c in chain if c not in primary]
    ordered: list[str] = []
    for klass in primary + mixins:
        for name in inspect.get_annotations(klass):
            if name in cls.model_fields and name not in ordered:
                ordered.append(name)
    head = [n for n in ("id", "controller_name", "controller_type") if n in ordered]
    market = [n for n in ("connector_name", "trading_pair", "total_amount_quote") if n in ordered]
    rest = [n for n in ordered if n not in head + market + list(_LAST)]
    return tuple(head + market + rest + [n for n in _LAST if n in ordered])


def _number(value: Decimal) -> int | float:
    # Hummingbot writes Decimals as YAML floats too; integral values stay integers so that
    # `total_amount_quote: 500` reads back as written.
    if value == value.to_integral_value() and abs(value) < _INT_FLOAT_LIMIT:
        return int(value)
    return float(value)


def _plain(value: Any, *, enum_by_value: bool) -> Any:
    if isinstance(value, Enum):
        return value.value if enum_by_value else value.name
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, list | tuple):
        return [_plain(item, enum_by_value=enum_by_value) for item in value]
    if isinstance(value, BaseModel):
        # grid_strike's triple barrier only loads order types as numbers.
        by_value = enum_by_value or isinstance(value, TripleBarrier)
        return {
            name: _plain(getattr(value, name), enum_by_value=by_value)
            for name in type(value).model_fields
        }
    raise TypeError(f"cannot serialize {type(value).__name__}")


def to_mapping(config: ControllerConfigBase) -> dict[str, Any]:
    """Every field, in reading order, as JSON-compatible data in Hummingbot's encodings:
    position modes and base order types by name, grid sides and grid order types by number."""
    cls = type(config)
    grid = isinstance(config, GridStrikeConfig)
    out: dict[str, Any] = {}
    for name in field_order(cls):
        value = getattr(config, name)
        by_value = grid and isinstance(value, TradeType | OrderType)
        out[name] = _plain(value, enum_by_value=by_value)
    return out


def canonical_json(config: ControllerConfigBase) -> str:
    """Sorted, compact JSON of :func:`to_mapping`: equal configs give equal text."""
    return json.dumps(
        to_mapping(config),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def config_hash(config: ControllerConfigBase) -> str:
    """SHA-256 (hex) of the canonical JSON: the identity of a config in the journal and the
    backtest gate. Key order, number spelling (``0.10`` / ``0.1``) and encodings do not change
    it; any change of value does."""
    return hashlib.sha256(canonical_json(config).encode("utf-8")).hexdigest()
