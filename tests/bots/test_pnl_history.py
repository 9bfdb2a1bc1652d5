"""PnL history: sampled, capped, written to the real SQLite journal at a modest rate, read back."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fake_hb import T0, bot, controller

from tradeagent.desk.fleet import Fleet, read_fleet
from tradeagent.desk.journal import Journal
from tradeagent.desk.pnl_history import JOURNAL_KIND, PnlHistory
from tradeagent.hb import BotStatus


def fleet(**pnl: float) -> Fleet:
    return read_fleet(
        {
            name: BotStatus.model_validate(
                bot(controllers={"c": controller(realized=value, unrealized=0.0)})
            )
            for name, value in pnl.items()
        }
    )


def test_samples_are_taken_at_most_every_sample_interval() -> None:
    history = PnlHistory(sample_every_s=10)
    for second, value in ((0, 1.0), (2, 2.0), (9, 3.0), (10, 4.0), (25, 5.0)):
        history.record(fleet(a=value), T0 + timedelta(seconds=second))
    assert history.values("a") == [1.0, 4.0, 5.0]
    assert [moment for moment, _ in history.points("a")] == [
        T0,
        T0 + timedelta(seconds=10),
        T0 + timedelta(seconds=25),
    ]
    assert history.values("unknown") == []


def test_a_long_session_keeps_the_newest_points_only() -> None:
    history = PnlHistory(sample_every_s=1, max_points=100)
    for second in range(1000):
        history.record(fleet(a=float(second)), T0 + timedelta(seconds=second))
    values = history.values("a")
    assert 100 <= len(values) <= 125
    assert values[-1] == 999.0 and values == sorted(values)


def test_journal_rows_at_a_modest_rate_and_reloaded_after_restart(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path, server="http://hb:8000", mode="LIVE")
    history = PnlHistory(sample_every_s=2, journal_every_s=60)
    written = 0
    for step in range(90):  # three minutes of 2-second refreshes
        now = T0 + timedelta(seconds=2 * step)
        snapshot = fleet(a=float(step), b=-float(step))
        history.record(snapshot, now)
        if history.journal_due(now):
            history.save(journal, snapshot, now)
            written += 1
    assert written == 3
    rows = journal.entries(kind=JOURNAL_KIND)
    assert [row.payload["pnl"]["a"] for row in rows] == [0.0, 30.0, 60.0]
    journal.close()

    reopened = Journal(path, server="http://hb:8000", mode="LIVE")
    later = T0 + timedelta(minutes=10)
    restored = PnlHistory()
    assert restored.load(reopened, later, window=timedelta(hours=24)) == 3
    assert restored.values("b") == [0.0, -30.0, -60.0]
    # Live data continues after the restored points; older rows cannot come in behind it.
    restored.record(fleet(a=99.0), later)
    restored.extend(rows)
    assert restored.values("a") == [0.0, 30.0, 60.0, 99.0]
    # Only a window of the past, and only this server's rows.
    assert PnlHistory().load(reopened, later, window=timedelta(minutes=8)) == 1
    other = Journal(path, server="http://other:8000", mode="LIVE")
    assert PnlHistory().load(other, later, window=timedelta(hours=24)) == 0


def test_an_empty_fleet_writes_no_row(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3", server="sim", mode="SIM")
    history = PnlHistory()
    history.save(journal, fleet(), T0)
    assert journal.entries(kind=JOURNAL_KIND) == []
    assert not history.journal_due(T0 + timedelta(seconds=30))
