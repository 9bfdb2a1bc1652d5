"""Candles from a Hummingbot API (`POST /market-data/historical-candles`).

The backtest package must not know the API client, so the source takes the call as a plain
async function: body dict in, candle rows out. The CLI and the TUI pass the real client's.
Hummingbot's candle download stops silently at an exchange's history limit; the loader's window
check reports the shortfall.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import numpy as np

from tradeagent.backtest.candles import CandleError, Candles
from tradeagent.backtest.sources.base import CandleRequest, CandleSourceError, Fetched

HistoricalCandles = Callable[[dict[str, Any]], Awaitable[list[Mapping[str, Any]]]]


class HummingbotCandleSource:
    name = "hummingbot"
    cacheable = True

    def __init__(self, fetch: HistoricalCandles, *, server: str) -> None:
        self._fetch = fetch
        self.server = server

    @property
    def detail(self) -> str:
        return self.server

    async def fetch(self, request: CandleRequest) -> Fetched:
        body = {
            "connector_name": request.connector,
            "trading_pair": request.trading_pair,
            "interval": request.interval,
            "start_time": request.start,
            "end_time": request.end + request.interval_s - 1,
        }
        rows = await self._fetch(body)
        by_open: dict[int, tuple[float, float, float, float, float]] = {}
        try:
            for row in rows:
                opened = float(row["timestamp"])
                by_open[int(opened)] = (
                    float(row["open"]),
                    float(row["high"]),
                    float(row["low"]),
                    float(row["close"]),
                    float(row.get("volume") or 0.0),
                )
        except (KeyError, TypeError, ValueError):
            raise CandleSourceError(
                f"the Hummingbot API at {self.server} sent malformed candles "
                f"(first row: {rows[0] if rows else None!r:.200})"
            ) from None
        opens = sorted(by_open)
        values = np.asarray([by_open[key] for key in opens], dtype=np.float64).reshape(-1, 5)
        try:
            candles = Candles(
                request.interval_s,
                np.asarray(opens, dtype=np.int64),
                values[:, 0].copy(),
                values[:, 1].copy(),
                values[:, 2].copy(),
                values[:, 3].copy(),
                values[:, 4].copy(),
            )
        except CandleError as exc:
            raise CandleSourceError(f"candles from {self.server}: {exc}") from None
        return Fetched(candles)
