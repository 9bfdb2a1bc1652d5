"""Deploying, watching, stopping, restarting and archiving bots, as the real server shows it."""

from __future__ import annotations

import re

import httpx

from tradeagent.sim import ManualClock, Simulator

from .helpers import BB_CONFIG, PMM_CONFIG, deploy, running_bot, save_config, status

ORCH = "/bot-orchestration"


async def test_deploy_appends_a_timestamp_and_reports_what_it_did(
    client: httpx.AsyncClient,
) -> None:
    await save_config(client, BB_CONFIG)
    response = await client.post(
        f"{ORCH}/deploy-v2-controllers",
        json={
            "instance_name": "ta-bb",
            "credentials_profile": "master_account",
            "controllers_config": ["bb_btc.yml"],
            "max_global_drawdown_quote": 50,
        },
    )
    reply = response.json()
    name = reply["unique_instance_name"]
    assert re.fullmatch(r"ta-bb-\d{8}-\d{6}", name)
    assert name == "ta-bb-20260101-000000"  # the manual clock starts at 2026-01-01T00:00:00Z
    assert reply == {
        "success": True,
        "message": f"Instance {name} created successfully.",
        "script_config_generated": f"{name}.yml",
        "controllers_deployed": ["bb_btc.yml"],
        "unique_instance_name": name,
    }
    run = (await client.get(f"{ORCH}/bot-runs")).json()
    assert run["total"] == 1
    row = run["data"][0]
    assert row["bot_name"] == name
    assert (row["deployment_status"], row["run_status"]) == ("DEPLOYED", "CREATED")
    assert row["account_name"] == "master_account"
    assert row["config_name"] == f"{name}.yml"
    assert row["deployment_config"]["instance_name"] == name
    assert row["deployment_config"]["max_global_drawdown_quote"] == 50


async def test_deploy_failures_come_back_in_their_real_envelopes(
    client: httpx.AsyncClient, sim: Simulator
) -> None:
    await save_config(client, BB_CONFIG)
    body = {"instance_name": "ta-bb", "credentials_profile": "master_account"}
    body_with = {**body, "controllers_config": ["bb_btc"]}
    unknown_profile = await client.post(
        f"{ORCH}/deploy-v2-controllers", json={**body_with, "credentials_profile": "nope"}
    )
    assert unknown_profile.status_code == 500
    assert unknown_profile.json() == {
        "detail": "[Errno 2] No such file or directory: 'bots/credentials/nope'"
    }
    first = await client.post(f"{ORCH}/deploy-v2-controllers", json=body_with)
    same_second = await client.post(f"{ORCH}/deploy-v2-controllers", json=body_with)
    assert first.json()["success"] is True
    assert same_second.status_code == 200
    assert same_second.json()["success"] is False
    assert "409 Client Error" in same_second.json()["message"]
    sim.chaos.refuse_deploy("ta-refused-*")
    refused = await client.post(
        f"{ORCH}/deploy-v2-controllers", json={**body_with, "instance_name": "ta-refused"}
    )
    assert refused.json()["success"] is False
    assert refused.json()["message"].startswith("500 Server Error for http+docker://")
    sim.options.config_password = ""
    no_password = await client.post(
        f"{ORCH}/deploy-v2-controllers", json={**body_with, "instance_name": "ta-other"}
    )
    assert no_password.json() == {
        "success": False,
        "message": "Password not provided. We cannot start the bot without a password.",
    }
    runs = (await client.get(f"{ORCH}/bot-runs")).json()
    assert runs["total"] == 1


