"""The rows of the bots table: cells of one bot, the sort orders, the filter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import BotView, deployed_at
from tradeagent.desk.pnl_history import PnlHistory
from tradeagent.tui.widgets.row_table import Cell, Column

SPARK_WIDTH = 8

COLUMNS: tuple[Column, ...] = (
    Column("bot", "bot"),
    Column("status", "status", 9),
    Column("up", "up", 5, right=True),
    Column("ctl", "ctl", 3, right=True),
    Column("pnl", "PnL", 9, right=True),
    Column("vol", "vol", 6, right=True),
    Column("pos", "pos", 3, right=True),
    Column("win", "win", 4, right=True),
    Column("trend", "session", SPARK_WIDTH),
    Column("closes", "closes", 14),
)

STATUS_STYLES = {
    "running": "bold green",
    "idle": "yellow",
    "stopping": "yellow",
    "stopped": "dim",
    "error": "bold red",
    "not_found": "magenta",
}
_STATUS_RANK = {"error": 0, "not_found": 1, "idle": 2, "stopping": 3, "stopped": 4, "running": 5}
_STAMP_EXAMPLE = "-20261124-090241"


def pnl_style(value: float) -> str:
    text = fmt.signed(value)
    return "green" if text.startswith("+") else "red" if text.startswith("-") else ""


def short_names(names: list[str]) -> dict[str, str]:
    """Names as the table shows them: without the server's ``-YYYYMMDD-HHMMSS`` deploy suffix
    (the uptime column says it) unless two bots share the rest of the name."""
    bases = [deployed_base(name) for name in names]
    counts: dict[str, int] = {}
    for base in bases:
        counts[base] = counts.get(base, 0) + 1
    return {
        name: base if counts[base] == 1 else name for name, base in zip(names, bases, strict=True)
    }


def deployed_base(name: str) -> str:
    return name[: -len(_STAMP_EXAMPLE)] if deployed_at(name) is not None else name


def bot_cells(bot: BotView, shown_as: str, history: PnlHistory, now: datetime) -> tuple[Cell, ...]:
    """The cells of one bot, in :data:`COLUMNS` order."""
    trend, change = history.sparkline(bot.name, SPARK_WIDTH)
    return (
        (shown_as, ""),
        (fmt.status_label(bot.status), STATUS_STYLES.get(bot.status, "")),
        (fmt.duration(bot.uptime(now)), ""),
        (str(len(bot.controller_ids)), ""),
        (fmt.signed(bot.net), pnl_style(bot.net)),
        (fmt.compact(bot.volume), ""),
        (str(bot.open_positions), ""),
        (fmt.percent(bot.win_rate), ""),
        (trend, pnl_style(change) or "dim"),
        (fmt.close_summary(bot.close_types), ""),
    )


@dataclass(frozen=True)
class SortOrder:
    label: str
    key: Callable[[BotView], Any]
    descending: bool


SORT_ORDERS: tuple[SortOrder, ...] = (
    SortOrder("name", lambda bot: bot.name, False),
    SortOrder("PnL", lambda bot: (bot.net, bot.name), True),
    SortOrder("volume", lambda bot: (bot.volume, bot.name), True),
    SortOrder("status", lambda bot: (_STATUS_RANK.get(bot.status, 0), bot.name), False),
    SortOrder(
        "uptime",
        lambda bot: (bot.started_at.timestamp() if bot.started_at else float("inf"), bot.name),
        False,
    ),
)


def ordered(bots: list[BotView], order: SortOrder, reverse: bool) -> list[BotView]:
    return sorted(bots, key=order.key, reverse=order.descending != reverse)


def matches(bot: BotView, needle: str) -> bool:
    """The filter: case-insensitive text in the name, status or a controller id."""
    if not needle:
        return True
    needle = needle.lower()
    haystack = [bot.name, fmt.status_label(bot.status), *bot.controller_ids]
    return any(needle in text.lower() for text in haystack)
