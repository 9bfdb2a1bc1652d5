"""The journal: append-only on real SQLite, secrets redacted, unfinished actions found."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tradeagent.desk.journal import Journal, JournalError, journal_path, redact


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(journal_path(tmp_path), server="sim://in-process", mode="SIM")


def test_append_and_query_by_kind_ref_hash(journal: Journal) -> None:
    a = journal.append("chat.message", {"role": "user", "text": "hi"}, ref="conv-1")
    b = journal.append("chat.message", {"role": "assistant", "text": "hello"}, ref="conv-1")
    journal.append("chat.message", {"role": "user", "text": "other"}, ref="conv-2")
    journal.append("backtest", {"net": 1.5}, config_hash="abc")
    conv = journal.entries(kind="chat.message", ref="conv-1")
    assert [e.id for e in conv] == [a, b]
    assert [e.payload["text"] for e in conv] == ["hi", "hello"]
    assert journal.latest("backtest", config_hash="abc") is not None
    assert journal.latest("backtest", config_hash="nope") is None
    entry = conv[0]
    assert entry.server == "sim://in-process"
    assert entry.mode == "SIM"
    assert entry.ts.tzinfo is not None
    assert len(journal.entries(kind_prefix="chat.")) == 3


def test_rows_cannot_be_updated_or_deleted(journal: Journal) -> None:
    journal.append("deploy.begin", {"bot": "x"})
    db = sqlite3.connect(journal.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE entries SET kind = 'other'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM entries")
    db.close()
    assert journal.entries()[0].kind == "deploy.begin"


def test_secrets_are_redacted_at_any_depth(journal: Journal) -> None:
    payload = {
        "bot": "b1",
        "credentials": {"hyperliquid_perpetual_secret_key": "0xdeadbeef", "use_vault": False},
        "headers": [{"Authorization": "ok", "api_key": "sk-ant-123"}],
        "password": "hunter2",
    }
    journal.append("accounts.add_credential", payload)
    raw = journal.path.read_bytes() + Path(str(journal.path) + "-wal").read_bytes()
    for secret in (b"0xdeadbeef", b"sk-ant-123", b"hunter2"):
        assert secret not in raw
    stored = journal.entries()[0].payload
    assert stored["credentials"]["hyperliquid_perpetual_secret_key"] == "****"
    assert stored["credentials"]["use_vault"] is False
    assert stored["password"] == "****"
    assert redact({"nested": {"token": 1}}) == {"nested": {"token": "****"}}


def test_file_is_private(journal: Journal) -> None:
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_action_outcomes_and_unfinished(journal: Journal) -> None:
    with journal.action("deploy", {"bot": "ok-bot"}, config_hash="h1") as act:
        act.ok({"unique_instance_name": "ok-bot-20261124-090241"})
    with pytest.raises(RuntimeError), journal.action("stop", {"bot": "b"}):
        raise RuntimeError("server down")
    dangling = journal.begin("deploy", {"bot": "crashed"})
    outcomes = journal.entries(kind="deploy.outcome")
    assert outcomes[0].payload["outcome"] == "ok"
    assert outcomes[0].config_hash == "h1"
    assert journal.entries(kind="stop.outcome")[0].payload == {
        "outcome": "failed",
        "error": "server down",
    }
    assert [e.id for e in journal.unfinished()] == [dangling]
    journal.finish(dangling, "reconciled:running")
    assert journal.unfinished() == []


def test_crash_between_begin_and_outcome_is_found_by_the_next_process(tmp_path: Path) -> None:
    path = journal_path(tmp_path)
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from tradeagent.desk.journal import Journal
        j = Journal(Path({str(path)!r}), server="http://x", mode="LIVE")
        j.begin("deploy", {{"bot": "b"}})
        os._exit(9)  # die without closing anything
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode == 9
    reopened = Journal(path, server="http://x", mode="LIVE")
    [pending] = reopened.unfinished()
    assert pending.kind == "deploy.begin"
    assert pending.payload == {"bot": "b"}


def test_since_filter_and_newest_first(journal: Journal) -> None:
    old = datetime.now(UTC) - timedelta(days=2)
    journal.append("note", {"n": 1}, ts=old)
    journal.append("note", {"n": 2})
    recent = journal.entries(since=datetime.now(UTC) - timedelta(hours=1))
    assert [e.payload["n"] for e in recent] == [2]
    assert [e.payload["n"] for e in journal.entries(newest_first=True)] == [2, 1]


def test_finish_rejects_non_actions(journal: Journal) -> None:
    note = journal.append("note", {})
    with pytest.raises(JournalError, match="not an action"):
        journal.finish(note, "ok")


def test_unwritable_location_explains(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(JournalError, match=r"paths\.data_dir"):
        Journal(blocker / "journal.sqlite3", server="s", mode="SIM")
