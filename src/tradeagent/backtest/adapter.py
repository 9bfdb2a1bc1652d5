"""From a controller config (a `tradeagent.strategy` model) to the engine's parameters.

The only module that reads config fields. A plain mapping (parsed YAML or JSON, as Hummingbot
reads it) is validated by `tradeagent.strategy.parse_config` first, so the engine sees exactly
what a deploy would send.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tradeagent.backtest.errors import BacktestError
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
from tradeagent.strategy import (
    BollingerV1Config,
    BollingerV2Config,
    ControllerConfigBase,
    DManV3Config,
    MACDBBV1Config,
    PMMSimpleConfig,
    SuperTrendV1Config,
    parse_config,
)
from tradeagent.strategy import TrailingStop as ConfigTrailingStop

SUPPORTED = (
    "bollinger_v1",
    "bollinger_v2",
    "macd_bb_v1",
    "supertrend_v1",
    "pmm_simple",
    "dman_v3",
)


def controller_params(config: ControllerConfigBase | Mapping[str, Any]) -> ControllerParams:
    """Engine parameters for a config model, or for a mapping (validated on the way)."""
    model = parse_config(config) if isinstance(config, Mapping) else config
    if isinstance(model, PMMSimpleConfig):
        return _market_making(model)
    if isinstance(model, DManV3Config):
        return _dca(model)
    if isinstance(model, BollingerV1Config | BollingerV2Config | MACDBBV1Config):
        return _directional(model, _bollinger_signal(model))
    if isinstance(model, SuperTrendV1Config):
        signal = SupertrendSignal(
            length=model.length,
            multiplier=model.multiplier,
            percentage_threshold=model.percentage_threshold,
        )
        return _directional(model, signal)
    raise BacktestError(
        f"{model.controller_name} cannot be backtested here yet; supported controllers: "
        f"{', '.join(SUPPORTED)}"
    )


def _market(model: Any) -> Market:
    return Market(
        connector_name=model.connector_name,
        trading_pair=model.trading_pair,
        candles_connector=getattr(model, "candles_connector", "") or model.connector_name,
        candles_trading_pair=getattr(model, "candles_trading_pair", "") or model.trading_pair,
    )


def _optional(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _trailing(value: ConfigTrailingStop | None) -> TrailingStop | None:
    if value is None:
        return None
    return TrailingStop(activation=float(value.activation_price), delta=float(value.trailing_delta))


def _barrier(model: Any) -> TripleBarrier:
    return TripleBarrier(
        stop_loss=_optional(model.stop_loss),
        take_profit=_optional(model.take_profit),
        time_limit=model.time_limit,
        trailing_stop=_trailing(model.trailing_stop),
    )


def _bollinger(model: Any) -> BollingerSignal:
    return BollingerSignal(
        length=model.bb_length,
        std=model.bb_std,
        long_threshold=model.bb_long_threshold,
        short_threshold=model.bb_short_threshold,
    )


def _bollinger_signal(
    model: BollingerV1Config | BollingerV2Config | MACDBBV1Config,
) -> BollingerSignal | MacdBollingerSignal:
    if isinstance(model, MACDBBV1Config):
        return MacdBollingerSignal(
            bollinger=_bollinger(model),
            fast=model.macd_fast,
            slow=model.macd_slow,
            signal=model.macd_signal,
        )
    return _bollinger(model)


def _directional(
    model: BollingerV1Config | BollingerV2Config | MACDBBV1Config | SuperTrendV1Config,
    signal: BollingerSignal | MacdBollingerSignal | SupertrendSignal,
) -> DirectionalParams:
    return DirectionalParams(
        controller_name=model.controller_name,
        market=_market(model),
        total_amount_quote=model.total_amount_quote,
        max_executors_per_side=model.max_executors_per_side,
        cooldown_time=model.cooldown_time,
        leverage=model.leverage,
        barrier=_barrier(model),
        interval=model.interval,
        signal=signal,
    )


def _dca(model: DManV3Config) -> DcaParams:
    spreads = model.dca_spreads
    amounts = model.dca_amounts_pct or tuple(Decimal("1.0") / len(spreads) for _ in spreads)
    return DcaParams(
        controller_name=model.controller_name,
        market=_market(model),
        total_amount_quote=model.total_amount_quote,
        max_executors_per_side=model.max_executors_per_side,
        cooldown_time=model.cooldown_time,
        leverage=model.leverage,
        barrier=_barrier(model),
        interval=model.interval,
        signal=_bollinger(model),
        dca_spreads=spreads,
        dca_amounts_pct=amounts,
        dynamic_order_spread=model.dynamic_order_spread,
        dynamic_target=model.dynamic_target,
        activation_bound=model.activation_bounds[0] if model.activation_bounds else None,
    )


def _market_making(model: PMMSimpleConfig) -> MarketMakingParams:
    def amounts(values: tuple[Decimal, ...] | None, levels: int) -> tuple[Decimal, ...]:
        return values if values is not None else tuple(Decimal(1) for _ in range(levels))

    return MarketMakingParams(
        controller_name=model.controller_name,
        market=_market(model),
        total_amount_quote=model.total_amount_quote,
        buy_spreads=model.buy_spreads,
        sell_spreads=model.sell_spreads,
        buy_amounts_pct=amounts(model.buy_amounts_pct, len(model.buy_spreads)),
        sell_amounts_pct=amounts(model.sell_amounts_pct, len(model.sell_spreads)),
        executor_refresh_time=model.executor_refresh_time,
        cooldown_time=model.cooldown_time,
        leverage=model.leverage,
        barrier=_barrier(model),
        skip_rebalance=model.skip_rebalance,
        rebalance_threshold=model.position_rebalance_threshold_pct,
    )
