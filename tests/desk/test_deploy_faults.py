"""Deploy when the server fails: down, slow after acting, 200-with-failure, plain-text 500,
dropped connections. Never a blind retry; the journal always ends with an outcome."""

from __future__ import annotations

import httpx
from desk_harness import BB, Bench, accept_then_time_out, config

from tradeagent.desk import DeployOutcome, DeployState, GateMode

DEPLOY = "/bot-orchestration/deploy-v2-controllers"


async def confirmed_deploy(bench: Bench) -> DeployOutcome:
    desk = bench.desk(gate=GateMode.OFF)
    review = await desk.review(desk.plan([config(BB)]))
    assert review.can_confirm, [c.line for c in review.checks.failures]
    return await desk.deploy(review.confirm("y"))


def last_outcome(bench: Bench) -> dict[str, object]:
    return bench.journal.entries(kind="deploy.outcome")[-1].payload


async def test_server_down_during_the_deploy(bench: Bench) -> None:
    async def refused(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    bench.log.intercept[("POST", DEPLOY)] = refused
    outcome = await confirmed_deploy(bench)
    assert outcome.state is DeployState.FAILED
    assert outcome.message.startswith("Nothing was deployed.")
    assert "cannot be reached" in outcome.message
    assert len(bench.log.sent("POST", DEPLOY)) == 1
    assert last_outcome(bench)["outcome"] == "failed"
    assert last_outcome(bench)["error_type"] == "Unreachable"


async def test_timeout_after_the_server_accepted_finds_the_bot(bench: Bench) -> None:
    bench.log.intercept[("POST", DEPLOY)] = accept_then_time_out()
    outcome = await confirmed_deploy(bench)
    assert outcome.state is DeployState.DEPLOYED, outcome.message
    assert outcome.recovered and "lost the reply" in outcome.message
    assert outcome.bot is not None and outcome.bot in await bench.client.bots_status()
    assert len(bench.log.sent("POST", DEPLOY)) == 1  # checked, never re-sent
    assert last_outcome(bench)["outcome"] == "ok" and last_outcome(bench)["recovered"] is True


async def test_200_with_failure_is_a_failure_in_the_servers_words(bench: Bench) -> None:
    bench.chaos.refuse_deploy("btc_bb-*")
    outcome = await confirmed_deploy(bench)
    assert outcome.state is DeployState.FAILED
    assert "Deploy of 'btc_bb' rejected by the server" in outcome.message
    assert "simulated Docker failure" in outcome.message
    assert last_outcome(bench)["error_type"] == "Rejected"


async def test_plain_text_500(bench: Bench) -> None:
    bench.chaos.fail(path=DEPLOY, status=500)
    outcome = await confirmed_deploy(bench)
    assert outcome.state is DeployState.FAILED
    assert "Nothing was deployed" in outcome.message
    assert last_outcome(bench)["status_code"] == 500
    assert last_outcome(bench)["server_text"] == "Internal Server Error"
    assert await bench.client.bots_status() == {}


async def test_dropped_before_the_server_acted_waits_then_says_safe_to_retry(
    bench: Bench,
) -> None:
    bench.chaos.drop(path=DEPLOY)
    outcome = await confirmed_deploy(bench)
    assert outcome.state is DeployState.FAILED
    assert "safe to deploy again" in outcome.message
    assert len(bench.log.sent("POST", DEPLOY)) == 1
    assert bench.pacer.slept >= 90  # it watched the bot list for desk.watch_appear_s


async def test_reply_lost_and_server_unreadable_is_unknown(bench: Bench) -> None:
    async def lost(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        await inner.handle_async_request(request)
        bench.chaos.fail(path="/bot-orchestration/status", times=None)
        raise httpx.ReadTimeout("timed out", request=request)

    bench.log.intercept[("POST", DEPLOY)] = lost
    outcome = await confirmed_deploy(bench)
    assert outcome.state is DeployState.UNKNOWN
    assert "before deploying again" in outcome.message
    assert last_outcome(bench)["outcome"] == "unknown"
    assert len(bench.log.sent("POST", DEPLOY)) == 1


async def test_a_failed_save_deploys_nothing(bench: Bench) -> None:
    bench.chaos.fail(path="/controllers/configs/btc_bb", method="POST")
    outcome = await confirmed_deploy(bench)
    assert outcome.state is DeployState.FAILED
    assert "saving controller config 'btc_bb' failed" in outcome.message
    assert bench.log.sent("POST", DEPLOY) == []
    assert last_outcome(bench)["stage"] == "save"
