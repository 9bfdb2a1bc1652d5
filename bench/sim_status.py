"""How fast the simulator answers GET /bot-orchestration/status with 100 bots x 5 controllers.

Every controller trades through the backtest engine; the simulator's per-request trade budget
(SimOptions.trade_budget_s, default 5 ms) caps the engine work inside one request, so with 500
controllers they take turns. Prints the median and p95 wall time, and the median CPU time of
this process (steadier on a shared machine), of: the server-side work alone, parsing the reply
alone, a request through the in-process transport (with JSON parse), and a request over a real
socket (with JSON parse; the server thread's CPU counts too); each at market speed 1 (a new
candle every 30 polls of 2 s) and 60 (new candles on every poll), plus the reply's size.

    .venv/bin/python bench/sim_status.py
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from tradeagent.sim import EmbeddedSimulator, ManualClock, SimOptions, serve_in_thread

BOTS = 100
CONTROLLERS = 5
POLLS = 200
POLL_INTERVAL_S = 2.0
PAIRS = ["BTC-USD", "ETH-USD", "SOL-USD", "HYPE-USD", "DOGE-USD"]


def controller_config(bot: int, index: int) -> dict[str, Any]:
    pair = PAIRS[(bot + index) % len(PAIRS)]
    common = {
        "id": f"c{bot}_{index}",
        "connector_name": "hyperliquid_perpetual",
        "trading_pair": pair,
        "total_amount_quote": 100 + 10 * index,
        "stop_loss": 0.02,
        "take_profit": 0.01,
        "time_limit": 2700,
    }
    if index % 2:
        return {
            **common,
            "controller_name": "pmm_simple",
            "controller_type": "market_making",
            "buy_spreads": [0.002],
            "sell_spreads": [0.002],
        }
    return {**common, "controller_name": "bollinger_v1", "controller_type": "directional_trading"}


async def populate(http: httpx.AsyncClient, clock: ManualClock) -> None:
    for bot in range(BOTS):
        names = []
        for index in range(CONTROLLERS):
            body = controller_config(bot, index)
            await http.post(f"/controllers/configs/{body['id']}", json=body)
            names.append(body["id"])
        reply = await http.post(
            "/bot-orchestration/deploy-v2-controllers",
            json={
                "instance_name": f"bench-{bot}",
                "credentials_profile": "master_account",
                "controllers_config": names,
            },
        )
        assert reply.json()["success"], reply.text
    clock.advance(5)
    await http.get("/bot-orchestration/status")
    clock.advance(6 * 3600)  # six simulated hours of trading before measuring
    await http.get("/bot-orchestration/status")


def summary(label: str, samples: tuple[list[float], list[float]]) -> str:
    wall, cpu = (sorted(s) for s in samples)
    p95 = wall[int(len(wall) * 0.95) - 1]
    return (
        f"{label:<38} wall median {statistics.median(wall) * 1e3:6.2f} ms"
        f"  p95 {p95 * 1e3:6.2f} ms  cpu median {statistics.median(cpu) * 1e3:6.2f} ms"
    )


async def measure(
    poll: Callable[[], Coroutine[Any, Any, Any]], clock: ManualClock
) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(POLLS):
        clock.advance(POLL_INTERVAL_S)
        started, started_cpu = time.perf_counter(), time.process_time()
        await poll()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


async def main() -> None:
    clock = ManualClock()
    embedded = EmbeddedSimulator(SimOptions(), clock=clock)
    auth = ("admin", "admin")
    async with httpx.AsyncClient(
        transport=embedded.transport, base_url=embedded.base_url, auth=auth, timeout=60
    ) as http:
        setup = time.perf_counter()
        budget = embedded.sim.options.trade_budget_s
        embedded.sim.options.trade_budget_s = None  # let every bot trade the first six hours
        await populate(http, clock)
        embedded.sim.options.trade_budget_s = budget
        print(
            f"setup: {BOTS} bots x {CONTROLLERS} controllers in {time.perf_counter() - setup:.1f} s"
        )
        body = (await http.get("/bot-orchestration/status")).content
        bots = len(json.loads(body)["data"])
        print(f"reply: {len(body):,} bytes for {bots} bots")

        async def parse_only() -> None:
            json.loads(body)

        async def in_process() -> None:
            (await http.get("/bot-orchestration/status")).json()

        async def server_only() -> None:
            embedded.sim.tick()
            embedded.sim.status_all_json()

        with serve_in_thread(embedded.app) as url:
            async with httpx.AsyncClient(base_url=url, auth=auth, timeout=60) as wire:

                async def over_socket() -> None:
                    (await wire.get("/bot-orchestration/status")).json()

                phases = [
                    ("server work (tick + serialize)", server_only),
                    ("client JSON parse alone", parse_only),
                    ("in-process transport, request + parse", in_process),
                    ("real socket, request + parse", over_socket),
                ]
                for speed in (1.0, 60.0):
                    embedded.sim.set_speed(speed)
                    print(f"-- market speed {speed:g}x, one poll every {POLL_INTERVAL_S:g} s")
                    for label, poll in phases:
                        print(summary(label, await measure(poll, clock)))
    await embedded.aclose()


if __name__ == "__main__":
    asyncio.run(main())
