"""The product's own client (tradeagent.hb) driving the in-process simulator: the path
`tradeagent` takes when no hummingbot.url is set."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tradeagent.hb import HummingbotClient
from tradeagent.sim import EmbeddedSimulator, ManualClock

from .helpers import BB_CONFIG, PMM_CONFIG


@pytest.fixture
async def hb(embedded: EmbeddedSimulator) -> AsyncIterator[HummingbotClient]:
    client = HummingbotClient(embedded.base_url, "admin", "admin", transport=embedded.transport)
    try:
        yield client
    finally:
        await client.aclose()


async def test_a_full_cycle_through_the_client(hb: HummingbotClient, clock: ManualClock) -> None:
    for config in (BB_CONFIG, PMM_CONFIG):
        await hb.save_controller_config(config["id"], config)
    deployed = await hb.deploy("ta-desk", ["bb_btc", "pmm_eth"], max_global_drawdown_quote=500)
    bot = deployed.unique_instance_name
    assert bot.startswith("ta-desk-")
    clock.advance(5)
    assert (await hb.bots_status())[bot].is_running
    clock.advance(12 * 3600)
    status = (await hb.bots_status())[bot]
    assert status.is_running
    pmm = status.performance["pmm_eth"].performance
    assert pmm is not None
    assert float(pmm.volume_traded) > 0
    await hb.stop_controller(bot, "pmm_eth")
    configs = await hb.bot_controller_configs(bot)
    assert next(c for c in configs if c["id"] == "pmm_eth")["manual_kill_switch"] is True
    await hb.stop_bot(bot)
    clock.advance(2)
    stopped = await hb.bot_status(bot)
    assert stopped.status == "running"  # the server's word; the client knows better
    assert stopped.effective_status == "stopped"
    await hb.stop_and_archive_bot(bot)
    assert bot not in await hb.bots_status()
    clock.advance(30)
    run = (await hb.bot_runs(bot_name=bot)).data[0]
    assert (run.deployment_status, run.run_status) == ("ARCHIVED", "STOPPED")
    assert run.stopped_at is not None
