"""Candles from a CSV file (gzip accepted): timestamp, open, high, low, close, volume.

`timestamp` is the candle open time in unix seconds; other columns (Hummingbot's candle layout
has four more) are ignored. Values must parse exactly as written: floats are read with a
correctly rounding parser, so a file written with round-trip precision gives bit-identical prices.
"""

from __future__ import annotations

import gzip
import warnings
from collections import Counter
from pathlib import Path
from typing import IO

import numpy as np

from tradeagent.backtest.candles import CandleError, Candles, format_interval
from tradeagent.backtest.sources.base import CandleRequest, CandleSourceError, Fetched

COLUMNS = ("timestamp", "open", "high", "low", "close", "volume")
_MILLISECONDS = 10**11  # unix seconds stay below this until the year 5138


def _open(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def read_csv_candles(path: Path) -> Candles:
    """Every candle in the file, checked: sorted, unique, one interval, consistent OHLC."""
    try:
        with _open(path) as handle:
            header = handle.readline().strip().lstrip("\ufeff")
            names = [name.strip().lower() for name in header.split(",")]
            missing = [column for column in COLUMNS if column not in names]
            if missing:
                raise CandleSourceError(
                    f"{path}: the header lacks {', '.join(missing)}; a candle CSV needs the "
                    f"columns {', '.join(COLUMNS)} (timestamp = open time in unix seconds)"
                )
            usecols = [names.index(column) for column in COLUMNS]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # an empty file is reported below
                data = np.loadtxt(handle, delimiter=",", usecols=usecols, ndmin=2, dtype=np.float64)
    except OSError as exc:
        raise CandleSourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, EOFError) as exc:
        raise CandleSourceError(f"{path}: not a valid candle CSV: {exc}") from None
    return _checked(path, data)


def _checked(path: Path, data: np.ndarray) -> Candles:
    if not len(data):
        raise CandleSourceError(f"{path}: the file has a header but no candles")
    if not np.all(np.isfinite(data[:, :5])):
        row = int(np.flatnonzero(~np.isfinite(data[:, :5]).all(axis=1))[0])
        raise CandleSourceError(f"{path}: data row {row + 1} has a missing or non-finite value")
    ts = data[:, 0]
    if ts.max() >= _MILLISECONDS:
        raise CandleSourceError(
            f"{path}: timestamps look like milliseconds; the timestamp column must be the candle "
            "open time in unix seconds (divide by 1000)"
        )
    order = np.argsort(ts, kind="stable")
    data = data[order]
    ts = data[:, 0]
    if len(ts) > 1 and np.any(np.diff(ts) == 0):
        row = int(order[np.flatnonzero(np.diff(ts) == 0)[0] + 1])
        raise CandleSourceError(f"{path}: data row {row + 1} repeats the timestamp {ts[row]:.0f}")
    open_, high, low, close = data[:, 1], data[:, 2], data[:, 3], data[:, 4]
    bad = (low > np.minimum(open_, close)) | (high < np.maximum(open_, close)) | (low <= 0)
    if bad.any():
        row = int(order[np.flatnonzero(bad)[0]])
        raise CandleSourceError(
            f"{path}: data row {row + 1} is not a candle (need 0 < low ≤ open, close ≤ high)"
        )
    try:
        return Candles.from_columns(_interval(path, ts), ts, open_, high, low, close, data[:, 5])
    except CandleError as exc:
        raise CandleSourceError(f"{path}: {exc}") from None


def _interval(path: Path, ts: np.ndarray) -> int:
    if len(ts) < 2:
        raise CandleSourceError(f"{path}: one candle is not enough to tell the interval")
    steps = Counter(np.diff(ts).astype(np.int64).tolist())
    step = min(steps)
    if steps.most_common(1)[0][0] != step:
        raise CandleSourceError(
            f"{path}: candles are not on one interval (steps seen: "
            f"{', '.join(format_interval(s) for s in sorted(steps)[:4])})"
        )
    return int(step)


class CsvFileSource:
    """A local candle file. The file's interval must be the backtest resolution."""

    name = "file"
    cacheable = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self._candles: Candles | None = None

    @property
    def detail(self) -> str:
        return str(self.path)

    async def fetch(self, request: CandleRequest) -> Fetched:
        if self._candles is None:
            self._candles = read_csv_candles(self.path)
        candles = self._candles
        if candles.interval_s != request.interval_s:
            raise CandleSourceError(
                f"{self.path} holds {format_interval(candles.interval_s)} candles; backtest "
                f"at that resolution (--resolution {format_interval(candles.interval_s)})"
            )
        return Fetched(candles.between(request.start, request.end))
