"""Status refresh budget: one `GET /bot-orchestration/status` for 100 bots x 5 controllers, through
the real client (HTTP over loopback + parse into models): median of many refreshes, and the bytes
each refresh moves. Budget (DESIGN.md): HTTP + parse + render <= 30 ms median.

    .venv/bin/python bench/status_poll.py [--source sim|synthetic] [--bots 100] [--runs 200]

--source sim (default): `tradeagent sim` in its own process (as a real API would be), filled
through the client with 100 deployed bots of 5 trading controllers each.
Then the same reply is served by a static server (another process), which isolates the client's
own cost from the simulator's time to build the reply.
--source synthetic: the static server with a fleet built from the shapes the real API sends
(CONTRACT.md 3.3), no simulator needed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from tradeagent.hb import HummingbotClient

USER, PASSWORD = "bench", "bench-password"
PAIRS = ["BTC-USD", "ETH-USD", "SOL-USD", "BTC-USD", "ETH-USD"]


# -- the simulator in its own process --------------------------------------------------------


@contextmanager
def simulator() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "TRADEAGENT_CONFIG": os.path.join(home, "config.toml"),
            "TRADEAGENT_HUMMINGBOT__USERNAME": USER,
            "TRADEAGENT_HUMMINGBOT__PASSWORD": PASSWORD,
        }
        command = [sys.executable, "-m", "tradeagent", "sim", "--port", "0", "--speed", "60"]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            found = re.search(r"http://[\d.]+:\d+", banner)
            if not found:
                raise RuntimeError(f"tradeagent sim did not start: {banner!r}")
            yield found.group(0)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def controller_config(index: int) -> dict[str, Any]:
    pair = PAIRS[index % len(PAIRS)]
    if index % 2:
        return {
            "controller_name": "bollinger_v1",
            "controller_type": "directional_trading",
            "connector_name": "hyperliquid_perpetual",
            "trading_pair": pair,
            "candles_connector": "hyperliquid_perpetual",
            "candles_trading_pair": pair,
            "interval": "1m",
            "bb_length": 20,
            "total_amount_quote": 200,
        }
    return {
        "controller_name": "pmm_simple",
        "controller_type": "market_making",
        "connector_name": "hyperliquid_perpetual",
        "trading_pair": pair,
        "buy_spreads": [0.001],
        "sell_spreads": [0.001],
        "total_amount_quote": 200,
        "take_profit": 0.004,
        "stop_loss": 0.01,
        "time_limit": 900,
    }


async def fill(url: str, bots: int, controllers: int) -> None:
    async with HummingbotClient(url, USER, PASSWORD, timeout=60) as hb:
        names = [f"c{index}" for index in range(controllers)]
        for index, name in enumerate(names):
            await hb.save_controller_config(name, controller_config(index))
        for index in range(bots):
            await hb.deploy(f"bench{index:03d}", names)
        while sum(bot.is_running for bot in (await hb.bots_status()).values()) < bots:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        await asyncio.sleep(3)  # a few market minutes of trading, so reports carry figures


# -- a fixed synthetic fleet in this process ---------------------------------------------------


def synthetic_controller(seed: int) -> dict[str, Any]:
    pnl = (seed % 17 - 8) * 0.37
    position = {
        "connector_name": "hyperliquid_perpetual",
        "trading_pair": "BTC-USD",
        "side": "TradeType.BUY",
        "amount": 0.002,
        "breakeven_price": 97012.5,
        "unrealized_pnl_quote": -0.87,
        "realized_pnl_quote": 0.0,
        "cum_fees_quote": 0.05,
        "volume_traded_quote": 194.02,
    }
    performance = {
        "realized_pnl_quote": pnl,
        "unrealized_pnl_quote": -0.87,
        "unrealized_pnl_pct": -0.0043,
        "realized_pnl_pct": 0.0171,
        "global_pnl_quote": pnl - 0.87,
        "global_pnl_pct": 0.0127,
        "volume_traded": 1240.55 + seed,
        "positions_summary": [position],
        "close_type_counts": {"CloseType.TAKE_PROFIT": 3, "CloseType.STOP_LOSS": 1},
    }
    return {"status": "running", "performance": performance, "custom_info": {}}


def synthetic_log(level: str, index: int) -> dict[str, Any]:
    return {
        "level_name": level,
        "msg": f"Controller c{index} signal: {index % 3 - 1}",
        "timestamp": 1795511001.46 + index,
        "logger_name": "hummingbot.strategy_v2",
    }


def synthetic_fleet(bots: int, controllers: int) -> bytes:
    data = {
        f"bot_{b:03d}-20261124-090241": {
            "status": "running",
            "performance": {
                f"c{c}": synthetic_controller(b * controllers + c) for c in range(controllers)
            },
            "error_logs": [synthetic_log("ERROR", i) for i in range(2)],
            "general_logs": [synthetic_log("INFO", i) for i in range(10)],
            "recently_active": True,
            "source": "mqtt",
        }
        for b in range(bots)
    }
    return json.dumps({"status": "success", "data": data}).encode()


@contextmanager
def static(body: bytes) -> Iterator[str]:
    """A uvicorn process answering every request with ``body`` (its own process, as a real
    server would be, so its work does not compete with the client's for this one's GIL)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as payload:
        payload.write(body)
        payload.flush()
        port = free_port()
        command = [sys.executable, __file__, "--serve", payload.name, "--port", str(port)]
        process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def serve_file(path: str, port: int) -> None:
    body = Path(path).read_bytes()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# -- the measurement ---------------------------------------------------------------------------


async def snapshot(url: str) -> bytes:
    async with httpx.AsyncClient(auth=(USER, PASSWORD)) as http:
        reply = await http.get(f"{url}/bot-orchestration/status")
        reply.raise_for_status()
        return reply.content


async def measure(url: str, runs: int) -> tuple[list[float], int, int, int]:
    async with HummingbotClient(url, USER, PASSWORD) as hb:
        bots = await hb.bots_status()  # warm the connection pool and pydantic
        before = hb.bytes_received
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            bots = await hb.bots_status()
            times.append(time.perf_counter() - start)
        per_refresh = (hb.bytes_received - before) // runs
    controllers = sum(len(bot.performance) for bot in bots.values())
    return times, per_refresh, len(bots), controllers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["sim", "synthetic"], default="sim")
    parser.add_argument("--bots", type=int, default=100)
    parser.add_argument("--controllers", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_file(args.serve, args.port)
        return

    if args.source == "sim":
        with simulator() as url:
            started = time.perf_counter()
            asyncio.run(fill(url, args.bots, args.controllers))
            print(f"simulator filled in {time.perf_counter() - started:.1f} s")
            report("live simulator (its own process)", url, args.runs)
            body = asyncio.run(snapshot(url))
        label = "the same reply from a static server (the client's share)"
    else:
        body = synthetic_fleet(args.bots, args.controllers)
        label = "synthetic fleet from a static server"
    with static(body) as url:
        report(label, url, args.runs)
    print("budget: HTTP + parse + render <= 30 ms median (render is the TUI's share)")


def report(label: str, url: str, runs: int) -> None:
    times, per_refresh, bots, controllers = asyncio.run(measure(url, runs))
    ms = sorted(t * 1000 for t in times)
    print(f"{label}: {bots} bots, {controllers} controllers, {runs} refreshes")
    print(f"  median {statistics.median(ms):.2f} ms   p90 {ms[int(len(ms) * 0.9)]:.2f} ms")
    print(f"  bytes per refresh: {per_refresh:,} ({per_refresh / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
