"""Hand-made candles for the engine's hand-computed cases."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tradeagent.backtest import Candles

T0 = 1_735_689_600  # 2025-01-01 00:00 UTC


def make_candles(
    closes: Sequence[float] | np.ndarray,
    *,
    highs: Sequence[float] | np.ndarray | None = None,
    lows: Sequence[float] | np.ndarray | None = None,
    opens: Sequence[float] | np.ndarray | None = None,
    step: int = 60,
    start: int = T0,
) -> Candles:
    """Candles with the given closes; by default each opens at the previous close and its range
    is exactly [min(open, close), max(open, close)]."""
    close = np.asarray(closes, dtype=np.float64)
    open_ = (
        np.asarray(opens, dtype=np.float64) if opens is not None else np.r_[close[0], close[:-1]]
    )
    high = np.asarray(highs, dtype=np.float64) if highs is not None else np.maximum(open_, close)
    low = np.asarray(lows, dtype=np.float64) if lows is not None else np.minimum(open_, close)
    timestamp = start + step * np.arange(len(close), dtype=np.int64)
    return Candles(step, timestamp, open_, high, low, close, np.ones(len(close)))
