"""``POST /backtesting/run`` on the simulated market: the same controller engine bots trade
with, run over a past window, reported in the real endpoint's result shape."""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from tradeagent.sim.engine import create_engine
from tradeagent.sim.ledger import BUY, CloseType, Executor, Ledger
from tradeagent.sim.market import SyntheticMarket, candle_index
from tradeagent.sim.validation import config_problem

WARMUP = 200
MAX_MINUTES = 366 * 1440


def run_backtest(
    config: dict[str, Any] | str,
    saved_configs: dict[str, dict[str, Any]],
    start: int,
    end: int,
    resolution: str,
    trade_cost: float,
    seed: int,
) -> dict[str, Any]:
    """The backtest result, or ``{"error": ...}`` as the real endpoint answers any failure."""
    if isinstance(config, str):
        name = config.removesuffix(".yml")
        if name not in saved_configs:
            return {
                "error": f"[Errno 2] No such file or directory: 'bots/conf/controllers/{config}'"
            }
        config = dict(saved_configs[name])
    config = {**config, "id": config.get("id") or "backtest"}
    problem = config_problem(config)
    if problem is not None:
        return {"error": f"1 validation error for controller config\n{problem}"}
    if resolution != "1m":
        return {"error": f"backtesting_resolution '{resolution}' is not available; use 1m"}
    if end <= start:
        return {"error": f"end_time ({end}) must be after start_time ({start})"}
    if (end - start) / 60 > MAX_MINUTES:
        return {"error": "The backtest window is longer than a year; shorten it."}
    market = SyntheticMarket(seed)
    pair = str(config["trading_pair"])
    first = candle_index(start)
    history = market.candles(pair, first - WARMUP, first)
    candles = market.candles_between(pair, float(start), float(end))
    ledger = Ledger(str(config["connector_name"]), pair, recent=deque())
    engine = create_engine(str(config["id"]), config, history, ledger=ledger, fee_rate=trade_cost)
    engine.on_candles(candles)
    mark = float(candles.close[-1]) if len(candles) else 0.0
    executors = [*ledger.recent, *ledger.active]
    return {
        "executors": [_executor_info(e, config, mark) for e in executors],
        "processed_data": {},
        "results": _summary(
            ledger, executors, mark, float(config.get("total_amount_quote") or 100)
        ),
        "position_holds": [],
        "position_held_timeseries": [],
        "pnl_timeseries": _pnl_series(ledger.recent),
    }


def _executor_info(executor: Executor, config: dict[str, Any], mark: float) -> dict[str, Any]:
    return {
        "id": executor.id,
        "timestamp": executor.open_ts,
        "type": "position_executor",
        "status": 2 if executor.is_active else 4,
        "config": {
            "id": executor.id,
            "type": "position_executor",
            "timestamp": executor.open_ts,
            "trading_pair": config["trading_pair"],
            "connector_name": config["connector_name"],
            "side": executor.side,
            "entry_price": executor.entry_price,
            "amount": executor.amount,
            "triple_barrier_config": {
                "stop_loss": config.get("stop_loss"),
                "take_profit": config.get("take_profit"),
                "time_limit": config.get("time_limit"),
                "trailing_stop": config.get("trailing_stop"),
                "open_order_type": 1,
                "take_profit_order_type": 1,
                "stop_loss_order_type": 1,
                "time_limit_order_type": 1,
            },
            "leverage": config.get("leverage", 1),
            "controller_id": config["id"],
        },
        "net_pnl_pct": executor.net_pnl_pct(mark),
        "net_pnl_quote": executor.net_pnl_quote(mark),
        "cum_fees_quote": executor.fees_quote(),
        "filled_amount_quote": executor.filled_quote(),
        "is_active": executor.is_active,
        "is_trading": executor.is_active,
        "custom_info": {
            "close_price": executor.close_price,
            "side": executor.side,
            "current_position_average_price": executor.entry_price,
        },
        "close_timestamp": executor.close_ts,
        "close_type": executor.close_type,
        "controller_id": config["id"],
        "side": executor.side,
    }


def _summary(
    ledger: Ledger, executors: list[Executor], mark: float, total_quote: float
) -> dict[str, Any]:
    closed = list(ledger.recent)
    pnls = [e.net_pnl_quote(mark) for e in closed]
    wins = [p for p in pnls if p > 0]
    losses = [p for p in pnls if p < 0]
    longs = [e for e in closed if e.side == BUY]
    shorts = [e for e in closed if e.side != BUY]
    net = sum(pnls)
    equity, peak, drawdown = 0.0, 0.0, 0.0
    for pnl in pnls:
        equity += pnl
        peak = max(peak, equity)
        drawdown = min(drawdown, equity - peak)
    returns = [p / total_quote for p in pnls]
    mean = sum(returns) / len(returns) if returns else 0.0
    spread = math.sqrt(sum((r - mean) ** 2 for r in returns) / len(returns)) if returns else 0.0
    close_types = {CloseType(c).name: n for c, n in sorted(ledger.close_type_counts.items())}
    return {
        "net_pnl": net / total_quote,
        "net_pnl_quote": net,
        "total_executors": len(executors),
        "total_executors_with_position": len(executors),
        "total_volume": sum(e.filled_quote() for e in executors),
        "total_long": sum(1 for e in executors if e.side == BUY),
        "total_short": sum(1 for e in executors if e.side != BUY),
        "close_types": close_types or 0,
        "accuracy_long": _ratio([e for e in longs if e.net_pnl_quote(mark) > 0], longs),
        "accuracy_short": _ratio([e for e in shorts if e.net_pnl_quote(mark) > 0], shorts),
        "total_positions": len(closed),
        "accuracy": len(wins) / len(closed) if closed else 0.0,
        "max_drawdown_usd": drawdown,
        "max_drawdown_pct": drawdown / total_quote,
        "sharpe_ratio": mean / spread if spread else 0.0,
        "profit_factor": sum(wins) / -sum(losses) if losses else 0.0,
        "win_signals": len(wins),
        "loss_signals": len(losses),
        "unrealized_pnl_quote": sum(e.net_pnl_quote(mark) for e in ledger.active),
        "position_realized_pnl_quote": 0.0,
        "total_fees_quote": sum(e.fees_quote() for e in executors),
    }


def _ratio(part: list[Executor], whole: list[Executor]) -> float:
    return len(part) / len(whole) if whole else 0.0


def _pnl_series(closed: deque[Executor]) -> list[dict[str, Any]]:
    rows, total, volume = [], 0.0, 0.0
    for executor in closed:
        total += executor.net_pnl_quote(executor.close_price or executor.entry_price)
        volume += executor.filled_quote()
        rows.append(
            {
                "timestamp": executor.close_ts,
                "executor_realized_pnl": total,
                "position_realized_pnl": 0,
                "position_unrealized_pnl": 0,
                "total_pnl": total,
                "active_executors": 0,
                "cumulative_volume": volume,
            }
        )
    return rows
