"""Net PnL of every bot over the session, sampled, and kept in the journal so it survives a restart.

Refreshes come every couple of seconds; the history takes a sample at most every
``sample_every_s`` and writes one journal row for the whole fleet at most every
``journal_every_s`` (a modest rate: one row a minute by default, whatever the bot count).
Points live in ``array('d')`` pairs, 16 bytes each, so a day of 100 bots stays a few megabytes.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tradeagent.desk.fleet import Fleet
from tradeagent.desk.fleet_format import sparkline
from tradeagent.desk.journal import Entry, Journal

JOURNAL_KIND = "bots.pnl"


@dataclass
class _Series:
    times: array[float] = field(default_factory=lambda: array("d"))
    values: array[float] = field(default_factory=lambda: array("d"))

    def add(self, at: float, value: float) -> None:
        if self.times and at <= self.times[-1]:
            return  # points arrive in time order; a journal row older than live data is stale
        self.times.append(at)
        self.values.append(value)

    def trim(self, keep: int) -> None:
        # Trim in chunks (a quarter over the cap) so appends stay O(1) amortised.
        excess = len(self.times) - keep
        if excess > keep // 4:
            del self.times[:excess]
            del self.values[:excess]


class PnlHistory:
    """Net PnL per bot: ``record`` every refresh, ``values``/``points`` to draw."""

    def __init__(
        self,
        *,
        sample_every_s: float = 10.0,
        journal_every_s: float = 60.0,
        max_points: int = 4320,
    ) -> None:
        self.sample_every_s = sample_every_s
        self.journal_every_s = journal_every_s
        self.max_points = max_points
        self._series: dict[str, _Series] = {}
        self._last_sample: float | None = None
        self._last_journal: float | None = None
        self._sparks: dict[tuple[str, int], tuple[int, float, str]] = {}

    def record(self, fleet: Fleet, now: datetime) -> bool:
        """Take a sample of every bot if one is due; True when it did."""
        at = now.timestamp()
        if self._last_sample is not None and at - self._last_sample < self.sample_every_s:
            return False
        self._last_sample = at
        for bot in fleet.bots:
            self._add(bot.name, at, bot.net)
        return True

    def values(self, bot: str) -> list[float]:
        series = self._series.get(bot)
        return list(series.values) if series else []

    def points(self, bot: str) -> list[tuple[datetime, float]]:
        series = self._series.get(bot)
        if series is None:
            return []
        return [
            (datetime.fromtimestamp(t, UTC), v)
            for t, v in zip(series.times, series.values, strict=True)
        ]

    def sparkline(self, bot: str, width: int) -> tuple[str, float]:
        """The bot's session as ``width`` bars, and its change over the session. Drawn again
        only when a point was added (every refresh asks; most add nothing)."""
        series = self._series.get(bot)
        if series is None or not series.values:
            return "", 0.0
        count, last = len(series.values), series.times[-1]
        cached = self._sparks.get((bot, width))
        if cached is None or cached[:2] != (count, last):
            text = sparkline(series.values, width)
            cached = self._sparks[(bot, width)] = (count, last, text)
        return cached[2], series.values[-1] - series.values[0]

    # -- the journal --------------------------------------------------------------------

    def journal_due(self, now: datetime) -> bool:
        last = self._last_journal
        return last is None or now.timestamp() - last >= self.journal_every_s

    def save(self, journal: Journal, fleet: Fleet, now: datetime) -> None:
        """Write the fleet's net PnL as one journal row (call when :meth:`journal_due`)."""
        self._last_journal = now.timestamp()
        if fleet.bots:
            pnl = {bot.name: round(bot.net, 8) for bot in fleet.bots}
            journal.append(JOURNAL_KIND, {"pnl": pnl}, ts=now)

    def load(self, journal: Journal, now: datetime, *, window: timedelta) -> int:
        """Bring back this server's history of the last ``window``; returns the rows read."""
        entries = [
            entry
            for entry in journal.entries(kind=JOURNAL_KIND, since=now - window)
            if entry.server == journal.server
        ]
        self.extend(entries)
        return len(entries)

    def extend(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            pnl: Any = entry.payload.get("pnl")
            if not isinstance(pnl, dict):
                continue
            at = entry.ts.timestamp()
            for name, value in pnl.items():
                if isinstance(value, int | float):
                    self._add(str(name), at, float(value))

    def _add(self, bot: str, at: float, value: float) -> None:
        series = self._series.get(bot)
        if series is None:
            series = self._series[bot] = _Series()
        series.add(at, value)
        series.trim(self.max_points)
