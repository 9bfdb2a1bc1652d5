"""Candle sources behind one interface (`CandleSource`), the disk cache and the loader."""

from tradeagent.backtest.sources.base import (
    CandleRequest,
    CandleSource,
    CandleSourceError,
    Fetched,
)
from tradeagent.backtest.sources.cache import CandleCache
from tradeagent.backtest.sources.csv_file import CsvFileSource, read_csv_candles
from tradeagent.backtest.sources.loader import load_candles
from tradeagent.backtest.sources.synthetic import SyntheticSource

__all__ = [
    "CandleCache",
    "CandleRequest",
    "CandleSource",
    "CandleSourceError",
    "CsvFileSource",
    "Fetched",
    "SyntheticSource",
    "load_candles",
    "read_csv_candles",
]
