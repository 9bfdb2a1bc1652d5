"""The bot detail screen: controllers, positions, logs (newest first, searchable, errors
highlighted), and stopping / restarting one controller with confirmation and verification."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from bots_helpers import AppMaker, refresh, settle
from fake_hb import T0, FakeClock, FakeHb, bot, controller, log, position
from textual.widgets import DataTable, Static

from tradeagent.desk.journal import Journal
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.screens.bot_detail import MIN_PNL_SPAN, BotDetailScreen, pnl_axis
from tradeagent.tui.screens.confirm import ConfirmScreen

AT = T0.timestamp()


def busy_bot(fake: FakeHb) -> str:
    return fake.add_bot(
        "btc_bb",
        T0 - timedelta(hours=1),
        bot(
            controllers={
                "ctl_a": controller(
                    positions=[position("BUY", 0.002, -0.87), position("SELL", 1.5, 0.4, "ETH-USD")]
                ),
                "ctl_b": controller(realized=1.0, unrealized=0.0, positions=[], closes={}),
            },
            general=[
                log("Strategy v2_with_controllers started.", AT - 300),
                log("Controller ctl_a signal: 1", AT - 120),
                log("Executor opened BUY 0.002 BTC-USD", AT - 60),
            ],
            errors=[log("Error placing order: insufficient balance", AT - 90, "ERROR")],
        ),
    )


async def open_detail(pilot: object, app: TradeAgentApp) -> BotDetailScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("f4", "enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, BotDetailScreen)
    return screen


def log_text(screen: BotDetailScreen) -> str:
    return str(screen.query_one("#detail-log-text", Static).render())


async def test_enter_opens_the_detail_with_controllers_positions_and_logs(
    make: AppMaker, fake: FakeHb
) -> None:
    name = busy_bot(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_detail(pilot, app)
        assert screen.bot_name == name
        controllers = screen.query_one("#detail-controllers", DataTable)
        assert controllers.row_count == 2
        assert str(controllers.get_cell("ctl_a", "controller")) == "bollinger_v1"
        assert str(controllers.get_cell("ctl_a", "pair")) == "BTC-USD"
        assert str(controllers.get_cell("ctl_a", "net")) == "+2.54"
        assert str(controllers.get_cell("ctl_b", "realized")) == "+1.00"
        note = str(screen.query_one("#detail-configs", Static).render())
        # The strategy's own plain words for a stock controller's config.
        assert (
            "ctl_a: Bollinger mean-reversion on BTC-USD perpetual (Hyperliquid) · $500 over ≤ 2 "
            "positions per side · 5x · stop 2% · take profit 3% · 45 min limit"
        ) in note
        positions = screen.query_one("#detail-positions", DataTable)
        assert positions.row_count == 2
        sides = sorted(str(positions.get_row_at(i)[2]) for i in range(2))
        assert sides == ["long", "short"]
        logs = log_text(screen)
        order = [
            logs.index("Executor opened"),
            logs.index("insufficient balance"),
            logs.index("signal: 1"),
            logs.index("started."),
        ]
        assert order == sorted(order)  # newest first, errors interleaved by time
        assert "4 lines · 1 error" in logs
        styled = screen.query_one("#detail-log-text", Static).render()
        error_spans = [
            str(styled)[span.start : span.end] for span in styled.spans if "red" in str(span.style)
        ]
        assert any("insufficient balance" in text for text in error_spans)
        summary = str(screen.query_one("#detail-summary", Static).render())
        assert (
            "up 1h00" in summary and "win 75%" in summary and "(3 of 4 decided closes)" in summary
        )
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BotDetailScreen)


async def test_logs_can_be_searched(make: AppMaker, fake: FakeHb) -> None:
    busy_bot(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_detail(pilot, app)
        await pilot.press("slash", *"signal")
        await pilot.pause()
        logs = log_text(screen)
        assert "signal: 1" in logs and "insufficient" not in logs
        assert "1 line ·" in logs and "matching 'signal'" in logs
        await pilot.press("escape")  # clears the search, stays on the screen
        await pilot.pause()
        assert isinstance(app.screen, BotDetailScreen)
        assert "insufficient" in log_text(screen)


async def test_detail_follows_refreshes_and_notices_a_vanished_bot(
    make: AppMaker, fake: FakeHb, clock: FakeClock
) -> None:
    name = busy_bot(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_detail(pilot, app)
        fake.bots[name]["general_logs"].append(log("Executor closed by TAKE_PROFIT", AT + 5))
        clock.advance(10)
        await refresh(pilot)
        assert log_text(screen).index("TAKE_PROFIT") < log_text(screen).index("Executor opened")
        del fake.bots[name]
        await refresh(pilot)
        summary = str(screen.query_one("#detail-summary", Static).render())
        assert "no longer on the server" in summary
        assert "TAKE_PROFIT" in log_text(screen)  # the last data stays


async def test_stop_one_controller_asks_sends_the_kill_switch_and_verifies(
    make: AppMaker, fake: FakeHb
) -> None:
    name = busy_bot(fake)
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_detail(pilot, app)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 open position(s)" in str(app.screen.query_one("#confirm-body").render())
        await pilot.press("n")
        await settle(pilot)
        assert fake.count("POST", f"/controllers/bots/{name}/ctl_a/config") == 0
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        sent = [
            json.loads(body)
            for (method, path), body in zip(fake.requests, fake.bodies, strict=True)
            if method == "POST" and path == f"/controllers/bots/{name}/ctl_a/config"
        ]
        assert sent == [{"manual_kill_switch": True}]
        controllers = screen.query_one("#detail-controllers", DataTable)
        assert str(controllers.get_cell("ctl_a", "status")) == "stopped (kill switch)"
        assert str(controllers.get_cell("ctl_b", "status")) == "running"
        assert screen.query_one("#detail-positions", DataTable).row_count == 0
        assert any(
            f"Controller ctl_a of {name} is stopped" in n.message for n in app._notifications
        )
        journal = app.journal
        assert isinstance(journal, Journal)
        begun = journal.latest("controller.stop.begin")
        done = journal.latest("controller.stop.outcome")
        assert begun is not None and begun.payload == {"bot": name, "controller": "ctl_a"}
        assert done is not None and done.payload["outcome"] == "ok"
        # And back: r restarts it.
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert str(controllers.get_cell("ctl_a", "status")) == "running"
        done = journal.latest("controller.restart.outcome")
        assert done is not None and done.payload["outcome"] == "ok"


async def test_a_stop_the_bot_never_shows_is_reported_unconfirmed(
    make: AppMaker, fake: FakeHb, monkeypatch: object
) -> None:
    import pytest

    from tradeagent.tui.screens import bot_detail

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(bot_detail, "VERIFY_PAUSE_S", 0.0)
    monkeypatch.setattr(bot_detail, "VERIFY_ROUNDS", 3)
    name = busy_bot(fake)
    # A bot that ignores its kill switch: the config changes, the positions stay open.
    monkeypatch.setattr(
        fake, "_update_config", lambda bot_name, config, changes: _accept_only(fake, name, changes)
    )
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_detail(pilot, app)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        note = str(screen.query_one("#detail-note", Static).render())
        assert "does not show it" in note
        journal = app.journal
        assert isinstance(journal, Journal)
        done = journal.latest("controller.stop.outcome")
        assert done is not None and done.payload["outcome"] == "unverified"


def _accept_only(fake: FakeHb, bot_name: str, changes: dict[str, object]) -> object:
    import httpx

    fake.configs[bot_name][0].update(changes)
    return httpx.Response(200, json={"message": "updated"})


def test_a_flat_pnl_is_drawn_flat_and_a_moving_one_on_its_own_range() -> None:
    flat = [-0.55579418000, -0.55579418230, -0.55579418459]  # float noise, not a move
    low, high = pnl_axis(flat)
    assert high - low == pytest.approx(MIN_PNL_SPAN)
    assert low < min(flat) and max(flat) < high
    assert pnl_axis([-1.0, 0.5, 3.0]) == (-1.0, 3.0)
