"""`run_backtest`: a controller config over candles, in Hummingbot or realistic mode."""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Context, localcontext
from typing import Any

import numpy as np

from tradeagent.backtest.adapter import controller_params
from tradeagent.backtest.candles import Candles, FloatArray, format_interval, interval_seconds
from tradeagent.backtest.dca_run import run_dca
from tradeagent.backtest.directional import run_directional
from tradeagent.backtest.errors import BacktestError
from tradeagent.backtest.execution import MODES, Execution, HummingbotExecution, Mode
from tradeagent.backtest.inventory import Inventory
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.market_making import run_market_making
from tradeagent.backtest.metrics import level_sharpe, max_drawdown, realized_pnl_series, summarize
from tradeagent.backtest.params import (
    ControllerParams,
    DcaParams,
    DirectionalParams,
    MarketMakingParams,
)
from tradeagent.backtest.realistic import RealisticExecution, equity_series, period_sharpe
from tradeagent.backtest.results import BacktestResult, PnlSeries
from tradeagent.backtest.signals import SignalArray, features, join_backward
from tradeagent.backtest.tape import Tape
from tradeagent.backtest.window import DataWindow
from tradeagent.strategy import ControllerConfigBase, config_hash, parse_config

MIN_POSITIONS_TO_TRUST = 30
# Hummingbot sizes and prices orders in Decimal with the default 28 significant digits; pin them
# so a caller's decimal context cannot change the results.
HUMMINGBOT_DECIMALS = Context(prec=28, rounding=ROUND_HALF_EVEN)


def run_backtest(
    config: ControllerConfigBase | Mapping[str, Any],
    candles: Candles,
    *,
    start: int | None = None,
    end: int | None = None,
    mode: Mode = "hummingbot",
    trade_cost: float = 0.0006,
    window: DataWindow | None = None,
) -> BacktestResult:
    """Backtest `config` (a strategy model, or a mapping validated into one) on `candles`.

    `candles` are at the backtest resolution (e.g. 1m); the simulated window is the candles with
    `start ≤ open time ≤ end` (both inclusive, default: all). `trade_cost` is the fee per fill as a
    fraction of notional. `window` describes where the candles came from; without it the result
    says they were given in memory.
    """
    started = time.perf_counter()
    if mode not in MODES:
        raise BacktestError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if not 0 <= trade_cost < 0.1:
        raise BacktestError(f"trade_cost is a fraction per fill (0.0006 = 0.06%), got {trade_cost}")
    model = parse_config(config) if isinstance(config, Mapping) else config
    params = controller_params(model)
    if len(candles) and (start is not None or end is not None):
        candles = candles.between(
            int(candles.timestamp[0]) if start is None else start,
            int(candles.timestamp[-1]) if end is None else end,
        )
    if window is None:
        window = DataWindow.describe(
            candles,
            source="memory",
            detail="candles given to run_backtest",
            trading_pair=params.market.trading_pair,
            requested_start=start if start is not None else _first(candles),
            requested_end=end if end is not None else _last(candles),
        )
    execution = _execution(mode, params, trade_cost)
    with localcontext(HUMMINGBOT_DECIMALS):
        tape, ledger, inventory = _simulate(params, candles, execution)
    return _result(model, params, execution, tape, ledger, inventory, window, candles, started)


def _simulate(
    params: ControllerParams, candles: Candles, execution: Execution
) -> tuple[Tape, Ledger, Inventory | None]:
    if isinstance(params, MarketMakingParams):
        tape = Tape.build(candles, params.barrier.time_limit, extra=params.executor_refresh_time)
        if not tape.n:
            return tape, Ledger.empty(), None
        return (tape, *run_market_making(params, tape, execution))
    rows, signal, band_width = _signal_rows(params, candles, execution)
    tape = Tape.build(rows, params.barrier.time_limit)
    if not tape.n:
        return tape, Ledger.empty(), None
    if isinstance(params, DirectionalParams):
        return tape, run_directional(params, tape, signal, execution), None
    return tape, run_dca(params, tape, signal, band_width, execution), None


def _first(candles: Candles) -> int:
    return int(candles.timestamp[0]) if len(candles) else 0


def _last(candles: Candles) -> int:
    return int(candles.timestamp[-1]) if len(candles) else 0


def _execution(mode: Mode, params: ControllerParams, trade_cost: float) -> Execution:
    if mode == "hummingbot":
        return HummingbotExecution(barrier=params.barrier, trade_cost=trade_cost)
    return RealisticExecution(
        barrier=params.barrier, trade_cost=trade_cost, leverage=params.leverage
    )


