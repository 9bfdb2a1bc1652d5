"""``/connectors``: exchange connectors, their credential fields, trading rules, order types."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from tradeagent.sim import catalog, views
from tradeagent.sim.routes.deps import AUTH, Sim
from tradeagent.sim.simulator import ApiError, PlainServerError

router = APIRouter(prefix="/connectors", tags=["Connectors"], dependencies=AUTH)


@router.get("/")
async def available_connectors() -> list[str]:
    return list(catalog.CONNECTORS)


@router.get("/{connector_name}/config-map")
async def get_connector_config_map(connector_name: str) -> dict[str, dict[str, Any]]:
    if not catalog.is_known(connector_name):
        raise PlainServerError(f"unknown connector {connector_name}")
    return catalog.config_map(connector_name)


@router.get("/{connector_name}/trading-rules")
async def get_trading_rules(
    connector_name: str,
    sim: Sim,
    trading_pairs: Annotated[
        list[str] | None, Query(description="Filter by specific trading pairs")
    ] = None,
) -> dict[str, Any]:
    return views.trading_rules(sim, connector_name, trading_pairs)


@router.get("/{connector_name}/order-types")
async def get_supported_order_types(connector_name: str) -> dict[str, Any]:
    if not catalog.is_known(connector_name):
        raise ApiError(404, f"Connector '{connector_name}' not found: unknown connector")
    return {"connector": connector_name, "supported_order_types": list(catalog.ORDER_TYPES)}
