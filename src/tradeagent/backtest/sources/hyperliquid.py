"""Candles from Hyperliquid's public info API (`candleSnapshot`): no key needed.

Hyperliquid keeps only the most recent 5,000 candles per coin and interval (about 3.5 days at
1m), so a longer request is clamped to that horizon and the window says so. Requests walk
forward in windows of 5,000 intervals and work whether the server caps an answer at 5,000 or at
500 rows; they are paced by a local weight budget and back off on HTTP 429.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import numpy as np

from tradeagent.backtest.candles import Candles, format_interval
from tradeagent.backtest.sources.base import CandleRequest, CandleSourceError, Fetched
from tradeagent.backtest.window import utc

MAINNET = "https://api.hyperliquid.xyz"
INTERVALS = ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "8h", "12h", "1d", "3d", "1w")
HISTORY = 5000  # candles kept per coin and interval
WINDOW = 5000  # intervals per request
SMALL_CAP = 500  # an answer this long may have been cut short by a server cap
SPOT_CONNECTORS = ("hyperliquid", "hyperliquid_testnet")
REQUEST_WEIGHT = 20
WEIGHT_PER_MINUTE = 600  # half of Hyperliquid's 1,200 per IP: bots on this host share it
MAX_RETRIES = 5


class WeightBudget:
    """A token bucket in Hyperliquid request weight, refilled continuously."""

    def __init__(
        self,
        per_minute: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.sleep = sleep
        self.available = per_minute
        self.updated = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.available = min(
            self.per_minute, self.available + (now - self.updated) * self.per_minute / 60
        )
        self.updated = now

    async def spend(self, weight: float) -> None:
        self._refill()
        if self.available < weight:
            await self.sleep((weight - self.available) * 60 / self.per_minute)
            self._refill()
        self.available -= weight


class HyperliquidSource:
    name = "hyperliquid"
    cacheable = True

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str = MAINNET,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        weight_per_minute: float = WEIGHT_PER_MINUTE,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.sleep = sleep
        self.budget = WeightBudget(weight_per_minute, clock, sleep)

    @property
    def detail(self) -> str:
        return self.base_url

    async def fetch(self, request: CandleRequest) -> Fetched:
        if request.interval not in INTERVALS:
            raise CandleSourceError(
                f"Hyperliquid has no {request.interval} candles; use one of {', '.join(INTERVALS)}"
            )
        coin, notes = await self.resolve_coin(request.connector, request.trading_pair)
        step_ms = request.interval_s * 1000
        now_ms = int(self.clock() * 1000)
        start_ms, end_ms = request.start * 1000, request.end * 1000
        horizon = (now_ms // step_ms) * step_ms - (HISTORY - 1) * step_ms
        if start_ms < horizon:
            notes.append(
                f"Hyperliquid keeps only the last {HISTORY:,} {request.interval} candles: data "
                f"starts at {utc(horizon // 1000)} UTC at the earliest (use a coarser "
                "interval, a CSV file or the synthetic market for longer backtests)"
            )
            start_ms = horizon
        rows = await self._walk(coin, request.interval, start_ms, end_ms, step_ms)
        live = [row for row in rows if row["T"] >= now_ms]
        if live:
            notes.append(f"dropped the still-forming candle opened at {utc(live[0]['t'] // 1000)}")
        rows = [row for row in rows if row["T"] < now_ms]
        return Fetched(_candles(rows, request.interval_s), tuple(notes))

    async def _walk(
        self, coin: str, interval: str, start_ms: int, end_ms: int, step_ms: int
    ) -> list[dict[str, Any]]:
        by_open: dict[int, dict[str, Any]] = {}
        cursor = start_ms
        while cursor <= end_ms:
            window_end = min(end_ms, cursor + WINDOW * step_ms - 1)
            body = {
                "type": "candleSnapshot",
                "req": {
                    "coin": coin,
                    "interval": interval,
                    "startTime": cursor,
                    "endTime": window_end,
                },
            }
            answer = await self._post(body, weight=REQUEST_WEIGHT)
            if not isinstance(answer, list):
                raise CandleSourceError(f"Hyperliquid answered candleSnapshot with {answer!r:.200}")
            await self.budget.spend(math.ceil(len(answer) / 60))
            for raw in answer:
                row = _row(raw)
                if cursor <= row["t"] <= end_ms:
                    by_open[row["t"]] = row
            if len(answer) >= SMALL_CAP:
                advanced = max(_row(raw)["t"] for raw in answer) + step_ms
                if advanced <= cursor:
                    break
                cursor = advanced
            else:
                cursor = window_end + 1
        return [by_open[key] for key in sorted(by_open)]

    async def resolve_coin(self, connector: str, pair: str) -> tuple[str, list[str]]:
        """Hyperliquid's coin name for a Hummingbot pair, checked against meta / spotMeta."""
        if "-" not in pair:
            raise CandleSourceError(f"trading pair {pair!r} must be BASE-QUOTE, e.g. BTC-USD")
        base, quote = pair.rsplit("-", 1)
        if connector in SPOT_CONNECTORS:
            return await self._spot_coin(base, quote, pair), []
        dex = base.split(":", 1)[0].lower() if ":" in base else ""
        coin = f"{dex}:{base.split(':', 1)[1]}" if dex else base
        body: dict[str, Any] = {"type": "meta"}
        if dex:
            body["dex"] = dex
        meta = await self._post(body, weight=REQUEST_WEIGHT)
        universe = meta.get("universe", []) if isinstance(meta, dict) else []
        names = {str(asset.get("name")): asset for asset in universe if isinstance(asset, dict)}
        if coin not in names:
            raise CandleSourceError(
                f"{pair!r} is not a Hyperliquid perpetual{_suggestion(base, list(names))}"
            )
        notes = []
        if not connector.startswith("hyperliquid"):
            notes.append(f"{pair} on {connector} is backtested on Hyperliquid's {coin} candles")
        if names[coin].get("isDelisted"):
            notes.append(f"{coin} is delisted on Hyperliquid; its candles end at the delisting")
        return coin, notes

    async def _spot_coin(self, base: str, quote: str, pair: str) -> str:
        meta = await self._post({"type": "spotMeta"}, weight=REQUEST_WEIGHT)
        if not isinstance(meta, dict):
            raise CandleSourceError(f"Hyperliquid answered spotMeta with {meta!r:.200}")
        tokens = {
            token["index"]: str(token["name"]).replace(" ", "").upper()
            for token in meta.get("tokens", [])
        }
        pairs: dict[str, str] = {}
        for market in meta.get("universe", []):
            first, second = market["tokens"]
            pairs[f"{tokens[first]}-{tokens[second]}"] = market["name"]
        if pair in pairs:
            return pairs[pair]
        bases = [name.rsplit("-", 1)[0] for name in pairs]
        raise CandleSourceError(
            f"{pair!r} is not a Hyperliquid spot pair{_suggestion(base, bases)}"
        )

    async def _post(self, body: dict[str, Any], *, weight: int) -> Any:
        delay = 2.0
        for attempt in range(MAX_RETRIES + 1):
            await self.budget.spend(weight)
            try:
                response = await self.client.post(f"{self.base_url}/info", json=body)
            except httpx.HTTPError as exc:
                raise CandleSourceError(
                    f"cannot reach Hyperliquid at {self.base_url}: {exc.__class__.__name__}: "
                    f"{exc}. Check the network, or use --source synthetic or a CSV file."
                ) from None
            if response.status_code == 200:
                try:
                    return response.json()
                except ValueError:
                    raise CandleSourceError(
                        f"Hyperliquid sent a non-JSON answer: {response.text[:200]!r}"
                    ) from None
            retryable = response.status_code == 429 or response.status_code >= 500
            if not retryable or attempt == MAX_RETRIES:
                hint = (
                    " (rate limited; try again in a minute)" if response.status_code == 429 else ""
                )
                raise CandleSourceError(
                    f"Hyperliquid refused {body['type']}: HTTP {response.status_code} "
                    f"{response.text[:200].strip()!r}{hint}"
                )
            await self.sleep(delay)
            delay = min(delay * 2, 30.0)
        raise AssertionError("unreachable")  # pragma: no cover


