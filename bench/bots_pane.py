"""Bots pane budget: 100 bots × 5 controllers, one status request per refresh.

Time per refresh = HTTP (a real loopback socket to a server in another process) + parse + row
update + render of the screen, measured in the real app (headless, 160×45). Every refresh moves
every bot's PnL, so every row changes. Also counts the requests the server saw and reads the
process's resident memory after all refreshes. Budgets: median ≤ 30 ms, 1 request per refresh,
≤ 200 MB resident.

    .venv/bin/python bench/bots_pane.py [--refreshes 1000] [--bots 100] [--controllers 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SERVER = r"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

bots, controllers = int(sys.argv[1]), int(sys.argv[2])
start = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() - 7200))

def position(i):
    return {"connector_name": "hyperliquid_perpetual", "trading_pair": "BTC-USD",
            "side": "TradeType.BUY" if i % 2 else "TradeType.SELL", "amount": 0.002,
            "breakeven_price": 97012.5, "unrealized_pnl_quote": -0.87, "realized_pnl_quote": 0.0,
            "cum_fees_quote": 0.05, "volume_traded_quote": 194.02}

def payload(variant):
    data = {}
    for b in range(bots):
        performance = {}
        for c in range(controllers):
            realized = (b * 7 + c * 3 + variant) % 50 - 20 + variant * 0.01
            performance[f"ctl_{c}"] = {"status": "running", "custom_info": {}, "performance": {
                "realized_pnl_quote": realized, "unrealized_pnl_quote": -0.5 + variant * 0.02,
                "unrealized_pnl_pct": -0.1, "realized_pnl_pct": 0.2, "global_pnl_quote": realized,
                "global_pnl_pct": 0.1, "volume_traded": 1000.0 + variant * 13 + b,
                "positions_summary": [position(i) for i in range(2)],
                "close_type_counts": {"CloseType.TAKE_PROFIT": 3 + variant % 3,
                                      "CloseType.STOP_LOSS": 1, "CloseType.TIME_LIMIT": 2}}}
        logs = [{"level_name": "INFO", "msg": f"Controller ctl_{i % controllers} signal: {i}",
                 "timestamp": time.time() - i, "logger_name": "hummingbot.strategy_v2"}
                for i in range(20)]
        data[f"bot{b:03d}-{start}"] = {"status": "running", "performance": performance,
                                       "error_logs": logs[:2], "general_logs": logs,
                                       "recently_active": True, "source": "mqtt"}
    return json.dumps({"status": "success", "data": data}).encode()

variants = [payload(v) for v in range(16)]
hits = [0]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as servers do: no 40 ms wait on a delayed ACK
    def do_GET(self):
        if self.path == "/__hits":
            body = str(hits[0]).encode()
        else:
            body = variants[hits[0] % len(variants)]
            hits[0] += 1
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_port, len(variants[0]), flush=True)
server.serve_forever()
"""


CPU: list[float] = []
"""CPU time of this process per refresh: steadier than wall time on a shared machine."""


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(refreshes: int, url: str, data_dir: Path) -> tuple[list[float], int, int, float]:
    import httpx

    from tradeagent.desk.journal import Journal, journal_path
    from tradeagent.hb import HummingbotClient
    from tradeagent.hb_setup import HbConnection
    from tradeagent.settings import load_settings
    from tradeagent.tui.app import make_app
    from tradeagent.tui.widgets.bots_pane import BotsPane

    settings = load_settings(ui={"poll_interval_s": 3600}).settings
    moment = [datetime.now(UTC)]

    def clock() -> datetime:
        return moment[0]

    def opener() -> HbConnection:
        return HbConnection(HummingbotClient(url, "admin", "admin"), "LIVE", url)

    journal = Journal(journal_path(data_dir), server=url, mode="LIVE")
    app = make_app(settings, hb=opener, journal=journal, clock=clock)
    times: list[float] = []
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f4")
        pane = app.query_one(BotsPane)
        rows = pane.table.row_count
        shown = asyncio.Event()
        # Watching after the pane, so it is told once the pane has shown a state.
        app.fleet.watch(pane, lambda _state: shown.set())
        first = app.fleet.requests
        for _ in range(refreshes):
            moment[0] += timedelta(seconds=2)  # two seconds a refresh, as by default
            start, cpu = time.perf_counter(), time.process_time()
            shown.clear()
            state = await app.fleet.refreshed()
            await shown.wait()  # the pane took the new state from its queue and showed it
            app.screen._on_timer_update()  # and the next frame draws it (what a frame does)
            times.append(time.perf_counter() - start)
            CPU.append(time.process_time() - cpu)
            assert state.connection == "connected", state.problem
        made = app.fleet.requests - first
    async with httpx.AsyncClient() as client:
        served = int((await client.get(url + "/__hits")).text)
    return times, made, served - first, resident_mb() if rows else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--refreshes", type=int, default=1000)
    parser.add_argument("--bots", type=int, default=100)
    parser.add_argument("--controllers", type=int, default=5)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.bots), str(args.controllers)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port, size = server.stdout.readline().split()
        url = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as home:
            os.environ["TRADEAGENT_CONFIG"] = str(Path(home) / "config.toml")
            os.environ.pop("TRADEAGENT_HUMMINGBOT__URL", None)
            times, made, served, rss = asyncio.run(run(args.refreshes, url, Path(home)))
    finally:
        server.terminate()
        server.wait()
    median = statistics.median(times)
    print(
        f"bots pane: {args.bots} bots × {args.controllers} controllers, status reply "
        f"{int(size) / 1024:.0f} KiB, {len(times)} refreshes"
    )
    print(
        f"  per refresh (HTTP + parse + update + render): median {median * 1000:.1f} ms, "
        f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms   budget 30 ms median   "
        f"{'ok' if median <= 0.030 else 'OVER BUDGET'}"
    )
    print(
        f"  CPU time per refresh (this process): median {statistics.median(CPU) * 1000:.1f} ms, "
        f"p95 {sorted(CPU)[int(len(CPU) * 0.95)] * 1000:.1f} ms   budget 30 ms median   "
        f"{'ok' if statistics.median(CPU) <= 0.030 else 'OVER BUDGET'}"
    )
    per = served / len(times)
    print(
        f"  requests: {made} sent, {served} served = {per:.2f} per refresh   budget 1   "
        f"{'ok' if made == served == len(times) else 'OVER BUDGET'}"
    )
    print(
        f"  resident memory after {len(times)} refreshes: {rss:.0f} MB   budget 200 MB   "
        f"{'ok' if rss <= 200 else 'OVER BUDGET'}"
    )


if __name__ == "__main__":
    main()
