"""Stop, stop-and-archive and one controller's kill switch against the simulator, verified."""

from __future__ import annotations

from desk_harness import BB, PMM, Bench

from tradeagent.desk.stop import StopKind, StopOptions, Stopper, StopState


def stopper(bench: Bench, **options: float) -> Stopper:
    return Stopper(bench.client, bench.journal, StopOptions(**options), pacer=bench.pacer)


async def test_stop_cancels_orders_and_waits_for_the_bot_to_confirm(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    bench.clock.advance(600)  # trading for a while
    result = await stopper(bench).stop(bot)
    assert result.state is StopState.STOPPED, result.message
    assert result.ok and not result.retry_advised
    assert "confirmed" in result.message
    (sent,) = bench.log.sent("POST", "/bot-orchestration/stop-bot")
    assert sent.body["bot_name"] == bot
    assert sent.body["skip_order_cancellation"] is False
    status = await bench.client.bot_status(bot)
    assert not status.is_running and status.performance  # the bot's own final (empty) report
    begun = bench.journal.entries(kind="stop.begin")[-1]
    outcome = bench.journal.entries(kind="stop.outcome")[-1]
    assert begun.payload["bot"] == bot and begun.payload["skip_order_cancellation"] is False
    assert outcome.ref == str(begun.id) and outcome.payload["outcome"] == "ok"
    assert outcome.payload["state"] == "stopped"


async def test_a_bot_that_ignores_the_stop_is_reported_still_running(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    bench.chaos.refuse_stop(bot)
    result = await stopper(bench, timeout_s=20).stop(bot)
    # The server said "stopped" right after the command; only waiting showed the truth.
    assert result.state is StopState.STILL_RUNNING
    assert result.retry_advised
    assert "still runs" in result.message and "Retry" in result.message
    assert bench.journal.entries(kind="stop.outcome")[-1].payload["outcome"] == "failed"
    assert (await bench.client.bot_status(bot)).is_running


async def test_a_silent_bot_is_not_taken_for_stopped(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    bench.chaos.silence(bot)
    result = await stopper(bench, timeout_s=15).stop(bot)
    assert result.state is StopState.UNCONFIRMED
    assert "never confirmed" in result.message or "sends nothing" in result.message
    assert bench.journal.entries(kind="stop.outcome")[-1].payload["outcome"] == "unknown"


async def test_stop_and_archive_waits_for_the_archive(bench: Bench) -> None:
    bot = await bench.running_bot(BB)
    result = await stopper(bench).stop(bot, StopKind.ARCHIVE)
    assert result.state is StopState.ARCHIVED, result.message
    (sent,) = bench.log.sent("POST", "/bot-orchestration/stop-and-archive-bot/")
    # This route skips order cancellation unless told otherwise.
    assert sent.params["skip_order_cancellation"] == "false"
    assert bot not in await bench.client.bots_status()
    runs = await bench.client.bot_runs(bot_name=bot)
    assert runs.data[0].deployment_status == "ARCHIVED"


async def test_one_controller_stops_and_the_others_go_on(bench: Bench) -> None:
    bot = await bench.running_bot(BB, PMM)
    bench.clock.advance(300)
    result = await stopper(bench).stop(bot, StopKind.CONTROLLER, controller="eth_mm")
    assert result.state is StopState.STOPPED, result.message
    assert "eth_mm" in result.message and "other controllers go on" in result.message
    (sent,) = bench.log.sent("POST", f"/controllers/bots/{bot}/eth_mm/config")
    assert sent.body == {"manual_kill_switch": True}
    status = await bench.client.bot_status(bot)
    assert status.is_running
    configs = {c["id"]: c for c in await bench.client.bot_controller_configs(bot)}
    assert configs["eth_mm"]["manual_kill_switch"] is True
    assert configs["btc_bb"].get("manual_kill_switch") is not True
    assert status.performance["btc_bb"].performance is not None


async def test_stopping_a_controller_the_bot_does_not_have(bench: Bench) -> None:
    bot = await bench.running_bot(BB)
    result = await stopper(bench).stop(bot, StopKind.CONTROLLER, controller="nope")
    assert result.state is StopState.NOT_SENT
    assert "no controller config 'nope'" in result.message


async def test_a_bot_that_is_gone_needs_no_stop(bench: Bench) -> None:
    result = await stopper(bench).stop("ghost-20260101-000000")
    assert result.state is StopState.GONE and result.ok
    assert "not on the server" in result.message


async def test_server_failure_on_the_stop_says_nothing_was_stopped(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    bench.chaos.fail(path="/bot-orchestration/stop-bot", status=500)
    result = await stopper(bench).stop(bot)
    assert result.state is StopState.NOT_SENT
    assert result.message.startswith("Nothing was stopped")
    assert "Internal Server Error" in result.message or "500" in result.message
    assert (await bench.client.bot_status(bot)).is_running
    assert bench.journal.entries(kind="stop.outcome")[-1].payload["outcome"] == "failed"


async def test_a_lost_reply_is_settled_by_the_bots_state(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    bench.chaos.drop(path="/bot-orchestration/stop-bot")
    result = await stopper(bench).stop(bot)
    # Dropped before the server acted: the bot still runs, and the result says so.
    assert result.state is StopState.STILL_RUNNING
    assert "lost the reply" in result.message
    assert len(bench.log.sent("POST", "/bot-orchestration/stop-bot")) == 1  # never re-sent
