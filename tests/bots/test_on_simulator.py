"""The bots pane and the bot detail against the real simulator (in-process, manual clock):
bots that trade, stop, go silent, and a server that fails and comes back."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from bots_helpers import quiet_settings, refresh, settle
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tradeagent.desk.fleet_format import compact, signed
from tradeagent.hb import HummingbotClient
from tradeagent.hb_setup import HbConnection
from tradeagent.sim import EmbeddedSimulator, ManualClock, SimOptions
from tradeagent.tui.app import TradeAgentApp, make_app
from tradeagent.tui.screens.bot_detail import BotDetailScreen
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.help import HelpScreen
from tradeagent.tui.widgets.bots_pane import BotsPane

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "controller-schemas.json"
EXAMPLES: dict[str, Any] = json.loads(SCHEMAS.read_text(encoding="utf-8"))["controllers"]
MINUTE = 60.0


def example(controller: str, config_id: str) -> dict[str, Any]:
    config = copy.deepcopy(EXAMPLES[controller]["example_config"])
    config["id"] = config_id
    return config


class CountingTransport(httpx.AsyncBaseTransport):
    """The simulator's transport, counting what goes through it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)

    def count(self, path: str = "/bot-orchestration/status") -> int:
        return sum(1 for _, seen in self.requests if seen == path)


@pytest.fixture
def sim_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def simulator(sim_clock: ManualClock) -> AsyncIterator[EmbeddedSimulator]:
    async with EmbeddedSimulator(SimOptions(trade_budget_s=None), clock=sim_clock) as sim:
        yield sim


@pytest.fixture
def transport(simulator: EmbeddedSimulator) -> CountingTransport:
    return CountingTransport(simulator.transport)


def client_of(
    simulator: EmbeddedSimulator, transport: httpx.AsyncBaseTransport
) -> HummingbotClient:
    return HummingbotClient(simulator.base_url, "admin", "admin", transport=transport)


@pytest.fixture
def app_on(
    simulator: EmbeddedSimulator, transport: CountingTransport, sim_clock: ManualClock
) -> Callable[..., TradeAgentApp]:
    """The app on the simulator, both reading the same manual clock."""

    def build(**ui: Any) -> TradeAgentApp:
        def opener() -> HbConnection:
            return HbConnection(client_of(simulator, transport), "SIM", "in-process simulator")

        def clock() -> datetime:
            return datetime.fromtimestamp(sim_clock.now(), UTC)

        return make_app(quiet_settings(**ui), hb=opener, clock=clock)

    return build


async def deploy(simulator: EmbeddedSimulator, clock: ManualClock) -> tuple[str, str]:
    """Two trading bots, booted and an hour and a half into the market (positions open)."""
    async with client_of(simulator, simulator.transport) as client:
        names = []
        for base, controller, config_id in (
            ("mm", "pmm_simple", "pmm_eth"),
            ("dir", "bollinger_v1", "bb_btc"),
        ):
            await client.save_controller_config(config_id, example(controller, config_id))
            names.append((await client.deploy(base, [config_id])).unique_instance_name)
        clock.advance(5)
        await client.bots_reports()  # the simulator moves on requests: the bots boot now
    clock.advance(90 * MINUTE)
    return names[0], names[1]


def pane(app: TradeAgentApp) -> BotsPane:
    return app.query_one(BotsPane)


async def test_bots_appear_trade_and_stop(
    app_on: Callable[..., TradeAgentApp],
    simulator: EmbeddedSimulator,
    sim_clock: ManualClock,
    transport: CountingTransport,
) -> None:
    mm, directional = await deploy(simulator, sim_clock)
    app = app_on()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        table = pane(app).table
        assert sorted(table.keys) == sorted([mm, directional])
        assert table.cell(mm, "status") == "running"
        assert table.cell(mm, "up") == "1h30"
        first = app.fleet.state.fleet
        assert first is not None
        await pilot.press("f4")
        table.move_cursor_to(directional)
        # An hour of market later the market maker's PnL and volume have moved.
        sim_clock.advance(60 * MINUTE)
        await refresh(pilot)
        later = app.fleet.state.fleet
        assert later is not None
        before, after = first.get(mm), later.get(mm)
        assert before is not None and after is not None
        assert (after.net, after.volume) != (before.net, before.volume)
        assert table.cell(mm, "pnl") == signed(after.net)  # the row shows the new figure
        assert table.cell(mm, "vol") == compact(after.volume)
        assert pane(app).selected_bot == directional  # the cursor stayed on its bot
        async with client_of(simulator, simulator.transport) as client:
            await client.stop_bot(mm)
        sim_clock.advance(5)
        await refresh(pilot)
        assert table.cell(mm, "status") == "stopped"
        assert table.cell(directional, "status") == "running"
        assert pane(app).selected_bot == directional
        # One status request per refresh, nothing else, whatever the number of bots.
        assert transport.requests == [("GET", "/bot-orchestration/status")] * 3


