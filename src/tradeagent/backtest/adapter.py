"""From a controller config (a strategy model or the plain dict Hummingbot reads) to engine params.

This is the only module that knows config field names. Values are parsed the way Hummingbot's
validators parse them (comma strings, Decimal strings, "activation,delta" trailing stops), and
defaults are Hummingbot's, so a partial dict backtests like the same YAML would run.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from tradeagent.backtest.candles import CandleError, interval_seconds
from tradeagent.backtest.params import (
    BollingerSignal,
    ControllerParams,
    DcaParams,
    DirectionalParams,
    MacdBollingerSignal,
    Market,
    MarketMakingParams,
    SupertrendSignal,
    TrailingStop,
    TripleBarrier,
)

DIRECTIONAL = ("bollinger_v1", "bollinger_v2", "macd_bb_v1", "supertrend_v1")
MARKET_MAKING = ("pmm_simple",)
DCA = ("dman_v3",)
SUPPORTED = DIRECTIONAL + MARKET_MAKING + DCA


class ConfigError(ValueError):
    """A config the engine cannot backtest; the message names the field and the fix."""


class _Dumpable(Protocol):
    def model_dump(self, *, mode: str = ...) -> dict[str, Any]: ...


def controller_params(config: Mapping[str, Any] | _Dumpable) -> ControllerParams:
    """Engine parameters for a config: a `tradeagent.strategy` model or a plain dict."""
    raw: Mapping[str, Any] = config if isinstance(config, Mapping) else config.model_dump()
    name = raw.get("controller_name")
    if name not in SUPPORTED:
        supported = ", ".join(SUPPORTED)
        raise ConfigError(
            f"controller_name {name!r} cannot be backtested here; supported: {supported}"
        )
    fields = _Fields(raw)
    if name in MARKET_MAKING:
        return _market_making(fields, name)
    if name in DCA:
        return _dca(fields, name)
    return _directional(fields, name)


class _Fields:
    """Typed reads of config fields with Hummingbot's defaults and clear errors."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def get(self, key: str, default: Any) -> Any:
        value = self.raw.get(key, default)
        return default if value is None and default is not None else value

    def decimal(self, key: str, default: str | None) -> Decimal | None:
        value = self.raw.get(key, default)
        if value is None or value == "":
            return None
        return _decimal(key, value)

    def positive_decimal(self, key: str, default: str) -> Decimal:
        value = self.decimal(key, default)
        if value is None or value <= 0:
            raise ConfigError(f"{key} must be a positive number, got {self.raw.get(key)!r}")
        return value

    def integer(self, key: str, default: int | None, *, minimum: int = 0) -> int | None:
        value = self.raw.get(key, default)
        if value is None or value == "":
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ConfigError(f"{key} must be a whole number, got {value!r}") from None
        if number != number.to_integral_value() or number < minimum:
            raise ConfigError(f"{key} must be a whole number ≥ {minimum}, got {value!r}")
        return int(number)

    def required_int(self, key: str, default: int, *, minimum: int = 0) -> int:
        value = self.integer(key, default, minimum=minimum)
        return default if value is None else value

    def number(self, key: str, default: float) -> float:
        value = self.get(key, default)
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a number, got {value!r}") from None

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {
            "true",
            "yes",
            "1",
            "false",
            "no",
            "0",
        }:
            return value.strip().lower() in {"true", "yes", "1"}
        raise ConfigError(f"{key} must be true or false, got {value!r}")

    def decimal_list(self, key: str, default: str | None) -> tuple[Decimal, ...] | None:
        value = self.raw.get(key, default)
        items = _split(value)
        return None if items is None else tuple(_decimal(key, item) for item in items)

    def float_list(self, key: str, default: str) -> tuple[float, ...]:
        items = _split(self.raw.get(key, default))
        if not items:
            raise ConfigError(f"{key} must list at least one value, e.g. 0.01,0.02")
        try:
            return tuple(float(item) for item in items)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be numbers separated by commas, got {items!r}") from None

    def interval(self) -> str:
        value = str(self.get("interval", "3m"))
        try:
            interval_seconds(value)
        except CandleError as exc:
            raise ConfigError(str(exc)) from None
        return value

    def market(self) -> Market:
        connector = str(self.get("connector_name", "binance_perpetual"))
        pair = str(self.get("trading_pair", "WLD-USDT"))
        return Market(
            connector_name=connector,
            trading_pair=pair,
            candles_connector=str(self.raw.get("candles_connector") or connector),
            candles_trading_pair=str(self.raw.get("candles_trading_pair") or pair),
        )

    def barrier(self, trailing_default: str | None = None) -> TripleBarrier:
        stop_loss = self.decimal("stop_loss", "0.03")
        take_profit = self.decimal("take_profit", "0.02")
        for key, value in (("stop_loss", stop_loss), ("take_profit", take_profit)):
            if value is not None and value <= 0:
                raise ConfigError(f"{key} must be > 0 (a fraction: 0.02 = 2%), or null to disable")
        return TripleBarrier(
            stop_loss=None if stop_loss is None else float(stop_loss),
            take_profit=None if take_profit is None else float(take_profit),
            time_limit=self.integer("time_limit", 2700, minimum=1),
            trailing_stop=_trailing(self.raw.get("trailing_stop", trailing_default)),
        )


