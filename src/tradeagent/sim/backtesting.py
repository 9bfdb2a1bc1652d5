"""``POST /backtesting/run``: the backtest engine in Hummingbot mode over the simulated market,
answered in the real endpoint's shape (or ``{"error": ...}``, as the real one answers failures)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tradeagent.backtest import (
    BacktestError,
    BacktestResult,
    CandleError,
    controller_params,
    run_backtest,
)
from tradeagent.backtest.candles import interval_seconds
from tradeagent.backtest.closes import BUY
from tradeagent.sim.market import CANDLE_S, SimMarket
from tradeagent.sim.validation import load_controller
from tradeagent.strategy import ControllerConfig, MarketMakingBase, OrderType

TERMINATED = 4  # RunnableStatus.TERMINATED
HB_BUY, HB_SELL = 1, 2  # TradeType values on the wire
MAX_DAYS = 366


def backtest(
    config: dict[str, Any] | str,
    saved_configs: dict[str, dict[str, Any]],
    start: int,
    end: int,
    resolution: str,
    trade_cost: float,
    market: SimMarket,
    until: int,
) -> dict[str, Any]:
    """Backtest over candles with open times in ``[start, min(end, until)]``."""
    if isinstance(config, str):
        name = config.removesuffix(".yml")
        if name not in saved_configs:
            return {
                "error": f"[Errno 2] No such file or directory: 'bots/conf/controllers/{config}'"
            }
        config = dict(saved_configs[name])
    config = {**config, "id": config.get("id") or "backtest"}
    model, problem = load_controller(config)
    if model is None:
        return {"error": problem}
    try:
        step = interval_seconds(resolution)
    except CandleError as exc:
        return {"error": str(exc)}
    if step % CANDLE_S:
        return {"error": f"backtesting_resolution {resolution} is finer than the market's 1m"}
    if end <= start:
        return {"error": f"end_time ({end}) must be after start_time ({start})"}
    last = min(end, until)
    if last < start:
        return {"error": f"no candles from {start}: the simulated market has not got there yet"}
    if last - start > MAX_DAYS * 86_400:
        return {"error": f"the window is longer than {MAX_DAYS} days; shorten it"}
    first = -(-start // step) * step
    candles = market.candles(str(config["trading_pair"]), first, last).grouped(step // CANDLE_S)
    try:
        result = run_backtest(model, candles, mode="hummingbot", trade_cost=trade_cost)
    except BacktestError as exc:
        return {"error": str(exc)}
    executor_config = {
        "triple_barrier_config": _barrier_config(model),
        "leverage": getattr(model, "leverage", 1),
    }
    return shaped(result, str(config["id"]), executor_config)


def _barrier_config(model: ControllerConfig) -> dict[str, Any]:
    """The executors' ``triple_barrier_config``, order types as Hummingbot's integers."""
    barrier = controller_params(model).barrier
    trailing = barrier.trailing_stop
    take_profit_type = getattr(model, "take_profit_order_type", OrderType.LIMIT)
    return {
        "stop_loss": barrier.stop_loss,
        "take_profit": barrier.take_profit,
        "time_limit": barrier.time_limit,
        "trailing_stop": None
        if trailing is None
        else {"activation_price": trailing.activation, "trailing_delta": trailing.delta},
        "open_order_type": int(
            OrderType.LIMIT if isinstance(model, MarketMakingBase) else OrderType.MARKET
        ),
        "take_profit_order_type": int(OrderType(take_profit_type)),
        "stop_loss_order_type": int(OrderType.MARKET),
        "time_limit_order_type": int(OrderType.MARKET),
    }


def shaped(
    result: BacktestResult, controller_id: str, executor_config: dict[str, Any]
) -> dict[str, Any]:
    """The real endpoint's result keys and encodings (enums as integers)."""
    summary = dict(result.summary)
    if not summary["close_types"]:
        summary["close_types"] = 0  # the real server's value when nothing traded
    return {
        "executors": _executors(result, controller_id, executor_config),
        "processed_data": {},
        "results": summary,
        "position_holds": [],
        "position_held_timeseries": [],
        "pnl_timeseries": _pnl_timeseries(result),
    }


def _executors(
    result: BacktestResult, controller_id: str, executor_config: dict[str, Any]
) -> list[dict[str, Any]]:
    rows = []
    ledger = result.ledger
    for i, record in enumerate(ledger.records()):
        side = HB_BUY if int(ledger.side[i]) == BUY else HB_SELL
        rows.append(
            {
                "id": f"{controller_id}-{i}",
                "timestamp": record["timestamp"],
                "type": record["executor_type"],
                "status": TERMINATED,
                "config": {
                    "id": f"{controller_id}-{i}",
                    "type": record["executor_type"],
                    "timestamp": record["timestamp"],
                    "trading_pair": result.trading_pair,
                    "connector_name": result.connector_name,
                    "side": side,
                    "entry_price": record["order_price"],
                    "amount": record["amount_base"],
                    **executor_config,
                    "controller_id": controller_id,
                },
                "net_pnl_pct": record["net_pnl_pct"],
                "net_pnl_quote": record["net_pnl_quote"],
                "cum_fees_quote": record["cum_fees_quote"],
                "filled_amount_quote": record["filled_amount_quote"],
                "is_active": False,
                "is_trading": False,
                "custom_info": {
                    "close_price": record["close_price"],
                    "side": side,
                    "current_position_average_price": record["fill_price"],
                },
                "close_timestamp": record["close_timestamp"],
                "close_type": int(ledger.close_type[i]),
                "controller_id": controller_id,
                "side": side,
            }
        )
    return rows


def _pnl_timeseries(result: BacktestResult) -> list[dict[str, Any]]:
    ledger = result.ledger
    times = result.pnl.timestamp
    opened = np.sort(ledger.timestamp)
    closed_order = np.argsort(ledger.close_timestamp, kind="stable")
    closed = ledger.close_timestamp[closed_order]
    volume = np.concatenate(([0.0], np.cumsum(ledger.filled_amount_quote[closed_order])))
    started = np.searchsorted(opened, times, side="right")
    ended = np.searchsorted(closed, times, side="right")
    return [
        {
            "timestamp": float(t),
            "executor_realized_pnl": float(pnl),
            "position_realized_pnl": 0,
            "position_unrealized_pnl": 0,
            "total_pnl": float(pnl),
            "active_executors": int(s - e),
            "cumulative_volume": float(volume[e]),
        }
        for t, pnl, s, e in zip(
            times.tolist(),
            result.pnl.total_pnl.tolist(),
            started.tolist(),
            ended.tolist(),
            strict=True,
        )
    ]
