"""The fleet for scripts and terminals: a plain-text table and a JSON document
(``tradeagent status``). Same rows and words as the bots pane."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import WIN_RATE_RULE, BotView, Fleet

JSON_VERSION = 1
COLUMNS = ("bot", "status", "up", "ctl", "PnL", "vol", "pos", "win", "closes")
_RIGHT = frozenset({"up", "ctl", "PnL", "vol", "pos", "win"})


def totals_line(fleet: Fleet, *, running: bool = False) -> str:
    """``3 bots · PnL +4.94 (realized +5.99 · unrealized -1.05) · vol 36.0k · 3 open positions``
    (``running`` adds ``· 2 running`` after the bot count)."""
    bots = len(fleet.bots)
    parts = [
        f"{bots} bot{'s' if bots != 1 else ''}",
        *([f"{fleet.running} running"] if running else []),
        f"PnL {fmt.signed(fleet.net)} (realized {fmt.signed(fleet.realized)} · "
        f"unrealized {fmt.signed(fleet.unrealized)})",
        f"vol {fmt.compact(fleet.volume)}",
        f"{fleet.open_positions} position{'s' if fleet.open_positions != 1 else ''}",
    ]
    if fleet.in_error:
        parts.append(f"{fleet.in_error} in error")
    return " · ".join(parts)


def row_cells(bot: BotView, now: datetime) -> tuple[str, ...]:
    """The cells of one bot, in :data:`COLUMNS` order, as plain text."""
    return (
        bot.name,
        fmt.status_label(bot.status),
        fmt.duration(bot.uptime(now)),
        str(len(bot.controller_ids)),
        fmt.signed(bot.net),
        fmt.compact(bot.volume),
        str(bot.open_positions),
        fmt.percent(bot.win_rate),
        fmt.close_summary(bot.close_types),
    )


def fleet_table(fleet: Fleet, now: datetime) -> str:
    """Totals, then one aligned line per bot, then each error row's explanation."""
    lines = [totals_line(fleet, running=True)]
    if not fleet.bots:
        lines.append("No bots on this server. Deploy one from the TUI (ctrl+g) or the API.")
        return "\n".join(lines)
    rows = [COLUMNS, *(row_cells(bot, now) for bot in fleet.bots)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in rows:
        cells = [
            cell.rjust(width) if COLUMNS[i] in _RIGHT else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    for bot in fleet.bots:
        if bot.problem:
            lines.append(f"{bot.name}: {bot.problem}")
    return "\n".join(lines)


def fleet_json(fleet: Fleet, now: datetime, *, server: str, mode: str) -> dict[str, Any]:
    """Everything the table shows, unrounded, for scripts (``tradeagent status --json``)."""
    return {
        "version": JSON_VERSION,
        "at": now.isoformat(),
        "server": server,
        "mode": mode,
        "totals": {
            "bots": len(fleet.bots),
            "running": fleet.running,
            "net_pnl_quote": fleet.net,
            "realized_pnl_quote": fleet.realized,
            "unrealized_pnl_quote": fleet.unrealized,
            "volume_quote": fleet.volume,
            "open_positions": fleet.open_positions,
        },
        "win_rate_rule": WIN_RATE_RULE,
        "bots": [_bot_json(bot, now) for bot in fleet.bots],
    }


def _bot_json(bot: BotView, now: datetime) -> dict[str, Any]:
    uptime = bot.uptime(now)
    return {
        "name": bot.name,
        "status": bot.status,
        "problem": bot.problem or None,
        "deployed_at": bot.started_at.isoformat() if bot.started_at else None,
        "uptime_s": int(uptime.total_seconds()) if uptime is not None else None,
        "net_pnl_quote": bot.net,
        "realized_pnl_quote": bot.realized,
        "unrealized_pnl_quote": bot.unrealized,
        "volume_quote": bot.volume,
        "open_positions": bot.open_positions,
        "close_types": dict(bot.close_types),
        "win_rate": bot.win_rate,
        "controllers": [
            {
                "id": c.id,
                "status": c.status,
                "reporting": c.reporting,
                "net_pnl_quote": c.net,
                "realized_pnl_quote": c.realized,
                "unrealized_pnl_quote": c.unrealized,
                "volume_quote": c.volume,
                "close_types": dict(c.close_types),
                "positions": [
                    {
                        "connector": p.connector,
                        "pair": p.pair,
                        "side": p.side,
                        "amount": p.amount,
                        "breakeven_price": p.breakeven,
                        "unrealized_pnl_quote": p.unrealized,
                        "fees_quote": p.fees,
                    }
                    for p in c.positions
                ],
            }
            for c in bot.controllers
        ],
    }
