"""The simulator as an ASGI app: the real API's routes, auth, error envelopes and quirks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tradeagent.sim.chaos import ASGIApp, Chaos, ChaosMiddleware
from tradeagent.sim.clock import Clock
from tradeagent.sim.routes import (
    accounts,
    connectors,
    controllers,
    market_data,
    misc,
    orchestration,
)
from tradeagent.sim.simulator import ApiError, PlainServerError, SimOptions, Simulator


class SimulatorApp(FastAPI):
    """FastAPI with :class:`ChaosMiddleware` outermost, so faults precede even error handling."""

    def build_middleware_stack(self) -> ASGIApp:
        return ChaosMiddleware(super().build_middleware_stack(), self.state.sim.chaos)


def create_app(
    options: SimOptions | None = None,
    *,
    clock: Clock | None = None,
    chaos: Chaos | None = None,
    simulator: Simulator | None = None,
) -> SimulatorApp:
    """A simulated Hummingbot API. ``app.state.sim`` is the :class:`Simulator`, and
    ``app.state.chaos`` its :class:`Chaos` (the same object as ``app.state.sim.chaos``)."""
    sim = simulator or Simulator(options, clock=clock, chaos=chaos)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        sim.close()

    app = SimulatorApp(
        title="Hummingbot API",
        description="API for managing Hummingbot trading instances",
        version=misc.VERSION,
        redirect_slashes=False,
        lifespan=lifespan,
    )
    app.state.sim = sim
    app.state.chaos = sim.chaos
    for router in (
        misc.root,
        misc.docker,
        orchestration.router,
        controllers.router,
        misc.backtesting,
        accounts.router,
        connectors.router,
        market_data.market_data,
        market_data.portfolio,
        market_data.trading,
        misc.archived,
    ):
        app.include_router(router)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(PlainServerError, _plain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    return app


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status)


async def _plain_error(request: Request, exc: Exception) -> Response:
    return PlainTextResponse("Internal Server Error", status_code=500)


async def _validation_error(request: Request, exc: Exception) -> Response:
    # The real server's handler serializes errors without jsonable_encoder, so an error whose
    # context holds an exception (a custom field validator, e.g. a bad instance_name) cannot be
    # serialized and the client gets a plain-text 500 instead of the 422 list.
    assert isinstance(exc, RequestValidationError)
    errors: Any = exc.errors()
    try:
        return JSONResponse({"detail": errors}, status_code=422)
    except (TypeError, ValueError):
        return PlainTextResponse("Internal Server Error", status_code=500)
