"""Status refresh budget: one `GET /bot-orchestration/status` for 100 bots x 5 controllers, through
the real client (HTTP over loopback + parse into models), median of many refreshes, and the
bytes each refresh moves. Budget (DESIGN.md): HTTP + parse + render <= 30 ms median.

    .venv/bin/python bench/status_poll.py [--bots 100] [--controllers 5] [--runs 200]

The server is uvicorn on 127.0.0.1:0 serving a fleet built from the shapes the real API sends
(CONTRACT.md section 3.3): every controller with a position and close-type counts, every bot
with 10 general and 2 error log lines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import threading
import time
from typing import Any

import uvicorn

from tradeagent.hb import HummingbotClient


def controller(seed: int) -> dict[str, Any]:
    pnl = (seed % 17 - 8) * 0.37
    return {
        "status": "running",
        "performance": {
            "realized_pnl_quote": pnl,
            "unrealized_pnl_quote": -0.87,
            "unrealized_pnl_pct": -0.0043,
            "realized_pnl_pct": 0.0171,
            "global_pnl_quote": pnl - 0.87,
            "global_pnl_pct": 0.0127,
            "volume_traded": 1240.55 + seed,
            "positions_summary": [
                {
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
            ],
            "close_type_counts": {"CloseType.TAKE_PROFIT": 3, "CloseType.STOP_LOSS": 1},
        },
        "custom_info": {},
    }


def log(level: str, index: int) -> dict[str, Any]:
    return {
        "level_name": level,
        "msg": f"Controller bb_btc_hl_{index} signal: {index % 3 - 1}",
        "timestamp": 1795511001.46 + index,
        "logger_name": "hummingbot.strategy_v2",
    }


def fleet(bots: int, controllers: int) -> bytes:
    data = {
        f"bot_{b:03d}-20261124-090241": {
            "status": "running",
            "performance": {
                f"ctl_{c}": controller(b * controllers + c) for c in range(controllers)
            },
            "error_logs": [log("ERROR", i) for i in range(2)],
            "general_logs": [log("INFO", i) for i in range(10)],
            "recently_active": True,
            "source": "mqtt",
        }
        for b in range(bots)
    }
    return json.dumps({"status": "success", "data": data}).encode()


def serve(body: bytes) -> tuple[uvicorn.Server, threading.Thread, int]:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, port


async def measure(port: int, runs: int) -> tuple[list[float], int, int]:
    async with HummingbotClient(f"http://127.0.0.1:{port}", "admin", "admin") as hb:
        bots = await hb.bots_status()  # warm the connection pool and pydantic
        before = hb.bytes_received
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            bots = await hb.bots_status()
            times.append(time.perf_counter() - start)
        per_refresh = (hb.bytes_received - before) // runs
        controllers = sum(len(b.performance) for b in bots.values())
    return times, per_refresh, controllers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bots", type=int, default=100)
    parser.add_argument("--controllers", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    body = fleet(args.bots, args.controllers)
    server, thread, port = serve(body)
    try:
        times, per_refresh, controllers = asyncio.run(measure(port, args.runs))
    finally:
        server.should_exit = True
        thread.join()

    ms = sorted(t * 1000 for t in times)
    print(f"fleet: {args.bots} bots x {args.controllers} controllers ({controllers} parsed)")
    print(f"status refresh (1 request + parse), {args.runs} runs:")
    print(f"  median {statistics.median(ms):.2f} ms   p90 {ms[int(len(ms) * 0.9)]:.2f} ms")
    print(f"  bytes per refresh: {per_refresh:,} ({per_refresh / 1024:.0f} KiB)")
    print("  budget: <= 30 ms median for HTTP + parse + render (render not included here)")


if __name__ == "__main__":
    main()
