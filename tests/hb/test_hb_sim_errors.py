"""The client's error paths against the simulator over real sockets: the server's own refusals
(401, 404, 422, plain-text 500, failures inside a 200) and injected transport faults."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest

from tradeagent.hb import (
    AuthFailed,
    ConnectionLost,
    HummingbotClient,
    InvalidRequest,
    NotApplied,
    NotFound,
    Rejected,
    ServerError,
    TimedOut,
)
from tradeagent.sim import Chaos, ManualClock, SimOptions, create_app, serve_in_thread

PMM = {
    "controller_name": "pmm_simple",
    "controller_type": "market_making",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
}


@pytest.fixture
def chaos() -> Chaos:
    return Chaos(seed=1)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim_url(chaos: Chaos, clock: ManualClock) -> Iterator[str]:
    app = create_app(SimOptions(boot_s=0.0), clock=clock, chaos=chaos)
    with serve_in_thread(app) as url:
        yield url


def client(url: str, password: str = "admin", **options: float) -> HummingbotClient:
    return HummingbotClient(url, "admin", password, backoff=0.001, **options)


async def test_wrong_password(sim_url: str) -> None:
    async with client(sim_url, password="nope") as hb:
        with pytest.raises(AuthFailed, match="Incorrect username or password"):
            await hb.bots_status()
        assert (await hb.root()).name == "Hummingbot API"  # GET / needs no login


async def test_missing_config_and_unknown_bot(sim_url: str) -> None:
    async with client(sim_url) as hb:
        with pytest.raises(NotFound, match="Configuration 'nope' not found"):
            await hb.controller_config("nope")
        with pytest.raises(NotFound, match="Bot 'ghost' is not running"):
            await hb.bot_status("ghost")
        with pytest.raises(NotFound, match="Bot ghost not found"):
            await hb.stop_bot("ghost")
        with pytest.raises(NotFound, match="not found in active bots"):
            await hb.stop_and_archive_bot("ghost")


async def test_422_from_the_server_lists_the_field(sim_url: str) -> None:
    async with client(sim_url) as hb:
        await hb.save_controller_config("pmm", PMM)
        bot = (await hb.deploy("typed", ["pmm"])).unique_instance_name
        with pytest.raises(InvalidRequest) as caught:
            await hb.bot_history(bot, days=cast(int, "many"))
    assert caught.value.fields[0].where == "days"
    assert caught.value.status_code == 422


async def test_plain_text_500_of_an_unknown_connector(sim_url: str) -> None:
    async with client(sim_url) as hb:
        with pytest.raises(ServerError) as caught:
            await hb.connector_config_map("nope_exchange")
    assert caught.value.server_text == "Internal Server Error"


async def test_deploy_refused_by_docker_inside_a_200(sim_url: str, chaos: Chaos) -> None:
    chaos.refuse_deploy("doomed-*")
    async with client(sim_url) as hb:
        await hb.save_controller_config("pmm", PMM)
        with pytest.raises(Rejected, match="simulated Docker failure"):
            await hb.deploy("doomed", ["pmm"])


async def test_a_hanging_server_times_out(sim_url: str, chaos: Chaos) -> None:
    chaos.hang("/bot-orchestration/status", times=None)
    async with client(sim_url, timeout=0.3, retries=1) as hb:
        with pytest.raises(TimedOut, match=r"did not answer within 0\.3 s"):
            await hb.bots_status()


async def test_a_dropped_read_is_retried(sim_url: str, chaos: Chaos) -> None:
    chaos.drop("/accounts/", times=1)
    async with client(sim_url) as hb:
        assert await hb.accounts() == ["master_account"]
    chaos.drop("/accounts/", times=3)
    async with client(sim_url, retries=2) as hb:
        with pytest.raises(ConnectionLost):
            await hb.accounts()


async def test_a_deploy_whose_connection_drops_is_checked_not_retried(
    sim_url: str, chaos: Chaos
) -> None:
    async with client(sim_url) as hb:
        await hb.save_controller_config("pmm", PMM)
        chaos.drop("/bot-orchestration/deploy-v2-controllers", times=1)
        with pytest.raises(NotApplied, match="shows no new bot"):
            await hb.deploy("dropped", ["pmm"])
        assert await hb.bots_status() == {}
        result = await hb.deploy("dropped", ["pmm"])
        assert not result.recovered
        assert list(await hb.bots_status()) == [result.unique_instance_name]


async def test_a_bot_refusing_to_stop_is_seen_refusing(
    sim_url: str, chaos: Chaos, clock: ManualClock
) -> None:
    async with client(sim_url) as hb:
        await hb.save_controller_config("pmm", PMM)
        bot = (await hb.deploy("stubborn", ["pmm"])).unique_instance_name
        chaos.refuse_stop(bot)
        await hb.stop_bot(bot)  # the server only publishes the command: success means little
        clock.advance(5)
        assert (await hb.bot_status(bot)).is_running
