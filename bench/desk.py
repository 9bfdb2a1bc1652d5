"""Desk costs against the in-process simulator (simulated time, so the numbers are tradeagent's
own CPU and the simulator's, not waiting):

- review (preflight + gate + diff + money at risk) of one config: wall time and requests;
- kill switch over N running bots (bounded concurrency, each verified): wall time, requests,
  and status polls shared between the concurrent verifications.

    .venv/bin/python bench/desk.py [--bots 50] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from tradeagent.desk import Desk, DeskOptions, GateMode, Journal, journal_path
from tradeagent.hb import HummingbotClient
from tradeagent.sim import EmbeddedSimulator, ManualClock
from tradeagent.strategy import parse_config

CONFIG = {
    "id": "eth_mm",
    "controller_name": "pmm_simple",
    "controller_type": "market_making",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "ETH-USD",
    "total_amount_quote": 300,
    "leverage": 1,
    "position_mode": "ONEWAY",
    "buy_spreads": [0.002],
    "sell_spreads": [0.002],
    "stop_loss": 0.03,
    "take_profit": 0.01,
}


class Counting(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(f"{request.method} {request.url.path}")
        return await self.inner.handle_async_request(request)


class Pacer:
    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock.now()

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)
        await asyncio.sleep(0)


async def run(bots: int, concurrency: int, reviews: int) -> None:
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as home:
        async with EmbeddedSimulator(clock=clock) as sim:
            counter = Counting(sim.transport)
            client = HummingbotClient(sim.base_url, transport=counter)
            journal = Journal(journal_path(Path(home)), server=client.url, mode="SIM")
            options = DeskOptions(gate=GateMode.ADVISORY, kill_concurrency=concurrency)
            desk = Desk(client, journal, options, pacer=Pacer(clock))
            config = parse_config(CONFIG)

            samples = []
            for _ in range(reviews):
                counter.paths.clear()
                started = time.perf_counter()
                review = await desk.review(desk.plan([config]))
                samples.append(time.perf_counter() - started)
            assert review.can_confirm, [c.line for c in review.checks.failures]
            print(
                f"review: median {statistics.median(samples) * 1000:.1f} ms over {reviews} runs, "
                f"{len(counter.paths)} requests, {len(review.checks.checks)} checks"
            )

            await client.save_controller_config("eth_mm", CONFIG)
            for index in range(bots):
                await client.deploy(f"mm-{index:03d}", ["eth_mm"])
            clock.advance(10)
            counter.paths.clear()
            started = time.perf_counter()
            report = await desk.kill_switch()
            elapsed = time.perf_counter() - started
            polls = sum(path.endswith("/bot-orchestration/status") for path in counter.paths)
            stops = sum(path.endswith("/stop-bot") for path in counter.paths)
            print(
                f"kill switch: {bots} bots, concurrency {concurrency}: {elapsed:.2f} s wall, "
                f"{len(counter.paths)} requests ({stops} stops, {polls} status polls shared by "
                f"all verifications), {len(report.results) - len(report.failed)} verified"
            )
            await client.aclose()
            journal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bots", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--reviews", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.bots, args.concurrency, args.reviews))


if __name__ == "__main__":
    main()
