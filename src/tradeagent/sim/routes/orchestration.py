"""``/bot-orchestration``: status, deploy, stop, start, archive, history and bot runs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from tradeagent.sim.routes.deps import AUTH, Sim
from tradeagent.sim.wire import StartBotAction, StopBotAction, V2ControllerDeployment

router = APIRouter(prefix="/bot-orchestration", tags=["Bot Orchestration"], dependencies=AUTH)


@router.get("/status")
async def get_active_bots_status(sim: Sim) -> Response:
    return Response(sim.status_all_json(), media_type="application/json")


@router.get("/mqtt")
async def get_mqtt_status(sim: Sim) -> dict[str, Any]:
    return {"status": "success", "data": sim.mqtt()}


@router.get("/{bot_name}/status")
async def get_bot_status(bot_name: str, sim: Sim) -> Response:
    return Response(sim.status_one_json(bot_name), media_type="application/json")


@router.get("/{bot_name}/history")
async def get_bot_history(
    bot_name: str,
    sim: Sim,
    days: int = 0,
    verbose: bool = False,
    precision: int | None = None,
    timeout: float = 30.0,  # noqa: ASYNC109 (the real route's query parameter)
) -> dict[str, Any]:
    return {"status": "success", "response": await sim.history(bot_name, days, timeout)}


@router.post("/start-bot")
async def start_bot(action: StartBotAction, sim: Sim) -> dict[str, Any]:
    return {"status": "success", "response": sim.start_bot(action.bot_name)}


@router.post("/stop-bot")
async def stop_bot(action: StopBotAction, sim: Sim) -> dict[str, Any]:
    return {"status": "success", "response": sim.stop_bot(action.bot_name)}


@router.get("/bot-runs")
async def get_bot_runs(
    sim: Sim,
    bot_name: str | None = None,
    account_name: str | None = None,
    strategy_type: str | None = None,
    strategy_name: str | None = None,
    run_status: str | None = None,
    deployment_status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    filters = {
        "bot_name": bot_name,
        "account_name": account_name,
        "strategy_type": strategy_type,
        "strategy_name": strategy_name,
        "run_status": run_status,
        "deployment_status": deployment_status,
    }
    return sim.runs.page(filters, limit, offset)


@router.get("/bot-runs/stats")
async def get_bot_run_stats(sim: Sim) -> dict[str, Any]:
    return {"status": "success", "data": sim.runs.stats()}


@router.get("/bot-runs/{bot_run_id}")
async def get_bot_run_by_id(bot_run_id: int, sim: Sim) -> dict[str, Any]:
    return {"status": "success", "data": sim.bot_run(bot_run_id)}


@router.delete("/bot-runs/{bot_run_id}")
async def delete_bot_run(bot_run_id: int, sim: Sim) -> dict[str, Any]:
    return sim.delete_bot_run(bot_run_id)


@router.post("/stop-and-archive-bot/{bot_name}")
async def stop_and_archive_bot(
    bot_name: str,
    sim: Sim,
    skip_order_cancellation: bool = True,
    archive_locally: bool = True,
    s3_bucket: str | None = None,
) -> dict[str, Any]:
    return sim.stop_and_archive(bot_name)


@router.post("/deploy-v2-controllers")
async def deploy_v2_controllers(deployment: V2ControllerDeployment, sim: Sim) -> dict[str, Any]:
    return sim.deploy(deployment.model_dump())
