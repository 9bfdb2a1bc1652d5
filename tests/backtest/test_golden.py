"""Hummingbot mode against Hummingbot's own backtester (tests/data/backtest_golden).

The golden files were produced by Hummingbot 20260922's BacktestingEngineBase on the seeded
synthetic candles in the same folder. Tolerances: ledger exact, net_pnl_pct within 1e-12
absolute, every summary float within 1e-9 relative (1e-12 absolute where 0), counts exact.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tradeagent.backtest import Candles, run_backtest
from tradeagent.backtest.sources import read_csv_candles

GOLDEN = Path(__file__).parent.parent / "data" / "backtest_golden"
CONTROLLERS = ("bollinger_v1", "macd_bb_v1", "pmm_simple")


def golden(controller: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{controller}.json").read_text())  # type: ignore[no-any-return]


RUNS = [(name, run["days"]) for name in CONTROLLERS for run in golden(name)["runs"]]
LEDGERS = [
    (name, run["days"])
    for name in CONTROLLERS
    for run in golden(name)["runs"]
    if "ledger_file" in run
]


@pytest.fixture(scope="module")
def candles() -> Candles:
    return read_csv_candles(GOLDEN / "candles_seed7_1m_30d.csv.gz")


def run_of(controller: str, days: int) -> tuple[dict[str, Any], dict[str, Any]]:
    data = golden(controller)
    run = next(run for run in data["runs"] if run["days"] == days)
    return data, run


def close(expected: float, got: float) -> bool:
    if expected == 0:
        return abs(got) <= 1e-12
    return abs(got - expected) <= 1e-9 * abs(expected)


@pytest.mark.parametrize(("controller", "days"), RUNS)
def test_summary_matches_hummingbot(candles: Candles, controller: str, days: int) -> None:
    data, run = run_of(controller, days)
    result = run_backtest(
        data["config"],
        candles,
        start=run["start"],
        end=run["end"],
        mode="hummingbot",
        trade_cost=data["trade_cost"],
    )
    assert result.rows_simulated == run["rows_simulated"]
    assert result.first_simulated_timestamp == run["first_simulated_timestamp"]
    assert result.window.candles == run["candles"]
    for key, expected in run["results"].items():
        got = result.summary[key]
        if isinstance(expected, float):
            assert close(expected, got), (key, expected, got)
        else:
            assert got == expected, (key, expected, got)


def read_ledger(name: str) -> list[dict[str, str]]:
    with gzip.open(GOLDEN / name, "rt", newline="") as handle:
        return list(csv.DictReader(handle))


def optional_ts(text: str) -> int | None:
    return int(float(text)) if text else None


@pytest.mark.parametrize(("controller", "days"), LEDGERS)
def test_ledger_matches_hummingbot(candles: Candles, controller: str, days: int) -> None:
    data, run = run_of(controller, days)
    result = run_backtest(
        data["config"],
        candles,
        start=run["start"],
        end=run["end"],
        trade_cost=data["trade_cost"],
    )
    expected_rows = read_ledger(run["ledger_file"])
    got_rows = result.ledger.records()
    assert len(got_rows) == len(expected_rows)
    for index, (want, got) in enumerate(zip(expected_rows, got_rows, strict=True)):
        where = f"{controller} executor {index}"
        assert got["timestamp"] == int(float(want["timestamp"])), where
        assert got["side"] == want["side"], where
        assert got["close_timestamp"] == int(float(want["close_timestamp"])), where
        assert got["close_type"] == want["close_type"], where
        assert got["level_id"] == (want["level_id"] or None), where
        assert got["fill_timestamp"] == optional_ts(want["fill_timestamp"]), where
        assert abs(got["net_pnl_pct"] - float(want["net_pnl_pct"])) <= 1e-12, where
        for key in ("net_pnl_quote", "filled_amount_quote", "cum_fees_quote"):
            assert close(float(want[key]), got[key]), (where, key)
        if want["fill_price"]:
            assert got["fill_price"] == float(want["fill_price"]), where
        assert got["close_price"] == float(want["close_price"]), where
        assert got["order_price"] == want["order_price"], where
        assert got["amount_base"] == want["amount_base"], where
