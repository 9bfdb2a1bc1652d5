"""Fetched candles on disk, keyed by source, connector, pair, interval and range."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from tradeagent.backtest.candles import Candles
from tradeagent.backtest.sources.base import CandleRequest, Fetched

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_FORMAT = 1


def _part(text: str) -> str:
    return _UNSAFE.sub("_", text) or "_"


class CandleCache:
    """One `.npz` file per (source, connector, pair, interval, start, end); writes are atomic.

    Only ranges whose candles have all closed are stored, so an entry never goes stale.
    """

    def __init__(self, root: Path) -> None:
        self.root = root / "candles"

    def path(self, source: str, request: CandleRequest) -> Path:
        return (
            self.root
            / _part(source)
            / _part(request.connector)
            / _part(request.trading_pair)
            / _part(request.interval)
            / f"{request.start}-{request.end}.npz"
        )

    def load(self, source: str, request: CandleRequest) -> Fetched | None:
        path = self.path(source, request)
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"]) != _FORMAT:
                    return None
                candles = Candles(
                    request.interval_s,
                    data["timestamp"],
                    data["open"],
                    data["high"],
                    data["low"],
                    data["close"],
                    data["volume"],
                )
                notes = tuple(json.loads(str(data["notes"])))
        except (OSError, KeyError, ValueError):
            return None  # absent or unreadable: fetch again
        return Fetched(candles, notes)

    def store(self, source: str, request: CandleRequest, fetched: Fetched) -> None:
        path = self.path(source, request)
        path.parent.mkdir(parents=True, exist_ok=True)
        candles = fetched.candles
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle,
                    format=np.int64(_FORMAT),
                    timestamp=candles.timestamp,
                    open=candles.open,
                    high=candles.high,
                    low=candles.low,
                    close=candles.close,
                    volume=candles.volume,
                    notes=np.str_(json.dumps(list(fetched.notes))),
                )
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
