"""Request bodies and replies of the Hummingbot API routes tradeagent uses (besides status)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from tradeagent.hb.wire import UtcDatetime, Wire

DEFAULT_BOT_IMAGE = "hummingbot/hummingbot:latest"


class ServerInfo(Wire):
    """``GET /``: who answers. The real server says ``{"name": "Hummingbot API", ...}``."""

    name: str = ""
    version: str = ""
    status: str = ""


class MqttStatus(Wire):
    """``GET /bot-orchestration/mqtt``: is the API connected to the broker bots report through?"""

    mqtt_connected: bool = False
    discovered_bots: list[str] = Field(default_factory=list)
    active_bots: list[str] = Field(default_factory=list)
    broker_host: str = ""
    broker_port: int | None = None
    broker_username: str = ""
    client_state: str = ""


class Ack(Wire):
    """The reply to a write. ``recovered`` is True when the reply was lost (timeout, dropped
    connection) and a check of the server's state showed the write took effect anyway."""

    message: str = ""
    recovered: bool = False


# -- deploy, stop, start --------------------------------------------------------------------


class DeployRequest(Wire):
    """Body of ``POST /bot-orchestration/deploy-v2-controllers``."""

    instance_name: str
    credentials_profile: str
    controllers_config: list[str]
    max_global_drawdown_quote: float | None = None
    max_controller_drawdown_quote: float | None = None
    image: str = DEFAULT_BOT_IMAGE
    headless: bool = False


class DeployResult(Wire):
    """The deploy reply. ``unique_instance_name`` (name + ``-YYYYMMDD-HHMMSS``) is the bot's real
    name: use it for every later call."""

    unique_instance_name: str
    message: str = ""
    script_config_generated: str = ""
    controllers_deployed: list[str] = Field(default_factory=list)
    recovered: bool = False


class StopBotRequest(Wire):
    """Body of ``POST /bot-orchestration/stop-bot``."""

    bot_name: str
    skip_order_cancellation: bool = False
    async_backend: bool = False


class StartBotRequest(Wire):
    """Body of ``POST /bot-orchestration/start-bot``."""

    bot_name: str
    log_level: str | None = None
    script: str | None = None
    conf: str | None = None
    async_backend: bool = False


class BotRun(Wire):
    """A row of ``GET /bot-orchestration/bot-runs``: one deployment of one bot."""

    id: int
    bot_name: str
    instance_name: str = ""
    deployed_at: UtcDatetime | None = None
    stopped_at: UtcDatetime | None = None
    strategy_type: str = ""
    strategy_name: str = ""
    config_name: str = ""
    account_name: str = ""
    image_version: str = ""
    deployment_status: str = ""
    run_status: str = ""
    deployment_config: dict[str, Any] = Field(default_factory=dict)
    final_status: dict[str, Any] = Field(default_factory=dict)
    error_message: str = ""


class BotRunsPage(Wire):
    data: list[BotRun] = Field(default_factory=list)
    total: int = 0
    limit: int = 0
    offset: int = 0


# -- connectors and accounts ----------------------------------------------------------------


class ConfigField(Wire):
    """One key of a connector's credentials form (``GET /connectors/{c}/config-map``)."""

    type: str = ""
    required: bool = False
    allowed_values: list[Any] | None = None

    @property
    def is_secret(self) -> bool:
        return self.type == "SecretStr"


class TradingRule(Wire):
    """Exchange limits for one pair (``GET /connectors/{c}/trading-rules``)."""

    min_order_size: float = 0.0
    max_order_size: float | None = None
    min_price_increment: float = 0.0
    min_base_amount_increment: float = 0.0
    min_quote_amount_increment: float | None = None
    min_notional_size: float = 0.0
    max_price_significant_digits: float | None = None
    supports_limit_orders: bool = True
    supports_market_orders: bool = True


# -- market data ----------------------------------------------------------------------------


class CandlesRequest(Wire):
    """Body of ``POST /market-data/candles`` (the live feed's latest candles)."""

    connector_name: str
    trading_pair: str
    interval: str = "1m"
    max_records: int = 500


class HistoricalCandlesRequest(Wire):
    """Body of ``POST /market-data/historical-candles``; times are unix seconds."""

    connector_name: str
    trading_pair: str
    interval: str
    start_time: int
    end_time: int


class Candle(Wire):
    timestamp: float
    open: float
    high: float
    low: float
    close: float
    volume: float = 0.0
    quote_asset_volume: float = 0.0
    n_trades: float = 0.0
    taker_buy_base_volume: float = 0.0
    taker_buy_quote_volume: float = 0.0


