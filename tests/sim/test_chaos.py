"""Fault injection: transport faults through the in-process transport, bot misbehaviour, specs."""

from __future__ import annotations

import httpx
import pytest

from tradeagent.sim import Chaos, ChaosSpecError, EmbeddedSimulator, ManualClock, Rule, parse_spec

from .helpers import BB_CONFIG, PMM_CONFIG, running_bot, status

ORCH = "/bot-orchestration"


async def test_a_failing_route_answers_5xx_for_as_many_times_as_asked(
    client: httpx.AsyncClient, embedded: EmbeddedSimulator
) -> None:
    embedded.app.state.chaos.fail("/bot-orchestration/status", status=503, times=2)
    first = await client.get(f"{ORCH}/status")
    second = await client.get(f"{ORCH}/status")
    third = await client.get(f"{ORCH}/status")
    other = await client.get("/accounts/")
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.text == "Service Unavailable"
    assert other.status_code == 200


async def test_faults_precede_authentication(embedded: EmbeddedSimulator) -> None:
    embedded.sim.chaos.fail("/accounts/*", status=502)
    async with httpx.AsyncClient(transport=embedded.transport, base_url=embedded.base_url) as http:
        reply = await http.get("/accounts/")
    assert reply.status_code == 502


async def test_a_hung_request_ends_with_the_clients_read_timeout(
    client: httpx.AsyncClient, embedded: EmbeddedSimulator
) -> None:
    embedded.sim.chaos.hang("/bot-orchestration/*", method="POST")
    with pytest.raises(httpx.ReadTimeout):
        await client.post(f"{ORCH}/stop-bot", json={"bot_name": "x"}, timeout=0.05)
    assert (await client.get(f"{ORCH}/status")).status_code == 200
    reply = await client.post(f"{ORCH}/stop-bot", json={"bot_name": "x"})
    assert reply.json()["response"]["success"] is False


async def test_a_dropped_connection_is_a_protocol_error(
    client: httpx.AsyncClient, embedded: EmbeddedSimulator
) -> None:
    embedded.sim.chaos.drop("/bot-orchestration/deploy-v2-controllers")
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(f"{ORCH}/deploy-v2-controllers", json={})
    assert (await client.post(f"{ORCH}/deploy-v2-controllers", json={})).status_code == 422


async def test_random_errors_follow_the_seeded_probability(embedded: EmbeddedSimulator) -> None:
    chaos = Chaos(seed=1)
    chaos.add(Rule(error=0.3))
    outcomes = [chaos.decide("GET", "/x").action for _ in range(400)]
    assert 60 < outcomes.count("error") < 180
    again = Chaos(seed=1)
    again.add(Rule(error=0.3))
    assert [again.decide("GET", "/x").action for _ in range(400)] == outcomes


def test_latency_and_scoping_decisions() -> None:
    chaos = Chaos(seed=2)
    chaos.add(Rule(method="GET", path="/bot-orchestration/*", latency=(0.1, 0.3)))
    chaos.slow(0.5, path="/accounts/")
    slow = chaos.decide("GET", "/bot-orchestration/status")
    assert 0.1 <= slow.latency <= 0.3
    assert slow.action is None
    assert chaos.decide("POST", "/bot-orchestration/status").latency == 0
    assert chaos.decide("GET", "/accounts/").latency == 0.5


def test_specs_from_the_command_line() -> None:
    chaos = Chaos()
    parse_spec("latency=0.05-0.3,error=0.02", chaos)
    parse_spec("method=POST,path=/bot-orchestration/stop-bot,error=1,status=503,times=2", chaos)
    parse_spec("path=/bot-orchestration/status,timeout=0.1", chaos)
    parse_spec("drop=0.01", chaos)
    parse_spec("bot=ta-*,fault=silent", chaos)
    assert chaos.rules[0].latency == (0.05, 0.3)
    assert chaos.rules[1] == Rule(
        method="POST", path="/bot-orchestration/stop-bot", error=1.0, status=503, times=2
    )
    assert chaos.rules[2].timeout == 0.1
    assert chaos.rules[3].drop == 0.01
    assert chaos.faults_for("ta-bb-20260101-000000") == {"silent"}
    assert chaos.faults_for("other") == frozenset()


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("", "is empty"),
        ("latency", "is not key=value"),
        ("error=2", "probability between 0 and 1"),
        ("status=404,error=1", "5xx"),
        ("latency=0.5-0.1", "LOW-HIGH"),
        ("colour=red", "unknown key(s) colour"),
        ("bot=ta-*", "bot=GLOB,fault=KIND"),
        ("bot=ta-*,fault=explode", "unknown bot fault 'explode'"),
        ("times=soon,error=1", "times must be a whole number"),
    ],
)
def test_bad_specs_explain_the_syntax(spec: str, words: str) -> None:
    with pytest.raises(ChaosSpecError) as caught:
        parse_spec(spec, Chaos())
    assert words in str(caught.value)


