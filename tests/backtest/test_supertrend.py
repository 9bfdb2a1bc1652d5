"""The regime-by-regime supertrend against pandas-ta's loop: bit-identical on random walks and
on inputs built for ties (closes landing exactly on band values, flat stretches, no range)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_supertrend

from tradeagent.backtest.indicators import wilder_atr
from tradeagent.backtest.supertrend import by_candle, by_regime, supertrend

Series = tuple[np.ndarray, np.ndarray, np.ndarray]


def assert_matches_pandas_ta(
    high: np.ndarray, low: np.ndarray, close: np.ndarray, length: int, multiplier: float
) -> None:
    got = supertrend(high, low, close, length, multiplier)
    trend, direction = reference_supertrend(high, low, close, length, multiplier)
    np.testing.assert_array_equal(got.trend, np.asarray(trend))
    np.testing.assert_array_equal(got.direction, np.asarray(direction))


@st.composite
def ticks(draw: st.DrawFn) -> Series:
    """Prices on a coarse tick grid with long flat stretches, so closes often equal band
    values exactly (ATR 0, or bands that are sums of few ticks)."""
    n = draw(st.integers(0, 400))
    moves = draw(st.lists(st.sampled_from([-2, -1, 0, 0, 0, 1, 2]), min_size=n, max_size=n))
    close = 100.0 + 0.5 * np.cumsum(np.asarray(moves, dtype=np.float64))
    spread = draw(st.sampled_from([0.0, 0.5, 1.0]))
    return close + spread, close - spread, close


@settings(max_examples=300, deadline=None)
@given(ticks(), st.integers(1, 12), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]))
def test_on_tick_grids_with_ties(series: Series, length: int, multiplier: float) -> None:
    assert_matches_pandas_ta(*series, length, multiplier)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(50, 3000),
    st.integers(1, 30),
    st.floats(0.1, 5.0),
    st.floats(0.0005, 0.01),
)
def test_on_random_walks(seed: int, n: int, length: int, multiplier: float, vol: float) -> None:
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0, vol, n)))
    high = close * (1 + rng.uniform(0, vol, n))
    low = close * (1 - rng.uniform(0, vol, n))
    assert_matches_pandas_ta(high, low, close, length, multiplier)


def test_long_regimes_outgrow_the_first_slice() -> None:
    # A steady climb with a tiny range never turns down: one regime of 5,000 candles.
    close = 100.0 + 0.01 * np.arange(5000)
    assert_matches_pandas_ta(close + 0.001, close - 0.001, close, 10, 3.0)
    assert set(supertrend(close + 0.001, close - 0.001, close, 10, 3.0).direction[10:]) == {1.0}


def test_a_close_on_both_sides_restarts_an_up_regime_before_turning_it() -> None:
    # Bands set by hand: the ratcheted lower band (12) ends above the raw upper band (11), so
    # a close of 11.5 is above one and below the other. An up regime restarts (stays up).
    lowers = np.array([np.nan, 12.0, 5.0, 5.0])
    uppers = np.array([np.nan, 20.0, 11.0, 30.0])
    close = np.array([np.nan, 15.0, 15.0, 11.5])
    trend, direction = by_regime(lowers, uppers, close, 1)
    expected_trend, expected_direction = by_candle(lowers, uppers, close)
    np.testing.assert_array_equal(direction[1:], expected_direction[1:])
    np.testing.assert_array_equal(trend[1:], expected_trend[1:])
    assert direction.tolist()[1:] == [1.0, 1.0, 1.0]
    assert trend.tolist()[1:] == [12.0, 12.0, 5.0]  # restarted at the raw lower band


def test_a_close_on_both_sides_turns_a_down_regime_before_restarting_it() -> None:
    # Row 2 closes below the lower band: down. Row 3 ratchets the upper band at 9 (raw 20) while
    # its raw lower band is 10, so row 4's close of 9.5 is above one and below the other.
    lowers = np.array([np.nan, 1.0, 1.0, 10.0, 2.0])
    uppers = np.array([np.nan, 9.0, 9.0, 20.0, 30.0])
    close = np.array([np.nan, 5.0, 0.5, 5.0, 9.5])
    trend, direction = by_regime(lowers, uppers, close, 1)
    expected_trend, expected_direction = by_candle(lowers, uppers, close)
    np.testing.assert_array_equal(direction[1:], expected_direction[1:])
    np.testing.assert_array_equal(trend[1:], expected_trend[1:])
    assert direction.tolist()[1:] == [1.0, -1.0, -1.0, 1.0]
    assert trend.tolist()[1:] == [1.0, 9.0, 9.0, 2.0]


def test_non_finite_prices_take_the_candle_by_candle_loop() -> None:
    close = 100.0 + np.sin(np.arange(200) / 7.0)
    close[120] = np.nan
    assert_matches_pandas_ta(close + 0.2, close - 0.2, close, 14, 2.0)


def test_bands_are_nan_before_the_atr_starts() -> None:
    # by_regime relies on it: the loop's first defined step compares against NaN bands.
    close = 100.0 + np.arange(30.0)
    atr = wilder_atr(close + 1, close - 1, close, 7)
    assert np.isnan(atr[:7]).all() and np.isfinite(atr[7:]).all()
