"""Request bodies exactly as the real Hummingbot API declares them (names, types, defaults,
validators), so the simulator accepts and rejects the same requests."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator

SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def safe_name(name: str, label: str) -> str:
    if not name or not SAFE_NAME.fullmatch(name):
        raise ValueError(
            f"Invalid {label}: '{name}'. "
            "Only letters, numbers, underscores and hyphens are allowed."
        )
    return name


def safe_config_name(name: str, label: str) -> str:
    safe_name(name.removesuffix(".yml"), label)
    return name


class ControllerType(StrEnum):
    """Types of controllers available"""

    DIRECTIONAL_TRADING = "directional_trading"
    MARKET_MAKING = "market_making"
    GENERIC = "generic"


class BotAction(BaseModel):
    bot_name: str = Field(description="Name of the bot instance to act upon")


class StartBotAction(BotAction):
    """Action to start a bot"""

    log_level: str | None = Field(
        default=None, description="Logging level (DEBUG, INFO, WARNING, ERROR)"
    )
    script: str | None = Field(
        default=None, description="Script name to run (without .py extension)"
    )
    conf: str | None = Field(
        default=None, description="Configuration file name (without .yml extension)"
    )
    async_backend: bool = Field(default=False, description="Whether to run in async backend mode")


class StopBotAction(BotAction):
    """Action to stop a bot"""

    skip_order_cancellation: bool = Field(
        default=False, description="Whether to skip cancelling open orders when stopping"
    )
    async_backend: bool = Field(default=False, description="Whether to run in async backend mode")


class V2ControllerDeployment(BaseModel):
    """Configuration for deploying a bot with controllers"""

    instance_name: str = Field(description="Unique name for the bot instance")
    credentials_profile: str = Field(description="Name of the credentials profile to use")
    controllers_config: list[str] = Field(
        description="List of controller configuration files to use (without .yml extension)"
    )
    max_global_drawdown_quote: float | None = Field(
        default=None, description="Maximum allowed global drawdown in quote usually USDT"
    )
    max_controller_drawdown_quote: float | None = Field(
        default=None, description="Maximum allowed per-controller drawdown in quote usually USDT"
    )
    image: str = Field(
        default="hummingbot/hummingbot:latest",
        description="Docker image for the Hummingbot instance",
    )
    script_config: str | None = Field(
        default=None, description="Generated script configuration file name"
    )
    headless: bool = Field(default=False, description="Run in headless mode (no UI)")

    @field_validator("instance_name")
    @classmethod
    def _instance_name(cls, value: str) -> str:
        return safe_name(value, "instance_name")

    @field_validator("credentials_profile")
    @classmethod
    def _credentials_profile(cls, value: str) -> str:
        return safe_name(value, "credentials_profile")

    @field_validator("controllers_config")
    @classmethod
    def _controllers_config(cls, value: list[str]) -> list[str]:
        return [safe_config_name(name, "controllers_config") for name in value]

    @field_validator("script_config")
    @classmethod
    def _script_config(cls, value: str | None) -> str | None:
        return None if value is None else safe_config_name(value, "script_config")


class BacktestingConfig(BaseModel):
    start_time: int = 1735689600
    end_time: int = 1738368000
    backtesting_resolution: str = "1m"
    trade_cost: float = 0.0006
    config: dict[str, Any] | str


class CandlesConfigRequest(BaseModel):
    """The CandlesConfig class is a data class that stores the configuration of a Candle object.
    It has the following attributes:
    - connector: str
    - trading_pair: str
    - interval: str
    - max_records: int"""

    connector_name: str
    trading_pair: str
    interval: str = "1m"
    max_records: int = 500


class HistoricalCandlesConfig(BaseModel):
    connector_name: str
    trading_pair: str
    interval: str
    start_time: int
    end_time: int


class PriceRequest(BaseModel):
    """Request model for getting prices"""

    connector_name: str = Field(description="Name of the connector")
    trading_pairs: list[str] = Field(description="List of trading pairs to get prices for")


class PortfolioStateFilterRequest(BaseModel):
    """Request model for filtering portfolio state"""

    account_names: list[str] | None = Field(
        default=None, description="List of account names to filter by"
    )
    connector_names: list[str] | None = Field(
        default=None, description="List of connector names to filter by"
    )
    skip_gateway: bool = Field(
        default=False,
        description="Skip Gateway wallet balance updates for faster CEX-only queries",
    )
    refresh: bool = Field(
        default=False,
        description="If True, refresh balances from exchanges. If False, return cached state.",
    )


class PositionFilterRequest(BaseModel):
    """Request model for filtering positions"""

    limit: int = Field(default=100, ge=1, le=1000, description="Number of items per page")
    cursor: str | None = Field(default=None, description="Cursor for next page")
    account_names: list[str] | None = Field(
        default=None, description="List of account names to filter by"
    )
    connector_names: list[str] | None = Field(
        default=None, description="List of connector names to filter by"
    )
