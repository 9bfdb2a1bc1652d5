"""Bot status as ``GET /bot-orchestration/status`` reports it, with the rules to read it right."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from tradeagent.hb.wire import Wire

RUNNING = "running"
STOPPED = "stopped"


class LogEntry(Wire):
    """One line of a bot's general or error log."""

    level_name: str = "INFO"
    msg: str = ""
    timestamp: float | None = None
    logger_name: str = ""


class PositionSummary(Wire):
    """A position a controller holds. ``side`` arrives as enum text, e.g. ``TradeType.BUY``."""

    connector_name: str = ""
    trading_pair: str = ""
    side: str = ""
    amount: float = 0.0
    breakeven_price: float = 0.0
    unrealized_pnl_quote: float = 0.0
    realized_pnl_quote: float = 0.0
    cum_fees_quote: float = 0.0
    volume_traded_quote: float = 0.0

    @property
    def is_long(self) -> bool:
        return self.side.upper().endswith("BUY")


class PerformanceReport(Wire):
    """Hummingbot's per-controller PerformanceReport. ``*_pct`` are percentages, not fractions."""

    realized_pnl_quote: float = 0.0
    unrealized_pnl_quote: float = 0.0
    unrealized_pnl_pct: float = 0.0
    realized_pnl_pct: float = 0.0
    global_pnl_quote: float = 0.0
    global_pnl_pct: float = 0.0
    volume_traded: float = 0.0
    positions_summary: list[PositionSummary] = Field(default_factory=list)
    close_type_counts: dict[str, int] = Field(default_factory=dict)


class ControllerReport(Wire):
    """One controller inside a bot. An empty report (``{}``) means the controller stopped."""

    status: str = ""
    performance: PerformanceReport | None = None
    custom_info: dict[str, Any] = Field(default_factory=dict)

    @field_validator("performance", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == {} else value

    @property
    def is_empty(self) -> bool:
        """True when the bot sent no figures for this controller (it has stopped)."""
        return self.performance is None


class BotReport(Wire):
    """One bot without its logs (what a status poll needs: a reply with the last hundred log
    lines of every bot costs several times as much to read). Read ``effective_status``, not
    ``status``: see its docstring."""

    name: str = ""
    status: str = "unknown"
    performance: dict[str, ControllerReport] = Field(default_factory=dict)
    recently_active: bool = False
    source: str = ""
    error: str = ""

    @property
    def effective_status(self) -> str:
        """The server's status, except that "running" with every controller's report empty is
        "stopped": after stop-bot a real bot keeps its container and heartbeats alive and sends
        one last empty report per controller, and the server keeps calling it running."""
        if self.status == RUNNING and all(c.is_empty for c in self.performance.values()):
            return STOPPED
        return self.status

    @property
    def is_running(self) -> bool:
        return self.effective_status == RUNNING

    def _sum(self, field: str) -> float:
        total = 0.0
        for controller in self.performance.values():
            if controller.performance is not None:
                total += float(getattr(controller.performance, field))
        return total

    @property
    def realized_pnl_quote(self) -> float:
        return self._sum("realized_pnl_quote")

    @property
    def unrealized_pnl_quote(self) -> float:
        return self._sum("unrealized_pnl_quote")

    @property
    def global_pnl_quote(self) -> float:
        """Summed over controllers: what the bot made or lost so far, in quote."""
        return self._sum("global_pnl_quote")

    @property
    def volume_traded(self) -> float:
        return self._sum("volume_traded")


class BotStatus(BotReport):
    """One bot with its recent logs (newest last)."""

    error_logs: list[LogEntry] = Field(default_factory=list)
    general_logs: list[LogEntry] = Field(default_factory=list)