async def test_a_silent_bot_turns_idle(
    app_on: Callable[..., TradeAgentApp], simulator: EmbeddedSimulator, sim_clock: ManualClock
) -> None:
    mm, directional = await deploy(simulator, sim_clock)
    app = app_on()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        simulator.sim.chaos.silence(directional)
        sim_clock.advance(45)
        await refresh(pilot)
        assert pane(app).table.cell(directional, "status") == "idle"
        assert pane(app).table.cell(mm, "status") == "running"


async def test_server_failure_goes_stale_then_recovers(
    app_on: Callable[..., TradeAgentApp], simulator: EmbeddedSimulator, sim_clock: ManualClock
) -> None:
    mm, _ = await deploy(simulator, sim_clock)
    app = app_on()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        pnl = pane(app).table.cell(mm, "pnl")
        simulator.sim.chaos.fail("/bot-orchestration/status", status=503, times=1)
        await refresh(pilot)
        state = app.fleet.state
        assert state.connection == "stale" and state.reason == "server error (HTTP 503)"
        assert "is unavailable (HTTP 503" in str(app.query_one("#bots-status", Static).render())
        assert pane(app).table.cell(mm, "pnl") == pnl  # the last data stays
        await refresh(pilot)
        assert app.fleet.state.connection == "connected"
        assert not app.query_one("#bots-status").display


async def test_no_request_while_a_modal_is_open(
    app_on: Callable[..., TradeAgentApp],
    simulator: EmbeddedSimulator,
    sim_clock: ManualClock,
    transport: CountingTransport,
) -> None:
    await deploy(simulator, sim_clock)
    app = app_on(poll_interval_s=0.2)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await _until(pilot, lambda: app.fleet.state.paused)
        during = transport.count()
        await pilot.pause(1.0)
        assert transport.count() == during
        await pilot.press("escape")
        await _until(pilot, lambda: transport.count() > during)


async def test_detail_shows_positions_and_logs_and_stops_a_controller(
    app_on: Callable[..., TradeAgentApp], simulator: EmbeddedSimulator, sim_clock: ManualClock
) -> None:
    mm, _ = await deploy(simulator, sim_clock)
    app = app_on()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        pane(app).table.move_cursor_to(mm)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BotDetailScreen)
        bot = app.fleet.state.fleet.get(mm) if app.fleet.state.fleet else None
        assert bot is not None and bot.has_logs
        positions = screen.query_one("#detail-positions", DataTable)
        assert positions.row_count == bot.open_positions > 0
        logs = str(screen.query_one("#detail-log-text", Static).render())
        assert "Strategy v2_with_controllers started." in logs
        assert (
            str(
                screen.query_one("#detail-controllers", DataTable).get_cell("pmm_eth", "controller")
            )
            == "pmm_simple"
        )
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        controllers = screen.query_one("#detail-controllers", DataTable)
        assert str(controllers.get_cell("pmm_eth", "status")) == "stopped (kill switch)"
        assert positions.row_count == 0
        assert "Manual cash out for controller pmm_eth" in str(
            screen.query_one("#detail-log-text", Static).render()
        )
        await pilot.press("escape")
        await pilot.pause()
    # Leaving the detail stops reading logs again.
    assert not app.fleet._log_readers


async def _until(pilot: Pilot[Any], condition: Callable[[], bool], limit: float = 10.0) -> None:
    for _ in range(int(limit / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")
