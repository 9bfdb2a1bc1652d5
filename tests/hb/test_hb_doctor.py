"""`tradeagent doctor`: every check's pass and failure, and the command over real sockets."""

from __future__ import annotations

import json
import os
import socket
import threading
from base64 import b64encode
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from hb_contract import BAD_AUTH, MQTT, ROOT
from hb_fakes import FakeApi

from fakes.keys import anthropic_key
from tradeagent.cli import cli
from tradeagent.doctor import Setup, Verdict, blocks_trading, doctor, run_checks


def healthy(api: FakeApi) -> None:
    api.json("GET", "/", ROOT)
    api.json("GET", "/accounts/", ["master_account", "desk"])
    api.json("GET", "/docker/running", True)
    api.json("GET", "/bot-orchestration/mqtt", MQTT)
    api.json("GET", "/accounts/master_account/credentials", ["hyperliquid_perpetual"])
    api.json("GET", "/accounts/desk/credentials", [])


def verdicts(checks: list[Any]) -> dict[str, Verdict]:
    return {check.name: check.verdict for check in checks}


async def test_a_healthy_setup_passes_every_check() -> None:
    api = FakeApi()
    healthy(api)
    lines: list[str] = []
    async with api.client() as hb:
        code = await doctor(hb, Setup(anthropic_key_source="env ANTHROPIC_API_KEY"), lines.append)
    assert code == 0
    assert lines == [
        "tradeagent doctor · Hummingbot API at http://hb.test:8000",
        "✔ server     Hummingbot API at http://hb.test:8000 answers.",
        "✔ version    Hummingbot API 1.0.1.",
        "✔ auth       user 'admin' accepted.",
        "✔ docker     the API reaches Docker and can start bots.",
        "✔ mqtt       broker 127.0.0.1:18830 connected; 1 bot reporting.",
        "✔ accounts   master_account: hyperliquid_perpetual; desk: no keys.",
        "✔ anthropic  key set (env ANTHROPIC_API_KEY); Claude answers in the chat.",
        "Ready to trade.",
    ]


async def test_warnings_do_not_block_trading() -> None:
    api = FakeApi()
    healthy(api)
    api.json("GET", "/", {**ROOT, "version": "2.1.0"})
    async with api.client() as hb:
        checks = await run_checks(hb, Setup(default_login=True))
    assert verdicts(checks) == {
        "server": Verdict.OK,
        "version": Verdict.WARN,
        "auth": Verdict.WARN,
        "docker": Verdict.OK,
        "mqtt": Verdict.OK,
        "accounts": Verdict.OK,
        "anthropic": Verdict.WARN,
    }
    assert not blocks_trading(checks)
    auth = next(c for c in checks if c.name == "auth")
    assert "default admin/admin" in auth.line and "Fix: set USERNAME and PASSWORD" in auth.line


@pytest.mark.parametrize(
    ("route", "body", "failing", "words"),
    [
        ("/docker/running", False, "docker", "cannot reach Docker"),
        (
            "/bot-orchestration/mqtt",
            {"status": "success", "data": {"mqtt_connected": False, "client_state": "down"}},
            "mqtt",
            "not connected to its MQTT broker ?:? (down)",
        ),
        ("/accounts/master_account/credentials", [], "accounts", "has no exchange keys"),
        ("/accounts/", ["desk"], "accounts", "'master_account' (hummingbot.account) does not"),
        ("/", {"name": "Grafana", "version": "10"}, "version", "not the Hummingbot API"),
    ],
)
async def test_each_blocking_failure_names_its_fix(
    route: str, body: Any, failing: str, words: str
) -> None:
    api = FakeApi()
    healthy(api)
    api.json("GET", route, body)
    async with api.client() as hb:
        checks = await run_checks(hb, Setup())
    failed = [c for c in checks if c.verdict is Verdict.FAIL]
    assert [c.name for c in failed] == [failing]
    assert words in failed[0].summary
    assert failed[0].fix
    assert blocks_trading(checks)


async def test_the_simulator_needs_no_exchange_keys() -> None:
    api = FakeApi()
    healthy(api)
    api.json("GET", "/accounts/master_account/credentials", [])
    async with api.client() as hb:
        checks = await run_checks(hb, Setup(simulated=True))
    accounts = next(c for c in checks if c.name == "accounts")
    assert accounts.verdict is Verdict.OK
    assert accounts.summary == (
        "master_account: no keys; desk: no keys; simulated bots need no exchange keys."
    )