def _decimal(key: str, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ConfigError(f"{key} must be a number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConfigError(f"{key} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise ConfigError(f"{key} must be a finite number, got {value!r}")
    return number


def _split(value: Any) -> list[Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _trailing(value: Any) -> TrailingStop | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 2:
            raise ConfigError(
                f"trailing_stop must be 'activation,delta' (e.g. 0.015,0.005), got {value!r}"
            )
        activation, delta = (_decimal("trailing_stop", part) for part in parts)
    elif isinstance(value, Mapping):
        activation = _decimal("trailing_stop.activation_price", value.get("activation_price"))
        delta = _decimal("trailing_stop.trailing_delta", value.get("trailing_delta"))
    else:
        raise ConfigError(f"trailing_stop must be 'activation,delta' or a mapping, got {value!r}")
    if activation < 0 or delta <= 0:
        raise ConfigError(
            "trailing_stop needs activation_price ≥ 0 and trailing_delta > 0 (fractions)"
        )
    return TrailingStop(activation=float(activation), delta=float(delta))


def _bollinger(fields: _Fields) -> BollingerSignal:
    length = fields.required_int("bb_length", 100, minimum=2)
    std = fields.number("bb_std", 2.0)
    if std <= 0:
        raise ConfigError(f"bb_std must be > 0, got {std}")
    return BollingerSignal(
        length=length,
        std=std,
        long_threshold=fields.number("bb_long_threshold", 0.0),
        short_threshold=fields.number("bb_short_threshold", 1.0),
    )


def _directional_common(fields: _Fields) -> dict[str, Any]:
    return {
        "market": fields.market(),
        "total_amount_quote": fields.positive_decimal("total_amount_quote", "100"),
        "max_executors_per_side": fields.required_int("max_executors_per_side", 2, minimum=1),
        "cooldown_time": fields.required_int("cooldown_time", 300),
        "leverage": fields.required_int("leverage", 20, minimum=1),
        "interval": fields.interval(),
    }


def _directional(fields: _Fields, name: str) -> DirectionalParams:
    signal: BollingerSignal | MacdBollingerSignal | SupertrendSignal
    if name == "supertrend_v1":
        signal = SupertrendSignal(
            length=fields.required_int("length", 20, minimum=1),
            multiplier=fields.number("multiplier", 4.0),
            percentage_threshold=fields.number("percentage_threshold", 0.01),
        )
    elif name == "macd_bb_v1":
        fast = fields.required_int("macd_fast", 21, minimum=1)
        slow = fields.required_int("macd_slow", 42, minimum=1)
        fast, slow = min(fast, slow), max(fast, slow)  # TA-Lib swaps them the same way
        signal = MacdBollingerSignal(
            bollinger=_bollinger(fields),
            fast=fast,
            slow=slow,
            signal=fields.required_int("macd_signal", 9, minimum=1),
        )
    else:
        signal = _bollinger(fields)
    return DirectionalParams(
        controller_name=name, barrier=fields.barrier(), signal=signal, **_directional_common(fields)
    )


def _dca(fields: _Fields, name: str) -> DcaParams:
    spreads = fields.decimal_list("dca_spreads", "0.001,0.018,0.15,0.25")
    if not spreads:
        raise ConfigError("dca_spreads must list at least one spread, e.g. 0.001,0.018")
    amounts = fields.decimal_list("dca_amounts_pct", None)
    if amounts is None:
        amounts = tuple(Decimal("1.0") / len(spreads) for _ in spreads)
    if len(amounts) != len(spreads):
        raise ConfigError("dca_amounts_pct must have as many values as dca_spreads")
    if any(amount <= 0 for amount in amounts):
        raise ConfigError("dca_amounts_pct values must be > 0")
    bounds = fields.decimal_list("activation_bounds", None)
    return DcaParams(
        controller_name=name,
        barrier=fields.barrier(trailing_default="0.015,0.005"),
        signal=_bollinger(fields),
        dca_spreads=spreads,
        dca_amounts_pct=amounts,
        dynamic_order_spread=fields.flag("dynamic_order_spread", False),
        dynamic_target=fields.flag("dynamic_target", False),
        activation_bound=bounds[0] if bounds else None,
        **_directional_common(fields),
    )


def _market_making(fields: _Fields, name: str) -> MarketMakingParams:
    buy_spreads = fields.float_list("buy_spreads", "0.01,0.02")
    sell_spreads = fields.float_list("sell_spreads", "0.01,0.02")
    buy_pcts = _level_amounts(fields, "buy_amounts_pct", len(buy_spreads))
    sell_pcts = _level_amounts(fields, "sell_amounts_pct", len(sell_spreads))
    if any(spread < 0 for spread in buy_spreads + sell_spreads):
        raise ConfigError("buy_spreads and sell_spreads must be ≥ 0 (fractions: 0.01 = 1%)")
    return MarketMakingParams(
        controller_name=name,
        market=fields.market(),
        total_amount_quote=fields.positive_decimal("total_amount_quote", "100"),
        buy_spreads=buy_spreads,
        sell_spreads=sell_spreads,
        buy_amounts_pct=buy_pcts,
        sell_amounts_pct=sell_pcts,
        executor_refresh_time=fields.required_int("executor_refresh_time", 300),
        cooldown_time=fields.required_int("cooldown_time", 15),
        leverage=fields.required_int("leverage", 20, minimum=1),
        barrier=fields.barrier(),
        skip_rebalance=fields.flag("skip_rebalance", False),
        rebalance_threshold=fields.positive_decimal("position_rebalance_threshold_pct", "0.05"),
    )


def _level_amounts(fields: _Fields, key: str, levels: int) -> tuple[Decimal, ...]:
    amounts = fields.decimal_list(key, None)
    if amounts is None:
        return tuple(Decimal(1) for _ in range(levels))
    if len(amounts) != levels:
        side = key.split("_", 1)[0]
        raise ConfigError(f"{key} must have one value per {side} spread ({levels})")
    if any(amount < 0 for amount in amounts) or sum(amounts) <= 0:
        raise ConfigError(f"{key} values must be ≥ 0 and not all zero")
    return amounts
