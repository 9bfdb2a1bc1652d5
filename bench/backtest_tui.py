"""ctrl+b in the app: time from the key to the results drawn in the preview (30 days of 1m
synthetic candles), the first run (engine imported off the event loop) and warm runs, with the
worst event-loop stall while it ran.

    .venv/bin/python bench/backtest_tui.py [--runs 5] [--template rsi_style]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from decimal import Decimal


async def measure(runs: int, template: str) -> None:
    from tradeagent.settings import load_settings
    from tradeagent.strategy import TemplateInputs, build_template
    from tradeagent.tui.app import make_app
    from tradeagent.tui.messages import StrategyProposed

    settings = load_settings().settings
    ai = settings.ai.model_copy(update={"auto_backtest": False})
    app = make_app(settings.model_copy(update={"ai": ai}))
    config = build_template(
        template, TemplateInputs("hyperliquid_perpetual", "BTC-USD", Decimal(500))
    )
    stalls: list[float] = []

    async def watch_loop(stop: asyncio.Event) -> None:
        while not stop.is_set():
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            stalls.append(time.perf_counter() - before - 0.005)

    async with app.run_test(size=(160, 45)) as pilot:
        app.post_message(StrategyProposed(config, "bench"))
        await pilot.pause()
        samples: list[float] = []
        for _ in range(runs + 1):
            stop = asyncio.Event()
            watcher = asyncio.create_task(watch_loop(stop))
            started = time.perf_counter()
            await pilot.press("ctrl+b")
            await app.workers.wait_for_complete()
            await pilot.pause()
            samples.append(time.perf_counter() - started)
            stop.set()
            await watcher
        outcome = app.backtests.outcome
        assert outcome is not None
        candles = outcome.result.window.candles
    first, warm = samples[0], samples[1:]
    print(f"controller {config.controller_name} ({template}), {candles:,} candles of 1m")
    print(f"ctrl+b → results drawn, first run (imports engine)  {first * 1000:8.1f} ms")
    print(
        f"ctrl+b → results drawn, warm (median of {runs})        "
        f"{statistics.median(warm) * 1000:8.1f} ms   min {min(warm) * 1000:.1f} ms"
    )
    print(f"worst event-loop stall while running              {max(stalls) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--template", default="rsi_style", help="a strategy template key")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["TRADEAGENT_CONFIG"] = os.path.join(home, "config.toml")
        os.environ["TRADEAGENT_PATHS__DATA_DIR"] = os.path.join(home, "data")
        os.environ["TRADEAGENT_PATHS__CACHE_DIR"] = os.path.join(home, "cache")
        asyncio.run(measure(args.runs, args.template))


if __name__ == "__main__":
    main()