def _suggestion(base: str, names: list[str]) -> str:
    lowered = base.lower()
    close = [
        name
        for name in names
        if name.lower() in (lowered, f"k{lowered}", f"u{lowered}")
        or name.lower().lstrip("k") == lowered
    ]
    return f"; did you mean {close[0]}?" if close else "; check the name and its case"


def _row(raw: Any) -> dict[str, Any]:
    try:
        return {
            "t": int(raw["t"]),
            "T": int(raw["T"]),
            "o": float(raw["o"]),
            "h": float(raw["h"]),
            "l": float(raw["l"]),
            "c": float(raw["c"]),
            "v": float(raw["v"]),
        }
    except (KeyError, TypeError, ValueError):
        raise CandleSourceError(f"Hyperliquid sent a malformed candle: {raw!r:.200}") from None


def _candles(rows: list[dict[str, Any]], interval_s: int) -> Candles:
    if rows and any(row["t"] % (interval_s * 1000) for row in rows):
        raise CandleSourceError(
            f"Hyperliquid candles are not aligned to {format_interval(interval_s)} boundaries"
        )
    return Candles(
        interval_s,
        np.asarray([row["t"] // 1000 for row in rows], dtype=np.int64),
        np.asarray([row["o"] for row in rows], dtype=np.float64),
        np.asarray([row["h"] for row in rows], dtype=np.float64),
        np.asarray([row["l"] for row in rows], dtype=np.float64),
        np.asarray([row["c"] for row in rows], dtype=np.float64),
        np.asarray([row["v"] for row in rows], dtype=np.float64),
    )
