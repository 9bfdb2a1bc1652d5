"""Demo bots: a fresh simulator shows a fleet that has traded; a restored one is left alone."""

from __future__ import annotations

import os
from pathlib import Path

from tradeagent.hb import HummingbotClient
from tradeagent.settings import load_settings
from tradeagent.sim import EmbeddedSimulator, ManualClock, SimOptions
from tradeagent.sim.demo import DEMO_AGE_S, DEMO_BOTS


async def fleet(sim: EmbeddedSimulator) -> dict[str, tuple[str, float, float]]:
    async with HummingbotClient(sim.base_url, "admin", "admin", transport=sim.transport) as hb:
        bots = await hb.bots_status()
    return {n: (b.effective_status, b.volume_traded, b.global_pnl_quote) for n, b in bots.items()}


async def test_fresh_simulator_starts_with_demo_bots_that_already_traded() -> None:
    clock = ManualClock()
    sim = EmbeddedSimulator(SimOptions(demo=True, trade_budget_s=None), clock=clock)
    bots = await fleet(sim)
    assert len(bots) == len(DEMO_BOTS)
    for name, (status, volume, _pnl) in bots.items():
        assert name.startswith("demo-")
        assert status == "running"
        assert volume > 0, f"{name} shows no trading after {DEMO_AGE_S / 3600:.0f} h"
        # Deployed in the past: the name's stamp is DEMO_AGE_S before now.
        assert name.endswith("-20251231-220000")
    # They keep trading as time goes on, like any other simulated bot.
    clock.advance(3600)
    later = await fleet(sim)
    assert sum(v for _, v, _ in later.values()) > sum(v for _, v, _ in bots.values())
    await sim.aclose()


async def test_demo_is_off_by_option_and_not_reseeded_over_saved_state(tmp_path: Path) -> None:
    plain = EmbeddedSimulator(SimOptions(demo=False))
    assert await fleet(plain) == {}
    await plain.aclose()
    state = tmp_path / "sim.json"
    first = EmbeddedSimulator(SimOptions(demo=True, state_file=state))
    names = set(await fleet(first))
    await first.aclose()
    again = EmbeddedSimulator(SimOptions(demo=True, state_file=state))
    assert set(await fleet(again)) == names  # the same two bots, not two more
    await again.aclose()


def test_setting_defaults_to_demo_bots() -> None:
    del os.environ["TRADEAGENT_HUMMINGBOT__SIM_DEMO_BOTS"]  # the test hygiene turns it off
    assert load_settings().settings.hummingbot.sim_demo_bots is True


async def logs(sim: EmbeddedSimulator) -> dict[str, list[str]]:
    async with HummingbotClient(sim.base_url, "admin", "admin", transport=sim.transport) as hb:
        bots = await hb.bots_status()
    return {name: [entry.msg for entry in bot.general_logs] for name, bot in bots.items()}


async def test_a_restart_does_not_log_the_same_closes_again(tmp_path: Path) -> None:
    state = tmp_path / "sim.json"
    clock = ManualClock()
    options = SimOptions(demo=True, state_file=state, trade_budget_s=None)
    first = EmbeddedSimulator(options, clock=clock)
    before = await logs(first)
    await first.aclose()
    assert any("closed by" in m for lines in before.values() for m in lines)  # it traded
    again = EmbeddedSimulator(options, clock=clock)
    clock.advance(120)  # the market moves on: the window is simulated again
    after = await logs(again)
    await again.aclose()
    for name, old in before.items():
        new = after[name]
        assert new[len(new) - len(old) :] == old  # the old lines, unchanged, oldest last
        added = new[: len(new) - len(old)]
        assert not set(added) & set(old), f"{name} logged closes it had logged already"
