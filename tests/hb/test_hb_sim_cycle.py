"""The client against the simulator over real sockets (uvicorn on 127.0.0.1:0): the whole life
of a bot, from saving its config to its archived run, with the market clock driven by the test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tradeagent.hb import BotStatus, HummingbotClient, NotFound
from tradeagent.sim import ManualClock, SimOptions, create_app, serve_in_thread

PMM = {
    "controller_name": "pmm_simple",
    "controller_type": "market_making",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
    "total_amount_quote": 500,
    "buy_spreads": [0.001],
    "sell_spreads": [0.001],
    "stop_loss": 0.01,
    "take_profit": 0.005,
    "time_limit": 600,
    "cooldown_time": 0,
}
BOLLINGER = {
    "controller_name": "bollinger_v1",
    "controller_type": "directional_trading",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "ETH-USD",
    "total_amount_quote": 300,
    "stop_loss": 0.02,
    "take_profit": 0.03,
    "candles_connector": "hyperliquid_perpetual",
    "candles_trading_pair": "ETH-USD",
    "interval": "1m",
    "bb_length": 20,
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim_url(clock: ManualClock) -> Iterator[str]:
    app = create_app(SimOptions(speed=60.0, boot_s=3.0, archive_s=20.0), clock=clock)
    with serve_in_thread(app) as url:
        yield url


async def test_full_cycle_of_a_bot(sim_url: str, clock: ManualClock) -> None:
    async with HummingbotClient(sim_url, "admin", "admin") as hb:
        await hb.save_controller_config("pmm_btc", PMM)
        await hb.save_controller_config("bb_eth", BOLLINGER)
        assert (await hb.controller_config("pmm_btc"))["id"] == "pmm_btc"

        # The cap is high: these configs bleed fees on the simulated market, and the cycle needs
        # the bot to outlive thirty market hours.
        deployed = await hb.deploy("cycle", ["pmm_btc", "bb_eth"], max_global_drawdown_quote=5000)
        bot = deployed.unique_instance_name
        assert re.fullmatch(r"cycle-\d{8}-\d{6}", bot)

        clock.advance(5)  # the container boots and the bot reports
        status = (await hb.bots_status())[bot]
        assert status.is_running
        assert set(status.performance) == {"pmm_btc", "bb_eth"}

        clock.advance(600)  # ten wall minutes: ten market hours at speed 60
        first = (await hb.bots_status())[bot]
        clock.advance(600)
        second = (await hb.bots_status())[bot]
        assert second.volume_traded > first.volume_traded > 0
        assert second.global_pnl_quote != first.global_pnl_quote

        await hb.stop_controller(bot, "pmm_btc")
        configs = {c["_config_name"]: c for c in await hb.bot_controller_configs(bot)}
        assert configs["pmm_btc"]["manual_kill_switch"] is True
        assert configs["bb_eth"].get("manual_kill_switch") is not True
        stopped_at = _volume(await hb.bot_status(bot), "pmm_btc")
        clock.advance(600)
        status = await hb.bot_status(bot)
        assert status.is_running  # the other controller goes on
        assert _volume(status, "pmm_btc") == stopped_at  # the stopped one trades no more

        await hb.stop_bot(bot)
        clock.advance(5)
        assert (await hb.bot_status(bot)).effective_status == "stopped"

        await hb.stop_and_archive_bot(bot)
        with pytest.raises(NotFound):
            await hb.bot_status(bot)
        clock.advance(30)
        assert bot not in await hb.bots_status()
        runs = (await hb.bot_runs(bot_name=bot)).data
        assert [run.deployment_status for run in runs] == ["ARCHIVED"]
        assert runs[0].run_status == "STOPPED"


def _volume(status: BotStatus, controller: str) -> float:
    report = status.performance[controller].performance
    assert report is not None
    return report.volume_traded
