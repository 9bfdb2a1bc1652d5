"""The bots pane in the real app, fed by a stateful fake server through the real client."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from bots_helpers import AppMaker, quiet_settings, refresh, settle
from fake_hb import T0, FakeClock, FakeHb, bot, controller
from textual.widgets import Static

from tradeagent.desk.journal import Journal, journal_path
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.screens.help import HelpScreen
from tradeagent.tui.widgets.bots_pane import BotsPane
from tradeagent.tui.widgets.header import StatusHeader
from tradeagent.tui.widgets.row_table import RowTable


def pane(app: TradeAgentApp) -> BotsPane:
    return app.query_one(BotsPane)


def cell(app: TradeAgentApp, bot_name: str, column: str) -> str:
    return pane(app).table.cell(bot_name, column)


def text_of(app: TradeAgentApp, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


def three_bots(fake: FakeHb) -> list[str]:
    return [
        fake.add_bot("btc_bb", T0 - timedelta(hours=2, minutes=1), bot()),
        fake.add_bot(
            "eth_mm",
            T0 - timedelta(hours=2, minutes=48),
            bot(controllers={"mm_1": controller(realized=5.0, unrealized=-0.8, volume=18800)}),
        ),
        fake.add_bot("sol_dca", T0 - timedelta(minutes=5), bot(controllers={})),
    ]


async def test_bots_appear_with_their_figures(make: AppMaker, fake: FakeHb) -> None:
    btc, eth, sol = three_bots(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        table = pane(app).table
        assert table.keys == [btc, eth, sol]
        assert cell(app, btc, "status") == "running"
        assert cell(app, btc, "up") == "2h01"
        assert cell(app, btc, "pnl") == "+2.54"  # 3.41 realized - 0.87 unrealized
        assert cell(app, btc, "vol") == "1.24k"
        assert cell(app, btc, "pos") == "1"
        assert cell(app, btc, "win") == "75%"  # 3 take profits, 1 stop loss
        assert cell(app, btc, "closes") == "TP3 SL1"
        assert cell(app, eth, "pnl") == "+4.20"
        # A running bot whose controllers all report nothing has stopped.
        assert cell(app, sol, "status") == "stopped"
        assert cell(app, sol, "up") == "—"
        assert text_of(app, "#bots-totals") == (
            "3 bots · PnL +6.74 (realized +8.41 · unrealized -1.67) · vol 20.0k · 2 positions"
        )
        assert pane(app).border_title == "Bots · 2 running"
        assert not app.query_one("#bots-status").display  # nothing to warn about
        # Names lose the deploy stamp in the table (the uptime says it) but stay the row keys.
        assert cell(app, btc, "bot") == "btc_bb"
        header = app.query_one(StatusHeader)
        assert header.connected is True
        assert header.totals == "3 bots · PnL +6.74 · vol 20.0k"
        assert header.connection.startswith("connected ")
        assert fake.status_requests == 1


async def test_pnl_moves_and_a_stopped_bot_changes_state(
    make: AppMaker, fake: FakeHb, clock: FakeClock
) -> None:
    btc, eth, _ = three_bots(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        fake.bots[btc]["performance"]["ctl_a"] = controller(realized=10.0, unrealized=1.5)
        fake.bots[eth]["performance"] = {"mm_1": {}}  # after stop-bot: an empty last report
        clock.advance(30)
        await refresh(pilot)
        assert cell(app, btc, "pnl") == "+11.50"
        assert cell(app, eth, "status") == "stopped"
        # The session sparkline now has two points and rose.
        trend = pane(app).table.cell(btc, "trend")
        assert len(str(trend)) == 2
        assert str(trend)[0] < str(trend)[1]


async def test_selection_survives_refreshes_and_reordering(
    make: AppMaker, fake: FakeHb, clock: FakeClock
) -> None:
    btc, eth, sol = three_bots(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "down")
        assert pane(app).selected_bot == eth
        await pilot.press("o")  # sort by PnL, highest first
        await pilot.pause()
        order = pane(app).table.keys
        assert order == [eth, btc, sol]
        assert pane(app).selected_bot == eth
        # btc overtakes eth: rows move, the cursor stays on eth.
        fake.bots[btc]["performance"]["ctl_a"] = controller(realized=50.0)
        new = fake.add_bot("arb", T0, bot())
        clock.advance(5)
        await refresh(pilot)
        order = pane(app).table.keys
        assert order == [btc, eth, new, sol]
        assert pane(app).selected_bot == eth
        del fake.bots[btc]
        await refresh(pilot)
        assert btc not in pane(app).table.keys
        assert pane(app).selected_bot == eth


async def test_filter_and_reverse_sort_from_the_keyboard(make: AppMaker, fake: FakeHb) -> None:
    btc, eth, sol = three_bots(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "slash", *"stopped")
        await pilot.pause()
        assert pane(app).table.keys == [sol]
        await pilot.press("enter")  # keep the filter, back to the table
        assert isinstance(app.focused, RowTable)
        assert "filter 'stopped'" in str(pane(app).border_subtitle)
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert pane(app).table.keys == [btc, eth, sol]
        await pilot.press("O")  # reverse the name order
        await pilot.pause()
        assert pane(app).table.keys == [sol, eth, btc]


async def test_a_malformed_bot_does_not_blank_the_others(make: AppMaker, fake: FakeHb) -> None:
    btc, eth, _ = three_bots(fake)
    fake.bots["broken-20261124-110000"] = {"status": "running", "performance": "garbage"}
    fake.bots["nothing-20261124-110000"] = None
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        rows = pane(app).table.keys
        assert btc in rows and eth in rows
        assert cell(app, btc, "pnl") == "+2.54"
        assert cell(app, "broken-20261124-110000", "status") == "error"
        assert "unreadable status" in text_of(app, "#bots-problems")
        assert "2 in error" in text_of(app, "#bots-totals")


async def test_server_down_goes_stale_backs_off_and_recovers(
    make: AppMaker, fake: FakeHb, clock: FakeClock
) -> None:
    btc, _, _ = three_bots(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        link = app.fleet
        fake.down = True
        clock.advance(10)
        failed_at = clock.now
        await refresh(pilot)
        header = app.query_one(StatusHeader)
        assert header.connected is False
        assert header.mode == "OFFLINE"
        stale = "stale since " + failed_at.astimezone().strftime("%H:%M:%S")
        assert header.connection == f"{stale} · server unreachable"
        status = text_of(app, "#bots-status")
        assert status.startswith(stale) and "cannot be reached" in status
        assert "Showing the last data" in status
        assert cell(app, btc, "pnl") == "+2.54"  # the last data stays
        assert any(n.title == "Bots refresh failed" for n in app._notifications)
        # One request per attempt (no hidden retries); stale since the first failure.
        before = fake.status_requests
        clock.advance(10)
        await refresh(pilot)
        assert fake.status_requests == before + 1
        assert link.state.failing_since == failed_at
        fake.down = False
        fake.bots[btc]["performance"]["ctl_a"] = controller(realized=9.0, unrealized=0.0)
        await refresh(pilot)
        assert header.connected is True
        assert header.mode == "LIVE"
        assert cell(app, btc, "pnl") == "+9.00"
        assert not app.query_one("#bots-status").display


async def test_backoff_doubles_from_the_interval_and_is_capped(
    make: AppMaker, fake: FakeHb
) -> None:
    app = make(quiet_settings(poll_interval_s=2))
    fake.down = True
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        waits = [app.fleet.state.retry_in_s]
        for _ in range(6):
            await refresh(pilot)
            waits.append(app.fleet.state.retry_in_s)
        assert waits == [4, 8, 16, 30, 30, 30, 30]


async def test_one_request_per_refresh_whatever_the_bot_count(make: AppMaker, fake: FakeHb) -> None:
    for index in range(40):
        fake.add_bot(
            f"bot{index:02d}",
            T0,
            bot(controllers={f"c{n}": controller() for n in range(5)}),
        )
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        for _ in range(3):
            await refresh(pilot)
        assert fake.requests == [("GET", "/bot-orchestration/status")] * 4
        assert pane(app).table.row_count == 40


async def test_refreshes_never_overlap(make: AppMaker, fake: FakeHb) -> None:
    three_bots(fake)
    fake.hold = asyncio.Event()
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert fake.status_requests == 1  # the first refresh is waiting for the server
        for _ in range(3):
            await pilot.press("ctrl+r")
        await pilot.pause()
        assert fake.status_requests == 1
        fake.hold.set()
        await settle(pilot)
        # The presses asked for one more refresh, run after the first one ended.
        assert fake.status_requests == 2
        assert fake.most_in_flight == 1


async def test_no_refresh_while_a_modal_is_open(make: AppMaker, fake: FakeHb) -> None:
    three_bots(fake)
    app = make(quiet_settings(poll_interval_s=0.2))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await _until(pilot, lambda: app.fleet.state.paused)
        during = fake.status_requests
        await pilot.pause(1.0)  # five intervals with the dialog open
        assert fake.status_requests == during
        assert "paused while a dialog is open" in str(pane(app).border_title)
        await pilot.press("escape")
        await _until(pilot, lambda: fake.status_requests >= during + 2)
        assert not app.fleet.state.paused


async def test_the_timer_refreshes_by_itself(make: AppMaker, fake: FakeHb) -> None:
    three_bots(fake)
    app = make(quiet_settings(poll_interval_s=0.2))
    async with app.run_test(size=(160, 45)) as pilot:
        await _until(pilot, lambda: fake.status_requests >= 3)
        assert fake.most_in_flight == 1


async def test_pnl_history_survives_a_restart(
    make: AppMaker, fake: FakeHb, clock: FakeClock
) -> None:
    btc, _, _ = three_bots(fake)
    settings = quiet_settings()
    path = journal_path(settings.data_dir)
    app = make(settings, Journal(path, server="http://hb.test:8000", mode="LIVE"))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        for realized in (4.0, 6.0):
            clock.advance(61)  # one journal row a minute
            fake.bots[btc]["performance"]["ctl_a"] = controller(realized=realized)
            await refresh(pilot)
        assert app.fleet.history.values(btc) == [2.54, 3.13, 5.13]
    clock.advance(120)
    again = make(settings, Journal(path, server="http://hb.test:8000", mode="LIVE"))
    async with again.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert again.fleet.history.values(btc) == [2.54, 3.13, 5.13, 5.13]
        assert len(pane(again).table.cell(btc, "trend")) == 4
    other_server = make(settings, Journal(path, server="http://elsewhere:8000", mode="LIVE"))
    async with other_server.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert other_server.fleet.history.values(btc) == [5.13]


async def test_no_server_configured_says_how_to_set_one(clock: FakeClock) -> None:
    from tradeagent.tui.app import make_app

    app = make_app(quiet_settings(), hb=lambda: None, clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "hummingbot.url" in text_of(app, "#bots-status")
        assert app.query_one(StatusHeader).connection == "not connected"
        assert app.check_action("refresh", ()) is None


async def _until(pilot: object, condition: object, limit: float = 10.0) -> None:
    """Wait (without asserting on time) until ``condition()`` holds; fail after ``limit``."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot) and callable(condition)
    for _ in range(int(limit / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


async def test_a_bug_reading_a_reply_does_not_end_the_refreshes(
    make: AppMaker, fake: FakeHb, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradeagent.tui import fleet_link

    btc, _, _ = three_bots(fake)
    real = fleet_link.read_fleet
    calls = iter([ValueError("boom"), None])

    def flaky(bots: object) -> object:
        failure = next(calls, None)
        if failure is not None:
            raise failure
        return real(bots)  # type: ignore[arg-type]

    monkeypatch.setattr(fleet_link, "read_fleet", flaky)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert app.fleet.state.connection == "stale"
        assert "could not read the status reply (ValueError: boom)" in text_of(app, "#bots-status")
        await refresh(pilot)
        assert app.fleet.state.connection == "connected"
        assert cell(app, btc, "pnl") == "+2.54"
