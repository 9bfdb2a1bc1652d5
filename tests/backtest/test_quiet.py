"""Quiet entries (settled without a scan) against the plain candle-by-candle loop, with prices
placed a few ulps around every barrier threshold."""

from __future__ import annotations

import numpy as np
from handmade import make_candles
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import plain_scan

from tradeagent.backtest.barriers import NO_HIT, scan_hummingbot
from tradeagent.backtest.closes import BUY, SELL
from tradeagent.backtest.params import TrailingStop, TripleBarrier
from tradeagent.backtest.quiet import quiet_entries
from tradeagent.backtest.tape import Tape, sliding_extreme

FEE = 0.0006
# Relative nudges around a threshold: well inside, at the margin, a few ulps, exactly on it.
NUDGES = [-1e-6, -2e-9, -1e-9, -1e-12, -4e-16, 0.0, 4e-16, 1e-12, 1e-9, 1e-6]


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    side=st.sampled_from([BUY, SELL]),
    take_profit=st.sampled_from([None, 0.0, 0.003, 0.01]),
    stop_loss=st.sampled_from([None, 0.0, 0.004, 0.01]),
    trailing=st.sampled_from([None, (0.002, 0.001), (0.0, 0.0)]),
    minutes=st.sampled_from([1, 3, 8]),
)
def test_quiet_entries_never_hide_a_hit(
    data: st.DataObject,
    side: int,
    take_profit: float | None,
    stop_loss: float | None,
    trailing: tuple[float, float] | None,
    minutes: int,
) -> None:
    trailing_stop = TrailingStop(*trailing) if trailing else None
    barrier = TripleBarrier(stop_loss, take_profit, None, trailing_stop)
    levels = [level for level in (take_profit, trailing and trailing[0]) if level is not None]
    profit = min(levels) + 2 * FEE if levels else 0.005
    n = data.draw(st.integers(2, 40))
    base = 100.0
    # Closes alternate between the base and a price right at the profit threshold seen from it;
    # lows and highs sit right at the stop price seen from the base.
    nudges = data.draw(st.lists(st.sampled_from(NUDGES), min_size=3 * n, max_size=3 * n))
    close = np.array(
        [base if i % 2 == 0 else base * (1.0 + side * profit) * (1.0 + nudges[i]) for i in range(n)]
    )
    stop = base * (1.0 - (stop_loss or 0.003) * side)
    extreme = np.array([stop * (1.0 + nudges[n + i]) for i in range(n)])
    away = np.array([base * (1.0 + side * 0.02) for _ in range(n)])
    lows = np.minimum(extreme, close) if side == BUY else np.minimum(away, close)
    highs = np.maximum(away, close) if side == BUY else np.maximum(extreme, close)
    tape = Tape.build(make_candles(close, highs=highs, lows=lows), 60 * minutes)
    starts = np.arange(n, dtype=np.int64)
    quiet = quiet_entries(tape, starts, side, barrier, FEE)
    expected = plain_scan(tape, starts.tolist(), side, barrier, FEE)
    for i in np.flatnonzero(quiet).tolist():
        assert expected.take_profit[i] == expected.stop_loss[i] == NO_HIT
        assert expected.trailing_stop[i] == NO_HIT
    got = scan_hummingbot(tape, starts, side, barrier, FEE)
    assert got.take_profit.tolist() == expected.take_profit
    assert got.stop_loss.tolist() == expected.stop_loss
    assert got.trailing_stop.tolist() == expected.trailing_stop
    np.testing.assert_array_equal(got.pnl, np.asarray(expected.pnl))


def test_calm_windows_are_quiet_and_a_threshold_touch_is_not() -> None:
    close = np.full(30, 100.0)
    close[20] = 100.0 * (1.0 + 0.01 + 2 * FEE)  # exactly on the take-profit level from 100
    tape = Tape.build(make_candles(close), 5 * 60)
    barrier = TripleBarrier(0.01, 0.01, None, None)
    starts = np.arange(30, dtype=np.int64)
    quiet = quiet_entries(tape, starts, BUY, barrier, FEE)
    # Rows 15..20 see row 20 in their 6-row window; 21 onwards start from the spike itself.
    assert quiet[:15].all()
    assert not quiet[15:20].any()
    # Seen from the spike, the return to 100 is a 1.1% drop: no stop at 1%, no profit.
    assert quiet[21:].all()


def test_crashes_turn_the_shortcut_off() -> None:
    close = np.array([100.0, 100.0, 40.0, 40.0])  # a growth factor below 0.5
    tape = Tape.build(make_candles(close), 60)
    quiet = quiet_entries(tape, np.arange(4), SELL, TripleBarrier(None, 0.9, None, None), FEE)
    assert not quiet.any()


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=80),
    width=st.integers(1, 40),
)
def test_sliding_extreme_is_the_window_reduction(values: list[float], width: int) -> None:
    padded = np.asarray(values + [0.0] * width)
    count = len(values)
    for op in (np.maximum, np.minimum):
        expected = [op.reduce(padded[i : i + width]) for i in range(count)]
        assert sliding_extreme(padded, width, count, op).tolist() == expected
