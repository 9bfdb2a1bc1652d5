"""The journal: an append-only SQLite log of everything tradeagent proposes, tests and does.

One table of entries; rows are never updated or deleted (SQLite triggers refuse it). Each entry
carries UTC time, kind, the server URL and mode, an optional config hash and an optional ``ref``
that groups entries (a conversation id, or the id of the action an outcome belongs to).

Actions that touch a server are written *before* acting (:meth:`Journal.begin`) and closed with an
outcome row (:meth:`Journal.finish`). After a crash, :meth:`Journal.unfinished` lists the actions
whose outcome is unknown, so the desk can reconcile them against the server.

Secrets never reach the file: payload keys that name a secret are replaced before writing.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ts          TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    server      TEXT    NOT NULL,
    mode        TEXT    NOT NULL,
    config_hash TEXT,
    ref         TEXT,
    payload     TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_kind ON entries(kind, id);
CREATE INDEX IF NOT EXISTS entries_ref ON entries(ref, id);
CREATE INDEX IF NOT EXISTS entries_hash ON entries(config_hash, kind);
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
"""

OUTCOME_SUFFIX = ".outcome"
BEGIN_SUFFIX = ".begin"

_SECRET_KEY = re.compile(
    r"(pass(word|phrase)?|secret|api[_-]?key|private[_-]?key|token|credential_value|mnemonic)",
    re.IGNORECASE,
)
REDACTED = "****"


