"""The fleet as a trader reads it: one row per bot, built from one status reply.

``read_fleet`` turns ``HummingbotClient.bots_status()`` into plain frozen rows the bots pane, the
bot detail screen and ``tradeagent status`` all show. Nothing here does I/O.

How the figures are derived (also shown in the pane's help):

- **net PnL** = realized + unrealized PnL, summed over the bot's controllers that reported.
- **win rate** = closes by take profit or trailing stop ÷ closes by take profit, trailing stop or
  stop loss. Time-limit and early-stop closes are left out: the report counts them but does not
  say whether they made money. No such close yet: no win rate.
- **uptime** is read from the bot's name: the server names each bot ``<name>-YYYYMMDD-HHMMSS``
  (UTC) when it deploys it. A bot named otherwise has no uptime.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from tradeagent.hb import BotReport, BotStatus, ControllerReport, LogEntry, PerformanceReport

WINNING_CLOSES = frozenset({"TAKE_PROFIT", "TRAILING_STOP"})
LOSING_CLOSES = frozenset({"STOP_LOSS"})
WIN_RATE_RULE = (
    "win rate = take-profit and trailing-stop closes ÷ closes by take profit, trailing stop or "
    "stop loss (time-limit and early-stop closes are left out: the report does not say whether "
    "they made money)"
)
LIVE_STATES = frozenset({"running", "idle"})

_DEPLOY_STAMP = re.compile(r"-(\d{8}-\d{6})$")


@dataclass(frozen=True, slots=True)
class PositionView:
    """An open position of one controller. ``side`` is ``long`` or ``short``."""

    controller: str
    connector: str
    pair: str
    side: str
    amount: float
    breakeven: float
    unrealized: float
    realized: float
    fees: float
    volume: float


@dataclass(frozen=True, slots=True)
class ControllerView:
    """One controller of a bot. ``reporting`` is False when the bot sent an empty report (the
    controller or the bot has stopped), and then every figure is 0."""

    id: str
    status: str
    reporting: bool
    realized: float = 0.0
    unrealized: float = 0.0
    volume: float = 0.0
    close_types: tuple[tuple[str, int], ...] = ()
    report: PerformanceReport | None = field(default=None, repr=False, compare=False)

    @property
    def net(self) -> float:
        return self.realized + self.unrealized

    @property
    def positions(self) -> tuple[PositionView, ...]:
        """Built on demand: the pane only counts them, the detail screen lists them."""
        if self.report is None:
            return ()
        return tuple(
            PositionView(
                controller=self.id,
                connector=p.connector_name,
                pair=p.trading_pair,
                side="long" if p.is_long else "short",
                amount=p.amount,
                breakeven=p.breakeven_price,
                unrealized=p.unrealized_pnl_quote,
                realized=p.realized_pnl_quote,
                fees=p.cum_fees_quote,
                volume=p.volume_traded_quote,
            )
            for p in self.report.positions_summary
        )

    @property
    def pairs(self) -> tuple[str, ...]:
        if self.report is None:
            return ()
        return tuple(
            dict.fromkeys(p.trading_pair for p in self.report.positions_summary if p.trading_pair)
        )


@dataclass(frozen=True, slots=True)
class BotView:
    """One bot as the pane shows it. ``status`` is the effective status (a bot still sending
    heartbeats after a stop reads ``stopped``); ``problem`` explains an ``error`` row."""

    name: str
    status: str
    started_at: datetime | None
    controller_ids: tuple[str, ...] = ()
    realized: float = 0.0
    unrealized: float = 0.0
    volume: float = 0.0
    open_positions: int = 0
    close_types: tuple[tuple[str, int], ...] = ()
    problem: str = ""
    raw: BotReport | None = field(default=None, repr=False, compare=False)

    @property
    def net(self) -> float:
        return self.realized + self.unrealized

    @property
    def controllers(self) -> tuple[ControllerView, ...]:
        """Built on demand: the pane shows totals only, the detail screen each controller."""
        if self.raw is None:
            return ()
        return tuple(
            _controller(controller_id, self.raw.performance[controller_id])
            for controller_id in self.controller_ids
        )

    @property
    def positions(self) -> tuple[PositionView, ...]:
        return tuple(p for c in self.controllers for p in c.positions)

    @property
    def has_logs(self) -> bool:
        """False when the fleet was read without logs (``bots_reports``)."""
        return isinstance(self.raw, BotStatus)

    @property
    def general_logs(self) -> tuple[LogLine, ...]:
        """Built on demand (only the detail screen reads logs)."""
        return _logs(self.raw.general_logs) if isinstance(self.raw, BotStatus) else ()

    @property
    def error_logs(self) -> tuple[LogLine, ...]:
        return _logs(self.raw.error_logs) if isinstance(self.raw, BotStatus) else ()

    @property
    def wins(self) -> int:
        return sum(n for kind, n in self.close_types if kind in WINNING_CLOSES)

    @property
    def losses(self) -> int:
        return sum(n for kind, n in self.close_types if kind in LOSING_CLOSES)

    @property
    def win_rate(self) -> float | None:
        """See :data:`WIN_RATE_RULE`; None until a close decided it."""
        decided = self.wins + self.losses
        return self.wins / decided if decided else None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATES

    def uptime(self, now: datetime) -> timedelta | None:
        """Time since deploy while the bot runs (None when stopped or when the name does not
        carry a deploy time)."""
        if self.started_at is None or not self.is_live:
            return None
        return max(timedelta(0), now - self.started_at)

    def controller(self, controller_id: str) -> ControllerView | None:
        for controller in self.controllers:
            if controller.id == controller_id:
                return controller
        return None


@dataclass(frozen=True, slots=True)
class LogLine:
    """One log line of a bot; ``at`` is None when the bot sent no timestamp."""

    at: datetime | None
    level: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level.upper() in {"ERROR", "CRITICAL", "FATAL"}


@dataclass(frozen=True, slots=True)
class Fleet:
    """Every bot of one status reply, by name order, with totals."""

    bots: tuple[BotView, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(bot.name for bot in self.bots)

    def get(self, name: str) -> BotView | None:
        for bot in self.bots:
            if bot.name == name:
                return bot
        return None

    @property
    def running(self) -> int:
        return sum(1 for bot in self.bots if bot.status == "running")

    @property
    def net(self) -> float:
        return sum(bot.net for bot in self.bots)

    @property
    def realized(self) -> float:
        return sum(bot.realized for bot in self.bots)

    @property
    def unrealized(self) -> float:
        return sum(bot.unrealized for bot in self.bots)

    @property
    def volume(self) -> float:
        return sum(bot.volume for bot in self.bots)

    @property
    def open_positions(self) -> int:
        return sum(bot.open_positions for bot in self.bots)

    @property
    def in_error(self) -> int:
        return sum(1 for bot in self.bots if bot.status == "error")


def read_fleet(bots: Mapping[str, BotReport]) -> Fleet:
    """The fleet of one ``bots_status()`` reply, sorted by bot name."""
    return Fleet(tuple(read_bot(name, bots[name]) for name in sorted(bots)))


def read_bot(name: str, status: BotReport) -> BotView:
    """One bot's totals, in one pass over its controllers' reports (every refresh does this for
    every bot, so nothing else is built here)."""
    realized = unrealized = volume = 0.0
    positions = 0
    counts: dict[str, int] = {}
    for report in status.performance.values():
        performance = report.performance
        if performance is None:
            continue
        realized += performance.realized_pnl_quote
        unrealized += performance.unrealized_pnl_quote
        volume += performance.volume_traded
        positions += len(performance.positions_summary)
        for raw, count in performance.close_type_counts.items():
            kind = close_type_name(raw)
            counts[kind] = counts.get(kind, 0) + count
    return BotView(
        name=name,
        status=status.effective_status,
        started_at=deployed_at(name),
        controller_ids=tuple(sorted(status.performance)),
        realized=realized,
        unrealized=unrealized,
        volume=volume,
        open_positions=positions,
        close_types=by_count(counts),
        problem=status.error,
        raw=status,
    )


@lru_cache(maxsize=4096)
def deployed_at(name: str) -> datetime | None:
    """The deploy time the server wrote into the bot's name, if it did (cached: every refresh
    asks again for every bot)."""
    found = _DEPLOY_STAMP.search(name)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def by_count(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """Close types, most frequent first."""
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@lru_cache(maxsize=256)
def close_type_name(raw: str) -> str:
    """``CloseType.TAKE_PROFIT`` → ``TAKE_PROFIT`` (the bot sends the enum's text)."""
    return raw.rsplit(".", 1)[-1].upper()


def _controller(controller_id: str, report: ControllerReport) -> ControllerView:
    performance = report.performance
    if performance is None:
        return ControllerView(id=controller_id, status="stopped", reporting=False)
    counts: dict[str, int] = {}
    for raw, count in performance.close_type_counts.items():
        kind = close_type_name(raw)
        counts[kind] = counts.get(kind, 0) + count
    return ControllerView(
        id=controller_id,
        status=report.status or "running",
        reporting=True,
        realized=performance.realized_pnl_quote,
        unrealized=performance.unrealized_pnl_quote,
        volume=performance.volume_traded,
        close_types=by_count(counts),
        report=performance,
    )


def _logs(entries: Iterable[LogEntry]) -> tuple[LogLine, ...]:
    return tuple(
        LogLine(
            at=_when(entry.timestamp),
            level=entry.level_name,
            message=entry.msg,
        )
        for entry in entries
    )


def _when(timestamp: float | None) -> datetime | None:
    # Bots send unix seconds; anything else (ms, garbage) is better shown without a time.
    if timestamp is None or not 0 < timestamp < 1e11:
        return None
    return datetime.fromtimestamp(timestamp, UTC)