def _signal_rows(
    params: DirectionalParams | DcaParams, candles: Candles, execution: Execution
) -> tuple[Candles, SignalArray, FloatArray]:
    """The rows to simulate, each row's signal and Bollinger band width (NaN without one),
    from the controller's own candles."""
    resolution = candles.interval_s
    seconds = interval_seconds(params.interval)
    if seconds < resolution or seconds % resolution:
        raise BacktestError(
            f"interval {params.interval} must be a multiple of the backtest resolution "
            f"{format_interval(resolution)}; use a finer resolution or a coarser interval"
        )
    controller = candles.grouped(seconds // resolution)
    if not len(controller):
        return candles.take(slice(0, 0)), np.zeros(0, dtype=np.int8), np.zeros(0)
    feats = features(params.signal, controller)
    if execution.look_ahead_join and seconds > resolution:
        # Hummingbot's window ends at the open of the last complete controller candle.
        candles = candles.between(int(candles.timestamp[0]), int(controller.timestamp[-1]))
    index = join_backward(candles, controller, look_ahead=execution.look_ahead_join)
    safe = np.maximum(index, 0)
    defined = (index >= 0) & feats.defined[safe]
    signal = np.where(defined, feats.signal[safe], 0).astype(np.int8)
    width = feats.band_width[safe] if feats.band_width is not None else np.full(len(safe), np.nan)
    if execution.drops_undefined_rows:
        keep = np.flatnonzero(defined)
    else:
        first = np.flatnonzero(defined)
        keep = np.arange(int(first[0]) if first.size else len(candles), len(candles))
    return candles.take(keep), signal[keep], width[keep]


def _result(
    model: ControllerConfigBase,
    params: ControllerParams,
    execution: Execution,
    tape: Tape,
    ledger: Ledger,
    inventory: Inventory | None,
    window: DataWindow,
    candles: Candles,
    started: float,
) -> BacktestResult:
    total = float(params.total_amount_quote)
    if execution.mode == "hummingbot":
        series = realized_pnl_series(ledger, tape.n)
        capital = total
    else:
        series = equity_series(ledger, tape, execution.trade_cost)
        capital = total / params.leverage
    if inventory is not None:
        series = series + inventory.pnl
    if execution.mode == "hummingbot":
        sharpe = level_sharpe(series, capital)
    else:
        sharpe = period_sharpe(series, capital, candles.interval_s)
    summary = summarize(
        ledger,
        max_drawdown(series),
        sharpe,
        capital,
        hold_realized=inventory.realized if inventory else 0.0,
        hold_unrealized=inventory.unrealized if inventory else 0.0,
    )
    if execution.mode == "realistic":
        summary["capital_quote"] = capital
    warnings = _trust_warnings(summary, tape, len(candles))
    market = params.market
    reads_other = (market.candles_connector, market.candles_trading_pair) != (
        market.connector_name,
        market.trading_pair,
    )
    if reads_other and not isinstance(params, MarketMakingParams):
        warnings += (
            f"the config's indicators read {market.candles_trading_pair} on "
            f"{market.candles_connector}; this backtest computed them on the traded market's "
            f"candles ({market.trading_pair})",
        )
    return BacktestResult(
        mode=execution.mode,
        controller_name=params.controller_name,
        config_hash=config_hash(model),
        connector_name=params.market.connector_name,
        trading_pair=params.market.trading_pair,
        trade_cost=execution.trade_cost,
        resolution=format_interval(candles.interval_s),
        window=window,
        summary=summary,
        ledger=ledger,
        pnl=PnlSeries(timestamp=tape.timestamp, total_pnl=series),
        rows_simulated=tape.n,
        first_simulated_timestamp=int(tape.timestamp[0]) if tape.n else None,
        warnings=warnings,
        elapsed_s=time.perf_counter() - started,
    )


def _trust_warnings(summary: dict[str, Any], tape: Tape, rows_in_window: int) -> tuple[str, ...]:
    warnings = []
    if rows_in_window == 0:
        warnings.append("nothing simulated: there are no candles in the window")
    elif tape.n == 0:
        warnings.append(
            f"nothing simulated: the {rows_in_window} candles do not cover the indicators' warm-up"
        )
    elif tape.n < 0.8 * rows_in_window:
        warnings.append(
            f"indicators were undefined (warm-up) on {rows_in_window - tape.n} of "
            f"{rows_in_window} candles; only the rest was simulated"
        )
    positions = summary["total_positions"]
    if tape.n and positions < MIN_POSITIONS_TO_TRUST:
        warnings.append(
            f"only {positions} filled position(s): too few to trust the statistics; "
            "backtest a longer window"
        )
    return tuple(warnings)
