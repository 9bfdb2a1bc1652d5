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
"""

from tradeagent.hb.client import ControllerType, HummingbotClient, Portfolio
from tradeagent.hb.errors import (
    AuthFailed,
    BadResponse,
    ConnectionLost,
    FieldError,
    HummingbotError,
    InvalidRequest,
    NotApplied,
    NotFound,
    Outcome,
    OutcomeUnknown,
    Rejected,
    ServerError,
    TimedOut,
    UnconfirmedWrite,
    Unreachable,
)
from tradeagent.hb.models import (
    DEFAULT_BOT_IMAGE,
    Ack,
    BacktestExecutor,
    BacktestRequest,
    BacktestResult,
    BacktestSummary,
    BotRun,
    BotRunsPage,
    Candle,
    CandlesRequest,
    ConfigField,
    DeployRequest,
    DeployResult,
    HistoricalCandlesRequest,
    MqttStatus,
    Pagination,
    PnlPoint,
    PortfolioRequest,
    Position,
    PositionsPage,
    PositionsRequest,
    Prices,
    PricesRequest,
    ServerInfo,
    StartBotRequest,
    StopBotRequest,
    TokenBalance,
    TradingRule,
)
from tradeagent.hb.names import NAME_PATTERN, check_name
from tradeagent.hb.status import (
    BotReport,
    BotStatus,
    ControllerReport,
    LogEntry,
    PerformanceReport,
    PositionSummary,
)

__all__ = [
    "DEFAULT_BOT_IMAGE",
    "NAME_PATTERN",
    "Ack",
    "AuthFailed",
    "BacktestExecutor",
    "BacktestRequest",
    "BacktestResult",
    "BacktestSummary",
    "BadResponse",
    "BotReport",
    "BotRun",
    "BotRunsPage",
    "BotStatus",
    "Candle",
    "CandlesRequest",
    "ConfigField",
    "ConnectionLost",
    "ControllerReport",
    "ControllerType",
    "DeployRequest",
    "DeployResult",
    "FieldError",
    "HistoricalCandlesRequest",
    "HummingbotClient",
    "HummingbotError",
    "InvalidRequest",
    "LogEntry",
    "MqttStatus",
    "NotApplied",
    "NotFound",
    "Outcome",
    "OutcomeUnknown",
    "Pagination",
    "PerformanceReport",
    "PnlPoint",
    "Portfolio",
    "PortfolioRequest",
    "Position",
    "PositionSummary",
    "PositionsPage",
    "PositionsRequest",
    "Prices",
    "PricesRequest",
    "Rejected",
    "ServerError",
    "ServerInfo",
    "StartBotRequest",
    "StopBotRequest",
    "TimedOut",
    "TokenBalance",
    "TradingRule",
    "UnconfirmedWrite",
    "Unreachable",
    "check_name",
]
