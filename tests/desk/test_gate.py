"""The backtest gate: this exact config (by hash) must have a backtest; required in LIVE."""

from __future__ import annotations

from pathlib import Path

import pytest
from desk_harness import BB, config

from tradeagent.backtest import BacktestResult, DataWindow, run_backtest
from tradeagent.backtest.sources.base import CandleRequest
from tradeagent.backtest.sources.synthetic import SyntheticSource
from tradeagent.desk import GateMode, Verdict, find_backtest, record_backtest, record_result
from tradeagent.desk.gate import gate_checks
from tradeagent.desk.journal import Journal, journal_path
from tradeagent.strategy import config_hash


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(journal_path(tmp_path), server="http://simulator", mode="SIM")


def real_run() -> BacktestResult:
    """A real engine run on synthetic candles."""
    start, end = 1_767_225_600, 1_767_225_600 + 3 * 86_400
    request = CandleRequest("hyperliquid_perpetual", "BTC-USD", "1m", start, end)
    candles = SyntheticSource(7).candles(request)
    window = DataWindow.describe(
        candles,
        source="synthetic",
        detail="seed 7",
        trading_pair="BTC-USD",
        requested_start=start,
        requested_end=end,
    )
    return run_backtest(config(BB), candles, window=window)


def real_backtest() -> dict[str, object]:
    return real_run().to_dict()


def test_a_real_backtest_is_found_by_hash_with_its_key_numbers(journal: Journal) -> None:
    digest = config_hash(config(BB))
    run = real_run()
    assert run.config_hash == digest
    entry_id = record_result(journal, run)
    found = find_backtest(journal, digest)
    assert found is not None and found.entry_id == entry_id
    summary = run.summary
    assert found.net_pnl_quote == pytest.approx(summary["net_pnl_quote"])
    assert found.positions == summary["total_positions"]
    assert found.mode == "hummingbot"
    assert found.days == pytest.approx(3, abs=0.01)
    assert "over 3 d" in found.headline and "hummingbot mode" in found.headline
    # Executors and series are not journalled.
    assert "executors" not in journal.get(entry_id).payload  # type: ignore[union-attr]


def test_an_edited_config_is_not_covered(journal: Journal) -> None:
    record_backtest(journal, config_hash(config(BB)), real_backtest())
    edited = config(BB, stop_loss=0.025)
    assert find_backtest(journal, config_hash(edited)) is None
    lines, evidence = gate_checks(
        journal, [("btc_bb", config_hash(edited))], GateMode.AUTO, live=True
    )
    assert lines[0].verdict is Verdict.FAIL
    assert "required in LIVE" in lines[0].detail and "backtest" in lines[0].fix
    assert evidence == {"btc_bb": None}


@pytest.mark.parametrize(
    ("mode", "live", "verdict"),
    [
        (GateMode.AUTO, True, Verdict.FAIL),
        (GateMode.AUTO, False, Verdict.ADVISORY),
        (GateMode.REQUIRED, False, Verdict.FAIL),
        (GateMode.ADVISORY, True, Verdict.ADVISORY),
        (GateMode.OFF, True, Verdict.SKIPPED),
    ],
)
def test_gate_levels_without_a_backtest(
    journal: Journal, mode: GateMode, live: bool, verdict: Verdict
) -> None:
    lines, _ = gate_checks(journal, [("btc_bb", "0" * 64)], mode, live=live)
    assert [line.verdict for line in lines] == [verdict]


def test_each_controller_needs_its_own(journal: Journal) -> None:
    record_backtest(journal, "a" * 64, {"results": {"net_pnl": 0.01}, "mode": "realistic"})
    lines, _ = gate_checks(
        journal, [("one", "a" * 64), ("two", "b" * 64)], GateMode.REQUIRED, live=False
    )
    assert [(line.controller, line.verdict) for line in lines] == [
        ("one", Verdict.PASS),
        ("two", Verdict.FAIL),
    ]
    assert "+1.0%" in lines[0].detail and "realistic mode" in lines[0].detail


@pytest.mark.parametrize("live", [True, False])
def test_a_backtest_that_lost_money_passes_with_a_warning(journal: Journal, live: bool) -> None:
    record_backtest(
        journal,
        "c" * 64,
        {"results": {"net_pnl": -0.393, "net_pnl_quote": -196.72}, "mode": "hummingbot"},
    )
    record_backtest(journal, "d" * 64, {"results": {"net_pnl": 0.0}, "mode": "hummingbot"})
    lines, evidence = gate_checks(
        journal, [("loser", "c" * 64), ("flat", "d" * 64)], GateMode.REQUIRED, live=live
    )
    loser, flat = lines
    assert loser.verdict is Verdict.ADVISORY  # shown and journalled, never blocking
    assert "lost money" in loser.detail and "-39.3% (-196.72)" in loser.detail
    assert "backtest again" in loser.fix
    assert flat.verdict is Verdict.PASS
    assert evidence["loser"] is not None and evidence["loser"].lost_money


def test_a_real_losing_run_is_flagged_by_its_own_numbers(journal: Journal) -> None:
    run = real_run()
    record_result(journal, run)
    lines, _ = gate_checks(journal, [("btc_bb", run.config_hash)], GateMode.AUTO, live=True)
    lost = run.summary["net_pnl_quote"] < 0
    assert lines[0].verdict is (Verdict.ADVISORY if lost else Verdict.PASS)
    assert ("lost money" in lines[0].detail) is lost
