"""pmm_simple on hand-made candles, end to end through run_backtest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from handmade import T0, make_candles

from tradeagent.backtest import run_backtest

FEE = 0.0002


def pmm(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "id": "mm",
        "controller_name": "pmm_simple",
        "controller_type": "market_making",
        "connector_name": "binance_perpetual",
        "trading_pair": "SYN-USDT",
        "total_amount_quote": 1000,
        "leverage": 1,
        "buy_spreads": "0.01",
        "sell_spreads": "0.5",
        "executor_refresh_time": 300,
        "cooldown_time": 15,
        "stop_loss": 0.01,
        "take_profit": 0.005,
        "time_limit": 2700,
        "skip_rebalance": True,
    }
    config.update(overrides)
    return config


def rows(result: Any, level: str = "buy_0") -> list[dict[str, Any]]:
    return [r for r in result.ledger.records() if r["level_id"] == level]


def minute(row: int) -> int:
    return T0 + 60 * row


def test_unfilled_levels_are_refreshed_after_the_refresh_time() -> None:
    result = run_backtest(pmm(), make_candles([100.0] * 20), trade_cost=FEE)
    buys = rows(result)
    # Created at 0, stopped at 6 (360 s > 300 s) after that row's creations, re-quoted at 7 …
    assert [(r["timestamp"], r["close_timestamp"], r["close_type"]) for r in buys] == [
        (minute(0), minute(6), "EARLY_STOP"),
        (minute(7), minute(13), "EARLY_STOP"),
        (minute(14), minute(19), "TIME_LIMIT"),  # the data ends before its refresh
        (minute(19), minute(19), "TIME_LIMIT"),  # re-quoted on the last row, closed after it
    ]
    assert result.summary["total_positions"] == 0
    assert result.summary["close_types"] == {"EARLY_STOP": 4, "TIME_LIMIT": 4}


def test_fill_at_the_close_crossing_the_exact_decimal_price_then_take_profit() -> None:
    # Hummingbot prices the buy at Decimal(100)·(1 − Decimal(0.01)) = 98.99999999999999997918…,
    # so a close of exactly 99.0 does not fill it; 98.9 does, at 98.9.
    closes = [100.0, 99.5, 99.0, 98.9, 99.5, 99.6, 99.6, 99.6]
    result = run_backtest(pmm(), make_candles(closes), trade_cost=FEE)
    first = rows(result)[0]
    close, spread = 100.0, 0.01  # floats, converted exactly as Hummingbot does
    assert first["order_price"] == str(Decimal(close) * (1 - Decimal(spread) * Decimal(1)))
    assert first["fill_timestamp"] == minute(3)
    assert first["fill_price"] == 98.9
    assert (first["close_type"], first["close_timestamp"]) == ("TAKE_PROFIT", minute(4))
    amount = Decimal(500) / Decimal(first["order_price"])
    notional = float(amount) * 98.9
    pnl = (1 + (99.5 / 98.9 - 1)) - 1 - 2 * FEE
    assert first["net_pnl_pct"] == pytest.approx(pnl, abs=1e-15)
    assert first["net_pnl_quote"] == pytest.approx(pnl * notional, rel=1e-12)
    assert first["filled_amount_quote"] == pytest.approx(2 * notional, rel=1e-12)
    # The level is free again on the row of the take profit.
    assert rows(result)[1]["timestamp"] == minute(4)


def test_stop_loss_is_also_tested_before_the_fill_and_then_cools_the_level_down() -> None:
    # Row 1's wick (97.0) is below the stop level set from the later fill close (98.9·0.99).
    closes = [100.0, 99.5, 98.9, 99.0, 99.0]
    lows = [100.0, 97.0, 98.9, 98.9, 99.0]
    result = run_backtest(pmm(cooldown_time=120), make_candles(closes, lows=lows), trade_cost=FEE)
    first, second = rows(result)[:2]
    assert (first["close_type"], first["close_timestamp"]) == ("STOP_LOSS", minute(1))
    assert first["fill_timestamp"] is None and first["net_pnl_quote"] == 0.0
    assert second["timestamp"] == minute(3)  # 120 s after the stop


def test_realistic_limit_fills_on_the_range_at_its_price() -> None:
    # The buy rests at ≈99 from row 1; row 1 trades down to 98.8: filled at 99, exited by the
    # take-profit limit at 99·1.005 when row 2's high reaches it.
    closes = [100.0, 99.2, 99.4, 99.4]
    lows = [100.0, 98.8, 99.1, 99.3]
    highs = [100.0, 100.0, 99.6, 99.45]
    candles = make_candles(closes, lows=lows, highs=highs)
    result = run_backtest(pmm(), candles, mode="realistic", trade_cost=FEE)
    first = rows(result)[0]
    assert first["fill_timestamp"] == minute(1)
    assert first["fill_price"] == pytest.approx(99.0)
    assert (first["close_type"], first["close_timestamp"]) == ("TAKE_PROFIT", minute(2))
    assert first["close_price"] == pytest.approx(99.0 * 1.005)
    assert first["net_pnl_pct"] == pytest.approx(0.005 - FEE * (1 + 1.005), abs=1e-12)


def test_spot_rebalancing_lags_two_rows_and_overshoots_in_hummingbot_mode() -> None:
    # Sell levels need 500 / close base. Hummingbot's hold sees a rebalance two rows late, so
    # it buys on rows 0 and 1, holds 10 at row 3, then sells twice (rows 3, 4) at 110.
    closes = [100.0, 100.0, 100.0, 110.0, 110.0, 110.0, 110.0, 110.0]
    config = pmm(
        connector_name="binance", skip_rebalance=False, buy_spreads="0.5", sell_spreads="0.5"
    )
    result = run_backtest(config, make_candles(closes), trade_cost=FEE)
    orders = rows(result, "position_rebalance")
    assert [(r["timestamp"], r["side"]) for r in orders] == [
        (minute(0), "BUY"),
        (minute(1), "BUY"),
        (minute(3), "SELL"),
        (minute(4), "SELL"),
        (minute(6), "BUY"),
        (minute(7), "BUY"),
    ]
    assert float(orders[2]["amount_base"]) == pytest.approx(10 - 500 / 110)
    assert all(r["close_type"] == "POSITION_HOLD" and r["net_pnl_quote"] == 0 for r in orders)
    summary = result.summary
    # Row 5 sells 5.4545 of 10 bought at 100, row 6 the rest of the long (4.5455) at 110.
    assert summary["position_realized_pnl_quote"] == pytest.approx(100.0)
    assert summary["net_pnl_quote"] == pytest.approx(100.0)
    assert summary["unrealized_pnl_quote"] == pytest.approx(0.0, abs=1e-9)
    assert summary["total_positions"] == 0
    assert summary["close_types"]["POSITION_HOLD"] == 6
    fees = FEE * sum(float(r["amount_base"]) * r["fill_price"] for r in orders)
    assert summary["total_fees_quote"] == pytest.approx(fees)
    assert list(result.pnl.total_pnl) == pytest.approx([0, 0, 0, 100, 100, 100, 100, 100])


def test_spot_rebalancing_is_immediate_in_realistic_mode() -> None:
    closes = [100.0, 100.0, 100.0, 110.0, 110.0]
    config = pmm(
        connector_name="binance", skip_rebalance=False, buy_spreads="0.5", sell_spreads="0.5"
    )
    result = run_backtest(config, make_candles(closes), mode="realistic", trade_cost=FEE)
    orders = rows(result, "position_rebalance")
    assert [(r["timestamp"], r["side"]) for r in orders] == [
        (minute(0), "BUY"),
        (minute(3), "SELL"),
    ]
    sold = 5 - 500 / 110
    realized = sold * 10 - FEE * (500 + sold * 110)
    assert result.summary["position_realized_pnl_quote"] == pytest.approx(realized)
    assert result.summary["unrealized_pnl_quote"] == pytest.approx((5 - sold) * 10)
