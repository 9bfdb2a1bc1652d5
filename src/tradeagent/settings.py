"""Settings: defaults < TOML config file < environment (TRADEAGENT_*, nested with __).

The config file lives in the platform config dir (``platformdirs``), or wherever ``--config PATH``
or ``TRADEAGENT_CONFIG`` points. ``ANTHROPIC_API_KEY`` is honoured when no key is configured.
Every error names the file or variable, the key and the fix: :class:`SettingsError`.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings import SettingsError as PydanticSettingsError

from tradeagent.strategy.risk import RiskPolicy

ENV_PREFIX = "TRADEAGENT_"
ENV_DELIMITER = "__"
CONFIG_ENV = "TRADEAGENT_CONFIG"
APP_NAME = "tradeagent"


class SettingsError(Exception):
    """A settings problem, explained in one paragraph a user can act on."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class HummingbotSettings(_Section):
    """Which Hummingbot API to drive. No url: the built-in simulator."""

    url: str | None = Field(
        default=None,
        description="Base URL of the Hummingbot API, e.g. http://127.0.0.1:8000. "
        "Leave unset to use the built-in simulator (SIM).",
    )
    username: str = Field(default="admin", description="HTTP Basic user (the API's USERNAME).")
    password: SecretStr = Field(
        default=SecretStr("admin"), description="HTTP Basic password (the API's PASSWORD)."
    )
    account: str = Field(
        default="master_account",
        description="Credentials profile (account) bots are deployed with.",
    )
    timeout_s: float = Field(default=10.0, gt=0, le=600, description="Timeout of quick reads.")
    long_timeout_s: float = Field(
        default=300.0, gt=0, le=3600, description="Timeout of backtests and candle downloads."
    )
    sim_speed: float = Field(
        default=1.0,
        gt=0,
        le=10_000,
        description="Simulator only: market minutes per wall-clock minute.",
    )
    sim_state_file: Path | None = Field(
        default=None,
        description="Simulator only: where it keeps its bots across restarts (one tradeagent "
        "at a time per file); default: sim-state.json in the data dir.",
    )
    sim_demo_bots: bool = Field(
        default=True,
        description="Simulator only: a fresh simulator starts with two demo bots trading.",
    )

    @field_validator("url")
    @classmethod
    def _url_scheme(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https:// (e.g. http://127.0.0.1:8000)")
        return value


class AiSettings(_Section):
    """The assistant: Claude when a key is set, the offline assistant otherwise."""

    model: str = Field(default="claude-sonnet-5-5", description="Claude model id.")
    max_tokens: int = Field(default=8000, ge=256, le=128_000, description="Max output tokens.")
    effort: Literal["low", "medium", "high", "xhigh", "max"] = Field(
        default="medium", description="Reasoning effort (output_config.effort)."
    )
    api_key: SecretStr | None = Field(
        default=None, description="Anthropic API key; ANTHROPIC_API_KEY is used when unset."
    )
    base_url: str | None = Field(
        default=None, description="Override the Messages API URL (proxies, local fakes)."
    )
    auto_backtest: bool = Field(
        default=True, description="Backtest every valid proposal as soon as it arrives."
    )
    max_repair_attempts: int = Field(
        default=3,
        ge=0,
        le=10,
        description="Invalid proposals sent back to Claude before giving up.",
    )


class UiSettings(_Section):
    """The terminal UI."""

    poll_interval_s: float = Field(
        default=2.0, ge=0.2, le=3600, description="Seconds between bot status refreshes."
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description='Binding id -> keys, e.g. {deploy = "ctrl+d", help = "f1,question_mark"}.',
    )
    theme: str = Field(default="textual-dark", description="Textual theme name.")


class PathsSettings(_Section):
    """Where tradeagent keeps its files."""

    data_dir: Path | None = Field(
        default=None,
        description="Journal, draft and simulator state; default: the platform data dir.",
    )
    cache_dir: Path | None = Field(
        default=None, description="Candle cache; default: the platform cache dir."
    )


class BacktestSettings(_Section):
    """Defaults of backtests: ctrl+b in the app (its options dialog starts from them) and
    `tradeagent backtest` (its options override them)."""

    days: float = Field(
        default=30.0, gt=0, le=3650, description="Backtest the last N days of candles."
    )
    mode: Literal["hummingbot", "realistic"] = Field(
        default="hummingbot",
        description="hummingbot: reproduce Hummingbot's backtester; realistic: its quirks fixed.",
    )
    source: str = Field(
        default="synthetic",
        pattern=r"^(synthetic|hyperliquid|hummingbot|file:.+)$",
        description="Candles: synthetic, file:PATH (CSV, gzip ok), hyperliquid or hummingbot.",
    )
    seed: int = Field(default=7, ge=0, description="Seed of the synthetic market.")
    trade_cost: float = Field(
        default=0.0006, ge=0, lt=0.1, description="Fee per fill, a fraction (0.0006 = 0.06 %)."
    )
    resolution: str = Field(
        default="1m",
        pattern=r"^[1-9]\d*[smhdw]$",
        description="Candle interval simulated, e.g. 1m, 5m, 1h.",
    )


class DeskSettings(_Section):
    """Deploy, stop and the post-deploy watch."""

    backtest_gate: Literal["auto", "required", "advisory", "off"] = Field(
        default="auto",
        description="Backtest of the exact config before deploy: auto = required in LIVE, "
        "advisory in SIM.",
    )
    confirm_word: str = Field(
        default="",
        max_length=64,
        description="Word to type to confirm a LIVE deploy or kill switch; empty = the "
        "trading pair (deploy) or STOP (kill switch).",
    )
    image: str = Field(
        default="hummingbot/hummingbot:latest",
        pattern=r"^[\w.-]+(:\d+)?/[\w./-]*hummingbot:[\w.-]+$",
        description="Bot image (<org>/hummingbot:<tag>, so the API finds its containers).",
    )
    global_drawdown_pct: Decimal = Field(
        default=Decimal("0.10"),
        ge=0,
        lt=1,
        description="Default bot drawdown cap as a fraction of the bot's capital; 0 = none.",
    )
    controller_drawdown_pct: Decimal = Field(
        default=Decimal("0.05"),
        ge=0,
        lt=1,
        description="Default per-controller drawdown cap, fraction of its capital; 0 = none.",
    )
    hyperliquid_info_url: str = Field(
        default="https://api.hyperliquid.xyz",
        pattern=r"^(https?://\S+)?$",
        description="LIVE deploys read Hyperliquid's current leverage limits here; '' = never "
        "(the built-in table decides).",
    )
    watch_s: float = Field(
        default=300.0, ge=0, le=86_400, description="How long to watch a bot after deploy."
    )
    watch_appear_s: float = Field(
        default=90.0, gt=0, le=3600, description="A new bot must report running within this."
    )
    watch_poll_s: float = Field(
        default=2.0, ge=0.2, le=600, description="Seconds between post-deploy status checks."
    )
    watch_idle_reports: int = Field(
        default=60,
        ge=1,
        le=100_000,
        description="Reports without orders or positions before 'not trading' is raised.",
    )
    stop_timeout_s: float = Field(
        default=30.0, gt=0, le=3600, description="How long a stop may take to show 'stopped'."
    )
    archive_timeout_s: float = Field(
        default=90.0, gt=0, le=3600, description="How long stop-and-archive may take."
    )
    kill_concurrency: int = Field(
        default=8, ge=1, le=64, description="Bots the kill switch stops at the same time."
    )


_config_file: ContextVar[Path | None] = ContextVar("tradeagent_config_file", default=None)


class Settings(BaseSettings):
    """All settings. Build them with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_DELIMITER,
        extra="forbid",
        validate_default=True,
    )

    hummingbot: HummingbotSettings = HummingbotSettings()
    ai: AiSettings = AiSettings()
    risk: RiskPolicy = RiskPolicy()
    ui: UiSettings = UiSettings()
    paths: PathsSettings = PathsSettings()
    backtest: BacktestSettings = BacktestSettings()
    desk: DeskSettings = DeskSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_file.get()
        if path is not None and path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    # Derived facts the rest of the program asks for.
    @property
    def mode(self) -> Literal["SIM", "LIVE"]:
        """SIM when driving the built-in simulator, LIVE when a real API url is set."""
        return "SIM" if self.hummingbot.url is None else "LIVE"

    @property
    def data_dir(self) -> Path:
        return self.paths.data_dir or platformdirs.user_data_path(APP_NAME)

    @property
    def cache_dir(self) -> Path:
        return self.paths.cache_dir or platformdirs.user_cache_path(APP_NAME)

    @property
    def anthropic_key(self) -> str | None:
        return self.ai.api_key.get_secret_value() if self.ai.api_key else None


def default_config_path() -> Path:
    """The config file used when neither --config nor TRADEAGENT_CONFIG is given."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


@dataclass(frozen=True)
class LoadedSettings:
    """Settings plus where they came from."""

    settings: Settings
    config_path: Path
    file_values: dict[str, Any]
    key_from_anthropic_env: bool

    def source_of(self, dotted: str) -> str:
        """Where the effective value of ``section.key`` came from."""
        section, _, key = dotted.partition(".")
        env_name = _env_name(section, key)
        if env_name in os.environ:
            return f"env {env_name}"
        if _env_name(section) in os.environ:
            return f"env {_env_name(section)}"
        if dotted == "ai.api_key" and self.key_from_anthropic_env:
            return "env ANTHROPIC_API_KEY"
        if key in self.file_values.get(section, {}):
            return f"file {self.config_path}"
        return "default"


def _env_name(section: str, key: str | None = None) -> str:
    name = ENV_PREFIX + section.upper()
    return name + ENV_DELIMITER + key.upper() if key else name


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    if not path.is_file():
        raise SettingsError(
            f"Config file {path} is not a regular file. Point --config (or {CONFIG_ENV}) "
            "at a TOML file, or run `tradeagent config init` to write one."
        )
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"Config file {path} is not valid TOML: {exc}. Fix that line (strings need quotes, "
            "sections look like [hummingbot]), or move the file away and run "
            "`tradeagent config init` for a fresh commented template."
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(
            f"Config file {path} cannot be read ({exc}). Check its permissions "
            f"(chmod 600 {path}) or point --config elsewhere."
        ) from exc


def _where(section: str, key: str, path: Path, file_values: dict[str, Any]) -> str:
    if key and _env_name(section, key) in os.environ:
        return f"environment variable {_env_name(section, key)}"
    if _env_name(section) in os.environ:
        return f"environment variable {_env_name(section)}"
    if section in file_values:
        return f"file {path}, [{section}]" + (f" {key}" if key else "")
    return "the defaults"


def _explain_one(detail: Any, path: Path, file_values: dict[str, Any]) -> str:
    loc = [str(part) for part in detail["loc"]]
    section = loc[0] if loc else ""
    key = loc[1] if len(loc) > 1 else ""
    dotted = ".".join(loc)
    where = _where(section, key, path, file_values)
    if detail["type"] == "extra_forbidden":
        known = _known_keys(section) if key else sorted(Settings.model_fields)
        return f"unknown setting '{dotted}' in {where}; valid keys there are {', '.join(known)}"
    shown = "(hidden)" if _is_secret(section, key) else repr(detail.get("input"))
    return f"'{dotted}' from {where} has a bad value {shown}: {detail['msg']}"


def _explain(error: ValidationError, path: Path, file_values: dict[str, Any]) -> SettingsError:
    problems = [_explain_one(detail, path, file_values) for detail in error.errors()]
    return SettingsError(
        "Settings problem: "
        + "; ".join(problems)
        + ". Fix the value where it is set (or remove it to get the default) and start again; "
        "`tradeagent config` shows every setting in effect and where it comes from."
    )


def _known_keys(section: str) -> list[str]:
    field = Settings.model_fields.get(section)
    model = field.annotation if field else None
    if isinstance(model, type) and issubclass(model, BaseModel):
        return sorted(model.model_fields)
    return sorted(Settings.model_fields)


def _is_secret(section: str, key: str) -> bool:
    field = Settings.model_fields.get(section)
    model = field.annotation if field else None
    if isinstance(model, type) and issubclass(model, BaseModel) and key in model.model_fields:
        return "SecretStr" in str(model.model_fields[key].annotation)
    return False


def load_settings(config_path: Path | None = None, **overrides: Any) -> LoadedSettings:
    """Load settings from defaults, the TOML file and the environment.

    Raises :class:`SettingsError` with a message naming the file or variable, the key and the fix.
    """
    path = (config_path or default_config_path()).expanduser()
    file_values = _read_toml(path)
    token = _config_file.set(path)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise _explain(exc, path, file_values) from None
    except PydanticSettingsError as exc:
        # An environment value that must be JSON (lists, maps) and is not.
        raise SettingsError(
            f"Settings problem: {exc}. Values of list and map settings in the environment are "
            'JSON, e.g. TRADEAGENT_UI__KEYMAP=\'{"deploy": "ctrl+d"}\'. Fix or unset the variable.'
        ) from None
    finally:
        _config_file.reset(token)
    from_anthropic = False
    anthropic_key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
    if settings.ai.api_key is None and anthropic_key:
        ai = settings.ai.model_copy(update={"api_key": SecretStr(anthropic_key)})
        settings = settings.model_copy(update={"ai": ai})
        from_anthropic = True
    return LoadedSettings(settings, path, file_values, from_anthropic)


def iter_effective(loaded: LoadedSettings) -> Iterator[tuple[str, str, str]]:
    """(dotted key, displayed value with secrets masked, source) for every setting."""
    settings = loaded.settings
    for section_name in Settings.model_fields:
        section = getattr(settings, section_name)
        for key in type(section).model_fields:
            value = getattr(section, key)
            yield (
                f"{section_name}.{key}",
                _display(value),
                loaded.source_of(f"{section_name}.{key}"),
            )


def _display(value: object) -> str:
    if isinstance(value, SecretStr):
        return "****" if value.get_secret_value() else "(empty)"
    if value is None:
        return "(unset)"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return repr(value) if value else "(none)"
    return str(value)


def file_is_private(path: Path) -> bool:
    """True when only the owner can read the file (mode 0600 or stricter)."""
    mode = path.stat().st_mode
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)