class JournalError(Exception):
    """The journal cannot be opened or written; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    id: int
    ts: datetime
    kind: str
    server: str
    mode: str
    config_hash: str | None
    ref: str | None
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ts": self.ts.isoformat(),
            "kind": self.kind,
            "server": self.server,
            "mode": self.mode,
            "config_hash": self.config_hash,
            "ref": self.ref,
            "payload": self.payload,
        }


def redact(value: Any) -> Any:
    """A copy of ``value`` with every secret-named key's value replaced by ``****``."""
    if isinstance(value, Mapping):
        return {
            str(key): (REDACTED if _SECRET_KEY.search(str(key)) else redact(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Journal:
    """Append-only journal in one SQLite file (WAL). Safe to share between threads."""

    def __init__(self, path: Path, *, server: str, mode: str) -> None:
        self.path = path
        self.server = server
        self.mode = mode
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                # Created private: it holds configs and server replies (never secrets, but still).
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as exc:
            raise JournalError(
                f"Cannot open the journal at {path}: {exc}. Check that the directory is writable "
                "(or set paths.data_dir to another place) and that no other program locks the file."
            ) from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ write
    def append(
        self,
        kind: str,
        payload: Mapping[str, Any] | None = None,
        *,
        ref: str | int | None = None,
        config_hash: str | None = None,
        ts: datetime | None = None,
    ) -> int:
        """Append one entry; returns its id. Secret-named keys are redacted first."""
        body = json.dumps(redact(dict(payload or {})), default=str, sort_keys=True)
        when = (ts or _utcnow()).astimezone(UTC).isoformat()
        try:
            with self._lock:
                cursor = self._db.execute(
                    "INSERT INTO entries (ts, kind, server, mode, config_hash, ref, payload) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        when,
                        kind,
                        self.server,
                        self.mode,
                        config_hash,
                        None if ref is None else str(ref),
                        body,
                    ),
                )
        except sqlite3.Error as exc:
            raise JournalError(
                f"Cannot write to the journal at {self.path}: {exc}. Free some disk space or "
                "check the file's permissions; nothing was sent to the server."
            ) from exc
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def begin(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        config_hash: str | None = None,
        ref: str | int | None = None,
    ) -> int:
        """Record an action before doing it. Close it with :meth:`finish`. ``ref`` ties it to
        a larger action (each bot's stop to the kill switch that sent it)."""
        return self.append(kind + BEGIN_SUFFIX, payload, config_hash=config_hash, ref=ref)

    def finish(
        self,
        action_id: int,
        outcome: str,
        payload: Mapping[str, Any] | None = None,
    ) -> int:
        """Record the outcome (``ok``, ``failed``, ``unknown``, ``reconciled:…``) of an action."""
        begun = self.get(action_id)
        if begun is None or not begun.kind.endswith(BEGIN_SUFFIX):
            raise JournalError(f"Journal entry {action_id} is not an action; cannot finish it.")
        kind = begun.kind.removesuffix(BEGIN_SUFFIX) + OUTCOME_SUFFIX
        body = {"outcome": outcome, **dict(payload or {})}
        return self.append(kind, body, ref=action_id, config_hash=begun.config_hash)

    # ------------------------------------------------------------------- read
    def get(self, entry_id: int) -> Entry | None:
        rows = self._select("WHERE id = ?", (entry_id,))
        return rows[0] if rows else None

    def entries(
        self,
        *,
        kind: str | None = None,
        kind_prefix: str | None = None,
        ref: str | int | None = None,
        config_hash: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
        newest_first: bool = False,
        exclude_kinds: Collection[str] = (),
    ) -> list[Entry]:
        clauses: list[str] = []
        params: list[Any] = []
        if exclude_kinds:
            clauses.append(f"kind NOT IN ({', '.join('?' * len(exclude_kinds))})")
            params.extend(exclude_kinds)
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        if kind_prefix is not None:
            clauses.append("kind LIKE ? ESCAPE '\\'")
            escaped = kind_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(escaped + "%")
        if ref is not None:
            clauses.append("ref = ?")
            params.append(str(ref))
        if config_hash is not None:
            clauses.append("config_hash = ?")
            params.append(config_hash)
        if since is not None:
            clauses.append("ts >= ?")
            params.append(since.astimezone(UTC).isoformat())
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        order = " ORDER BY id DESC" if newest_first else " ORDER BY id"
        tail = f" LIMIT {int(limit)}" if limit is not None else ""
        return self._select(where + order + tail, tuple(params))

    def latest(self, kind: str, *, config_hash: str | None = None) -> Entry | None:
        found = self.entries(kind=kind, config_hash=config_hash, limit=1, newest_first=True)
        return found[0] if found else None

    def unfinished(self) -> list[Entry]:
        """Actions begun but never given an outcome (e.g. the program died in between)."""
        return self._select(
            "WHERE kind LIKE '%' || ? AND NOT EXISTS ("
            " SELECT 1 FROM entries AS o WHERE o.ref = CAST(entries.id AS TEXT)"
            " AND o.kind LIKE '%' || ?) ORDER BY id",
            (BEGIN_SUFFIX, OUTCOME_SUFFIX),
        )

    def _select(self, tail: str, params: tuple[Any, ...]) -> list[Entry]:
        sql = "SELECT id, ts, kind, server, mode, config_hash, ref, payload FROM entries " + tail
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [
            Entry(
                id=row[0],
                ts=datetime.fromisoformat(row[1]),
                kind=row[2],
                server=row[3],
                mode=row[4],
                config_hash=row[5],
                ref=row[6],
                payload=json.loads(row[7]),
            )
            for row in rows
        ]

    @contextmanager
    def action(
        self, kind: str, payload: Mapping[str, Any], *, config_hash: str | None = None
    ) -> Iterator[ActionRecord]:
        """``with journal.action("deploy", {...}) as act: ...; act.ok({...})``.

        An exception inside the block records outcome ``failed`` with the error text (and
        re-raises); leaving the block without an outcome records ``unknown``.
        """
        record = ActionRecord(self, self.begin(kind, payload, config_hash=config_hash))
        try:
            yield record
        except BaseException as exc:
            if not record.done:
                record.finish("failed", {"error": str(exc) or type(exc).__name__})
            raise
        if not record.done:
            record.finish("unknown", {})


class ActionRecord:
    """The open action of :meth:`Journal.action`."""

    def __init__(self, journal: Journal, action_id: int) -> None:
        self.journal = journal
        self.id = action_id
        self.done = False

    def finish(self, outcome: str, payload: Mapping[str, Any] | None = None) -> None:
        self.journal.finish(self.id, outcome, payload)
        self.done = True

    def ok(self, payload: Mapping[str, Any] | None = None) -> None:
        self.finish("ok", payload)

    def failed(self, payload: Mapping[str, Any] | None = None) -> None:
        self.finish("failed", payload)


def journal_path(data_dir: Path) -> Path:
    return data_dir / "journal.sqlite3"
