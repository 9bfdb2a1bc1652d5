"""``/market-data``, ``/portfolio`` and ``/trading``: the simulated exchanges."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tradeagent.sim import catalog, views
from tradeagent.sim.routes.deps import AUTH, Sim
from tradeagent.sim.wire import (
    CandlesConfigRequest,
    HistoricalCandlesConfig,
    PortfolioStateFilterRequest,
    PositionFilterRequest,
    PriceRequest,
)

market_data = APIRouter(prefix="/market-data", tags=["Market Data"], dependencies=AUTH)
portfolio = APIRouter(prefix="/portfolio", tags=["Portfolio"], dependencies=AUTH)
trading = APIRouter(prefix="/trading", tags=["Trading"], dependencies=AUTH)


@market_data.post("/candles")
async def get_candles(candles_config: CandlesConfigRequest, sim: Sim) -> list[dict[str, Any]]:
    request = candles_config
    return views.recent_candles(
        sim, request.connector_name, request.trading_pair, request.interval, request.max_records
    )


@market_data.post("/historical-candles")
async def get_historical_candles(config: HistoricalCandlesConfig, sim: Sim) -> list[dict[str, Any]]:
    return views.historical_candles(
        sim,
        config.connector_name,
        config.trading_pair,
        config.interval,
        config.start_time,
        config.end_time,
    )


@market_data.get("/available-candle-connectors")
async def get_available_candle_connectors() -> list[str]:
    return list(catalog.CANDLE_CONNECTORS)


@market_data.post("/prices")
async def get_prices(request: PriceRequest, sim: Sim) -> dict[str, Any]:
    return views.prices(sim, request.connector_name, request.trading_pairs)


@portfolio.post("/state")
async def get_portfolio_state(
    filter_request: PortfolioStateFilterRequest, sim: Sim
) -> dict[str, Any]:
    return views.portfolio_state(sim, filter_request.account_names, filter_request.connector_names)


@trading.post("/positions")
async def get_positions(filter_request: PositionFilterRequest, sim: Sim) -> dict[str, Any]:
    request = filter_request
    return views.positions(sim, request.account_names, request.connector_names, request.limit)
