"""dman_v3's DCA executors on hand-made candles (semantics of the live DCAExecutor)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from handmade import make_candles
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import plain_simulate_hummingbot

from tradeagent.backtest import controller_params, run_backtest
from tradeagent.backtest.closes import BUY, SELL, CloseType
from tradeagent.backtest.dca import plan, simulate_hummingbot, simulate_realistic
from tradeagent.backtest.params import DcaParams
from tradeagent.backtest.tape import Tape

FEE = 0.0006


def params(**overrides: Any) -> DcaParams:
    config: dict[str, Any] = {
        "id": "dca",
        "controller_name": "dman_v3",
        "controller_type": "directional_trading",
        "connector_name": "binance_perpetual",
        "trading_pair": "SYN-USDT",
        "total_amount_quote": 1000,
        "leverage": 1,
        "max_executors_per_side": 1,
        "cooldown_time": 60,
        "stop_loss": 0.02,
        "take_profit": 0.01,  # dman_v3 never passes it to the executor
        "time_limit": 3600,
        "trailing_stop": "0.015,0.005",
        "interval": "1m",
        "dca_spreads": "0,0.01",
        "dca_amounts_pct": "1,1",
    }
    config.update(overrides)
    built = controller_params(config)
    assert isinstance(built, DcaParams)
    return built


def test_levels_quotes_and_prices() -> None:
    executor = plan(params(dca_amounts_pct="1,3"), BUY, 100.0, float("nan"))
    assert executor.quotes == pytest.approx((250.0, 750.0))
    assert [float(price) for price in executor.prices] == [100.0, 99.0]
    short = plan(params(), SELL, 100.0, float("nan"))
    assert [float(price) for price in short.prices] == [100.0, 101.0]


def test_dynamic_spreads_and_targets_scale_with_the_band_width() -> None:
    # pandas-ta band width 4 (%) → multiplier 4/200 = 0.02.
    executor = plan(
        params(dca_spreads="1,2", dynamic_order_spread=True, dynamic_target=True), BUY, 100.0, 4.0
    )
    assert [float(price) for price in executor.prices] == pytest.approx([98.0, 96.0])
    assert executor.stop_loss == pytest.approx(0.02 * 0.02)
    assert executor.trailing is not None
    assert executor.trailing.activation == pytest.approx(0.015 * 0.02)


def test_hummingbot_mode_averages_in_and_trails_out() -> None:
    closes = [100.0, 99.5, 98.9, 99.2, 100.5, 100.9, 101.9, 101.2, 100.0]
    tape = Tape.build(make_candles(closes), 3600)
    outcome = simulate_hummingbot(
        tape, 0, plan(params(), BUY, 100.0, float("nan")), None, FEE, 3600
    )
    base = 500 / 100.0 + 500 / 98.9  # level 0 at row 0's close, level 1 at row 2's close
    net = [c * base / 1000 - 1 - 2 * FEE for c in closes]
    # Armed once net > 1.5 % (row 6: 101.9), fires when net < best − 0.5 % (row 7: 101.2).
    assert net[5] < 0.015 < net[6] and net[7] < net[6] - 0.005
    assert (outcome.close_type, outcome.close_row) == (CloseType.TRAILING_STOP, 7)
    assert outcome.quote == pytest.approx(1000.0)
    assert outcome.pnl_quote == pytest.approx(net[7] * 1000, rel=1e-12)
    assert outcome.turnover == pytest.approx(2000.0)
    assert outcome.first_fill_row == 0


def test_stop_loss_waits_until_every_level_has_filled() -> None:
    wide = plan(params(dca_spreads="0,0.03"), BUY, 100.0, float("nan"))
    # Only level 0 fills (level 1 at 97 is never reached): −2.9 % does not stop it.
    shallow = [100.0, 98.0, 97.2, 97.1, 97.1]
    outcome = simulate_hummingbot(Tape.build(make_candles(shallow), 240), 0, wide, None, FEE, 240)
    assert 97.1 / 100 - 1 - 2 * FEE < -0.02
    assert outcome.close_type == CloseType.TIME_LIMIT and outcome.quote == pytest.approx(500.0)
    # Level 1 fills at 96.9 (averaged −1.67 %: no stop yet); 96.0 takes it below −2 %.
    deep = [100.0, 98.0, 96.9, 97.5, 96.0]
    outcome = simulate_hummingbot(Tape.build(make_candles(deep), 240), 0, wide, None, FEE, 240)
    base = 5.0 + 500 / 96.9
    assert 96.9 * base / 1000 - 1 - 2 * FEE > -0.02 >= 96.0 * base / 1000 - 1 - 2 * FEE
    assert (outcome.close_type, outcome.close_row) == (CloseType.STOP_LOSS, 4)
    assert outcome.pnl_quote == pytest.approx((96.0 * base / 1000 - 1 - 2 * FEE) * 1000)


def test_activation_bounds_place_a_level_only_near_its_price() -> None:
    # Level 1 (99) is placed only once the close is within 0.5 % of it (close < 99.497…).
    closes = [100.0, 99.8, 99.4, 98.95, 99.0]
    tape = Tape.build(make_candles(closes), 3600)
    executor = plan(params(), BUY, 100.0, float("nan"))
    outcome = simulate_hummingbot(tape, 0, executor, 0.005, FEE, 3600)
    assert outcome.quote == pytest.approx(1000.0)  # placed at row 2, filled at row 3
    far = [100.0, 99.8, 99.6, 99.55, 99.6]
    tape = Tape.build(make_candles(far), 3600)
    assert simulate_hummingbot(tape, 0, executor, 0.005, FEE, 3600).quote == pytest.approx(500.0)


def test_realistic_levels_fill_at_their_price_from_the_next_row() -> None:
    closes = [100.0, 99.6, 99.3, 99.5]
    lows = [100.0, 99.5, 98.7, 99.2]
    tape = Tape.build(make_candles(closes, lows=lows), 180)
    outcome = simulate_realistic(
        tape, 0, plan(params(), BUY, 100.0, float("nan")), None, FEE, 1, 180
    )
    # Level 0 (100) fills at row 1's open (100), level 1 (99) at 99 on row 2.
    base = 500 / 100.0 + 500 / 99.0
    exit_value = 99.5 * base
    assert outcome.close_type == CloseType.TIME_LIMIT
    assert outcome.base == pytest.approx(base)
    assert outcome.pnl_quote == pytest.approx(exit_value - 1000 - FEE * (1000 + exit_value))


def test_dman_v3_runs_end_to_end_with_its_bollinger_signal() -> None:
    # A gently oscillating market (a flat one has no Bollinger band), then a sharp drop.
    calm = [100.0 + 0.1 * ((-1) ** i) for i in range(30)]
    closes = [*calm, 99.0, 98.0, 97.0, 98.0, 99.0, 100.0, 101.0, 102.0]
    closes += [102.0 + 0.1 * ((-1) ** i) for i in range(20)]
    config = {
        "id": "d",
        "controller_name": "dman_v3",
        "controller_type": "directional_trading",
        "connector_name": "binance_perpetual",
        "trading_pair": "SYN-USDT",
        "interval": "1m",
        "bb_length": 20,
        "dca_spreads": "0,0.01",
        "total_amount_quote": 1000,
        "time_limit": 600,
    }
    result = run_backtest(config, make_candles(closes), trade_cost=FEE)
    assert result.rows_simulated == len(closes) - 19
    ledger = result.ledger.records()
    assert ledger and ledger[0]["executor_type"] == "dca_executor"
    assert ledger[0]["side"] == "BUY"  # %B < 0 on the first drop below the flat band


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 80),
    tick=st.sampled_from([0.0, 0.25, 1.0]),
    side=st.sampled_from([BUY, SELL]),
    spreads=st.sampled_from(["0,0.004,0.01", "0,0", "0.002", "0.001,0.001,0.003", "0,0.01"]),
    amounts=st.sampled_from([None, "1,2,3", "3,1,1"]),  # None: equal levels
    stop_loss=st.sampled_from([None, 0.0005, 0.003, 0.01]),
    trailing=st.sampled_from([None, "0.002,0.001", "0.015,0.005", "0.0001,0.0001"]),
    bound=st.sampled_from([None, 0.0, 0.002, 0.01]),
    band_width=st.sampled_from([float("nan"), 0.4, 3.0]),
    minutes=st.sampled_from([3, 45, 200]),
)
def test_hummingbot_mode_matches_the_plain_columns(
    seed: int,
    n: int,
    tick: float,
    side: int,
    spreads: str,
    amounts: str | None,
    stop_loss: float | None,
    trailing: str | None,
    bound: float | None,
    band_width: float,
    minutes: int,
) -> None:
    # Random walks, on a coarse tick grid too: closes land exactly on level prices.
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0, 0.004, n)))
    if tick:
        close = np.round(close / tick) * tick
    levels = len(spreads.split(","))
    overrides: dict[str, object] = {
        "dca_spreads": spreads,
        "stop_loss": stop_loss,
        "trailing_stop": trailing,
        "dynamic_order_spread": True,
        "dynamic_target": True,
    }
    overrides["dca_amounts_pct"] = ",".join((amounts or "1,1,1").split(",")[:levels])
    executor = plan(params(**overrides), side, float(close[0]), band_width)
    tape = Tape.build(make_candles(close), 60 * minutes)
    for row in sorted({0, n // 2, n - 1}):
        got = simulate_hummingbot(tape, row, executor, bound, FEE, 60 * minutes)
        assert got == plain_simulate_hummingbot(tape, row, executor, bound, FEE, 60 * minutes)