async def test_a_new_bot_boots_then_runs_and_heartbeats(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await deploy(client, BB_CONFIG)
    booting = await status(client, bot)
    assert booting == {
        "status": "stopped",
        "performance": {},
        "error_logs": [],
        "general_logs": [],
        "recently_active": False,
    }
    clock.advance(5)
    running = await status(client, bot)
    assert running["status"] == "running"
    assert running["recently_active"] is True
    controller = running["performance"]["bb_btc"]
    assert controller["status"] == "running"
    assert controller["custom_info"] == {}
    assert set(controller["performance"]) == {
        "realized_pnl_quote",
        "unrealized_pnl_quote",
        "unrealized_pnl_pct",
        "realized_pnl_pct",
        "global_pnl_quote",
        "global_pnl_pct",
        "volume_traded",
        "positions_summary",
        "close_type_counts",
    }
    assert running["general_logs"][-1]["msg"] == "Strategy v2_with_controllers started."
    listing = (await client.get(f"{ORCH}/status")).json()
    assert listing["status"] == "success"
    assert listing["data"][bot] == {**running, "source": "docker"}
    mqtt = (await client.get(f"{ORCH}/mqtt")).json()["data"]
    assert mqtt["active_bots"] == [bot]
    assert mqtt["discovered_bots"] == [bot]


async def test_an_unknown_bot_is_a_200_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{ORCH}/ghost/status")
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "data": {"status": "not_found", "error": "Bot ghost not found"},
    }
    for action in ("stop-bot", "start-bot"):
        reply = await client.post(f"{ORCH}/{action}", json={"bot_name": "ghost"})
        assert reply.status_code == 200
        assert reply.json() == {
            "status": "success",
            "response": {"success": False, "message": "Bot ghost not found"},
        }


async def test_stop_clears_reports_then_shows_running_with_empty_performance(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG, PMM_CONFIG)
    clock.advance(6 * 3600)
    before = await status(client, bot)
    reply = await client.post(f"{ORCH}/stop-bot", json={"bot_name": bot})
    assert reply.json() == {"status": "success", "response": {"success": True}}
    right_after = await status(client, bot)
    assert right_after["status"] == "stopped"
    assert right_after["performance"] == {}
    clock.advance(2)
    later = await status(client, bot)
    assert later["status"] == "running"
    assert later["performance"] == {
        "bb_btc": {"status": "running", "performance": {}, "custom_info": {}},
        "pmm_eth": {"status": "running", "performance": {}, "custom_info": {}},
    }
    run = (await client.get(f"{ORCH}/bot-runs", params={"bot_name": bot})).json()["data"][0]
    assert run["run_status"] == "STOPPED"
    assert run["stopped_at"] is not None
    assert run["final_status"]["performance"] == before["performance"]
    clock.advance(3600)
    assert (await status(client, bot))["performance"] == later["performance"]


async def test_start_bot_resumes_trading_with_the_same_ledger(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, PMM_CONFIG)
    clock.advance(6 * 3600)
    before = (await status(client, bot))["performance"]["pmm_eth"]["performance"]
    await client.post(f"{ORCH}/stop-bot", json={"bot_name": bot})
    clock.advance(2)
    reply = await client.post(f"{ORCH}/start-bot", json={"bot_name": bot})
    assert reply.json() == {"status": "success", "response": {"success": True}}
    clock.advance(2)
    resumed = await status(client, bot)
    after = resumed["performance"]["pmm_eth"]["performance"]
    assert resumed["status"] == "running"
    assert after["volume_traded"] >= before["volume_traded"] > 0
    assert sum(after["close_type_counts"].values()) >= sum(before["close_type_counts"].values())
    assert after["unrealized_pnl_quote"] == 0  # stopping closed every position
    clock.advance(6 * 3600)
    later = (await status(client, bot))["performance"]["pmm_eth"]["performance"]
    assert later["volume_traded"] > after["volume_traded"]


