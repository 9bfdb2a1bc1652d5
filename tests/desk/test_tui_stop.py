"""Stopping from the keyboard: stop, archive, one controller, retry; the kill switch with a
bot that refuses; the journal view; reconciliation after a crash."""

from __future__ import annotations

import httpx
import pytest
from desk_harness import BB, PMM, Bench
from desk_tui import Host, on_screen, settings, until
from textual.widgets import DataTable, Input, Static

from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.journal import JournalScreen
from tradeagent.tui.screens.stop_screens import (
    KillSwitchConfirmScreen,
    KillSwitchReportScreen,
    StopChoiceScreen,
)

STOP = "/bot-orchestration/stop-bot"


async def choose_and_confirm(app: Host, pilot: object, *keys: str) -> None:
    await until(pilot, on_screen(app, StopChoiceScreen), "the stop choice")  # type: ignore[arg-type]
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await until(pilot, on_screen(app, ConfirmScreen), "the confirmation")  # type: ignore[arg-type]
    await pilot.press("y")  # type: ignore[attr-defined]


async def test_stop_cancels_orders_and_is_verified(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.stop(bot, ["eth_mm"])
        await choose_and_confirm(app, pilot, "s")
        await until(pilot, lambda: bool(app.said("stopped and confirmed")), "stopped")
        (sent,) = bench.log.sent("POST", STOP)
        assert sent.body == {
            "bot_name": bot,
            "skip_order_cancellation": False,
            "async_backend": False,
        }


async def test_stop_and_archive(bench: Bench) -> None:
    bot = await bench.running_bot(BB)
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.stop(bot, ["btc_bb"])
        await choose_and_confirm(app, pilot, "a")
        await until(pilot, lambda: bool(app.said("and archived")), "archived")
        assert bot not in await bench.client.bots_status()


async def test_stop_one_controller_from_the_list(bench: Bench) -> None:
    bot = await bench.running_bot(BB, PMM)
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.stop(bot, ["btc_bb", "eth_mm"])
        # stop, archive, btc_bb, eth_mm: the fourth option.
        await choose_and_confirm(app, pilot, "down", "down", "down", "enter")
        await until(pilot, lambda: bool(app.said("Controller eth_mm")), "controller stopped")
        status = await bench.client.bot_status(bot)
        assert status.is_running


async def test_cancelling_the_confirmation_stops_nothing(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    sent = len(bench.log.writes)
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.stop(bot, ["eth_mm"])
        await until(pilot, on_screen(app, StopChoiceScreen), "the stop choice")
        await pilot.press("s")
        await until(pilot, on_screen(app, ConfirmScreen), "the confirmation")
        await pilot.press("n")
        await until(pilot, lambda: bool(app.said("Nothing was stopped")), "cancelled")
        assert len(bench.log.writes) == sent


async def test_a_stop_that_does_not_take_offers_a_retry(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    bench.chaos.refuse_stop(bot)
    app = Host(bench, settings(stop_timeout_s=10.0))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.stop(bot, ["eth_mm"])
        await choose_and_confirm(app, pilot, "s")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ConfirmScreen) and len(bench.log.sent("POST", STOP)) == 1
            ),
            "the retry question",
        )
        body = str(app.screen.query_one("#confirm-body", Static).render())
        assert "still runs" in body and "Send the stop again?" in body
        bench.chaos.clear_bot_fault(bot)
        await pilot.press("y")
        await until(pilot, lambda: bool(app.said("stopped and confirmed")), "stopped on retry")
        assert len(bench.log.sent("POST", STOP)) == 2


