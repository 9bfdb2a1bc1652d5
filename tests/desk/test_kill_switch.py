"""The kill switch: every bot stopped in parallel (bounded), each verified, failures listed."""

from __future__ import annotations

from desk_harness import BB, PMM, Bench

from tradeagent.desk.stop import (
    StopKind,
    StopOptions,
    Stopper,
    StopResult,
    StopState,
    kill_switch,
)


async def test_every_bot_stopped_and_the_refuser_listed_with_its_reason(bench: Bench) -> None:
    bots = [
        await bench.running_bot(PMM, name="mm-a"),
        await bench.running_bot(BB, name="bb-b"),
        await bench.running_bot(PMM, name="mm-c"),
    ]
    bench.chaos.refuse_stop(bots[1])
    seen: list[str] = []
    stopper = Stopper(bench.client, bench.journal, StopOptions(timeout_s=20), pacer=bench.pacer)
    report = await kill_switch(stopper, concurrency=2, on_result=lambda r: seen.append(r.bot))
    assert sorted(seen) == sorted(bots)
    by_bot = {r.bot: r for r in report.results}
    assert by_bot[bots[0]].state is StopState.STOPPED
    assert by_bot[bots[2]].state is StopState.STOPPED
    assert by_bot[bots[1]].state is StopState.STILL_RUNNING
    assert not report.ok
    assert [r.bot for r in report.failed] == [bots[1]]
    assert "2 of 3 bots stopped" in report.summary and bots[1] in report.summary
    # Every bot got exactly one stop command, with order cancellation.
    stops = bench.log.sent("POST", "/bot-orchestration/stop-bot")
    assert sorted(s.body["bot_name"] for s in stops) == sorted(bots)
    assert all(s.body["skip_order_cancellation"] is False for s in stops)
    # Journal: the kill switch and each bot's stop, tied together.
    (begun,) = bench.journal.entries(kind="kill_switch.begin")
    assert begun.payload["bots"] == sorted(bots)
    per_bot = bench.journal.entries(kind="stop.begin")
    assert {e.ref for e in per_bot} == {str(begun.id)}
    (outcome,) = bench.journal.entries(kind="kill_switch.outcome")
    assert outcome.payload["outcome"] == "failed"
    assert {r["bot"]: r["state"] for r in outcome.payload["results"]}[bots[1]] == "still_running"


async def test_concurrency_is_bounded(bench: Bench) -> None:
    for index in range(5):
        await bench.running_bot(PMM, name=f"mm-{index}")
    active = 0
    most = 0

    class Counting(Stopper):
        async def stop(
            self,
            bot: str,
            kind: StopKind = StopKind.STOP,
            *,
            controller: str | None = None,
            ref: int | None = None,
        ) -> StopResult:
            nonlocal active, most
            active += 1
            most = max(most, active)
            try:
                return await super().stop(bot, kind, controller=controller, ref=ref)
            finally:
                active -= 1

    stopper = Counting(bench.client, bench.journal, pacer=bench.pacer)
    report = await kill_switch(stopper, concurrency=2)
    assert report.ok, report.summary
    assert len(report.results) == 5
    assert most == 2


async def test_nothing_to_stop(bench: Bench) -> None:
    report = await kill_switch(Stopper(bench.client, bench.journal, pacer=bench.pacer))
    assert report.ok and report.results == ()
    assert "nothing to stop" in report.summary


async def test_server_down_means_nothing_was_stopped_and_it_says_so(bench: Bench) -> None:
    await bench.running_bot(PMM)
    bench.chaos.fail(path="/bot-orchestration/status", times=None)
    report = await kill_switch(Stopper(bench.client, bench.journal, pacer=bench.pacer))
    assert not report.ok
    assert report.summary.startswith("Kill switch: nothing was stopped.")
    assert bench.log.sent("POST", "/bot-orchestration/stop-bot") == []
    assert bench.journal.entries(kind="kill_switch.outcome")[0].payload["outcome"] == "failed"
