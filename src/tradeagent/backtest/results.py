"""A backtest's result: summary, ledger, PnL series, the data window and the mode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.execution import Mode
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.window import DataWindow

MODE_NOTES: dict[Mode, str] = {
    "hummingbot": "Hummingbot-compatible: reproduces Hummingbot's backtester, quirks included "
    "(exits at candle closes, signals joined with look-ahead, realized-only drawdown, "
    "Sharpe on the PnL level).",
    "realistic": "Realistic: no look-ahead, stops and take-profits filled at their price, "
    "fees per leg, leverage and liquidation applied, mark-to-market drawdown, annualised "
    "per-period Sharpe. Not comparable with Hummingbot's numbers.",
}


@dataclass(frozen=True)
class PnlSeries:
    """PnL after each simulated row: realized only in Hummingbot mode, mark-to-market
    (realized + open positions at the close) in realistic mode."""

    timestamp: IntArray
    total_pnl: FloatArray

    def __len__(self) -> int:
        return len(self.timestamp)

    def drawdown(self) -> FloatArray:
        if not len(self):
            return np.zeros(0)
        return self.total_pnl - np.maximum.accumulate(self.total_pnl)

    def downsampled(self, points: int) -> dict[str, list[Any]]:
        """At most `points` buckets: the PnL at each bucket's end and the deepest drawdown in it."""
        n = len(self)
        if n == 0:
            return {"timestamp": [], "total_pnl": [], "drawdown": []}
        drawdown = self.drawdown()
        if n <= points:
            return {
                "timestamp": self.timestamp.tolist(),
                "total_pnl": self.total_pnl.tolist(),
                "drawdown": drawdown.tolist(),
            }
        edges = np.linspace(0, n, points + 1).astype(np.int64)
        starts, ends = edges[:-1], edges[1:] - 1
        return {
            "timestamp": self.timestamp[ends].tolist(),
            "total_pnl": self.total_pnl[ends].tolist(),
            "drawdown": np.minimum.reduceat(drawdown, starts).tolist(),
        }


@dataclass(frozen=True)
class BacktestResult:
    mode: Mode
    controller_name: str
    config_hash: str  # tradeagent.strategy.config_hash of the config that ran
    connector_name: str
    trading_pair: str
    trade_cost: float
    resolution: str
    window: DataWindow
    summary: dict[str, Any]  # Hummingbot's result keys
    ledger: Ledger
    pnl: PnlSeries
    rows_simulated: int
    first_simulated_timestamp: int | None
    warnings: tuple[str, ...]
    elapsed_s: float

    @property
    def mode_note(self) -> str:
        return MODE_NOTES[self.mode]

    def to_dict(self, *, series_points: int = 1000, executors: bool = True) -> dict[str, Any]:
        """JSON-ready: `results` under Hummingbot's keys, the `executors` ledger, the window."""
        return {
            "mode": self.mode,
            "mode_note": self.mode_note,
            "controller_name": self.controller_name,
            "config_hash": self.config_hash,
            "connector_name": self.connector_name,
            "trading_pair": self.trading_pair,
            "trade_cost": self.trade_cost,
            "backtesting_resolution": self.resolution,
            "rows_simulated": self.rows_simulated,
            "first_simulated_timestamp": self.first_simulated_timestamp,
            "elapsed_s": self.elapsed_s,
            "window": self.window.to_dict(),
            "warnings": [*self.window.warnings, *self.warnings],
            "results": self.summary,
            "pnl_timeseries": self.pnl.downsampled(series_points),
            "executors": self.ledger.records() if executors else [],
        }
