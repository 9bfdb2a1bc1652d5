"""The interface every candle source implements, and the loader that checks what came back."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from tradeagent.backtest.candles import CandleError, Candles, interval_seconds


class CandleSourceError(Exception):
    """Candles could not be obtained; the message says why and what to do."""


@dataclass(frozen=True)
class CandleRequest:
    """Candles of `trading_pair` on `connector` at `interval`, open times in [start, end]."""

    connector: str
    trading_pair: str
    interval: str
    start: int
    end: int

    @property
    def interval_s(self) -> int:
        return interval_seconds(self.interval)

    def validated(self) -> CandleRequest:
        """The request with start aligned up to an interval boundary; errors for empty ranges."""
        try:
            step = self.interval_s
        except CandleError as exc:
            raise CandleSourceError(str(exc)) from None
        start = -(-self.start // step) * step
        if self.end < start:
            raise CandleSourceError(
                f"the range {self.start}..{self.end} holds no {self.interval} candle; "
                "the end must be after the start"
            )
        return CandleRequest(self.connector, self.trading_pair, self.interval, start, self.end)


@dataclass(frozen=True)
class Fetched:
    candles: Candles
    notes: tuple[str, ...] = ()  # what the source knows about gaps in its answer


class CandleSource(Protocol):
    @property
    def name(self) -> str:
        """synthetic | file | hyperliquid | hummingbot"""
        ...

    @property
    def detail(self) -> str:
        """Enough to fetch the same data again: seed, path, base URL or connector."""
        ...

    @property
    def cacheable(self) -> bool:
        """Worth keeping on disk (network sources)."""
        ...

    async def fetch(self, request: CandleRequest) -> Fetched: ...


def now_s() -> int:
    return int(time.time())
