"""Controller signals on the controller's own candles, and their join onto the simulated rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.candles import Candles, FloatArray, IntArray
from tradeagent.backtest.indicators import bollinger, macd
from tradeagent.backtest.params import (
    MacdBollingerSignal,
    SignalSpec,
    SupertrendSignal,
)
from tradeagent.backtest.supertrend import supertrend

SignalArray = npt.NDArray[np.int8]


@dataclass(frozen=True)
class Features:
    """Per controller candle: the signal (+1 long, −1 short, 0 none), whether every indicator
    column is defined (Hummingbot drops rows where one is NaN), and the Bollinger band width
    (pandas-ta BBB) when the controller sizes orders from it."""

    signal: SignalArray
    defined: npt.NDArray[np.bool_]
    band_width: FloatArray | None = None


def _signal(long: npt.NDArray[np.bool_], short: npt.NDArray[np.bool_]) -> SignalArray:
    out = np.zeros(len(long), dtype=np.int8)
    out[long] = 1
    out[short] = -1
    return out


def features(spec: SignalSpec, candles: Candles) -> Features:
    close = candles.close
    if isinstance(spec, SupertrendSignal):
        st = supertrend(candles.high, candles.low, close, spec.length, spec.multiplier)
        with np.errstate(invalid="ignore"):
            distance = np.abs(close - st.trend) / close
            near = distance < spec.percentage_threshold
        return Features(
            signal=_signal((st.direction == 1) & near, (st.direction == -1) & near),
            defined=~(np.isnan(st.trend) | np.isnan(st.direction)),
        )
    bb_spec = spec.bollinger if isinstance(spec, MacdBollingerSignal) else spec
    bands = bollinger(
        close, bb_spec.length, bb_spec.std, (bb_spec.long_threshold, bb_spec.short_threshold)
    )
    percent_b = bands.percent_b
    with np.errstate(invalid="ignore"):
        long = percent_b < bb_spec.long_threshold
        short = percent_b > bb_spec.short_threshold
    defined = ~(np.isnan(bands.mid) | np.isnan(bands.std) | np.isnan(percent_b))
    defined &= ~np.isnan(bands.width)
    if isinstance(spec, MacdBollingerSignal):
        m = macd(close, spec.fast, spec.slow, spec.signal)
        with np.errstate(invalid="ignore"):
            long &= (m.histogram > 0) & (m.macd < 0)
            short &= (m.histogram < 0) & (m.macd > 0)
        defined &= ~(np.isnan(m.macd) | np.isnan(m.signal) | np.isnan(m.histogram))
    return Features(signal=_signal(long, short), defined=defined, band_width=bands.width)


def join_backward(rows: Candles, controller: Candles, *, look_ahead: bool) -> IntArray:
    """Index of the controller candle each row reads (−1: none yet).

    look_ahead=True is Hummingbot's as-of join on open times: a row reads the controller candle
    that contains it, whose close can lie in the row's future. look_ahead=False reads only the
    last controller candle that had closed by the end of the row.
    """
    if controller.interval_s == rows.interval_s and len(controller) == len(rows):
        return np.arange(len(rows), dtype=np.int64)  # the same candles: each row reads its own
    if look_ahead:
        key, probe = controller.timestamp, rows.timestamp
    else:
        key = controller.timestamp + controller.interval_s
        probe = rows.timestamp + rows.interval_s
    return np.searchsorted(key, probe, side="right").astype(np.int64) - 1
