"""Indicators against straightforward reference implementations and hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from handmade import make_candles
from reference import reference_supertrend

from tradeagent.backtest.indicators import bollinger, macd, wilder_atr
from tradeagent.backtest.params import SupertrendSignal
from tradeagent.backtest.signals import features, join_backward
from tradeagent.backtest.supertrend import supertrend


def walk(n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100.0 * np.exp(np.cumsum(rng.normal(0, 0.002, n)))


def test_bollinger_matches_a_two_pass_population_std() -> None:
    close = walk(2000)
    bands = bollinger(close, 50, 2.0, (0.0, 1.0))
    assert np.isnan(bands.percent_b[:49]).all()
    for i in (49, 500, 1999):
        window = close[i - 49 : i + 1]
        mid = sum(window) / 50
        sd = math.sqrt(sum((x - mid) ** 2 for x in window) / 50)  # divisor L, not L − 1
        expected = (close[i] - (mid - 2 * sd)) / (4 * sd)
        assert bands.percent_b[i] == pytest.approx(expected, abs=1e-9)
        assert bands.width[i] == pytest.approx(4 * sd / mid * 100, rel=1e-9)


def test_bollinger_is_exact_near_a_threshold() -> None:
    close = walk(400, seed=5)
    threshold = float(bollinger(close, 20, 2.0).percent_b[300])  # a value %B actually takes
    refined = bollinger(close, 20, 2.0, (threshold,))
    window = close[281:301]
    mid = window.mean()
    sd = np.sqrt(((window - mid) ** 2).mean())
    exact = (close[300] - (mid - 2 * sd)) / ((mid + 2 * sd) - (mid - 2 * sd))
    assert refined.percent_b[300] == exact


def test_macd_follows_ta_lib_seeding() -> None:
    close = walk(300)
    fast, slow, signal = 3, 6, 4
    result = macd(close, fast, slow, signal)
    first = slow + signal - 2
    assert np.isnan(result.histogram[:first]).all()
    assert not np.isnan(result.histogram[first:]).any()

    def ema(values: list[float], period: int, seed_end: int) -> list[float]:
        k = 2 / (period + 1)
        out = [sum(values[seed_end - period + 1 : seed_end + 1]) / period]
        for value in values[seed_end + 1 :]:
            out.append(out[-1] + k * (value - out[-1]))
        return out

    values = close.tolist()
    line = np.subtract(ema(values, fast, slow - 1), ema(values, slow, slow - 1))
    smoothed = ema(line.tolist(), signal, signal - 1)
    assert result.macd[first:] == pytest.approx(line[signal - 1 :], rel=1e-12)
    assert result.signal[first:] == pytest.approx(smoothed, rel=1e-12)


def test_wilder_atr_seed_and_recursion_by_hand() -> None:
    high = np.array([10.0, 11.0, 12.0, 11.5, 13.0])
    low = np.array([9.0, 10.0, 10.5, 10.0, 11.0])
    close = np.array([9.5, 10.5, 11.0, 11.0, 12.5])
    atr = wilder_atr(high, low, close, 2)
    # TR: —, max(1, 1.5, 0.5)=1.5, max(1.5, 1.5, 0)=1.5, max(1.5, 0.5, 1)=1.5, max(2, 2, 0)=2
    assert np.isnan(atr[:2]).all()
    assert atr[2] == pytest.approx(1.5)  # mean of the first two true ranges
    assert atr[3] == pytest.approx((1.5 * 1 + 1.5) / 2)
    assert atr[4] == pytest.approx((1.5 * 1 + 2.0) / 2)


def test_supertrend_matches_the_pandas_ta_loop() -> None:
    close = walk(3000, seed=9)
    candles = make_candles(
        close.tolist(), highs=(close * 1.002).tolist(), lows=(close * 0.998).tolist()
    )
    got = supertrend(candles.high, candles.low, candles.close, 10, 3.0)
    trend, direction = reference_supertrend(candles.high, candles.low, candles.close, 10, 3.0)
    np.testing.assert_array_equal(got.trend, np.asarray(trend))
    np.testing.assert_array_equal(got.direction, np.asarray(direction))
    assert set(np.unique(got.direction[10:])) == {-1.0, 1.0}


def test_supertrend_signal_needs_the_price_near_the_line() -> None:
    close = walk(600, seed=3)
    candles = make_candles(
        close.tolist(), highs=(close * 1.001).tolist(), lows=(close * 0.999).tolist()
    )
    st = supertrend(candles.high, candles.low, candles.close, 14, 2.0)
    feats = features(
        SupertrendSignal(length=14, multiplier=2.0, percentage_threshold=0.003), candles
    )
    distance = np.abs(close - st.trend) / close
    near = distance < 0.003
    assert np.array_equal(feats.signal == 1, (st.direction == 1) & near)
    assert np.array_equal(feats.signal == -1, (st.direction == -1) & near)
    assert int(np.flatnonzero(feats.defined)[0]) == 14  # undefined during the ATR warm-up


def test_join_reads_the_containing_candle_in_hummingbot_mode_and_the_closed_one_otherwise() -> None:
    rows = make_candles([float(i) for i in range(10)])  # 1m rows 0…9
    three = rows.grouped(3)  # 3m candles opening at rows 0, 3, 6 (row 9 alone is incomplete)
    assert list(three.close) == [2.0, 5.0, 8.0]
    assert list(three.high) == [2.0, 5.0, 8.0] and list(three.low) == [0.0, 2.0, 5.0]
    ahead = join_backward(rows, three, look_ahead=True)
    closed = join_backward(rows, three, look_ahead=False)
    assert list(ahead) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    assert list(closed) == [-1, -1, 0, 0, 0, 1, 1, 1, 2, 2]


@pytest.mark.parametrize("length", [1, 2, 14, 20])
def test_wilder_atr_is_the_plain_recursion_bit_for_bit(length: int) -> None:
    rng = np.random.default_rng(length)
    close = walk(3000, seed=length)
    high = close * (1 + rng.uniform(0, 0.003, 3000))
    low = close * (1 - rng.uniform(0, 0.003, 3000))
    tr = [math.nan] + [
        max(high[i] - low[i], abs(high[i] - close[i - 1]), abs(low[i] - close[i - 1]))
        for i in range(1, 3000)
    ]
    seed = 0.0
    for value in tr[1 : length + 1]:
        seed += value
    expected = [math.nan] * length + [seed / length]
    for value in tr[length + 1 :]:
        expected.append((expected[-1] * (length - 1) + value) / length)
    np.testing.assert_array_equal(wilder_atr(high, low, close, length), np.asarray(expected))
