"""A crash between the journal's "begin" and the outcome, then a restart that reconciles."""

from __future__ import annotations

import httpx
import pytest
from desk_harness import BB, PMM, Bench, config

from tradeagent.desk import GateMode, StopKind
from tradeagent.desk.journal import Journal

DEPLOY = "/bot-orchestration/deploy-v2-controllers"


class Crash(BaseException):
    """The process dies (kill -9, power loss): nothing after this point runs."""


def crash_after_sending(bench: Bench, method: str, path: str) -> None:
    async def die(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        await inner.handle_async_request(request)  # the server acted
        raise Crash

    bench.log.intercept[(method, path)] = die


def restart(bench: Bench) -> Journal:
    """A new process: the same journal file, opened afresh."""
    bench.journal.close()
    bench.journal = Journal(bench.journal.path, server=bench.journal.server, mode="SIM")
    bench.log.intercept.clear()
    return bench.journal


async def test_crash_after_the_server_deployed_is_reconciled_to_the_running_bot(
    bench: Bench,
) -> None:
    desk = bench.desk(gate=GateMode.OFF)
    review = await desk.review(desk.plan([config(BB)]))
    crash_after_sending(bench, "POST", DEPLOY)
    with pytest.raises(Crash):
        await desk.deploy(review.confirm("y"))
    journal = restart(bench)
    (pending,) = journal.unfinished()
    assert pending.kind == "deploy.begin"
    bench.clock.advance(5)
    (found,) = await bench.desk().reconcile()
    bot = next(iter(await bench.client.bots_status()))
    assert found.outcome == "reconciled:running"
    assert bot in found.message and "had no recorded outcome" in found.message
    assert journal.unfinished() == []
    outcome = journal.entries(kind="deploy.outcome")[-1]
    assert outcome.ref == str(pending.id) and outcome.payload["bot"] == bot
    assert await bench.desk().reconcile() == []  # settled once


async def test_crash_before_the_request_left_is_reconciled_to_nothing(bench: Bench) -> None:
    desk = bench.desk(gate=GateMode.OFF)
    review = await desk.review(desk.plan([config(BB)]))

    async def die(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        raise Crash

    bench.log.intercept[("POST", DEPLOY)] = die
    with pytest.raises(Crash):
        await desk.deploy(review.confirm("y"))
    restart(bench)
    (found,) = await bench.desk().reconcile()
    assert found.outcome == "reconciled:absent"
    assert "no btc_bb bot from it" in found.message


async def test_server_down_at_restart_reports_unknown_and_keeps_it_open(bench: Bench) -> None:
    desk = bench.desk(gate=GateMode.OFF)
    review = await desk.review(desk.plan([config(BB)]))
    crash_after_sending(bench, "POST", DEPLOY)
    with pytest.raises(Crash):
        await desk.deploy(review.confirm("y"))
    journal = restart(bench)
    bench.chaos.fail(path="/bot-orchestration/status", times=None)
    (found,) = await bench.desk().reconcile()
    assert found.outcome == "unknown"
    assert "unknown — check the server" in found.message
    assert len(journal.unfinished()) == 1  # left for the next start
    bench.chaos.clear()
    (later,) = await bench.desk().reconcile()
    assert later.outcome == "reconciled:running"


async def test_crash_during_a_stop(bench: Bench) -> None:
    bot = await bench.running_bot(PMM)
    crash_after_sending(bench, "POST", "/bot-orchestration/stop-bot")
    with pytest.raises(Crash):
        await bench.desk().stop(bot)
    restart(bench)
    bench.clock.advance(5)
    (found,) = await bench.desk().reconcile()
    assert found.action == "stop"
    assert found.outcome == "reconciled:stopped"


async def test_crash_during_a_controller_stop_that_did_not_apply(bench: Bench) -> None:
    bot = await bench.running_bot(BB, PMM)

    async def die(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        raise Crash

    bench.log.intercept[("POST", f"/controllers/bots/{bot}/eth_mm/config")] = die
    with pytest.raises(Crash):
        await bench.desk().stop(bot, StopKind.CONTROLLER, controller="eth_mm")
    restart(bench)
    (found,) = await bench.desk().reconcile()
    assert found.outcome == "reconciled:still_running"
    assert "eth_mm" in found.message and "stop it again" in found.message
