"""The simulator in-process: an httpx transport straight into the ASGI app, no socket.

``tradeagent`` without ``hummingbot.url`` talks to this. The market clock is lazy (each request
brings the simulator up to now), so nothing runs in the background; closing saves the state file.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

import httpx

from tradeagent.sim.app import SimulatorApp, create_app
from tradeagent.sim.chaos import Chaos, embedded_abort
from tradeagent.sim.clock import Clock
from tradeagent.sim.simulator import SimOptions, Simulator

BASE_URL = "http://simulator"


class SimTransport(httpx.AsyncBaseTransport):
    """``httpx.ASGITransport`` plus what a socket would add: the client's read timeout ends a
    request the server never answers, and a dropped connection is a protocol error."""

    def __init__(self, app: SimulatorApp) -> None:
        self._inner = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        dropped: list[bool] = []
        token = embedded_abort.set(lambda: dropped.append(True))
        read_timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            async with asyncio.timeout(read_timeout):
                response = await self._inner.handle_async_request(request)
        except TimeoutError:
            raise httpx.ReadTimeout(
                "The simulator did not answer within the read timeout.", request=request
            ) from None
        finally:
            embedded_abort.reset(token)
        if dropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class EmbeddedSimulator:
    """A simulator for one process: ``transport`` goes into an ``httpx.AsyncClient`` with
    ``base_url=BASE_URL``; ``aclose()`` (or ``async with``) saves the state file."""

    base_url = BASE_URL

    def __init__(
        self,
        options: SimOptions | None = None,
        *,
        clock: Clock | None = None,
        chaos: Chaos | None = None,
    ) -> None:
        self.app = create_app(options, clock=clock, chaos=chaos)
        self.sim: Simulator = self.app.state.sim
        self.transport = SimTransport(self.app)

    async def aclose(self) -> None:
        try:
            self.sim.close()
        finally:
            await self.transport.aclose()

    async def __aenter__(self) -> EmbeddedSimulator:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
