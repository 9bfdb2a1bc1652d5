"""Backtesting: candle sources and an engine that runs controller configs over candles.

`run_backtest(config, candles, mode=...)` runs in Hummingbot mode (reproduces Hummingbot's
backtester, quirks included) or realistic mode (quirks fixed) and returns a `BacktestResult`.
"""

from tradeagent.backtest.adapter import SUPPORTED, controller_params
from tradeagent.backtest.candles import CandleError, Candles, interval_seconds
from tradeagent.backtest.closes import CloseType
from tradeagent.backtest.engine import run_backtest
from tradeagent.backtest.errors import BacktestError
from tradeagent.backtest.execution import MODES, Mode
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.results import MODE_NOTES, BacktestResult, PnlSeries
from tradeagent.backtest.window import DataWindow

__all__ = [
    "MODES",
    "MODE_NOTES",
    "SUPPORTED",
    "BacktestError",
    "BacktestResult",
    "CandleError",
    "Candles",
    "CloseType",
    "DataWindow",
    "Ledger",
    "Mode",
    "PnlSeries",
    "controller_params",
    "interval_seconds",
    "run_backtest",
]
