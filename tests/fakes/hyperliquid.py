"""A loopback fake of Hyperliquid's public info API, served over real HTTP by uvicorn.

It emulates what the candle source depends on: `meta` (with a HIP-3 dex), `spotMeta` and
`candleSnapshot` with overlap-inclusive windows, the 5,000-candle horizon, an optional 500-row
cap, missing minutes, a still-forming last candle, 422 for malformed requests and 429 past a
weight budget. Time is a shared fake clock, so nothing here waits for real.
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import uvicorn

from tradeagent.backtest import Candles
from tradeagent.backtest.sources import CandleRequest, SyntheticSource

INTERVALS_MS = {
    "1m": 60_000,
    "3m": 180_000,
    "5m": 300_000,
    "15m": 900_000,
    "1h": 3_600_000,
    "4h": 14_400_000,
    "1d": 86_400_000,
}

META = {
    "universe": [
        {"name": "BTC", "szDecimals": 5, "maxLeverage": 40},
        {"name": "ETH", "szDecimals": 4, "maxLeverage": 25},
        {"name": "kPEPE", "szDecimals": 0, "maxLeverage": 10},
        {"name": "MATIC", "szDecimals": 1, "maxLeverage": 20, "isDelisted": True},
        {"name": "AI16Z", "szDecimals": 1, "maxLeverage": 3, "onlyIsolated": True},
    ]
}
HIP3_META = {"universe": [{"name": "xyz:XYZ100", "szDecimals": 3, "maxLeverage": 20}]}
SPOT_META = {
    "tokens": [
        {"name": "USDC", "index": 0},
        {"name": "PURR", "index": 1},
        {"name": "HYPE", "index": 150},
        {"name": "UBTC", "index": 197},
        {"name": "USDT0", "index": 268},
    ],
    "universe": [
        {"name": "PURR/USDC", "tokens": [1, 0], "index": 0},
        {"name": "@107", "tokens": [150, 0], "index": 107},
        {"name": "@142", "tokens": [197, 0], "index": 142},
        {"name": "@166", "tokens": [268, 0], "index": 166},
    ],
}


@dataclass
class FakeClock:
    now: float

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    slept: list[float] = field(default_factory=list)


@dataclass
class FakeHyperliquid:
    clock: FakeClock
    seed: int = 11
    row_cap: int = 5000
    missing_ms: set[int] = field(default_factory=set)
    weight_limit: int = 1200
    throttle_next: int = 0  # answer this many requests with 429 first
    requests: list[dict[str, Any]] = field(default_factory=list)
    _weight: dict[int, int] = field(default_factory=dict)

    def minute_candles(self) -> Candles:
        """1m candles from a day boundary eight days back up to the one forming now."""
        now_s = int(self.clock.now)
        end = now_s - now_s % 60
        first = (end - 8 * 86400) // 86400 * 86400
        request = CandleRequest("hyperliquid_perpetual", "BTC-USD", "1m", first, end)
        return SyntheticSource(self.seed).candles(request)

    def _charge(self, weight: int) -> bool:
        minute = int(self.clock.now // 60)
        self._weight[minute] = self._weight.get(minute, 0) + weight
        return self._weight[minute] <= self.weight_limit

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        status, payload = self.answer(scope["method"], scope["path"], body)
        text = payload if isinstance(payload, str) else json.dumps(payload)
        kind = b"text/plain" if isinstance(payload, str) else b"application/json"
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", kind)]}
        )
        await send({"type": "http.response.body", "body": text.encode()})

    def answer(self, method: str, path: str, raw: bytes) -> tuple[int, Any]:
        if method != "POST" or path != "/info":
            return 404, "Not Found"
        try:
            body = json.loads(raw)
        except ValueError:
            return 422, "Failed to deserialize the JSON body into the target type"
        self.requests.append(body)
        if self.throttle_next:
            self.throttle_next -= 1
            return 429, "Too Many Requests"
        kind = body.get("type")
        if kind == "meta":
            if not self._charge(20):
                return 429, "Too Many Requests"
            return 200, HIP3_META if body.get("dex") == "xyz" else META
        if kind == "spotMeta":
            return (200, SPOT_META) if self._charge(20) else (429, "Too Many Requests")
        if kind == "candleSnapshot":
            return self.snapshot(body.get("req", {}))
        return 422, "Failed to deserialize the JSON body into the target type"

    def snapshot(self, req: dict[str, Any]) -> tuple[int, Any]:
        start, end, interval = req.get("startTime"), req.get("endTime"), req.get("interval")
        bad = not isinstance(start, int) or not isinstance(end, int) or start < 0
        if bad or interval not in INTERVALS_MS:
            return 422, "Failed to deserialize the JSON body into the target type"
        if req.get("coin") not in {"BTC", "ETH", "kPEPE", "MATIC", "@107", "xyz:XYZ100"}:
            return 200, []
        step = INTERVALS_MS[interval]
        minutes = self.minute_candles()
        candles = minutes.grouped(step // 60_000) if step > 60_000 else minutes
        now_ms = int(self.clock.now * 1000)
        forming = (now_ms // step) * step
        horizon = forming - 4999 * step
        rows = []
        for i in range(len(candles)):
            opened = int(candles.timestamp[i]) * 1000
            if opened % step or opened < horizon or opened in self.missing_ms:
                continue
            if opened + step - 1 < start or opened > end:
                continue
            rows.append(
                {
                    "t": opened,
                    "T": opened + step - 1,
                    "s": req["coin"],
                    "i": interval,
                    "o": repr(float(candles.open[i])),
                    "h": repr(float(candles.high[i])),
                    "l": repr(float(candles.low[i])),
                    "c": repr(float(candles.close[i])),
                    "v": repr(float(candles.volume[i])),
                    "n": 7,
                }
            )
        rows = rows[: self.row_cap]
        if not self._charge(20 + math.ceil(len(rows) / 60)):
            return 429, "Too Many Requests"
        return 200, rows

    def expected_close(self, open_s: int) -> float:
        candles = self.minute_candles()
        return float(candles.close[int(np.searchsorted(candles.timestamp, open_s))])


@asynccontextmanager
async def serve(app: FakeHyperliquid) -> AsyncIterator[str]:
    """Run `app` on 127.0.0.1 with a free port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(1000):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
