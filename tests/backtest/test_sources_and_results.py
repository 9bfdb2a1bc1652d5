"""Synthetic and CSV sources, the cache, data windows, results and metrics."""

from __future__ import annotations

import asyncio
import gzip
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from handmade import T0, make_candles

from tradeagent.backtest import BacktestError, run_backtest
from tradeagent.backtest.closes import BUY
from tradeagent.backtest.ledger import Ledger
from tradeagent.backtest.metrics import level_sharpe, max_drawdown, realized_pnl_series
from tradeagent.backtest.realistic import equity_series, period_sharpe
from tradeagent.backtest.report import profit_factor_text
from tradeagent.backtest.sources import (
    CandleCache,
    CandleRequest,
    CandleSourceError,
    CsvFileSource,
    Fetched,
    SyntheticSource,
    load_candles,
    read_csv_candles,
)
from tradeagent.backtest.tape import Tape
from tradeagent.backtest.window import DataWindow
from tradeagent.strategy import ConfigError, config_hash, parse_config

DAY = 86400


def request(start: int, end: int, interval: str = "1m", pair: str = "BTC-USDT") -> CandleRequest:
    return CandleRequest("binance_perpetual", pair, interval, start, end)


def test_synthetic_market_is_one_fixed_path_per_seed_and_pair() -> None:
    source = SyntheticSource(7)
    month = source.candles(request(T0, T0 + 30 * DAY - 60))
    inner = source.candles(request(T0 + 3 * DAY + 600, T0 + 4 * DAY))
    offset = 3 * 1440 + 10
    np.testing.assert_array_equal(inner.close, month.close[offset : offset + len(inner)])
    assert np.array_equal(source.candles(request(T0, T0 + DAY)).close, month.close[:1441])
    assert not np.array_equal(
        SyntheticSource(8).candles(request(T0, T0 + DAY)).close, month.close[:1441]
    )
    other = source.candles(request(T0, T0 + DAY, pair="ETH-USDT"))
    assert not np.array_equal(other.close, month.close[:1441])
    assert np.all(month.high >= np.maximum(month.open, month.close))
    assert np.all(month.low <= np.minimum(month.open, month.close))
    assert np.all(month.open[1:] == month.close[:-1])
    five = source.candles(request(T0, T0 + DAY - 300, "5m"))
    assert len(five) == 288 and five.close[0] == month.close[4]
    assert five.high[0] == month.high[:5].max()