async def test_stop_and_archive_hides_the_bot_then_archives_it(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG)
    reply = await client.post(f"{ORCH}/stop-and-archive-bot/{bot}")
    assert reply.status_code == 200
    assert reply.json()["status"] == "success"
    assert reply.json()["message"] == f"Stop and archive process started for bot {bot}"
    assert reply.json()["details"]["container_name"] == bot
    assert (await status(client, bot))["status"] == "not_found"
    assert bot not in (await client.get(f"{ORCH}/status")).json()["data"]
    assert (await client.get("/archived-bots/")).json() == []
    assert (await client.get(f"/controllers/bots/{bot}/configs")).status_code == 200
    clock.advance(30)
    assert (await client.get("/archived-bots/")).json() == [
        f"bots/archived/{bot}/data/{bot}.sqlite"
    ]
    assert (await client.get(f"/controllers/bots/{bot}/configs")).status_code == 404
    run = (await client.get(f"{ORCH}/bot-runs")).json()["data"][0]
    assert (run["deployment_status"], run["run_status"]) == ("ARCHIVED", "STOPPED")
    again = (await client.post(f"{ORCH}/stop-and-archive-bot/{bot}")).json()
    assert again["status"] == "error"
    assert again["message"] == (
        f"Bot '{bot}' not found in active bots. Active bots: []. Cannot perform graceful shutdown."
    )
    assert again["details"]["reason"] == (
        "Bot must be actively managed via MQTT for graceful shutdown"
    )


async def test_stop_and_archive_takes_query_parameters_not_a_body(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG)
    reply = await client.post(
        f"{ORCH}/stop-and-archive-bot/{bot}",
        params={"skip_order_cancellation": "false", "archive_locally": "true"},
    )
    assert reply.json()["status"] == "success"
    bad = await client.post(
        f"{ORCH}/stop-and-archive-bot/{bot}", params={"skip_order_cancellation": "maybe"}
    )
    assert bad.status_code == 422


async def test_history_replies_with_trades_or_times_out(
    client: httpx.AsyncClient, clock: ManualClock, sim: Simulator
) -> None:
    bot = await running_bot(client, clock, PMM_CONFIG)
    clock.advance(12 * 3600)
    reply = (await client.get(f"{ORCH}/{bot}/history", params={"days": 1})).json()
    assert reply["status"] == "success"
    trades = reply["response"]["data"]["trades"]
    assert reply["response"]["success"] is True
    assert trades
    assert {"trading_pair", "trade_type", "price", "amount", "timestamp"} <= set(trades[0])
    sim.chaos.silence(bot)
    silent = (await client.get(f"{ORCH}/{bot}/history", params={"timeout": 0.01})).json()
    assert silent["response"] == {
        "success": False,
        "message": f"No response received from {bot} within 0.01 seconds",
        "timeout": True,
    }
    missing = (await client.get(f"{ORCH}/ghost/history")).json()
    assert missing["response"] == {"success": False, "message": "Bot ghost not found"}


async def test_bot_runs_filter_page_and_count(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    names = []
    for index in range(3):
        names.append(await deploy(client, BB_CONFIG, name=f"ta-{index}"))
    await client.post(f"{ORCH}/stop-bot", json={"bot_name": names[0]})
    stopped = (await client.get(f"{ORCH}/bot-runs", params={"run_status": "STOPPED"})).json()
    assert [r["bot_name"] for r in stopped["data"]] == [names[0]]
    page = (await client.get(f"{ORCH}/bot-runs", params={"limit": 2, "offset": 0})).json()
    assert page["total"] == 2  # the real server counts the page, not the matches
    assert (page["limit"], page["offset"]) == (2, 0)
    stats = (await client.get(f"{ORCH}/bot-runs/stats")).json()["data"]
    assert stats["total_runs"] == 3
    assert stats["active_runs"] == 2
    assert stats["status_counts"] == {"STOPPED": 1, "CREATED": 2}
    one = (await client.get(f"{ORCH}/bot-runs/1")).json()["data"]
    assert one["bot_name"] == names[0]
    deleted = (await client.delete(f"{ORCH}/bot-runs/1")).json()
    assert deleted["message"] == "Bot run 1 deleted successfully"
    assert (await client.get(f"{ORCH}/bot-runs/1")).status_code == 404