async def test_a_refused_login_skips_what_needs_it() -> None:
    api = FakeApi()
    healthy(api)
    api.json("GET", "/accounts/", BAD_AUTH, status=401)
    async with api.client() as hb:
        checks = await run_checks(hb, Setup())
    assert verdicts(checks)["auth"] is Verdict.FAIL
    assert [verdicts(checks)[n] for n in ("docker", "mqtt", "accounts")] == [Verdict.SKIP] * 3
    assert "hummingbot.password" in checks[2].summary


async def test_a_failing_route_after_a_good_login_fails_only_that_check() -> None:
    api = FakeApi()
    healthy(api)
    api.on("GET", "/accounts/", httpx.Response(500, text="Internal Server Error"))
    async with api.client() as hb:
        checks = await run_checks(hb, Setup())
    assert verdicts(checks)["auth"] is Verdict.OK
    assert verdicts(checks)["accounts"] is Verdict.FAIL
    assert verdicts(checks)["docker"] is Verdict.OK


# -- the command, over real sockets ---------------------------------------------------------

USER, PASSWORD = "trader", "Very-Secret-77"


class _Api(BaseHTTPRequestHandler):
    replies: dict[str, Any] = {}

    def do_GET(self) -> None:
        expected = "Basic " + b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.path != "/" and self.headers.get("authorization") != expected:
            self._send(401, BAD_AUTH)
        elif self.path in self.replies:
            self._send(200, self.replies[self.path])
        else:
            self._send(404, {"detail": "Not Found"})

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Api.replies = {
        "/": ROOT,
        "/accounts/": ["master_account"],
        "/docker/running": True,
        "/bot-orchestration/mqtt": MQTT,
        "/accounts/master_account/credentials": ["hyperliquid_perpetual"],
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def run_doctor(*args: str) -> Any:
    return CliRunner().invoke(cli, ["doctor", *args])


def test_doctor_passes_against_a_ready_server(server: str) -> None:
    os.environ["TRADEAGENT_HUMMINGBOT__URL"] = server
    os.environ["TRADEAGENT_HUMMINGBOT__USERNAME"] = USER
    os.environ["TRADEAGENT_HUMMINGBOT__PASSWORD"] = PASSWORD
    os.environ["ANTHROPIC_API_KEY"] = key = anthropic_key("never-shown")
    result = run_doctor()
    assert result.exit_code == 0, result.output
    assert "✔ auth       user 'trader' accepted." in result.output
    assert "key set (env ANTHROPIC_API_KEY)" in result.output
    assert key not in result.output
    assert result.output.rstrip().endswith("Ready to trade.")


def test_doctor_with_a_wrong_password_never_prints_it(server: str) -> None:
    os.environ["TRADEAGENT_HUMMINGBOT__USERNAME"] = USER
    os.environ["TRADEAGENT_HUMMINGBOT__PASSWORD"] = "Wrong-Password-42"
    result = run_doctor("--url", server)
    assert result.exit_code == 1
    assert "✘ auth       Hummingbot API at" in result.output
    assert "Incorrect username or password" in result.output
    assert "Wrong-Password-42" not in result.output


def test_doctor_explains_a_dead_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_doctor("--url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1] == (
        f"✘ server     Hummingbot API at http://127.0.0.1:{port} refused the connection. "
        "Is it running? `docker compose up -d`, then `tradeagent doctor`."
    )
    assert lines[-1] == "Trading is blocked until the ✘ lines are fixed."


def test_doctor_refuses_a_url_without_a_scheme() -> None:
    result = run_doctor("--url", "127.0.0.1:8000")
    assert result.exit_code == 2
    assert "must start with http:// or https://" in result.output


def test_doctor_without_a_url_checks_the_built_in_simulator() -> None:
    result = run_doctor()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "tradeagent doctor · The built-in simulator (in-process)"
    assert lines[1:7] == [
        "✔ server     The built-in simulator (in-process) answers.",
        "✔ version    Hummingbot API 1.0.1.",
        "✔ auth       user 'admin' accepted.",
        "✔ docker     the API reaches Docker and can start bots.",
        "✔ mqtt       broker localhost:1883 connected; 0 bots reporting.",
        "✔ accounts   master_account: no keys; simulated bots need no exchange keys.",
    ]
    assert lines[7].startswith("⚠ anthropic")
    assert lines[-1] == "Ready to trade."


def test_doctor_on_the_simulator_with_an_account_it_lacks() -> None:
    os.environ["TRADEAGENT_HUMMINGBOT__ACCOUNT"] = "desk"
    result = run_doctor()
    assert result.exit_code == 1
    assert "✘ accounts   account 'desk' (hummingbot.account) does not exist" in result.output
