"""Deploy from the keyboard: preflight, gate, the confirmation modal, deploy, watch."""

from __future__ import annotations

from desk_harness import BB, HL_KEYS, Bench, config
from desk_tui import Host, on_screen, settings, until
from textual.widgets import Input, Static

from tradeagent.desk import record_backtest
from tradeagent.strategy import config_hash
from tradeagent.tui.desk_flows import DEPLOY_GROUP, WATCH_GROUP
from tradeagent.tui.screens.deploy_confirm import DeployConfirmScreen

DEPLOY = "/bot-orchestration/deploy-v2-controllers"
BACKTEST = {
    "mode": "hummingbot",
    "results": {"net_pnl": 0.031, "net_pnl_quote": 15.4, "total_positions": 1094},
    "window": {"source": "hyperliquid", "start": 1_700_000_000, "end": 1_702_592_000},
}


def body_text(app: Host) -> str:
    screen = app.screen
    assert isinstance(screen, DeployConfirmScreen)
    return "\n".join(f"{label} {text}" for label, text in _rows(screen))


def _rows(screen: DeployConfirmScreen) -> list[tuple[str, str]]:
    from tradeagent.desk.report import review_rows

    return review_rows(screen.review)


async def test_sim_deploy_with_one_key_then_the_watch_passes(bench: Bench) -> None:
    app = Host(bench, settings(backtest_gate="off"))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        screen = app.screen
        assert isinstance(screen, DeployConfirmScreen)
        text = body_text(app)
        assert "Bot btc_bb" in text and "Account master_account" in text
        assert "worst case if every position stops out: −$20.00" in text
        assert "Caps bot drawdown $50.00 · controller drawdown $25.00" in text
        assert "✔ server" in text and "✔ ONEWAY" in text and "✔ leverage ≤ 40x" in text
        assert "new config" in text
        assert bench.log.writes == []  # nothing sent while the trader reads
        await pilot.press("y")
        await until(pilot, lambda: bool(app.said("Deployed btc_bb-")), "deployed")
        await until(pilot, lambda: bool(app.said("passed the watch")), "the watch verdict")
        (bot,) = [b for b in await bench.client.bots_status()]
        assert app.flows.watches[bot].verdict is not None
        assert app.flows.watches[bot].verdict.passed  # type: ignore[union-attr]
        assert len(bench.log.sent("POST", DEPLOY)) == 1
        await app.workers.wait_for_complete()
        assert not app.flows.busy(DEPLOY_GROUP, WATCH_GROUP)


async def test_esc_at_the_confirmation_sends_nothing(bench: Bench) -> None:
    app = Host(bench, settings())
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        await pilot.press("escape")
        await until(pilot, lambda: bool(app.said("nothing was sent")), "cancelled")
        assert bench.log.writes == []  # not even the config was saved
        assert [e.kind for e in bench.journal.entries()][-1] == "deploy.cancelled"


async def test_live_needs_the_pair_typed(bench: Bench) -> None:
    await bench.client.add_credential("master_account", "hyperliquid_perpetual", HL_KEYS)
    record_backtest(bench.journal, config_hash(config(BB)), BACKTEST)
    app = Host(bench, settings(live=True))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        screen = app.screen
        assert screen.has_class("-live")
        assert "Type BTC-USD to deploy" in str(screen.query_one("#deploy-prompt", Static).render())
        assert "✔ this exact config · +3.1%" in body_text(app)
        await pilot.press("y")  # one key is not enough in LIVE
        await pilot.pause()
        assert isinstance(app.screen, DeployConfirmScreen)
        await pilot.press(*"btc-usd", "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#deploy-error", Static).render())
        assert "type BTC-USD exactly" in error
        assert bench.log.sent("POST", DEPLOY) == []
        answer = app.screen.query_one("#deploy-answer", Input)
        answer.value = ""
        await pilot.press(*"BTC-USD", "enter")
        await until(pilot, lambda: bool(app.said("Deployed btc_bb-")), "deployed")
        begun = bench.journal.entries(kind="deploy.begin")[-1]
        assert begun.payload["confirmation"] == "typed BTC-USD"


async def test_a_failed_check_disables_the_confirmation(bench: Bench) -> None:
    app = Host(bench, settings(backtest_gate="off"))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB, position_mode="HEDGE"))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        text = body_text(app)
        assert "✘ position mode" in text and "set position_mode: ONEWAY" in text
        prompt = str(app.screen.query_one("#deploy-prompt", Static).render())
        assert "1 check(s) failed" in prompt
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DeployConfirmScreen)  # y does nothing
        await pilot.press("escape")
        await until(pilot, lambda: bool(app.said("nothing was sent")), "cancelled")
        assert bench.log.writes == []


async def test_the_gate_blocks_live_without_a_backtest(bench: Bench) -> None:
    await bench.client.add_credential("master_account", "hyperliquid_perpetual", HL_KEYS)
    app = Host(bench, settings(live=True))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        assert "✘ [btc_bb] backtest: no backtest of this exact config" in body_text(app)
        assert app.screen.query_one("#deploy-answer", Input).disabled
        await pilot.press("escape")


async def test_a_second_bot_with_the_same_name_needs_a_deliberate_key(bench: Bench) -> None:
    first = await bench.running_bot(BB, name="btc_bb")
    app = Host(bench, settings(backtest_gate="off"))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        assert f"✘ name: {first} already runs" in body_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert len(bench.log.sent("POST", DEPLOY)) == 1  # only running_bot's: y did nothing
        await pilot.press("a")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, DeployConfirmScreen)
                and app.screen.review.plan.allow_same_name
            ),
            "the second review",
        )
        assert "⚠ name:" in body_text(app)
        await pilot.press("y")
        await until(pilot, lambda: bool(app.said("Deployed btc_bb-")), "deployed")
        assert len(bench.log.sent("POST", DEPLOY)) == 2  # the running_bot one, and this one


async def test_the_watch_catches_an_erroring_bot(bench: Bench) -> None:
    bench.chaos.log_errors("btc_bb-*")
    app = Host(bench, settings(backtest_gate="off"))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: bool(app.said("logged an error")), "the error finding")
        _, message, severity = app.said("logged an error")[0]
        assert severity == "error" and "exceeds available balance" in message
        await until(pilot, lambda: bool(app.said("Watch · btc_bb")), "the verdict")
        await app.workers.wait_for_complete()
        verdicts = bench.journal.entries(kind="watch.verdict")
        assert verdicts[-1].payload["verdict"] == "failed"


async def test_the_watch_catches_a_bot_that_goes_silent(bench: Bench) -> None:
    start = bench.clock.now()

    def hang_after_start(now: float) -> None:
        if now - start > 15:
            bench.chaos.silence("btc_bb-*")

    bench.pacer.hooks.append(hang_after_start)
    app = Host(bench, settings(backtest_gate="off", watch_s=120.0))
    async with app.run_test(size=(160, 45)) as pilot:
        app.flows.deploy(config(BB))
        await until(pilot, on_screen(app, DeployConfirmScreen), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: bool(app.said("has sent nothing")), "the silent finding")
        assert app.said("has sent nothing")[0][2] == "error"
        await app.workers.wait_for_complete()