async def test_a_bot_that_refuses_to_stop_keeps_trading(
    client: httpx.AsyncClient, clock: ManualClock, embedded: EmbeddedSimulator
) -> None:
    bot = await running_bot(client, clock, PMM_CONFIG)
    embedded.sim.chaos.refuse_stop(bot)
    clock.advance(3600)
    reply = await client.post(f"{ORCH}/stop-bot", json={"bot_name": bot})
    assert reply.json()["response"] == {"success": True}
    assert (await status(client, bot))["status"] == "stopped"
    clock.advance(2)
    still = await status(client, bot)
    assert still["status"] == "running"
    assert still["performance"]["pmm_eth"]["performance"] != {}
    volume = still["performance"]["pmm_eth"]["performance"]["volume_traded"]
    clock.advance(6 * 3600)
    later = (await status(client, bot))["performance"]["pmm_eth"]["performance"]
    assert later["volume_traded"] > volume


async def test_a_bot_can_be_made_to_log_errors(
    client: httpx.AsyncClient, clock: ManualClock, embedded: EmbeddedSimulator
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG)
    embedded.sim.chaos.log_errors(bot)
    for _ in range(3):
        clock.advance(6)
        await status(client, bot)
    errors = (await status(client, bot))["error_logs"]
    assert len(errors) == 3
    assert errors[0]["level_name"] == "ERROR"
    assert errors == sorted(errors, key=lambda e: e["timestamp"])
    embedded.sim.chaos.clear_bot_fault(bot)
    clock.advance(60)
    assert len((await status(client, bot))["error_logs"]) == 3


async def test_a_silent_bot_turns_idle_and_ignores_commands(
    client: httpx.AsyncClient, clock: ManualClock, embedded: EmbeddedSimulator
) -> None:
    bot = await running_bot(client, clock, PMM_CONFIG)
    clock.advance(3600)
    last = await status(client, bot)
    embedded.sim.chaos.silence(bot)
    clock.advance(20)
    assert (await status(client, bot))["status"] == "running"
    clock.advance(15)
    idle = await status(client, bot)
    assert (idle["status"], idle["recently_active"]) == ("idle", False)
    assert idle["performance"] == last["performance"]
    await client.post(f"{ORCH}/stop-bot", json={"bot_name": bot})
    clock.advance(10)
    assert (await status(client, bot))["status"] == "stopped"  # the API cleared; no new report
    embedded.sim.chaos.clear_bot_fault(bot, "silent")
    clock.advance(2)
    back = await status(client, bot)
    assert (back["status"], back["recently_active"]) == ("running", True)


async def test_a_vanished_container_lingers_30_seconds_then_is_gone(
    client: httpx.AsyncClient, clock: ManualClock, embedded: EmbeddedSimulator
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG)
    embedded.sim.chaos.vanish(bot)
    clock.advance(1)
    assert bot in (await client.get(f"{ORCH}/status")).json()["data"]
    clock.advance(40)
    assert (await status(client, bot))["status"] == "not_found"
    assert bot not in (await client.get(f"{ORCH}/status")).json()["data"]
    archive = (await client.post(f"{ORCH}/stop-and-archive-bot/{bot}")).json()
    assert archive["status"] == "error"
    stop = (await client.post(f"{ORCH}/stop-bot", json={"bot_name": bot})).json()
    assert stop["response"]["success"] is False
