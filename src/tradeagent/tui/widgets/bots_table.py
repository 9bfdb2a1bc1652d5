"""The rows of the bots table: cells of one bot, the sort orders, the filter.

Kept apart from the widget so the same cells can be built (and measured) without a screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import BotView, deployed_at
from tradeagent.desk.pnl_history import PnlHistory

SPARK_WIDTH = 8

# (key, label, width); width None grows to the content.
COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("bot", "bot", None),
    ("status", "status", 9),
    ("up", "up", 5),
    ("ctl", "ctl", 3),
    ("pnl", "PnL", 9),
    ("vol", "vol", 6),
    ("pos", "pos", 3),
    ("win", "win", 4),
    ("trend", "session", SPARK_WIDTH),
    ("closes", "closes", None),
)
COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)

STATUS_STYLES = {
    "running": "bold green",
    "idle": "yellow",
    "stopping": "yellow",
    "stopped": "dim",
    "error": "bold red",
    "not_found": "magenta",
}
_STATUS_RANK = {"error": 0, "not_found": 1, "idle": 2, "stopping": 3, "stopped": 4, "running": 5}

Cells = tuple[Text, ...]
_STAMP_EXAMPLE = "-20261124-090241"


def pnl_style(value: float) -> str:
    if fmt.signed(value).startswith("+"):
        return "green"
    if fmt.signed(value).startswith("-"):
        return "red"
    return ""


def short_names(names: list[str]) -> dict[str, str]:
    """Names as the table shows them: without the server's ``-YYYYMMDD-HHMMSS`` deploy suffix
    (the uptime column says it) unless two bots share the rest of the name."""
    bases = [deployed_base(name) for name in names]
    return {
        name: base if bases.count(base) == 1 else name
        for name, base in zip(names, bases, strict=True)
    }


def deployed_base(name: str) -> str:
    return name[: -len(_STAMP_EXAMPLE)] if deployed_at(name) is not None else name


def bot_cells(bot: BotView, shown_as: str, history: PnlHistory, now: datetime) -> Cells:
    """The cells of one bot, in :data:`COLUMNS` order."""
    trend = history.values(bot.name)
    trend_style = pnl_style(trend[-1] - trend[0]) if len(trend) > 1 else "dim"
    return (
        Text(shown_as),
        Text(fmt.status_label(bot.status), style=STATUS_STYLES.get(bot.status, "")),
        Text(fmt.duration(bot.uptime(now)), justify="right"),
        Text(str(len(bot.controllers)), justify="right"),
        Text(fmt.signed(bot.net), style=pnl_style(bot.net), justify="right"),
        Text(fmt.compact(bot.volume), justify="right"),
        Text(str(bot.open_positions), justify="right"),
        Text(fmt.percent(bot.win_rate), justify="right"),
        Text(fmt.sparkline(trend, SPARK_WIDTH), style=trend_style),
        Text(fmt.close_summary(bot.close_types)),
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
    haystack = [bot.name, fmt.status_label(bot.status), *(c.id for c in bot.controllers)]
    return any(needle in text.lower() for text in haystack)
