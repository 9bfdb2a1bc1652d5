"""The PnL series and the summary, with Hummingbot's result keys."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tradeagent.backtest.candles import FloatArray
from tradeagent.backtest.closes import BUY, SELL, CloseType
from tradeagent.backtest.ledger import Ledger


def realized_pnl_series(ledger: Ledger, n_rows: int) -> FloatArray:
    """Realized PnL after step 1 of each simulated row, accumulated in termination order
    (creation order within a row); the closing pass after the last row is not in the series."""
    if n_rows == 0:
        return np.zeros(0)
    booked = ledger.terminated_row < n_rows
    order = np.lexsort((np.arange(len(ledger)), ledger.terminated_row))
    order = order[booked[order]]
    cumulative = np.cumsum(ledger.net_pnl_quote[order])
    counts = np.searchsorted(ledger.terminated_row[order], np.arange(n_rows), side="right")
    series = np.zeros(n_rows)
    has = counts > 0
    series[has] = cumulative[counts[has] - 1]
    return series


def max_drawdown(series: FloatArray) -> float:
    """Most negative distance below the running peak (≤ 0; 0 for an empty series)."""
    if len(series) == 0:
        return 0.0
    return float(np.min(series - np.maximum.accumulate(series)))


def level_sharpe(series: FloatArray, capital: float) -> float:
    """Hummingbot's Sharpe: mean / std (ddof 1) of the cumulative PnL *level* over capital, one
    point per simulated row, not annualised; 0 when undefined."""
    if len(series) < 2:
        return 0.0
    levels = series / capital
    std = float(np.std(levels, ddof=1))
    return float(np.mean(levels)) / std if std > 0 else 0.0


def summarize(
    ledger: Ledger,
    drawdown_usd: float,
    sharpe: float,
    capital: float,
    *,
    hold_realized: float = 0.0,
    hold_unrealized: float = 0.0,
) -> dict[str, Any]:
    """The summary under Hummingbot's keys. Positions are filled executors: net PnL ≠ 0 and not
    a position hold; a spot position hold adds its realized PnL to the net. Percentages are
    fractions of `capital`."""
    not_hold = ledger.close_type != int(CloseType.POSITION_HOLD)
    pnl = ledger.net_pnl_quote
    positions = not_hold & (pnl != 0)
    wins = positions & (pnl > 0)
    losses = positions & (pnl < 0)
    longs = positions & (ledger.side == BUY)
    shorts = positions & (ledger.side == SELL)
    n_positions = int(positions.sum())
    total_long = int(longs.sum())
    total_short = int(shorts.sum())
    won = math.fsum(pnl[wins].tolist())
    lost = -math.fsum(pnl[losses].tolist())
    net_pnl_quote = math.fsum([*pnl[not_hold].tolist(), hold_realized])
    names = {member.value: member.name for member in CloseType}
    kinds, counts = np.unique(ledger.close_type, return_counts=True)
    close_types = dict(
        sorted(
            (names[int(k)], int(c)) for k, c in zip(kinds.tolist(), counts.tolist(), strict=True)
        )
    )
    return {
        "net_pnl": net_pnl_quote / capital,
        "net_pnl_quote": net_pnl_quote,
        "total_executors": len(ledger),
        "total_executors_with_position": n_positions,
        "total_volume": math.fsum(ledger.filled_amount_quote[positions].tolist()),
        "total_long": total_long,
        "total_short": total_short,
        "close_types": close_types,
        "accuracy_long": int((wins & longs).sum()) / total_long if total_long else 0.0,
        "accuracy_short": int((wins & shorts).sum()) / total_short if total_short else 0.0,
        "total_positions": n_positions,
        "accuracy": int(wins.sum()) / n_positions if n_positions else 0.0,
        "max_drawdown_usd": drawdown_usd,
        "max_drawdown_pct": drawdown_usd / capital,
        "sharpe_ratio": sharpe,
        "profit_factor": won / lost if lost > 0 else 1.0,
        "win_signals": int(wins.sum()),
        "loss_signals": int(losses.sum()),
        "unrealized_pnl_quote": hold_unrealized,
        "position_realized_pnl_quote": hold_realized,
        "total_fees_quote": math.fsum(ledger.cum_fees_quote.tolist()),
    }
