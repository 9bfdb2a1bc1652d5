"""``/controllers``: stock controller types, saved configs, and configs inside deployed bots."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tradeagent.sim import catalog
from tradeagent.sim.routes.deps import AUTH, Sim
from tradeagent.sim.simulator import ApiError
from tradeagent.sim.validation import validate_route
from tradeagent.sim.wire import ControllerType

router = APIRouter(prefix="/controllers", tags=["Controllers"], dependencies=AUTH)


@router.get("/")
async def list_controllers() -> dict[str, list[str]]:
    return {kind: list(names) for kind, names in catalog.CONTROLLERS.items()}


@router.get("/configs/")
async def list_controller_configs(sim: Sim) -> list[dict[str, Any]]:
    return [{**config, "id": name} for name, config in sim.configs.items()]


@router.get("/configs/{config_name}")
async def get_controller_config(config_name: str, sim: Sim) -> dict[str, Any]:
    config = sim.configs.get(config_name)
    if config is None:
        raise ApiError(404, f"Configuration '{config_name}' not found")
    return {**config, "id": config_name}


@router.post("/configs/{config_name}", status_code=201)
async def create_or_update_controller_config(
    config_name: str, config: dict[str, Any], sim: Sim
) -> dict[str, str]:
    sim.configs[config_name] = config  # stored verbatim: the real server validates nothing here
    sim.save()
    return {"message": f"Configuration '{config_name}' saved successfully"}


@router.delete("/configs/{config_name}")
async def delete_controller_config(config_name: str, sim: Sim) -> dict[str, str]:
    if sim.configs.pop(config_name, None) is None:
        raise ApiError(404, f"Configuration '{config_name}' not found")
    sim.save()
    return {"message": f"Configuration '{config_name}' deleted successfully"}


@router.post("/{controller_type}/{controller_name}/config/validate")
async def validate_controller_config(
    controller_type: ControllerType, controller_name: str, config: dict[str, Any]
) -> dict[str, str]:
    if controller_name not in catalog.CONTROLLERS[controller_type.value]:
        raise ApiError(404, f"Controller configuration class for '{controller_name}' not found")
    problem = validate_route(controller_type.value, controller_name, config)
    if problem is not None:
        raise ApiError(400, problem)
    return {"message": "Configuration is valid"}


@router.get("/bots/{bot_name}/configs")
async def get_bot_controller_configs(bot_name: str, sim: Sim) -> list[dict[str, Any]]:
    return sim.bot_configs(bot_name)


@router.post("/bots/{bot_name}/{controller_name}/config")
async def update_bot_controller_config(
    bot_name: str, controller_name: str, config: dict[str, Any], sim: Sim
) -> dict[str, str]:
    return {"message": sim.update_bot_config(bot_name, controller_name, config)}