def test_csv_reads_hummingbot_layout_gzip_and_plain(tmp_path: Path) -> None:
    rows = "timestamp,open,high,low,close,volume,quote_asset_volume\n"
    rows += "".join(
        f"{T0 + 60 * i}.0,{100 + i},{101 + i},{99 + i},{100.5 + i},{i},{0}\n" for i in range(5)
    )
    plain = tmp_path / "c.csv"
    plain.write_text(rows)
    packed = tmp_path / "c.csv.gz"
    packed.write_bytes(gzip.compress(rows.encode()))
    for path in (plain, packed):
        candles = read_csv_candles(path)
        assert len(candles) == 5 and candles.interval_s == 60
        assert list(candles.close) == [100.5, 101.5, 102.5, 103.5, 104.5]
        assert int(candles.timestamp[0]) == T0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time,open,high,low,close,volume\n1,1,1,1,1,1\n", "lacks timestamp"),
        ("timestamp,open,high,low,close,volume\n", "no candles"),
        (
            f"timestamp,open,high,low,close,volume\n{T0},1,2,0.5,1,1\n{T0},1,2,0.5,1,1\n",
            "repeats the timestamp",
        ),
        (
            f"timestamp,open,high,low,close,volume\n{T0},1,0.9,0.5,1,1\n{T0 + 60},1,2,0.5,1,1\n",
            "not a candle",
        ),
        (f"timestamp,open,high,low,close,volume\n{T0},1,2,x,1,1\n", "not a valid candle CSV"),
        (
            f"timestamp,open,high,low,close,volume\n{T0},1,2,0.5,1,1\n{T0 + 60},1,2,0.5,1,1\n"
            f"{T0 + 360},1,2,0.5,1,1\n{T0 + 660},1,2,0.5,1,1\n",
            "not on one interval",
        ),
    ],
)
def test_csv_problems_are_explained(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(CandleSourceError, match=message):
        read_csv_candles(path)


def test_csv_source_refuses_another_resolution(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "timestamp,open,high,low,close,volume\n"
        + "".join(f"{T0 + 300 * i},1,2,0.5,1,1\n" for i in range(4))
    )
    with pytest.raises(CandleSourceError, match="holds 5m candles"):
        asyncio.run(CsvFileSource(path).fetch(request(T0, T0 + 900)))


def test_window_reports_shortfall_and_gaps() -> None:
    candles = make_candles([1.0] * 10).take(np.r_[0:3, 5:10])  # rows 3 and 4 missing
    window = DataWindow.describe(
        candles,
        source="file",
        detail="x",
        trading_pair="A-B",
        requested_start=T0 - 2 * DAY,
        requested_end=T0 + 540,
    )
    assert window.gaps == ((T0 + 180, T0 + 240),)
    assert window.expected == 2 * 1440 + 10
    assert not window.complete
    text = " ".join(window.warnings)
    assert "covers only 0.0 of 2.0 days" in text and "1 gap(s)" in text and "2 missing" in text


def test_cache_round_trips_exact_floats(tmp_path: Path) -> None:
    cache = CandleCache(tmp_path)
    candles = SyntheticSource(3).candles(request(T0, T0 + 3600))
    req = request(T0, T0 + 3600)
    cache.store("hyperliquid", req, Fetched(candles, ("note",)))
    loaded = cache.load("hyperliquid", req)
    assert loaded is not None and loaded.notes == ("note",)
    for column in ("timestamp", "open", "high", "low", "close", "volume"):
        assert np.array_equal(getattr(loaded.candles, column), getattr(candles, column))
    assert cache.load("hyperliquid", request(T0, T0 + 7200)) is None


def test_synthetic_is_never_cached(tmp_path: Path) -> None:
    candles, window = asyncio.run(
        load_candles(SyntheticSource(), request(T0, T0 + 600), cache=CandleCache(tmp_path))
    )
    assert len(candles) == 11 and window.complete and window.source == "synthetic"
    assert not list(tmp_path.rglob("*.npz"))


def bollinger(**overrides: Any) -> dict[str, Any]:
    config = {
        "id": "bb",
        "controller_name": "bollinger_v1",
        "controller_type": "directional_trading",
        "connector_name": "binance_perpetual",
        "trading_pair": "BTC-USDT",
        "total_amount_quote": 1000,
        "interval": "1m",
        "bb_length": 50,
    }
    config.update(overrides)
    return config


def test_result_is_json_serialisable_and_labelled() -> None:
    candles = SyntheticSource(7).candles(request(T0, T0 + 2 * DAY))
    for mode in ("hummingbot", "realistic"):
        result = run_backtest(bollinger(), candles, mode=mode)  # type: ignore[arg-type]
        data = json.loads(json.dumps(result.to_dict(series_points=50), allow_nan=False))
        assert data["mode"] == mode and data["mode_note"]
        assert len(data["pnl_timeseries"]["timestamp"]) == 50
        assert data["results"]["total_executors"] == len(data["executors"]) > 0
        assert data["window"]["source"] == "memory"
        assert data["config_hash"] == config_hash(parse_config(bollinger())) == result.config_hash
        assert set(data["results"]) >= {
            "net_pnl",
            "net_pnl_quote",
            "total_executors",
            "total_executors_with_position",
            "total_volume",
            "total_long",
            "total_short",
            "close_types",
            "accuracy",
            "accuracy_long",
            "accuracy_short",
            "profit_factor",
            "max_drawdown_usd",
            "max_drawdown_pct",
            "sharpe_ratio",
            "total_fees_quote",
        }


def test_coarser_interval_in_hummingbot_mode_reads_ahead_and_ends_on_the_last_open() -> None:
    candles = SyntheticSource(7).candles(request(T0, T0 + DAY - 60))
    hb = run_backtest(bollinger(interval="5m", bb_length=20), candles)
    real = run_backtest(bollinger(interval="5m", bb_length=20), candles, mode="realistic")
    last_five_minute_open = T0 + DAY - 300
    assert int(hb.pnl.timestamp[-1]) == last_five_minute_open
    assert int(real.pnl.timestamp[-1]) == T0 + DAY - 60
    # Hummingbot's first row is the open of the 20th 5m candle; realistic waits for its close.
    assert hb.first_simulated_timestamp == T0 + 19 * 300
    assert real.first_simulated_timestamp == T0 + 20 * 300 - 60


def test_bad_requests_are_refused() -> None:
    candles = make_candles([100.0] * 10)
    with pytest.raises(BacktestError, match="multiple of the backtest resolution"):
        run_backtest(bollinger(interval="1m"), make_candles([100.0] * 10, step=300))
    with pytest.raises(BacktestError, match="fraction per fill"):
        run_backtest(bollinger(), candles, trade_cost=0.5)
    with pytest.raises(BacktestError, match="mode"):
        run_backtest(bollinger(), candles, mode="fast")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="bb_length"):
        run_backtest(bollinger(bb_length=0), candles)