class PricesRequest(Wire):
    connector_name: str
    trading_pairs: list[str]


class Prices(Wire):
    connector: str = ""
    prices: dict[str, float] = Field(default_factory=dict)
    timestamp: float | None = None


# -- portfolio ------------------------------------------------------------------------------


class PortfolioRequest(Wire):
    """Body of ``POST /portfolio/state``; ``None`` filters mean every account/connector."""

    account_names: list[str] | None = None
    connector_names: list[str] | None = None
    skip_gateway: bool = False
    refresh: bool = False


class TokenBalance(Wire):
    token: str
    units: float = 0.0
    price: float = 0.0
    value: float = 0.0
    available_units: float = 0.0


class PositionsRequest(Wire):
    """Body of ``POST /trading/positions``."""

    account_names: list[str] | None = None
    connector_names: list[str] | None = None
    limit: int = 100
    cursor: str | None = None


class Position(Wire):
    account_name: str = ""
    connector_name: str = ""
    trading_pair: str = ""
    side: str = ""
    amount: float = 0.0
    entry_price: float = 0.0
    unrealized_pnl: float = 0.0
    leverage: float | None = None


class Pagination(Wire):
    limit: int = 0
    has_more: bool = False
    next_cursor: str | None = None
    total_count: int | None = None


class PositionsPage(Wire):
    data: list[Position] = Field(default_factory=list)
    pagination: Pagination = Field(default_factory=Pagination)


# -- backtesting ----------------------------------------------------------------------------


class BacktestRequest(Wire):
    """Body of ``POST /backtesting/run``. ``config`` is a controller config, or a saved config's
    file name (``"bb_btc_hl.yml"``). Times are unix seconds; ``trade_cost`` a fee fraction."""

    config: dict[str, Any] | str
    start_time: int
    end_time: int
    backtesting_resolution: str = "1m"
    trade_cost: float = 0.0006


class BacktestSummary(Wire):
    """``results`` of a backtest. ``net_pnl``, ``accuracy*``, ``max_drawdown_pct`` are fractions."""

    net_pnl: float = 0.0
    net_pnl_quote: float = 0.0
    total_executors: int = 0
    total_executors_with_position: int = 0
    total_volume: float = 0.0
    total_long: int = 0
    total_short: int = 0
    close_types: dict[str, int] = Field(default_factory=dict)
    accuracy_long: float = 0.0
    accuracy_short: float = 0.0
    total_positions: int = 0
    accuracy: float = 0.0
    max_drawdown_usd: float = 0.0
    max_drawdown_pct: float = 0.0
    sharpe_ratio: float = 0.0
    profit_factor: float = 0.0
    win_signals: int = 0
    loss_signals: int = 0
    unrealized_pnl_quote: float = 0.0
    position_realized_pnl_quote: float = 0.0
    total_fees_quote: float = 0.0

    @field_validator("close_types", mode="before")
    @classmethod
    def _zero_is_empty(cls, value: Any) -> Any:
        # The server sends the integer 0 instead of {} when there were no executors.
        return {} if value == 0 else value


class BacktestExecutor(Wire):
    """One executor of a backtest. Enums are their integer values (side 1 BUY / 2 SELL;
    status 4 TERMINATED; close_type 1 TIME_LIMIT, 2 STOP_LOSS, 3 TAKE_PROFIT, …)."""

    id: str = ""
    timestamp: float = 0.0
    type: str = ""
    status: int = 0
    close_timestamp: float | None = None
    close_type: int | None = None
    side: int | None = None
    net_pnl_pct: float = 0.0
    net_pnl_quote: float = 0.0
    cum_fees_quote: float = 0.0
    filled_amount_quote: float = 0.0
    is_active: bool = False
    is_trading: bool = False
    controller_id: str = ""
    config: dict[str, Any] = Field(default_factory=dict)
    custom_info: dict[str, Any] = Field(default_factory=dict)


class PnlPoint(Wire):
    timestamp: float
    executor_realized_pnl: float = 0.0
    position_realized_pnl: float = 0.0
    position_unrealized_pnl: float = 0.0
    total_pnl: float = 0.0
    active_executors: int = 0
    cumulative_volume: float = 0.0


class BacktestResult(Wire):
    """A backtest's result. The server's ``processed_data`` (the controller's feature table,
    megabytes per day of candles) is deliberately not kept."""

    results: BacktestSummary = Field(default_factory=BacktestSummary)
    executors: list[BacktestExecutor] = Field(default_factory=list)
    position_holds: list[dict[str, Any]] = Field(default_factory=list)
    pnl_timeseries: list[PnlPoint] = Field(default_factory=list)
