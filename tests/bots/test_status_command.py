"""``tradeagent status`` and ``tradeagent accounts`` in a fresh process, against a server on a
real loopback socket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fake_hb import bot, controller, stamp

from tradeagent.fleet_commands import status
from tradeagent.settings import load_settings

STARTED = datetime.now(UTC) - timedelta(hours=3)
BOT = f"btc_bb-{stamp(STARTED)}"


class Server(ThreadingHTTPServer):
    routes: dict[str, Any]
    hits: list[str]


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        if self.headers.get("Authorization") is None:
            self._reply(401, {"detail": "Not authenticated"})
        elif self.path in self.server.routes:
            self._reply(200, self.server.routes[self.path])
        else:
            self._reply(404, {"detail": "Not Found"})

    def _reply(self, code: int, body: Any) -> None:
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        return


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.hits = []
    httpd.routes = {
        "/bot-orchestration/status": {
            "status": "success",
            "data": {
                BOT: bot(controllers={"a": controller(realized=5.0, unrealized=1.0)}),
                "bad-bot": "garbage",
            },
        },
        "/accounts/": ["master_account", "hl"],
        "/accounts/master_account/credentials": [],
        "/accounts/hl/credentials": ["hyperliquid_perpetual", "hyperliquid"],
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def run(server: Server | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if server is not None:
        env["TRADEAGENT_HUMMINGBOT__URL"] = f"http://127.0.0.1:{server.server_port}"
    return subprocess.run(
        [sys.executable, "-m", "tradeagent", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )


def test_status_prints_every_bot_with_totals(server: Server) -> None:
    done = run(server, "status")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("2 bots · 1 running · PnL +6.00")
    row = next(line for line in lines if line.startswith(BOT)).split()
    assert [row[0], row[1], row[3], row[4]] == [BOT, "running", "1", "+6.00"]
    assert row[2].startswith("3h0")  # deployed three hours before the test began
    assert "bad-bot: the server sent an unreadable status" in done.stdout
    assert server.hits == ["/bot-orchestration/status"]


def test_status_json_is_one_document_for_scripts(server: Server) -> None:
    done = run(server, "status", "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["mode"] == "LIVE"
    assert document["totals"]["net_pnl_quote"] == 6.0
    names = {entry["name"]: entry for entry in document["bots"]}
    assert names[BOT]["uptime_s"] >= 3 * 3600
    assert names["bad-bot"]["status"] == "error"


def test_accounts_lists_connectors_with_keys(server: Server) -> None:
    done = run(server, "accounts")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "account         connectors with keys",
        "hl              hyperliquid, hyperliquid_perpetual",
        "master_account  —",
    ]
    document = json.loads(run(server, "accounts", "--json").stdout)
    assert document["accounts"][0] == {
        "name": "hl",
        "connectors": ["hyperliquid", "hyperliquid_perpetual"],
    }


def test_an_unreachable_server_is_a_clear_error(server: Server) -> None:
    port = server.server_port
    server.shutdown()
    server.server_close()
    env_url = f"http://127.0.0.1:{port}"
    done = subprocess.run(
        [sys.executable, "-m", "tradeagent", "status"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TRADEAGENT_HUMMINGBOT__URL": env_url},
        timeout=60,
    )
    assert done.returncode == 1
    assert "refused the connection" in done.stderr
    assert "Traceback" not in done.stderr


async def test_watch_keeps_going_through_failures(server: Server) -> None:
    url = f"http://127.0.0.1:{server.server_port}"
    settings = load_settings(hummingbot={"url": url}, ui={"poll_interval_s": 0.2}).settings
    out: list[str] = []
    warnings: list[str] = []
    routes = dict(server.routes)
    server.routes = {}  # the status route answers 404 for the first round

    def echo(line: str) -> None:
        out.append(line)
        server.routes = routes  # and is back for the next one

    await status(
        settings,
        as_json=True,
        watch=True,
        echo=echo,
        warn=warnings.append,
        rounds=2,
    )
    failure, success = (json.loads(line) for line in out)
    assert "has no route GET /bot-orchestration/status" in failure["error"]
    assert success["totals"]["bots"] == 2
    assert len(server.hits) >= 2


def test_without_a_url_status_reads_the_built_in_simulator() -> None:
    done = run(None, "status", "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["mode"], document["server"]) == ("SIM", "in-process simulator")
    assert document["bots"] == []


def test_an_unusable_simulator_state_file_is_explained(tmp_path: Path) -> None:
    state = tmp_path / "sim.json"
    state.write_text("{not json")
    done = subprocess.run(
        [sys.executable, "-m", "tradeagent", "accounts"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TRADEAGENT_HUMMINGBOT__SIM_STATE_FILE": str(state)},
        timeout=60,
    )
    assert done.returncode == 2
    assert "is not valid JSON" in done.stderr and "Traceback" not in done.stderr
    assert state.read_text() == "{not json"  # left untouched
