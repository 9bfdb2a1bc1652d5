"""The blocked barrier scan against a plain candle-by-candle loop over each entry."""

from __future__ import annotations

import numpy as np
from handmade import make_candles
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import plain_scan

from tradeagent.backtest import barriers
from tradeagent.backtest.barriers import scan_hummingbot
from tradeagent.backtest.closes import BUY, SELL
from tradeagent.backtest.params import TrailingStop, TripleBarrier
from tradeagent.backtest.tape import Tape


def prices(seed: int, n: int, tick: float) -> np.ndarray:
    """A random walk, optionally on a coarse tick grid (flat stretches, exact ties)."""
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0, 0.004, n)))
    return np.round(close / tick) * tick if tick else close


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 400),
    tick=st.sampled_from([0.0, 0.5, 1.0]),
    side=st.sampled_from([BUY, SELL]),
    minutes=st.sampled_from([None, 1, 5, 45, 200]),
    stop_loss=st.sampled_from([None, 0.0, 0.004, 0.01]),
    take_profit=st.sampled_from([None, 0.0, 0.003, 0.01]),
    trailing=st.sampled_from([None, (0.002, 0.001), (0.005, 0.002), (0.0, 0.0)]),
    density=st.sampled_from([1, 2, 7]),
)
def test_scan_matches_the_plain_loop(
    seed: int,
    n: int,
    tick: float,
    side: int,
    minutes: int | None,
    stop_loss: float | None,
    take_profit: float | None,
    trailing: tuple[float, float] | None,
    density: int,
) -> None:
    close = prices(seed, n, tick)
    rng = np.random.default_rng(seed + 1)
    candles = make_candles(
        close,
        highs=close * (1 + rng.uniform(0, 0.004, n)),
        lows=close * (1 - rng.uniform(0, 0.004, n)),
    )
    tape = Tape.build(candles, None if minutes is None else 60 * minutes)
    barrier = TripleBarrier(
        stop_loss, take_profit, None, TrailingStop(*trailing) if trailing else None
    )
    starts = np.arange(0, n, density, dtype=np.int64)
    got = scan_hummingbot(tape, starts, side, barrier, 0.0006)
    expected = plain_scan(tape, starts.tolist(), side, barrier, 0.0006)
    assert got.take_profit.tolist() == expected.take_profit
    assert got.stop_loss.tolist() == expected.stop_loss
    assert got.trailing_stop.tolist() == expected.trailing_stop
    np.testing.assert_array_equal(got.pnl, np.asarray(expected.pnl))


def test_runs_and_blocks_carry_their_state(monkeypatch: object) -> None:
    # Tiny tables: entries span many blocks and windows many runs of offsets.
    monkeypatch.setattr(barriers, "_CELLS", 12)  # type: ignore[attr-defined]
    monkeypatch.setattr(barriers, "_MAX_RUN", 3)  # type: ignore[attr-defined]
    close = prices(5, 300, 0.0)
    tape = Tape.build(make_candles(close), 60 * 60)
    barrier = TripleBarrier(0.01, 0.02, None, TrailingStop(0.004, 0.002))
    starts = np.arange(0, 300, dtype=np.int64)
    for side in (BUY, SELL):
        got = scan_hummingbot(tape, starts, side, barrier, 0.0006)
        expected = plain_scan(tape, starts.tolist(), side, barrier, 0.0006)
        assert got.first.tolist() == [
            min(a, b, c)
            for a, b, c in zip(
                expected.take_profit, expected.stop_loss, expected.trailing_stop, strict=True
            )
        ]
        np.testing.assert_array_equal(got.pnl, np.asarray(expected.pnl))
        assert np.isfinite(got.pnl).sum() > 100  # most entries did hit something
