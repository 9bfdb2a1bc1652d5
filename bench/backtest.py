"""Backtest engine speed: candles/s per controller over 1, 7, 30 and 365 days of 1m candles
(synthetic market, median of several runs), and the wall time of a fresh process that imports
the engine and runs 30 days.

    .venv/bin/python bench/backtest.py [--runs 5] [--mode hummingbot|realistic]

Budgets (DESIGN.md): ≥ 1 M candles/s for directional controllers on 30 days, ≥ 100 k candles/s
for pmm_simple, import + a 30-day run < 1 s wall.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from typing import Any

from tradeagent.backtest import Candles, run_backtest
from tradeagent.backtest.sources import CandleRequest, SyntheticSource
from tradeagent.strategy import ControllerConfigBase, parse_config

END = 1_738_281_540  # 2025-01-30 23:59 UTC: the golden data's last candle
DAYS = (1, 7, 30, 365)
BUDGETS = {
    "bollinger_v1": 1e6,
    "macd_bb_v1": 1e6,
    "supertrend_v1": 1e6,
    "dman_v3": 1e6,
    "pmm_simple": 1e5,
}
COMMON = {
    "connector_name": "binance_perpetual",
    "trading_pair": "BTC-USDT",
    "total_amount_quote": 1000,
    "leverage": 1,
    "stop_loss": 0.01,
    "take_profit": 0.01,
    "time_limit": 2700,
}
CONFIGS: dict[str, dict[str, Any]] = {
    "bollinger_v1": {"trailing_stop": "0.005,0.002", "interval": "1m", "bb_length": 100},
    "macd_bb_v1": {"trailing_stop": "0.005,0.002", "interval": "1m"},
    "supertrend_v1": {"interval": "1m", "length": 20, "multiplier": 4.0},
    "dman_v3": {"interval": "1m", "dca_spreads": "0.001,0.004,0.01", "cooldown_time": 300},
    "pmm_simple": {
        "buy_spreads": "0.002,0.004",
        "sell_spreads": "0.002,0.004",
        "take_profit": 0.005,
        "executor_refresh_time": 300,
        "cooldown_time": 15,
    },
}
COLD = f"""
import time
start = time.perf_counter()
from tradeagent.backtest import run_backtest
from tradeagent.backtest.sources import CandleRequest, SyntheticSource
from tradeagent.strategy import parse_config
config = parse_config({{"id": "bench", "controller_name": "bollinger_v1", **{COMMON!r},
                       **{CONFIGS["bollinger_v1"]!r}}})
request = CandleRequest("binance_perpetual", "BTC-USDT", "1m", {END - 30 * 86400 + 60}, {END})
result = run_backtest(config, SyntheticSource(7).candles(request), trade_cost=0.0006)
print(time.perf_counter() - start)
"""


def config(name: str) -> ControllerConfigBase:
    return parse_config({"id": f"bench_{name}", "controller_name": name, **COMMON, **CONFIGS[name]})


def candles(days: int) -> Candles:
    request = CandleRequest("binance_perpetual", "BTC-USDT", "1m", END - days * 86400 + 60, END)
    return SyntheticSource(7).candles(request)


def timed(name: str, data: Candles, runs: int, mode: str) -> tuple[float, int]:
    model = config(name)
    samples = []
    executors = 0
    for _ in range(runs):
        start = time.perf_counter()
        result = run_backtest(model, data, mode=mode, trade_cost=0.0006)  # type: ignore[arg-type]
        samples.append(time.perf_counter() - start)
        executors = len(result.ledger)
    return statistics.median(samples), executors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mode", choices=("hummingbot", "realistic"), default="hummingbot")
    args = parser.parse_args()
    series = {days: candles(days) for days in DAYS}
    print(f"mode {args.mode}; median of {args.runs} runs; synthetic 1m candles, seed 7")
    header = ("controller", "days", "candles", "executors", "ms", "candles/s")
    print("{:<14} {:>5} {:>8} {:>9} {:>9} {:>12}".format(*header))
    for name in CONFIGS:
        for days in DAYS:
            data = series[days]
            runs = args.runs if days < 365 else max(1, args.runs // 2)
            seconds, executors = timed(name, data, runs, args.mode)
            rate = len(data) / seconds
            budget = BUDGETS.get(name)
            verdict = ""
            if days == 30 and budget is not None:
                verdict = "  ok" if rate >= budget else f"  BELOW {budget:,.0f}"
            print(
                f"{name:<14} {days:>5} {len(data):>8,} {executors:>9,} {seconds * 1e3:>9.1f} "
                f"{rate:>12,.0f}{verdict}"
            )
    cold = [
        float(
            subprocess.run(
                [sys.executable, "-c", COLD], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(args.runs)
    ]
    wall = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", COLD], check=True, capture_output=True)
        wall.append(time.perf_counter() - start)
    print(
        f"fresh process, import + 30-day bollinger_v1: in-process {statistics.median(cold):.3f} s, "
        f"wall {statistics.median(wall):.3f} s (budget < 1 s)"
    )


if __name__ == "__main__":
    main()
