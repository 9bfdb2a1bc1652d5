"""The root, Docker readiness, backtesting and archived bots."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter

from tradeagent.sim.backtesting import backtest
from tradeagent.sim.market import SimMarket, last_closed_open
from tradeagent.sim.routes.deps import AUTH, Sim
from tradeagent.sim.simulator import archive_db_path
from tradeagent.sim.wire import BacktestingConfig

VERSION = "1.0.1"

root = APIRouter()
docker = APIRouter(prefix="/docker", tags=["Docker"], dependencies=AUTH)
backtesting = APIRouter(prefix="/backtesting", tags=["Backtesting"], dependencies=AUTH)
archived = APIRouter(prefix="/archived-bots", tags=["Archived Bots"], dependencies=AUTH)


@root.get("/")
async def read_root() -> dict[str, str]:
    return {"name": "Hummingbot API", "version": VERSION, "status": "running"}


@docker.get("/running")
async def is_docker_running() -> bool:
    return True


@backtesting.post("/run")
async def run_backtesting(backtesting_config: BacktestingConfig, sim: Sim) -> dict[str, Any]:
    request = backtesting_config
    configs = dict(sim.configs)
    until = last_closed_open(sim.market_clock.now())
    # A backtest can take a while: run it off the event loop, on its own copy of the market.
    return await anyio.to_thread.run_sync(
        lambda: backtest(
            request.config,
            configs,
            request.start_time,
            request.end_time,
            request.backtesting_resolution,
            request.trade_cost,
            SimMarket(sim.options.seed),
            until,
        )
    )


@archived.get("/")
async def list_databases(sim: Sim) -> list[str]:
    return [archive_db_path(name) for name in sim.archived]
