"""Backtest options: from settings, from the dialog's fields (each bad value named), to a job;
and the sparkline of the preview's headline."""

from __future__ import annotations

from pathlib import Path

import pytest
from backtest_helpers import NOW, template_config

from tradeagent.backtest import BacktestError
from tradeagent.desk.backtesting import days_window, parse_time
from tradeagent.settings import BacktestSettings
from tradeagent.tui.backtest_options import BacktestOptions, OptionsError, options_from_form
from tradeagent.tui.backtest_render import sparkline

FORM = {
    "days": "30",
    "start": "",
    "end": "",
    "mode": "hummingbot",
    "source": "synthetic",
    "path": "",
    "seed": "7",
    "trade_cost": "0.0006",
    "resolution": "1m",
}


def form(**changes: str) -> BacktestOptions:
    return options_from_form(**(FORM | changes))


def test_settings_become_the_options_and_their_description(tmp_path: Path) -> None:
    assert BacktestOptions.from_settings(BacktestSettings()) == BacktestOptions()
    assert BacktestOptions().plan == "30 d synthetic · Hummingbot-compatible mode"
    options = BacktestOptions.from_settings(
        BacktestSettings(source=f"file:{tmp_path}/btc.csv.gz", mode="realistic", days=7)
    )
    assert options.source == "file" and options.path == tmp_path / "btc.csv.gz"
    assert options.source_text == f"file:{tmp_path}/btc.csv.gz"
    assert options.plan == "7 d file btc.csv.gz · realistic, not comparable with Hummingbot mode"
    hourly = BacktestOptions(start="2025-01-01", resolution="1h", seed=3)
    assert hourly.describe() == "2025-01-01 → now synthetic seed 3 · 1h"


def test_the_form_makes_the_options_it_shows(tmp_path: Path) -> None:
    candles = tmp_path / "c.csv"
    candles.write_text("timestamp,open,high,low,close,volume\n")
    options = form(
        start="2025-01-01",
        end="2025-01-31T12:00",
        mode="realistic",
        source="file",
        path=str(candles),
        seed="11",
        trade_cost="0.0002",
        resolution="5m",
    )
    assert options == BacktestOptions(
        days=30.0,
        start="2025-01-01",
        end="2025-01-31T12:00",
        mode="realistic",
        source="file",
        path=candles,
        seed=11,
        trade_cost=0.0002,
        resolution="5m",
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": "a week"}, "Days must be a number, got 'a week'"),
        ({"days": "0"}, "Days must be more than 0"),
        ({"end": "2025-01-31"}, "End needs a start date"),
        ({"start": "yesterday"}, "Start 'yesterday' is neither a date"),
        ({"start": "2025-01-01", "end": "31/01/2025"}, "End '31/01/2025' is neither a date"),
        ({"trade_cost": "0.5"}, "Trade cost is a fraction per fill"),
        ({"seed": "1.5"}, "Seed must be a whole number"),
        ({"seed": "-1"}, "Seed must be 0 or more"),
        ({"resolution": "1 minute"}, "Resolution '1 minute' is not an interval"),
        ({"source": "file"}, "The file source needs a CSV file"),
        ({"source": "file", "path": "/nonexistent/c.csv"}, "/nonexistent/c.csv is not a file"),
    ],
)
def test_each_bad_field_is_named_with_what_to_enter(changes: dict[str, str], message: str) -> None:
    with pytest.raises(OptionsError) as info:
        form(**changes)
    assert message in str(info.value)


def test_a_start_date_replaces_the_days() -> None:
    options = form(start="2025-01-01", days="not used")
    assert options.start == "2025-01-01" and options.period == "2025-01-01 → now"


def test_the_job_covers_the_period_asked() -> None:
    config = template_config()
    job = BacktestOptions(days=7).job(config, now=NOW)
    assert (job.start, job.end) == days_window(7, "1m", NOW)
    assert job.mode == "hummingbot" and job.source.kind == "synthetic"
    dated = BacktestOptions(start="2025-01-01", end="2025-01-02", mode="realistic").job(
        config, now=NOW
    )
    assert dated.start == parse_time("2025-01-01", is_end=False, resolution="1m")
    assert dated.end == parse_time("2025-01-02", is_end=True, resolution="1m")
    assert dated.mode == "realistic"
    with pytest.raises(BacktestError, match="end must be after"):
        BacktestOptions(start="2025-01-05", end="2025-01-01").job(config, now=NOW)


@pytest.mark.parametrize(
    ("values", "width", "expected"),
    [
        ([], 12, ""),
        ([1.0, 1.0, 1.0], 12, "▁▁▁"),
        ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 8, "▁▂▃▄▅▆▇█"),
        ([float(i) for i in range(100)], 4, "▁▃▆█"),
        ([3.0, -1.0, 3.0, -5.0], 4, "█▅█▁"),
    ],
)
def test_sparkline(values: list[float], width: int, expected: str) -> None:
    assert sparkline(values, width) == expected
