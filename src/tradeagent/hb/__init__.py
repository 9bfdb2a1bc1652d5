"""The Hummingbot API client: one async httpx client per server, typed wire models, one error
hierarchy. Imports nothing else of tradeagent; callers pass plain values.

Typical use::

    async with HummingbotClient("http://127.0.0.1:8000", "admin", password) as hb:
        bots = await hb.bots_status()                      # one request for the whole fleet
        reports = await hb.bots_reports()                  # the same, skipping the logs
        for name, bot in bots.items():
            print(name, bot.effective_status, bot.global_pnl_quote)
        await hb.save_controller_config("btc_bb", config)  # id is set to the name
        result = await hb.deploy("btc_bb", ["btc_bb"], max_global_drawdown_quote=50)
        bot = result.unique_instance_name                  # "btc_bb-20261124-090241": use this
        await hb.stop_controller(bot, "btc_bb")            # one controller (kill switch)
        await hb.stop_and_archive_bot(bot)                 # orders cancelled, files archived

Reading status: use ``BotStatus.effective_status`` / ``is_running``, which treat "running with
every controller's report empty" as stopped (what a real bot looks like after stop-bot).

Errors: everything raised is a :class:`HummingbotError`; ``str(error)`` is a message for the
trader (what happened, what to do), ``status_code``/``server_text`` are for the log. The
password and sent credentials never appear in messages.

- :class:`Unreachable` (nothing reached the server) and its :class:`ConnectionLost` (the
  connection broke mid-request), :class:`TimedOut`, :class:`AuthFailed`, :class:`NotFound`,
  :class:`Rejected` (the server's words), :class:`InvalidRequest` (``fields``; also raised
  before sending for a bad name), :class:`ServerError`, :class:`BadResponse`.
- Writes are never retried. When one loses its reply, the client checks the server: if it took
  effect the method returns with ``recovered=True``; otherwise it raises :class:`NotApplied`
  ("no sign of it") or :class:`OutcomeUnknown` (both :class:`UnconfirmedWrite`).

Tests and the in-process simulator plug in through ``transport=`` (any
``httpx.AsyncBaseTransport``).

Names load on first use, so importing an error class or a status model does not import httpx
and the client (about 0.1 s at start-up).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradeagent.hb.client import ControllerType as ControllerType
    from tradeagent.hb.client import HummingbotClient as HummingbotClient
    from tradeagent.hb.client import Portfolio as Portfolio
    from tradeagent.hb.errors import AuthFailed as AuthFailed
    from tradeagent.hb.errors import BadResponse as BadResponse
    from tradeagent.hb.errors import ConnectionLost as ConnectionLost
    from tradeagent.hb.errors import FieldError as FieldError
    from tradeagent.hb.errors import HummingbotError as HummingbotError
    from tradeagent.hb.errors import InvalidRequest as InvalidRequest
    from tradeagent.hb.errors import NotApplied as NotApplied
    from tradeagent.hb.errors import NotFound as NotFound
    from tradeagent.hb.errors import Outcome as Outcome
    from tradeagent.hb.errors import OutcomeUnknown as OutcomeUnknown
    from tradeagent.hb.errors import Rejected as Rejected
    from tradeagent.hb.errors import ServerError as ServerError
    from tradeagent.hb.errors import TimedOut as TimedOut
    from tradeagent.hb.errors import UnconfirmedWrite as UnconfirmedWrite
    from tradeagent.hb.errors import Unreachable as Unreachable
    from tradeagent.hb.models import DEFAULT_BOT_IMAGE as DEFAULT_BOT_IMAGE
    from tradeagent.hb.models import Ack as Ack
    from tradeagent.hb.models import BacktestExecutor as BacktestExecutor
    from tradeagent.hb.models import BacktestRequest as BacktestRequest
    from tradeagent.hb.models import BacktestResult as BacktestResult
    from tradeagent.hb.models import BacktestSummary as BacktestSummary
    from tradeagent.hb.models import BotRun as BotRun
    from tradeagent.hb.models import BotRunsPage as BotRunsPage
    from tradeagent.hb.models import Candle as Candle
    from tradeagent.hb.models import CandlesRequest as CandlesRequest
    from tradeagent.hb.models import ConfigField as ConfigField
    from tradeagent.hb.models import DeployRequest as DeployRequest
    from tradeagent.hb.models import DeployResult as DeployResult
    from tradeagent.hb.models import HistoricalCandlesRequest as HistoricalCandlesRequest
    from tradeagent.hb.models import MqttStatus as MqttStatus
    from tradeagent.hb.models import Pagination as Pagination
    from tradeagent.hb.models import PnlPoint as PnlPoint
    from tradeagent.hb.models import PortfolioRequest as PortfolioRequest
    from tradeagent.hb.models import Position as Position
    from tradeagent.hb.models import PositionsPage as PositionsPage
    from tradeagent.hb.models import PositionsRequest as PositionsRequest
    from tradeagent.hb.models import Prices as Prices
    from tradeagent.hb.models import PricesRequest as PricesRequest
    from tradeagent.hb.models import ServerInfo as ServerInfo
    from tradeagent.hb.models import StartBotRequest as StartBotRequest
    from tradeagent.hb.models import StopBotRequest as StopBotRequest
    from tradeagent.hb.models import TokenBalance as TokenBalance
    from tradeagent.hb.models import TradingRule as TradingRule
    from tradeagent.hb.names import NAME_PATTERN as NAME_PATTERN
    from tradeagent.hb.names import check_name as check_name
    from tradeagent.hb.status import BotReport as BotReport
    from tradeagent.hb.status import BotStatus as BotStatus
    from tradeagent.hb.status import ControllerReport as ControllerReport
    from tradeagent.hb.status import LogEntry as LogEntry
    from tradeagent.hb.status import PerformanceReport as PerformanceReport
    from tradeagent.hb.status import PositionSummary as PositionSummary

_WHERE: dict[str, str] = {
    "Ack": "tradeagent.hb.models",
    "AuthFailed": "tradeagent.hb.errors",
    "BacktestExecutor": "tradeagent.hb.models",
    "BacktestRequest": "tradeagent.hb.models",
    "BacktestResult": "tradeagent.hb.models",
    "BacktestSummary": "tradeagent.hb.models",
    "BadResponse": "tradeagent.hb.errors",
    "BotReport": "tradeagent.hb.status",
    "BotRun": "tradeagent.hb.models",
    "BotRunsPage": "tradeagent.hb.models",
    "BotStatus": "tradeagent.hb.status",
    "Candle": "tradeagent.hb.models",
    "CandlesRequest": "tradeagent.hb.models",
    "ConfigField": "tradeagent.hb.models",
    "ConnectionLost": "tradeagent.hb.errors",
    "ControllerReport": "tradeagent.hb.status",
    "ControllerType": "tradeagent.hb.client",
    "DEFAULT_BOT_IMAGE": "tradeagent.hb.models",
    "DeployRequest": "tradeagent.hb.models",
    "DeployResult": "tradeagent.hb.models",
    "FieldError": "tradeagent.hb.errors",
    "HistoricalCandlesRequest": "tradeagent.hb.models",
    "HummingbotClient": "tradeagent.hb.client",
    "HummingbotError": "tradeagent.hb.errors",
    "InvalidRequest": "tradeagent.hb.errors",
    "LogEntry": "tradeagent.hb.status",
    "MqttStatus": "tradeagent.hb.models",
    "NAME_PATTERN": "tradeagent.hb.names",
    "NotApplied": "tradeagent.hb.errors",
    "NotFound": "tradeagent.hb.errors",
    "Outcome": "tradeagent.hb.errors",
    "OutcomeUnknown": "tradeagent.hb.errors",
    "Pagination": "tradeagent.hb.models",
    "PerformanceReport": "tradeagent.hb.status",
    "PnlPoint": "tradeagent.hb.models",
    "Portfolio": "tradeagent.hb.client",
    "PortfolioRequest": "tradeagent.hb.models",
    "Position": "tradeagent.hb.models",
    "PositionSummary": "tradeagent.hb.status",
    "PositionsPage": "tradeagent.hb.models",
    "PositionsRequest": "tradeagent.hb.models",
    "Prices": "tradeagent.hb.models",
    "PricesRequest": "tradeagent.hb.models",
    "Rejected": "tradeagent.hb.errors",
    "ServerError": "tradeagent.hb.errors",
    "ServerInfo": "tradeagent.hb.models",
    "StartBotRequest": "tradeagent.hb.models",
    "StopBotRequest": "tradeagent.hb.models",
    "TimedOut": "tradeagent.hb.errors",
    "TokenBalance": "tradeagent.hb.models",
    "TradingRule": "tradeagent.hb.models",
    "UnconfirmedWrite": "tradeagent.hb.errors",
    "Unreachable": "tradeagent.hb.errors",
    "check_name": "tradeagent.hb.names",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