async def test_kill_switch_lists_the_bot_that_refused(bench: Bench) -> None:
    bots = [
        await bench.running_bot(PMM, name="mm-a"),
        await bench.running_bot(BB, name="bb-b"),
        await bench.running_bot(PMM, name="mm-c"),
    ]
    bench.chaos.refuse_stop(bots[1])
    app = Host(bench, settings(stop_timeout_s=10.0))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.kill_switch()
        await until(pilot, on_screen(app, KillSwitchConfirmScreen), "the kill confirmation")
        await pilot.press("y")
        await until(pilot, on_screen(app, KillSwitchReportScreen), "the report")
        await until(pilot, lambda: bool(app.said("Kill switch: 2 of 3")), "the summary")
        screen = app.screen
        assert isinstance(screen, KillSwitchReportScreen)
        table = screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == bots[1] and rows[0][1] == "✘ still running"  # failures first
        assert sorted(r[0] for r in rows[1:]) == sorted([bots[0], bots[2]])
        assert all(r[1] == "✔ stopped" for r in rows[1:])
        summary = str(screen.query_one("#kill-summary", Static).render())
        assert "NOT confirmed" in summary and bots[1] in summary
        assert app.said("Kill switch: 2 of 3")[0][2] == "error"


async def test_live_kill_switch_needs_the_word(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    app = Host(bench, settings(live=True))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.kill_switch()
        await until(pilot, on_screen(app, KillSwitchConfirmScreen), "the kill confirmation")
        await pilot.press("y")
        await pilot.press(*"stop", "enter")
        await pilot.pause()
        assert isinstance(app.screen, KillSwitchConfirmScreen)
        assert "Type STOP exactly" in str(app.screen.query_one("#kill-error", Static).render())
        app.screen.query_one("#kill-answer", Input).value = ""
        await pilot.press(*"STOP", "enter")
        await until(pilot, lambda: bool(app.said("1 of 1 bots stopped")), "stopped")
        assert [s.body["bot_name"] for s in bench.log.sent("POST", STOP)] == [bot]


async def test_kill_switch_cancelled(bench: Bench) -> None:
    await bench.running_bot(PMM)
    sent = len(bench.log.writes)
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.kill_switch()
        await until(pilot, on_screen(app, KillSwitchConfirmScreen), "the kill confirmation")
        await pilot.press("escape")
        await until(pilot, lambda: bool(app.said("nothing was stopped")), "cancelled")
        assert len(bench.log.writes) == sent
        assert bench.journal.entries()[-1].kind == "kill_switch.cancelled"


async def test_the_journal_view(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.stop(bot, ["eth_mm"])
        await choose_and_confirm(app, pilot, "s")
        await until(pilot, lambda: bool(app.said("stopped and confirmed")), "stopped")
        app.flows.open_journal()
        await until(
            pilot,
            lambda: isinstance(app.screen, JournalScreen) and bool(app.screen.query(DataTable)),
            "the journal",
        )
        table = app.screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count == 2, "the entries")
        kinds = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert kinds == ["stop.outcome", "stop.begin"]  # newest first
        await pilot.press("enter")
        detail = str(app.screen.query_one("#journal-detail-text", Static).render())
        assert '"outcome": "ok"' in detail
        await pilot.press("escape")  # closes the detail
        await pilot.press("slash", *"begin")
        await until(pilot, lambda: table.row_count == 1, "the filter")
        await pilot.press("enter", "escape")
        await until(pilot, lambda: not isinstance(app.screen, JournalScreen), "closed")


class Crash(BaseException):
    pass


async def test_a_crash_mid_stop_is_reconciled_at_the_next_start(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)

    async def die(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        await inner.handle_async_request(request)
        raise Crash

    bench.log.intercept[("POST", STOP)] = die
    with pytest.raises(Crash):
        await bench.desk().stop(bot)
    bench.log.intercept.clear()
    bench.clock.advance(5)
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        worker = app.flows.reconcile_on_start()
        assert worker is not None
        await until(pilot, lambda: bool(app.said("had no recorded outcome")), "reconciled")
        first = app.said("After a crash")[0]
        assert "unknown — check the server" in first[1]  # said at once, before checking
        title, message, _ = app.said("had no recorded outcome")[0]
        assert title == "After a crash" and f"{bot} shows stopped" in message
        assert bench.journal.unfinished() == []
        again = app.flows.reconcile_on_start()
        assert again is not None
        await again.wait()
        assert len([t for t in app.told if t[0] == "After a crash"]) == 2  # nothing new
