"""dman_v3's fast paths in Hummingbot mode against the plain one-executor-at-a-time columns."""

from __future__ import annotations

from typing import Any
from unittest import mock

import numpy as np
from handmade import make_candles
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import plain_plan, plain_simulate_hummingbot
from test_dca import FEE, params

from tradeagent.backtest import dca_batch, dca_run, run_backtest
from tradeagent.backtest.closes import BUY, SELL, CloseType
from tradeagent.backtest.dca import Planner
from tradeagent.backtest.dca_batch import settle_time_limited, time_limited
from tradeagent.backtest.tape import Tape

SPREADS = ["0,0.004,0.01", "0,0", "0.002", "0.001,0.001,0.003", "0,0.01", "0.01,0"]


def _walk(seed: int, n: int, tick: float, volatility: float) -> np.ndarray:
    # On a coarse tick grid closes land exactly on level prices (100 · 0.99 = 99.0): ties.
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0, volatility, n)))
    return np.round(close / tick) * tick if tick else close


@settings(max_examples=300, deadline=None)
@given(
    side=st.sampled_from([BUY, SELL]),
    close=st.sampled_from([100.0, 0.1, 97_123.45, 1 / 3]),
    spreads=st.sampled_from(SPREADS),
    amounts=st.sampled_from(["1,1,1", "1,2,3", "3,1,1", "0.1,0.7,0.2"]),
    band_width=st.sampled_from([float("nan"), 0.4, 3.0, 1 / 7]),
    dynamic=st.booleans(),
    per_side=st.integers(1, 3),
)
def test_planner_matches_the_plain_plan_digit_for_digit(
    side: int,
    close: float,
    spreads: str,
    amounts: str,
    band_width: float,
    dynamic: bool,
    per_side: int,
) -> None:
    levels = len(spreads.split(","))
    config = params(
        dca_spreads=spreads,
        dca_amounts_pct=",".join(amounts.split(",")[:levels]),
        dynamic_order_spread=dynamic,
        dynamic_target=dynamic,
        max_executors_per_side=per_side,
    )
    got = Planner(config)(side, close, band_width)
    expected = plain_plan(config, side, close, band_width)
    assert got == expected
    assert [str(price) for price in got.prices] == [str(price) for price in expected.prices]


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 90),
    tick=st.sampled_from([0.0, 0.25, 1.0]),
    volatility=st.sampled_from([0.0005, 0.002, 0.006]),
    spreads=st.sampled_from(SPREADS),
    amounts=st.sampled_from(["1,1,1", "1,2,3", "3,1,1"]),
    stop_loss=st.sampled_from([None, 0.0001, 0.0005, 0.003, 0.01]),
    trailing=st.sampled_from([None, "0.002,0.001", "0.015,0.005", "0.0001,0.0001"]),
    bound=st.sampled_from([None, 0.0, 0.002, 0.01]),
    band_width=st.sampled_from([float("nan"), 0.0, 0.4, 3.0]),
    dynamic=st.booleans(),
    minutes=st.sampled_from([3, 45, 200]),
    gaps=st.booleans(),
    cells=st.sampled_from([1 << 16, 7]),  # 7: blocks of a few executors
)
def test_time_limited_executors_settle_like_the_plain_columns(
    seed: int,
    n: int,
    tick: float,
    volatility: float,
    spreads: str,
    amounts: str,
    stop_loss: float | None,
    trailing: str | None,
    bound: float | None,
    band_width: float,
    dynamic: bool,
    minutes: int,
    gaps: bool,
    cells: int,
) -> None:
    close = _walk(seed, n, tick, volatility)
    rng = np.random.default_rng(seed + 1)
    candles = make_candles(close)
    if gaps:  # windows of unequal widths
        candles = candles.take(np.flatnonzero(rng.random(n) < 0.7) if n > 1 else np.arange(n))
    if not len(candles):
        return
    levels = len(spreads.split(","))
    config = params(
        dca_spreads=spreads,
        dca_amounts_pct=",".join(amounts.split(",")[:levels]),
        stop_loss=stop_loss,
        trailing_stop=trailing,
        dynamic_order_spread=dynamic,
        dynamic_target=dynamic,
        time_limit=60 * minutes,
    )
    tape = Tape.build(candles, 60 * minutes)
    rows = np.arange(tape.n, dtype=np.int64)
    sides = np.where(rng.random(tape.n) < 0.5, BUY, SELL).astype(np.int64)
    widths = np.full(tape.n, band_width)
    plans = [
        plain_plan(config, int(s), float(tape.close[r]), band_width)
        for r, s in zip(rows, sides, strict=True)
    ]
    expected = [
        plain_simulate_hummingbot(tape, int(r), p, bound, FEE, 60 * minutes)
        for r, p in zip(rows, plans, strict=True)
    ]
    # Sound: an executor the bounds call time-limited is one in the plain simulation too.
    quiet = time_limited(tape, rows, sides, widths, config, FEE)
    assert all(
        o.close_type == CloseType.TIME_LIMIT for o, q in zip(expected, quiet, strict=True) if q
    )
    # Exact: every time-limited executor (not only the ones proven so) settles bit for bit.
    limited = [i for i, o in enumerate(expected) if o.close_type == CloseType.TIME_LIMIT]
    with mock.patch.object(dca_batch, "_CELLS", cells):
        got = settle_time_limited(
            tape,
            [int(rows[i]) for i in limited],
            [plans[i] for i in limited],
            bound,
            FEE,
            60 * minutes,
        )
    assert got == [expected[i] for i in limited]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    tick=st.sampled_from([0.0, 0.25]),
    spreads=st.sampled_from(SPREADS),
    stop_loss=st.sampled_from([None, 0.003, 0.01]),
    trailing=st.sampled_from([None, "0.002,0.001", "0.015,0.005"]),
    bounds=st.sampled_from([None, "0.002"]),
    dynamic=st.booleans(),
    per_side=st.integers(1, 3),
    cooldown=st.sampled_from([1, 60, 300]),
)
def test_dman_v3_ledger_is_the_one_of_the_one_by_one_simulation(
    seed: int,
    tick: float,
    spreads: str,
    stop_loss: float | None,
    trailing: str | None,
    bounds: str | None,
    dynamic: bool,
    per_side: int,
    cooldown: int,
) -> None:
    close = _walk(seed, 600, tick, 0.002)
    config: dict[str, Any] = {
        "id": "dca",
        "controller_name": "dman_v3",
        "connector_name": "binance_perpetual",
        "trading_pair": "SYN-USDT",
        "total_amount_quote": 1000,
        "interval": "1m",
        "bb_length": 20,
        "time_limit": 2700,
        "dca_spreads": spreads,
        "stop_loss": stop_loss,
        "trailing_stop": trailing,
        "activation_bounds": bounds,
        "dynamic_order_spread": dynamic,
        "dynamic_target": dynamic,
        "max_executors_per_side": per_side,
        "cooldown_time": cooldown,
    }
    candles = make_candles(close)
    fast = run_backtest(config, candles, trade_cost=FEE).ledger.records()
    nothing_proven = mock.patch.object(
        dca_run, "time_limited", lambda tape, rows, *_: np.zeros(len(rows), dtype=bool)
    )
    with nothing_proven:
        plain = run_backtest(config, candles, trade_cost=FEE).ledger.records()
    assert fast == plain
