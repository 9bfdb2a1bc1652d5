"""The fleet row model: how a status reply becomes rows, totals, win rates and uptimes, and how
they are written for the pane and for ``tradeagent status``."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fake_hb import T0, bot, controller, log, position, stamp

from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import WIN_RATE_RULE, deployed_at, read_fleet
from tradeagent.desk.fleet_report import fleet_json, fleet_table, totals_line
from tradeagent.hb import BotStatus


def fleet_of(**bots: dict[str, Any]) -> Any:
    return read_fleet({name: BotStatus.model_validate(entry) for name, entry in bots.items()})


def test_a_bot_sums_its_controllers_and_derives_win_rate_from_closes() -> None:
    name = f"btc-{stamp(T0 - timedelta(minutes=90))}"
    fleet = fleet_of(
        **{
            name: bot(
                controllers={
                    "a": controller(
                        realized=3.0,
                        unrealized=-1.0,
                        volume=1000,
                        closes={"CloseType.TAKE_PROFIT": 3, "CloseType.TIME_LIMIT": 5},
                    ),
                    "b": controller(
                        realized=1.0,
                        unrealized=0.5,
                        volume=500,
                        positions=[position(), position("SELL")],
                        closes={"CloseType.STOP_LOSS": 2, "CloseType.TRAILING_STOP": 1},
                    ),
                    "c": {},  # stopped controller: counts as a controller, adds nothing
                },
                general=[log("hello", T0.timestamp())],
            )
        }
    )
    row = fleet.bots[0]
    assert row.status == "running"
    assert (row.realized, row.unrealized, row.net, row.volume) == (4.0, -0.5, 3.5, 1500)
    assert row.open_positions == 3
    assert dict(row.close_types) == {
        "TAKE_PROFIT": 3,
        "TIME_LIMIT": 5,
        "STOP_LOSS": 2,
        "TRAILING_STOP": 1,
    }
    # (3 take profit + 1 trailing stop) / (those + 2 stop loss); time limits left out.
    assert (row.wins, row.losses) == (4, 2)
    assert row.win_rate == pytest.approx(4 / 6)
    assert row.uptime(T0) == timedelta(minutes=90)
    assert [c.reporting for c in row.controllers] == [True, True, False]
    assert row.controllers[1].positions[1].side == "short"
    assert row.general_logs[0].at == T0
    assert "time-limit and early-stop closes are left out" in WIN_RATE_RULE


def test_no_decided_close_means_no_win_rate_and_stopped_bots_have_no_uptime() -> None:
    fleet = fleet_of(
        **{
            f"a-{stamp(T0)}": bot(
                controllers={"x": controller(closes={"CloseType.TIME_LIMIT": 4})}
            ),
            f"b-{stamp(T0)}": bot(status="stopped"),
        }
    )
    assert fleet.bots[0].win_rate is None
    assert fmt.percent(fleet.bots[0].win_rate) == "—"
    assert fleet.bots[1].uptime(T0 + timedelta(hours=1)) is None


def test_deploy_time_comes_from_the_name_only_when_it_is_there() -> None:
    assert deployed_at("ta-bb-20261124-090241") == T0.replace(hour=9, minute=2, second=41)
    assert deployed_at("my-bot") is None
    assert deployed_at("x-20261399-250000") is None  # not a date


def test_fleet_totals_and_error_rows() -> None:
    fleet = fleet_of(
        a=bot(controllers={"x": controller(realized=2.0, unrealized=0.0, volume=100)}),
        b=bot(status="error", controllers={}),
        c=bot(controllers={"y": controller(realized=-1.0, unrealized=0.0, volume=50)}),
    )
    assert fleet.names == ("a", "b", "c")
    assert (fleet.net, fleet.volume, fleet.running, fleet.in_error) == (1.0, 150, 2, 1)
    assert totals_line(fleet) == (
        "3 bots · PnL +1.00 (realized +1.00 · unrealized 0.00) · vol 150 · 2 positions · 1 in error"
    )
    assert totals_line(fleet, running=True).startswith("3 bots · 2 running · PnL +1.00")


@pytest.mark.parametrize(
    ("value", "text"),
    [(8.2, "+8.20"), (-0.87, "-0.87"), (0.0, "0.00"), (-0.001, "0.00"), (1234.5, "+1,234.50")],
)
def test_signed_amounts(value: float, text: str) -> None:
    assert fmt.signed(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(950, "950"), (1240.55, "1.24k"), (12_400, "12.4k"), (1_250_000, "1.25M"), (3e9, "3.00B")],
)
def test_compact_volumes(value: float, text: str) -> None:
    assert fmt.compact(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(45, "45s"), (12 * 60 + 5, "12m"), (2 * 3600 + 60, "2h01"), (3 * 86400 + 4 * 3600, "3d04")],
)
def test_durations(seconds: int, text: str) -> None:
    assert fmt.duration(timedelta(seconds=seconds)) == text


def test_sparkline_squeezes_the_session_into_its_width() -> None:
    assert fmt.sparkline([], 10) == ""
    assert fmt.sparkline([1.0, 1.0], 10) == "▄▄"
    assert fmt.sparkline([0.0, 1.0, 2.0], 10) == "▁▅█"
    long = fmt.sparkline([float(v) for v in range(100)], 10)
    assert len(long) == 10 and long[0] == "▁" and long[-1] == "█"
    assert list(long) == sorted(long)


def test_close_summary_uses_short_names() -> None:
    assert fmt.close_summary([("TAKE_PROFIT", 3), ("STOP_LOSS", 1), ("ODD", 2)]) == "TP3 SL1 ODD2"
    assert "TP take profit" in fmt.CLOSE_TYPE_LEGEND


def test_plain_table_and_json_carry_the_same_rows() -> None:
    name = f"btc_bb-{stamp(T0 - timedelta(hours=2, minutes=1))}"
    broken = bot(status="error", controllers={}) | {"error": "unreadable"}
    fleet = fleet_of(**{name: bot(), "broken": broken})
    table = fleet_table(fleet, T0).splitlines()
    assert table[0].startswith("2 bots · 1 running")
    assert table[1].split() == ["bot", "status", "up", "ctl", "PnL", "vol", "pos", "win", "closes"]
    assert table[2].split() == ["broken", "error", "—", "0", "0.00", "0", "0", "—", "—"]
    assert table[3].split()[:8] == [name, "running", "2h01", "1", "+2.54", "1.24k", "1", "75%"]
    assert table[-1] == "broken: unreadable"
    document = fleet_json(fleet, T0, server="http://hb:8000", mode="LIVE")
    json.dumps(document)  # serialisable as is
    entry = document["bots"][1]
    assert entry["name"] == name and entry["uptime_s"] == 7260
    assert entry["net_pnl_quote"] == pytest.approx(2.54)
    assert entry["win_rate"] == 0.75
    assert entry["controllers"][0]["positions"][0]["side"] == "long"
    assert document["totals"]["bots"] == 2
    assert document["bots"][0]["problem"] == "unreadable"


def test_empty_fleet_says_what_to_do() -> None:
    assert "No bots on this server" in fleet_table(fleet_of(), T0)
