"""The engine's own typed view of a controller config: only what a backtest reads.

Built from a config by `adapter.controller_params`; the engine never looks at config dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class TrailingStop:
    activation: float
    delta: float


@dataclass(frozen=True, slots=True)
class TripleBarrier:
    """Exit rules of a position executor; None disables a barrier."""

    stop_loss: float | None
    take_profit: float | None
    time_limit: int | None
    trailing_stop: TrailingStop | None


@dataclass(frozen=True, slots=True)
class BollingerSignal:
    length: int
    std: float
    long_threshold: float
    short_threshold: float


@dataclass(frozen=True, slots=True)
class MacdBollingerSignal:
    bollinger: BollingerSignal
    fast: int
    slow: int
    signal: int


@dataclass(frozen=True, slots=True)
class SupertrendSignal:
    length: int
    multiplier: float
    percentage_threshold: float


SignalSpec = BollingerSignal | MacdBollingerSignal | SupertrendSignal


@dataclass(frozen=True, slots=True)
class Market:
    connector_name: str
    trading_pair: str
    candles_connector: str
    candles_trading_pair: str

    @property
    def is_perpetual(self) -> bool:
        return "_perpetual" in self.connector_name


@dataclass(frozen=True, slots=True)
class DirectionalParams:
    """bollinger_v1/v2, macd_bb_v1, supertrend_v1: one position executor per signal."""

    controller_name: str
    market: Market
    total_amount_quote: Decimal
    max_executors_per_side: int
    cooldown_time: int
    leverage: int
    barrier: TripleBarrier
    interval: str
    signal: SignalSpec


@dataclass(frozen=True, slots=True)
class MarketMakingParams:
    """pmm_simple: one position executor per spread level and side, re-quoted on refresh."""

    controller_name: str
    market: Market
    total_amount_quote: Decimal
    buy_spreads: tuple[float, ...]
    sell_spreads: tuple[float, ...]
    buy_amounts_pct: tuple[Decimal, ...]
    sell_amounts_pct: tuple[Decimal, ...]
    executor_refresh_time: int
    cooldown_time: int
    leverage: int
    barrier: TripleBarrier
    skip_rebalance: bool
    rebalance_threshold: Decimal


@dataclass(frozen=True, slots=True)
class DcaParams:
    """dman_v3: a Bollinger signal opens a DCA executor (several limit entries, one exit)."""

    controller_name: str
    market: Market
    total_amount_quote: Decimal
    max_executors_per_side: int
    cooldown_time: int
    leverage: int
    barrier: TripleBarrier
    interval: str
    signal: BollingerSignal
    dca_spreads: tuple[Decimal, ...]
    dca_amounts_pct: tuple[Decimal, ...]
    dynamic_order_spread: bool
    dynamic_target: bool
    activation_bound: Decimal | None


ControllerParams = DirectionalParams | MarketMakingParams | DcaParams
