"""Limit prices computed like Hummingbot's Decimal arithmetic, and exact fill tests against them.

Hummingbot prices a level as `Decimal(close) · (1 ± Decimal(spread))` with 28 significant digits.
The engine works with a float approximation (within a few ulps) and falls back to the exact
Decimal comparison only where a close lies within that tolerance of the price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import BUY
from tradeagent.backtest.tape import Tape

NO_FILL = -1
_ULPS = 4.0


@dataclass(frozen=True)
class LimitPrices:
    """Limit prices of one level for an order created at every row."""

    side: int
    multiplier: Decimal  # 1 − spread (buy) or 1 + spread (sell), as Hummingbot rounds it
    approx: FloatArray

    @classmethod
    def level(cls, close: FloatArray, side: int, spread: float) -> LimitPrices:
        spread_pct = Decimal(spread) * Decimal(1)  # rounds to 28 digits like Hummingbot
        multiplier = 1 + Decimal(-1 if side == BUY else 1) * spread_pct
        return cls(side=side, multiplier=multiplier, approx=close * float(multiplier))

    def exact(self, close: float) -> Decimal:
        return Decimal(close) * self.multiplier

    def crosses(self, close: float, created_close: float) -> bool:
        """Exact test: does `close` fill the order created at a row closing at `created_close`?"""
        price = self.exact(created_close)
        return Decimal(close) <= price if self.side == BUY else Decimal(close) >= price


def first_close_crossing(
    tape: Tape, prices: LimitPrices, rows: IntArray, last_row: IntArray
) -> IntArray:
    """For orders created at `rows`, the first row in [row, last_row] whose close crosses the
    limit price (close ≤ price for a buy, ≥ for a sell); NO_FILL if none."""
    fills = np.full(len(rows), NO_FILL, dtype=np.int64)
    if not len(rows):
        return fills
    width = tape.width
    windows = sliding_window_view(tape.close, width)
    offsets = np.arange(width)
    chunk = max(1, (1 << 22) // width)
    for lo in range(0, len(rows), chunk):
        part = rows[lo : lo + chunk]
        closes = windows[part]
        approx = prices.approx[part]
        slack = _ULPS * np.spacing(approx)
        buy = prices.side == BUY
        limit = (approx + slack) if buy else (approx - slack)
        loose = closes <= limit[:, None] if buy else closes >= limit[:, None]
        loose &= offsets[None, :] <= (last_row[lo : lo + chunk] - part)[:, None]
        found = np.flatnonzero(loose.any(axis=1))
        first = np.argmax(loose[found], axis=1)
        value = closes[found, first]
        sure = (
            value <= approx[found] - slack[found] if buy else value >= approx[found] + slack[found]
        )
        fills[lo + found[sure]] = part[found[sure]] + first[sure]
        for i in found[~sure].tolist():
            fills[lo + i] = _confirm(tape, prices, int(part[i]), loose[i])
    return fills


def _confirm(tape: Tape, prices: LimitPrices, row: int, loose: np.ndarray) -> int:
    """The first crossing among the candidate offsets, each decided with exact Decimals."""
    created_close = float(tape.close[row])
    for offset in np.flatnonzero(loose).tolist():
        if prices.crosses(float(tape.close[row + offset]), created_close):
            return row + offset
    return NO_FILL