TEMPLATE = """\
# tradeagent configuration. Every key is optional; the value shown is the default.
# Environment variables override this file: TRADEAGENT_<SECTION>__<KEY>, e.g.
#   TRADEAGENT_HUMMINGBOT__URL=http://127.0.0.1:8000
# This file may hold passwords: keep it private (chmod 600).

[hummingbot]
# Base URL of your Hummingbot API. Leave commented out to use the built-in simulator (SIM).
# url = "http://127.0.0.1:8000"
# HTTP Basic credentials: USERNAME / PASSWORD from the API's .env.
# username = "admin"
# password = "admin"
# Credentials profile (account) bots are deployed with.
# account = "master_account"
# Timeouts in seconds: quick reads, and backtests / candle downloads.
# timeout_s = 10.0
# long_timeout_s = 300.0
# Simulator only: market minutes per wall-clock minute.
# sim_speed = 1.0
# The simulator keeps its bots in sim-state.json in the data dir; or choose the file:
# sim_state_file = "/path/to/sim-state.json"
# A fresh simulator starts with two demo bots (named demo-…) already trading.
# sim_demo_bots = true

[ai]
# Claude model and limits. Without a key the offline assistant answers.
# model = "claude-sonnet-5-5"
# max_tokens = 8000
# effort = "medium"          # low | medium | high | xhigh | max
# api_key = "sk-ant-..."      # or set ANTHROPIC_API_KEY
# auto_backtest = true        # backtest each valid proposal at once
# max_repair_attempts = 3

[risk]
# The risk policy every draft is checked against (and again at deploy).
# enabled = true
# allow_live_without_policy = false
# max_amount_per_controller = 1000
# max_amount_per_bot = 5000
# max_leverage = 5
# require_stop_loss = true
# max_stop_loss = 0.10
# require_drawdown_caps = true
# allowed_connectors = []     # e.g. ["hyperliquid_perpetual"]; empty = any
# allowed_pairs = []          # e.g. ["BTC-USD", "ETH-USD"]; empty = any
# min_order_notional = {}     # e.g. { binance = 5 }

[ui]
# poll_interval_s = 2.0
# theme = "textual-dark"
# Remap keys by binding id (F1 lists the ids), e.g.:
# keymap = { deploy = "ctrl+d", kill-switch = "f12" }

[paths]
# data_dir = "/path/for/journal"
# cache_dir = "/path/for/candles"

[backtest]
# Defaults of ctrl+b in the app and of `tradeagent backtest` (its options override them).
# days = 30
# mode = "hummingbot"        # hummingbot (reproduces Hummingbot) | realistic (quirks fixed)
# source = "synthetic"       # synthetic | file:PATH | hyperliquid | hummingbot
# seed = 7                   # synthetic market
# trade_cost = 0.0006        # fee per fill
# resolution = "1m"

[desk]
# Backtest gate: auto = required in LIVE, advisory in SIM; or required | advisory | off.
# backtest_gate = "auto"
# Word typed to confirm LIVE deploys and the kill switch; empty = the trading pair / STOP.
# confirm_word = ""
# image = "hummingbot/hummingbot:latest"
# Default drawdown caps as fractions of the capital (0 = none; LIVE requires caps).
# global_drawdown_pct = 0.10
# controller_drawdown_pct = 0.05
# LIVE deploys check Hyperliquid's current leverage limits here ("" = never).
# hyperliquid_info_url = "https://api.hyperliquid.xyz"
# Post-deploy watch: duration, time to first report, poll, reports before "not trading".
# watch_s = 300
# watch_appear_s = 90
# watch_poll_s = 2.0
# watch_idle_reports = 60
# Stop verification timeouts, and how many bots the kill switch stops at once.
# stop_timeout_s = 30
# archive_timeout_s = 90
# kill_concurrency = 8
"""


def write_template(path: Path, *, force: bool = False) -> Path:
    """Write the commented template with mode 0600. Refuses to overwrite unless ``force``."""
    path = path.expanduser()
    if path.exists() and not force:
        raise SettingsError(
            f"{path} already exists; not overwriting it. Edit it, or pass --force to replace it."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(TEMPLATE)
    os.chmod(path, 0o600)
    return path
