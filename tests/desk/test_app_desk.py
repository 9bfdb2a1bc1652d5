"""The real app, keyboard only, on the simulator: a chat proposal becomes a running bot and is
stopped again; nothing a model outputs reaches a deploy without the confirmation; F9; the
journal from the palette; reconciliation at start."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from desk_harness import BB, PMM, Bench, config
from desk_tui import on_screen, until
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tradeagent.hb_setup import HbConnection
from tradeagent.settings import load_settings
from tradeagent.tui.app import TradeAgentApp, make_app
from tradeagent.tui.desk_flows import DeskEvent
from tradeagent.tui.messages import StrategyProposed
from tradeagent.tui.screens.bot_detail import BotDetailScreen
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.deploy_confirm import DeployConfirmScreen
from tradeagent.tui.screens.journal import JournalScreen
from tradeagent.tui.screens.stop_screens import (
    KillSwitchConfirmScreen,
    KillSwitchReportScreen,
    StopChoiceScreen,
)
from tradeagent.tui.widgets.bots_pane import BotsPane

DEPLOY = "/bot-orchestration/deploy-v2-controllers"


def app_on(bench: Bench, **desk: Any) -> TradeAgentApp:
    settings = load_settings(
        ui={"poll_interval_s": 3600},
        desk={"watch_s": 60, "watch_poll_s": 5, "watch_appear_s": 30, **desk},
    ).settings

    def opener() -> HbConnection:
        return HbConnection(bench.client, "SIM", "in-process simulator")

    app = make_app(
        settings,
        hb=opener,
        journal=bench.journal,
        clock=lambda: datetime.fromtimestamp(bench.clock.now(), UTC),
    )
    app.desk.pacer = bench.pacer
    return app


def desk_events(messages: list[Message], **what: bool) -> list[DeskEvent]:
    found = [m for m in messages if isinstance(m, DeskEvent)]
    if what.get("deployed"):
        found = [m for m in found if m.deployed]
    if what.get("verdict"):
        found = [m for m in found if m.verdict is not None]
    if what.get("stopped"):
        found = [m for m in found if m.stop_result is not None]
    return found


async def test_from_a_chat_proposal_to_a_running_bot_and_back_to_stopped(bench: Bench) -> None:
    messages: list[Message] = []
    app = app_on(bench, backtest_gate="off")
    async with app.run_test(size=(160, 45), message_hook=messages.append) as pilot:
        await until(pilot, lambda: app.fleet.connected, "connected")
        prompt = app.query_one("#prompt", Input)
        prompt.value = "mean reversion on BTC perp on Hyperliquid, $500, 2% stop"
        await pilot.press("enter")
        await until(pilot, lambda: app.draft is not None and app.draft.valid, "a valid draft")
        await app.workers.wait_for_complete()
        assert bench.log.writes == []  # the proposal is a draft, nothing more
        await pilot.press("ctrl+g")
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        assert bench.log.writes == []
        await pilot.press("y")
        await until(pilot, lambda: bool(desk_events(messages, deployed=True)), "deployed")
        (deployed,) = desk_events(messages, deployed=True)
        await until(pilot, lambda: bool(desk_events(messages, verdict=True)), "the watch")
        verdict = desk_events(messages, verdict=True)[0].verdict
        assert verdict is not None and verdict.verdict != "failed", verdict.summary
        await pilot.press("ctrl+r")
        pane = app.query_one(BotsPane)
        await until(pilot, lambda: pane.selected_bot == deployed.bot, "the bot in the pane")
        await pilot.press("f4", "enter")
        await until(pilot, on_screen(app, BotDetailScreen), "the bot detail")
        summary = str(app.screen.query_one("#detail-summary", Static).render())
        assert f"watch: {verdict.summary}" in summary
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, BotDetailScreen), "back")
        await pilot.press("ctrl+t")
        await until(pilot, on_screen(app, StopChoiceScreen), "the stop choice")
        await pilot.press("s")
        await until(pilot, on_screen(app, ConfirmScreen), "the stop confirmation")
        await pilot.press("y")
        await until(pilot, lambda: bool(desk_events(messages, stopped=True)), "stopped")
        result = desk_events(messages, stopped=True)[0].stop_result
        assert result is not None and result.ok, result
        assert not (await bench.client.bot_status(deployed.bot)).is_running
        kinds = [e.kind for e in bench.journal.entries(kind_prefix="deploy")]
        assert kinds == ["deploy.begin", "deploy.outcome"]


async def test_no_model_output_reaches_a_deploy_without_the_confirmation(bench: Bench) -> None:
    app = app_on(bench)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: app.fleet.connected, "connected")
        for _ in range(3):
            app.post_message(StrategyProposed(config(BB), "assistant"))
            await pilot.pause()
        prompt = app.query_one("#prompt", Input)
        prompt.value = "deploy it now, market making on ETH perp, $300, go live"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert bench.log.sent("POST", DEPLOY) == []
        assert bench.log.writes == []
        await pilot.press("ctrl+g")
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        assert bench.log.writes == []
        await pilot.press("escape")
        await until(
            pilot, lambda: bench.journal.entries(kind="deploy.cancelled") != [], "cancelled"
        )
        assert bench.log.writes == []


async def test_deploy_is_greyed_out_without_a_valid_draft(bench: Bench) -> None:
    app = app_on(bench)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: app.fleet.connected, "connected")
        assert app.check_action("deploy", ()) is None
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not isinstance(app.screen, DeployConfirmScreen)
        app.post_message(StrategyProposed(config(BB), "test"))
        await until(pilot, lambda: app.check_action("deploy", ()) is True, "deploy enabled")


async def test_f9_kill_switch_lists_the_bot_that_refused(bench: Bench) -> None:
    good = await bench.running_bot(PMM, name="mm")
    bad = await bench.running_bot(BB, name="bb")
    bench.chaos.refuse_stop(bad)
    app = app_on(bench, stop_timeout_s=10)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: app.fleet.connected, "connected")
        await pilot.press("f9")
        await until(pilot, on_screen(app, KillSwitchConfirmScreen), "the confirmation")
        await pilot.press("y")
        await until(pilot, on_screen(app, KillSwitchReportScreen), "the report")
        screen = app.screen
        assert isinstance(screen, KillSwitchReportScreen)
        await until(pilot, lambda: len(screen.results) == 2, "both results")
        assert not screen.results[bad].ok and screen.results[good].ok
        await app.workers.wait_for_complete()
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[0]) == bad  # the failure first


async def journal_from_the_palette(pilot: Pilot[Any], app: TradeAgentApp) -> JournalScreen:
    await pilot.press("ctrl+p", *"Journal")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await until(
        pilot,
        lambda: isinstance(app.screen, JournalScreen) and bool(app.screen.query(DataTable)),
        "the journal",
    )
    assert isinstance(app.screen, JournalScreen)
    return app.screen


async def test_the_journal_from_the_palette(bench: Bench) -> None:
    bench.journal.append("backtest", {"mode": "hummingbot", "results": {}}, config_hash="ab" * 32)
    app = app_on(bench)
    async with app.run_test(size=(160, 45)) as pilot:
        table = (await journal_from_the_palette(pilot, app)).query_one(DataTable)
        await until(pilot, lambda: table.row_count >= 1, "rows")


async def test_the_journal_screen_hides_background_rows_until_asked(bench: Bench) -> None:
    bench.journal.append("bots.pnl", {"pnl": {"btc_bb-1": 2.5}})
    bench.journal.append("backtest", {"mode": "hummingbot", "results": {}}, config_hash="cd" * 32)
    app = app_on(bench)
    async with app.run_test(size=(160, 45)) as pilot:
        table = (await journal_from_the_palette(pilot, app)).query_one(DataTable)
        await until(pilot, lambda: table.row_count >= 1, "rows")

        def kinds() -> list[str]:
            return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]

        assert "backtest" in kinds() and "bots.pnl" not in kinds()
        await pilot.press("a")
        await until(pilot, lambda: "bots.pnl" in kinds(), "the PnL samples")
        row = next(i for i, kind in enumerate(kinds()) if kind == "bots.pnl")
        assert str(table.get_row_at(row)[3]) == "net PnL of 1 bot(s): btc_bb-1 +2.50"
        await pilot.press("a")
        await until(pilot, lambda: "bots.pnl" not in kinds(), "the samples hidden again")


class Crash(BaseException):
    pass


async def test_a_crash_mid_deploy_is_settled_when_the_app_starts(bench: Bench) -> None:
    desk = bench.desk()
    review = await desk.review(desk.plan([config(BB)]))

    async def die(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        await inner.handle_async_request(request)
        raise Crash

    bench.log.intercept[("POST", DEPLOY)] = die
    with pytest.raises(Crash):
        await desk.deploy(review.confirm("y"))
    bench.log.intercept.clear()
    assert len(bench.journal.unfinished()) == 1
    app = app_on(bench)
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: bench.journal.unfinished() == [], "reconciled")
        outcome = bench.journal.entries(kind="deploy.outcome")[-1]
        assert outcome.payload["outcome"] == "reconciled:running"


async def test_the_bot_detail_archives_with_a_and_verifies(bench: Bench) -> None:
    bot = await bench.running_bot(PMM, name="mm")
    messages: list[Message] = []
    app = app_on(bench)
    async with app.run_test(size=(160, 45), message_hook=messages.append) as pilot:
        await until(pilot, lambda: app.fleet.connected, "connected")
        await pilot.press("ctrl+r")
        pane = app.query_one(BotsPane)
        await until(pilot, lambda: pane.selected_bot == bot, "the bot in the pane")
        await pilot.press("f4", "enter")
        await until(pilot, on_screen(app, BotDetailScreen), "the bot detail")
        await pilot.press("a")
        await until(pilot, on_screen(app, ConfirmScreen), "the confirmation")
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert "archive its files" in body
        await pilot.press("y")
        await until(pilot, lambda: bool(desk_events(messages, stopped=True)), "archived")
        result = desk_events(messages, stopped=True)[0].stop_result
        assert result is not None and result.state.value == "archived", result
        assert bench.log.sent("POST", "/bot-orchestration/stop-and-archive-bot/")
