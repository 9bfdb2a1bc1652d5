"""The simulator over a real socket (uvicorn on 127.0.0.1, an ephemeral port)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tradeagent.sim import ManualClock, SimOptions, create_app, serve_in_thread
from tradeagent.sim.app import SimulatorApp

from .helpers import BB_CONFIG, PMM_CONFIG, deploy, status

ORCH = "/bot-orchestration"


@pytest.fixture
def app(clock: ManualClock) -> SimulatorApp:
    return create_app(SimOptions(archive_s=20, trade_budget_s=None), clock=clock)


@pytest.fixture
def url(app: SimulatorApp) -> Iterator[str]:
    with serve_in_thread(app) as base:
        yield base


@pytest.fixture
async def http(url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=url, auth=("admin", "admin"), timeout=5) as client:
        yield client


async def test_the_server_listens_on_an_ephemeral_loopback_port(url: str) -> None:
    assert url.startswith("http://127.0.0.1:")
    assert not url.endswith(":0")
    async with httpx.AsyncClient(base_url=url) as anonymous:
        root = await anonymous.get("/")
        denied = await anonymous.get(f"{ORCH}/status")
    assert root.json()["name"] == "Hummingbot API"
    assert (denied.status_code, denied.json()) == (401, {"detail": "Not authenticated"})


async def test_quirks_survive_the_wire(http: httpx.AsyncClient) -> None:
    assert (await http.get("/controllers")).status_code == 404
    bad_name = await http.post(
        f"{ORCH}/deploy-v2-controllers",
        json={"instance_name": "a b", "credentials_profile": "x", "controllers_config": []},
    )
    assert (bad_name.status_code, bad_name.text) == (500, "Internal Server Error")
    missing = await http.get(f"{ORCH}/nobody/status")
    assert missing.json()["data"]["status"] == "not_found"


async def test_the_full_cycle_over_a_socket(http: httpx.AsyncClient, clock: ManualClock) -> None:
    bot = await deploy(http, BB_CONFIG, PMM_CONFIG, name="ta-wire")
    clock.advance(5)
    assert (await status(http, bot))["status"] == "running"
    clock.advance(12 * 3600)
    moving = await status(http, bot)
    assert moving["performance"]["pmm_eth"]["performance"]["volume_traded"] > 0
    kill = await http.post(
        f"/controllers/bots/{bot}/pmm_eth/config", json={"manual_kill_switch": True}
    )
    assert kill.status_code == 200
    stop = await http.post(f"{ORCH}/stop-bot", json={"bot_name": bot})
    assert stop.json()["response"]["success"] is True
    clock.advance(2)
    stopped = await status(http, bot)
    assert all(c["performance"] == {} for c in stopped["performance"].values())
    archive = await http.post(f"{ORCH}/stop-and-archive-bot/{bot}")
    assert archive.json()["status"] == "success"
    assert (await status(http, bot))["status"] == "not_found"
    clock.advance(25)
    assert (await http.get("/archived-bots/")).json() == [f"bots/archived/{bot}/data/{bot}.sqlite"]


async def test_a_dropped_connection_reaches_the_client(
    http: httpx.AsyncClient, app: SimulatorApp
) -> None:
    app.state.chaos.drop(f"{ORCH}/status")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        await http.get(f"{ORCH}/status")
    assert (await http.get(f"{ORCH}/status")).status_code == 200


async def test_a_request_that_is_never_answered_times_out(
    http: httpx.AsyncClient, app: SimulatorApp
) -> None:
    app.state.chaos.hang(f"{ORCH}/status")
    with pytest.raises(httpx.ReadTimeout):
        await http.get(f"{ORCH}/status", timeout=0.2)
    assert (await http.get(f"{ORCH}/status")).status_code == 200


async def test_injected_server_errors_over_the_wire(
    http: httpx.AsyncClient, app: SimulatorApp
) -> None:
    app.state.chaos.fail("/docker/running", status=502, times=1)
    failed = await http.get("/docker/running")
    assert (failed.status_code, failed.text) == (502, "Bad Gateway")
    assert (await http.get("/docker/running")).json() is True
