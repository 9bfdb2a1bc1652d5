"""The desk's test bench: the simulator in-process on a manual clock, a request log, a journal.

Everything real: the simulated Hummingbot API (routes, quirks, bots trading), the hb client, the
SQLite journal. Waiting loops get a pacer whose sleep moves the simulator's clock forward.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tradeagent.desk import Desk, DeskOptions
from tradeagent.desk.journal import Journal
from tradeagent.hb import HummingbotClient
from tradeagent.sim import EmbeddedSimulator, ManualClock
from tradeagent.strategy import ControllerConfigBase, parse_config

BB: dict[str, Any] = {
    "id": "btc_bb",
    "controller_name": "bollinger_v1",
    "controller_type": "directional_trading",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
    "total_amount_quote": 500,
    "leverage": 1,
    "position_mode": "ONEWAY",
    "stop_loss": 0.02,
    "take_profit": 0.03,
    "time_limit": 2700,
    "max_executors_per_side": 2,
    "cooldown_time": 300,
    "candles_connector": "hyperliquid_perpetual",
    "candles_trading_pair": "BTC-USD",
    "interval": "1m",
}

PMM: dict[str, Any] = {
    "id": "eth_mm",
    "controller_name": "pmm_simple",
    "controller_type": "market_making",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "ETH-USD",
    "total_amount_quote": 300,
    "leverage": 1,
    "position_mode": "ONEWAY",
    "buy_spreads": [0.002, 0.004],
    "sell_spreads": [0.002, 0.004],
    "stop_loss": 0.03,
    "take_profit": 0.01,
    "time_limit": 3600,
}

HL_KEYS = {
    "hyperliquid_perpetual_mode": "api_wallet",
    "use_vault": False,
    "hyperliquid_perpetual_address": "0x" + "ab" * 20,
    "hyperliquid_perpetual_secret_key": "0x" + "cd" * 32,
}


def config(base: dict[str, Any], **changes: Any) -> ControllerConfigBase:
    return parse_config({**base, **changes})


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    body: Any
    params: dict[str, str]


READ_POSTS = ("/portfolio/state", "/trading/positions", "/market-data/")
Handler = Callable[[httpx.Request, httpx.AsyncBaseTransport], Awaitable[httpx.Response]]


class RequestLog(httpx.AsyncBaseTransport):
    """Every request that reached the transport, in order (what the server was asked).

    ``intercept[(method, path)]`` answers a route instead of the simulator (it may still pass
    the request on), for what the simulator cannot be made to do (Docker down, a reply lost
    after the server acted).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[Sent] = []
        self.intercept: dict[tuple[str, str], Handler] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raw = await request.aread()
        body = json.loads(raw) if raw else None
        params = dict(request.url.params)
        self.requests.append(Sent(request.method, request.url.path, body, params))
        handler = self.intercept.get((request.method, request.url.path))
        if handler is not None:
            return await handler(request, self.inner)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def sent(self, method: str, path_prefix: str) -> list[Sent]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    @property
    def writes(self) -> list[Sent]:
        """Requests that change something on the server (some reads are POSTs with a filter)."""
        return [
            r
            for r in self.requests
            if r.method in {"POST", "PUT", "DELETE"} and not r.path.startswith(READ_POSTS)
        ]


class ManualPacer:
    """The simulator's clock: sleeping moves it forward (and lets other tasks run)."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.slept = 0.0
        self.hooks: list[Callable[[float], None]] = []
        """Called with the new time after each sleep: faults that start mid-flow."""

    def now(self) -> float:
        return self.clock.now()

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.slept += seconds
        for hook in self.hooks:
            hook(self.clock.now())
        await asyncio.sleep(0)


@dataclass
class Bench:
    sim: EmbeddedSimulator
    clock: ManualClock
    log: RequestLog
    client: HummingbotClient
    journal: Journal
    pacer: ManualPacer

    @property
    def chaos(self) -> Any:
        return self.sim.sim.chaos

    def desk(self, **options: Any) -> Desk:
        return Desk(self.client, self.journal, DeskOptions(**options), pacer=self.pacer)

    async def running_bot(self, *configs: dict[str, Any], name: str = "ta-bot") -> str:
        """A bot deployed straight through the client (not the desk), past its boot."""
        for body in configs:
            await self.client.save_controller_config(body["id"], body)
        result = await self.client.deploy(name, [c["id"] for c in configs])
        self.clock.advance(5)
        return result.unique_instance_name


def answer(status: int, body: Any) -> Handler:
    """An intercept that answers with ``body`` (JSON) without asking the simulator."""

    async def handler(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        return httpx.Response(status, json=body)

    return handler


def accept_then_time_out() -> Handler:
    """The server acts on the request, then its reply never arrives."""

    async def handler(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        await inner.handle_async_request(request)
        raise httpx.ReadTimeout("timed out reading the reply", request=request)

    return handler