def ledger_of(pnl: list[float], terminated: list[int], **columns: Any) -> Ledger:
    n = len(pnl)
    defaults: dict[str, Any] = {
        "timestamp": np.arange(n, dtype=np.int64),
        "side": np.full(n, BUY, dtype=np.int8),
        "close_timestamp": np.arange(n, dtype=np.int64),
        "close_type": np.full(n, 1, dtype=np.int16),
        "net_pnl_pct": np.zeros(n),
        "net_pnl_quote": np.asarray(pnl),
        "filled_amount_quote": np.full(n, 200.0),
        "cum_fees_quote": np.full(n, 0.1),
        "fill_timestamp": np.arange(n, dtype=np.int64),
        "fill_price": np.full(n, 100.0),
        "close_price": np.full(n, 100.0),
        "order_price": ["100"] * n,
        "amount_base": ["1"] * n,
        "level_id": [""] * n,
        "terminated_row": np.asarray(terminated, dtype=np.int64),
    }
    defaults.update(columns)
    return Ledger(**defaults)


def test_hummingbot_pnl_series_drawdown_and_level_sharpe_by_hand() -> None:
    # Booked at rows 1, 1, 3; the third closes in the pass after the last row (5).
    ledger = ledger_of([10.0, -4.0, -20.0, 7.0], [1, 1, 3, 5])
    series = realized_pnl_series(ledger, 5)
    assert list(series) == [0.0, 6.0, 6.0, -14.0, -14.0]
    assert max_drawdown(series) == -20.0
    levels = series / 1000
    expected = levels.mean() / levels.std(ddof=1)
    assert level_sharpe(series, 1000.0) == pytest.approx(expected)


def test_realistic_equity_marks_open_positions_at_each_close() -> None:
    # One long of 2 base at 100 from row 1 to row 3 (closed at 103 with its realized PnL).
    tape = Tape.build(make_candles([100.0, 100.0, 101.0, 103.0, 103.0]), None)
    fee = 0.001
    realized = 2 * (103 - 100) - fee * (200 + 206)
    ledger = ledger_of(
        [realized],
        [3],
        timestamp=np.asarray([T0 + 60]),
        close_timestamp=np.asarray([T0 + 180]),
        fill_timestamp=np.asarray([T0 + 60]),
        amount_base=["2"],
    )
    equity = equity_series(ledger, tape, fee)
    entry_fee = fee * 200
    assert equity == pytest.approx([0.0, -entry_fee, 2.0 - entry_fee, realized, realized])
    returns = np.diff(equity) / 100.0
    per_year = math.sqrt(365 * 1440)
    expected = returns.mean() / returns.std(ddof=1) * per_year
    assert period_sharpe(equity, 100.0, 60) == pytest.approx(expected)


@pytest.mark.parametrize("rows", [0, 1, 5])
@pytest.mark.parametrize("mode", ["hummingbot", "realistic"])
def test_too_few_candles_give_an_empty_result_that_says_why(rows: int, mode: str) -> None:
    candles = make_candles([100.0] * 5).take(slice(0, rows))
    result = run_backtest(bollinger(bb_length=20), candles, mode=mode)  # type: ignore[arg-type]
    assert result.rows_simulated == 0 and len(result.ledger) == 0
    assert result.summary["total_executors"] == 0 and result.summary["sharpe_ratio"] == 0.0
    assert result.warnings[0].startswith("nothing simulated")
    json.dumps(result.to_dict(), allow_nan=False)


def test_profit_factor_without_a_losing_position_is_not_shown_as_one() -> None:
    winners_only = {"profit_factor": 1.0, "win_signals": 2, "loss_signals": 0}
    assert profit_factor_text(winners_only).startswith("— (no losing position")
    assert profit_factor_text(winners_only, short=True) == "—"
    mixed = {"profit_factor": 1.5, "win_signals": 3, "loss_signals": 2}
    assert profit_factor_text(mixed) == "1.50"
    nothing = {"profit_factor": 1.0, "win_signals": 0, "loss_signals": 0}
    assert profit_factor_text(nothing) == "1.00"  # no position at all: Hummingbot's number
