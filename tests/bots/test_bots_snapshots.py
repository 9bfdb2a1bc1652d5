"""SVG snapshots of the bots pane, the bot detail and the accounts screen with fixed data and a
fixed clock shown in UTC (no wall-clock time in any picture).

Regenerate deliberately: pytest tests/bots/test_bots_snapshots.py --snapshot-update
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from bots_helpers import quiet_settings, settle
from fake_hb import T0, FakeClock, FakeHb, bot, controller, log, position
from textual.pilot import Pilot

from tradeagent.desk.journal import Journal, journal_path
from tradeagent.tui.app import TradeAgentApp, make_app

AT = T0.timestamp()


@pytest.fixture(autouse=True)
def utc_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in local time: make local time UTC for the pictures."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def fleet(fake: FakeHb) -> None:
    fake.add_bot(
        "btc_bb",
        T0 - timedelta(hours=2, minutes=1),
        bot(
            controllers={"bb_btc": controller(positions=[position(), position("SELL", 1.2, 0.4)])},
            general=[
                log("Controller bb_btc signal: 1", AT - 120),
                log("Executor opened BUY 0.002 BTC-USD", AT - 60),
            ],
            errors=[log("Error placing order: insufficient balance", AT - 90, "ERROR")],
        ),
    )
    fake.add_bot(
        "eth_mm",
        T0 - timedelta(hours=2, minutes=48),
        bot(controllers={"mm": controller(realized=5.0, unrealized=-0.8, volume=18_800)}),
    )
    fake.add_bot("sol_dca", T0 - timedelta(minutes=5), bot(controllers={"dca": {}}))
    fake.bots["garbled-20261124-110000"] = {"status": "running", "performance": "garbage"}


def app_with(fake: FakeHb, clock: FakeClock) -> TradeAgentApp:
    settings = quiet_settings()
    journal = Journal(journal_path(settings.data_dir), server="http://hb.test:8000", mode="LIVE")
    return make_app(settings, hb=fake.opener, journal=journal, clock=clock)


async def moving_pnl(pilot: Pilot[Any], fake: FakeHb, clock: FakeClock) -> None:
    """Four refreshes, ten seconds apart, with btc's PnL rising and eth's falling."""
    await settle(pilot)
    btc, eth = sorted(fake.bots)[:2]
    for step in range(1, 4):
        clock.advance(10)
        fake.bots[btc]["performance"]["bb_btc"] = controller(
            realized=3.41 + step, positions=[position(), position("SELL", 1.2, 0.4)]
        )
        fake.bots[eth]["performance"]["mm"] = controller(
            realized=5.0 - step, unrealized=-0.8, volume=18_800
        )
        await pilot.press("ctrl+r")
        await settle(pilot)


def test_bots_pane_with_live_data(snap_compare: Any) -> None:
    fake, clock = FakeHb(), FakeClock()
    fleet(fake)

    async def run_before(pilot: Pilot[Any]) -> None:
        await moving_pnl(pilot, fake, clock)
        await pilot.press("f4", "down")
        await pilot.pause()

    assert snap_compare(app_with(fake, clock), terminal_size=(160, 45), run_before=run_before)


def test_bots_pane_stale_after_the_server_went_away(snap_compare: Any) -> None:
    fake, clock = FakeHb(), FakeClock()
    fleet(fake)

    async def run_before(pilot: Pilot[Any]) -> None:
        await moving_pnl(pilot, fake, clock)
        fake.down = True
        clock.advance(10)
        await pilot.press("ctrl+r")
        await settle(pilot)

    assert snap_compare(app_with(fake, clock), terminal_size=(160, 45), run_before=run_before)


def test_bot_detail(snap_compare: Any) -> None:
    fake, clock = FakeHb(), FakeClock()
    fleet(fake)

    async def run_before(pilot: Pilot[Any]) -> None:
        await moving_pnl(pilot, fake, clock)
        await pilot.press("f4", "enter")
        await settle(pilot)

    assert snap_compare(app_with(fake, clock), terminal_size=(160, 45), run_before=run_before)
