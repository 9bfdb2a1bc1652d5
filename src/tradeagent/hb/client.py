"""The typed async client of one Hummingbot API (routes of hummingbot-api 1.0)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self, TypeVar, cast

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from tradeagent.hb.errors import (
    ConnectionLost,
    HummingbotError,
    InvalidRequest,
    NotApplied,
    NotFound,
    OutcomeUnknown,
    Rejected,
    TimedOut,
)
from tradeagent.hb.http import Call, Http, Limits, MiB, QueryParams
from tradeagent.hb.models import (
    DEFAULT_BOT_IMAGE,
    Ack,
    BacktestRequest,
    BacktestResult,
    BotRunsPage,
    Candle,
    CandlesRequest,
    ConfigField,
    DeployRequest,
    DeployResult,
    HistoricalCandlesRequest,
    MqttStatus,
    PortfolioRequest,
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
from tradeagent.hb.names import check_config_name, check_name
from tradeagent.hb.status import BotReport, BotStatus
from tradeagent.hb.wire import Wire, drop_nulls

T = TypeVar("T")
B = TypeVar("B", bound=BotReport)
M = TypeVar("M", bound=BaseModel)
ControllerType = Literal["directional_trading", "market_making", "generic"]
Portfolio = dict[str, dict[str, list[TokenBalance]]]

_BOTS: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])
_STRINGS: TypeAdapter[list[str]] = TypeAdapter(list[str])
_CONFIGS: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(list[dict[str, Any]])
_CONFIG: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])
_TYPES: TypeAdapter[dict[str, list[str]]] = TypeAdapter(dict[str, list[str]])
_CONFIG_MAP: TypeAdapter[dict[str, ConfigField]] = TypeAdapter(dict[str, ConfigField])
_CANDLES: TypeAdapter[list[Candle]] = TypeAdapter(list[Candle])
_PORTFOLIO: TypeAdapter[Portfolio] = TypeAdapter(Portfolio)

_REFRESH = "Refresh the bots list."
_DEPLOY_HINT = "Fix what it says, then deploy again."
_ARCHIVED = "It may have been stopped and archived; refresh the bots list."


class _StatusReply(Wire):
    status: Literal["success"]
    data: dict[str, BotStatus]


class _ReportsReply(Wire):
    status: Literal["success"]
    data: dict[str, BotReport]


@dataclass(frozen=True)
class _Check:
    """How to find out, after a write lost its reply, whether it took effect.

    ``probe`` returns True (it did), False (no sign of it) or None (cannot tell).
    """

    probe: Callable[[], Awaitable[bool | None]]
    if_not_seen: str
    if_unclear: str


class HummingbotClient:
    """One Hummingbot API: pooled connection, Basic auth, typed calls, one error hierarchy.

    Every method raises a :class:`~tradeagent.hb.errors.HummingbotError` subclass whose message
    a trader can act on. Reads are retried (with backoff and jitter) on transport failures and
    502/503/504; writes never are: when a write loses its reply, the client checks the server
    and returns normally with ``recovered=True`` if it took effect, else raises
    :class:`~tradeagent.hb.errors.NotApplied` or :class:`~tradeagent.hb.errors.OutcomeUnknown`.

    ``transport`` plugs in anything httpx can talk to (a test's ``MockTransport``, the
    in-process simulator's ASGI transport); ``label`` names the server in messages.
    """

    def __init__(
        self,
        base_url: str,
        username: str = "admin",
        password: str = "admin",
        *,
        timeout: float = 10.0,
        long_timeout: float = 300.0,
        transport: httpx.AsyncBaseTransport | None = None,
        label: str | None = None,
        retries: int = 2,
        backoff: float = 0.25,
        max_bytes: int = 32 * MiB,
        long_max_bytes: int = 512 * MiB,
    ) -> None:
        limits = Limits(
            timeout=timeout,
            long_timeout=long_timeout,
            max_bytes=max_bytes,
            long_max_bytes=long_max_bytes,
            retries=retries,
            backoff=backoff,
        )
        self._http = Http(
            base_url, username, password, limits=limits, transport=transport, label=label
        )

    @property
    def url(self) -> str:
        """The server's base URL (never with credentials in it)."""
        return self._http.url

    @property
    def label(self) -> str:
        """How messages name the server, e.g. "Hummingbot API at http://127.0.0.1:8000"."""
        return self._http.label

    @property
    def bytes_received(self) -> int:
        """Bytes read from the server so far, as sent on the wire."""
        return self._http.bytes_received

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- health ---------------------------------------------------------------------------

    async def root(self) -> ServerInfo:
        """``GET /`` (no auth needed): the server's name and version."""
        call = Call("GET", "/", "server info")
        return self._model(call, ServerInfo, await self._http.call(call))

    async def docker_running(self) -> bool:
        """Can the API reach its Docker engine (needed to start bots)?"""
        call = Call("GET", "/docker/running", "Docker check")
        body = await self._http.call(call)
        if not isinstance(body, bool):
            raise self._http.unreadable(call, f"expected true or false, got {body!r:.60}")
        return body

    async def mqtt_status(self) -> MqttStatus:
        """Is the API connected to the MQTT broker bots report through?"""
        call = Call("GET", "/bot-orchestration/mqtt", "MQTT check")
        return self._model(call, MqttStatus, self._data(call, await self._http.call(call)))

    # -- bots -----------------------------------------------------------------------------

    async def bots_status(
        self, *, retry: bool = True, timeout_s: float | None = None
    ) -> dict[str, BotStatus]:
        """Every active bot, by name: one request whatever the bot count.

        One unreadable bot does not hide the others: it comes back with status "error".
        A poller that is its own retry loop passes ``retry=False`` (exactly one request per
        call) and a ``timeout`` shorter than the client's.
        """
        return await self._fleet(_StatusReply, BotStatus, retry=retry, timeout_s=timeout_s)

    async def bots_reports(
        self, *, retry: bool = True, timeout_s: float | None = None
    ) -> dict[str, BotReport]:
        """:meth:`bots_status` without reading the logs (the same request; the log lines in
        the reply are skipped, which makes a large fleet several times cheaper to read)."""
        return await self._fleet(_ReportsReply, BotReport, retry=retry, timeout_s=timeout_s)

    async def _fleet(
        self,
        reply: type[_StatusReply] | type[_ReportsReply],
        model: type[B],
        *,
        retry: bool,
        timeout_s: float | None,
    ) -> dict[str, B]:
        call = Call(
            "GET", "/bot-orchestration/status", "bots status", read=retry, timeout=timeout_s
        )
        raw = await self._http.fetch(call)
        try:
            # The reply model's bots are ``model``s: the two are passed as a pair.
            bots = cast("dict[str, B]", reply.model_validate_json(raw).data)
        except ValidationError:
            bots = self._tolerant_bots(call, self._http.decode(call, raw), model)
        for name, bot in bots.items():
            bot.name = name
        return bots

    async def bot_status(self, bot: str) -> BotStatus:
        """One bot's status; :class:`NotFound` when the server does not know it."""
        check_name(bot, "Bot name", "bot_name")
        call = Call("GET", f"/bot-orchestration/{bot}/status", f"status of bot '{bot}'")
        data = self._data(call, await self._http.call(call))
        status = self._model(call, BotStatus, data)
        if status.status == "not_found":
            raise NotFound(f"Bot '{bot}' is not running on {self.label}. {_ARCHIVED}")
        status.name = bot
        return status

    async def deploy(
        self,
        instance_name: str,
        controllers: Sequence[str],
        *,
        account: str = "master_account",
        max_global_drawdown_quote: float | None = None,
        max_controller_drawdown_quote: float | None = None,
        image: str = DEFAULT_BOT_IMAGE,
        headless: bool = True,
    ) -> DeployResult:
        """Start a bot running the saved controller configs ``controllers``.

        The server appends ``-YYYYMMDD-HHMMSS`` to ``instance_name``: use the returned
        ``unique_instance_name`` from then on. ``headless`` defaults to True because nobody
        attaches to the bot's own terminal UI when it is driven through the API.

        The bots list is read once before sending, so that if the reply is lost the new bot
        can be told apart from earlier ones of the same name.
        """
        check_name(instance_name, "Bot name", "instance_name")
        check_name(account, "Account name", "credentials_profile")
        if not controllers:
            raise InvalidRequest("A deploy needs at least one saved controller config.")
        for name in controllers:
            check_config_name(name, "Controller config name", "controllers_config")
        for cap in (max_global_drawdown_quote, max_controller_drawdown_quote):
            if cap is not None and cap <= 0:
                raise InvalidRequest(f"Drawdown caps must be positive amounts (got {cap:g}).")
        body = DeployRequest(
            instance_name=instance_name,
            credentials_profile=account,
            controllers_config=list(controllers),
            max_global_drawdown_quote=max_global_drawdown_quote,
            max_controller_drawdown_quote=max_controller_drawdown_quote,
            image=image,
            headless=headless,
        )
        action = f"deploy of '{instance_name}'"
        call = Call(
            "POST",
            "/bot-orchestration/deploy-v2-controllers",
            action,
            body=body.model_dump(mode="json"),
            read=False,
            hint=_DEPLOY_HINT,
        )
        before = await self._names_like(instance_name)
        try:
            reply = await self._http.call(call)
        except (TimedOut, ConnectionLost) as exc:
            return await self._recover_deploy(call, exc, instance_name, before)
        except HummingbotError as exc:
            raise _explain_deploy_failure(exc, account) from exc
        return self._model(call, DeployResult, reply)

    async def stop_bot(self, bot: str, *, skip_order_cancellation: bool = False) -> Ack:
        """Stop the bot's strategy (open orders cancelled unless skipped). The container keeps
        running; the server answers as soon as the command is sent, so poll status to see it
        reach "stopped"."""
        check_name(bot, "Bot name", "bot_name")
        body = StopBotRequest(bot_name=bot, skip_order_cancellation=skip_order_cancellation)
        call = Call(
            "POST",
            "/bot-orchestration/stop-bot",
            f"stop of bot '{bot}'",
            body=body.model_dump(mode="json"),
            read=False,
            hint=_REFRESH,
        )

        async def stopped() -> bool | None:
            return True if not (await self.bot_status(bot)).is_running else None

        check = _Check(
            stopped,
            "",
            "It still shows running, and may simply be stopping. Refresh in a few seconds and "
            "stop it again if it keeps running.",
        )
        return await self._ack(call, check)

    async def stop_and_archive_bot(
        self,
        bot: str,
        *,
        skip_order_cancellation: bool = False,
        archive_locally: bool = True,
        s3_bucket: str | None = None,
    ) -> Ack:
        """Stop the bot, stop and remove its container, and archive its files (20-30 s in the
        background). Open orders are cancelled unless told otherwise: this route's own default
        is to skip that, so the flag is always sent."""
        check_name(bot, "Bot name", "bot_name")
        params: dict[str, Any] = {
            "skip_order_cancellation": _flag(skip_order_cancellation),
            "archive_locally": _flag(archive_locally),
        }
        if s3_bucket:
            params["s3_bucket"] = s3_bucket
        call = Call(
            "POST",
            f"/bot-orchestration/stop-and-archive-bot/{bot}",
            f"stop and archive of bot '{bot}'",
            params=params,
            read=False,
            hint=_REFRESH,
        )

        async def gone() -> bool:
            return bot not in await self.bots_status()

        check = _Check(
            gone,
            "The bot is still in the active list. Refresh, then stop and archive it again.",
            "Refresh the bots list before trying again.",
        )
        return await self._ack(call, check)

    async def start_bot(self, bot: str, *, log_level: str | None = None) -> Ack:
        """Restart a stopped strategy inside a bot whose container still runs."""
        check_name(bot, "Bot name", "bot_name")
        body = StartBotRequest(bot_name=bot, log_level=log_level)
        call = Call(
            "POST",
            "/bot-orchestration/start-bot",
            f"start of bot '{bot}'",
            body=body.model_dump(mode="json"),
            read=False,
            hint=_REFRESH,
        )

        async def running() -> bool | None:
            return True if (await self.bot_status(bot)).is_running else None

        check = _Check(
            running,
            "",
            "It does not show running yet and may still be starting. Refresh in a few seconds.",
        )
        return await self._ack(call, check)

    async def bot_history(
        self, bot: str, *, days: int = 0, verbose: bool = False, wait_s: float = 30.0
    ) -> Any:
        """The bot's trade history, asked of the bot itself over MQTT (waits up to ``wait_s``).
        Returns the bot's reply as sent."""
        check_name(bot, "Bot name", "bot_name")
        params = {"days": days, "verbose": _flag(verbose), "timeout": wait_s}
        call = Call(
            "GET",
            f"/bot-orchestration/{bot}/history",
            f"history of bot '{bot}'",
            params=params,
            timeout=wait_s + self._http.limits.timeout,
            hint=_REFRESH,
        )
        body = await self._http.call(call)
        response = body.get("response") if isinstance(body, dict) else None
        if not isinstance(response, dict):
            raise self._http.unreadable(call, "no 'response' object")
        return response.get("data")

    async def bot_runs(
        self,
        *,
        bot_name: str | None = None,
        account_name: str | None = None,
        run_status: str | None = None,
        deployment_status: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> BotRunsPage:
        """Past and present deployments (newest rows as the server orders them)."""
        params = _without_none(
            bot_name=bot_name,
            account_name=account_name,
            run_status=run_status,
            deployment_status=deployment_status,
            limit=limit,
            offset=offset,
        )
        call = Call("GET", "/bot-orchestration/bot-runs", "bot runs", params=params)
        return self._model(call, BotRunsPage, await self._http.call(call))

    async def bot_controller_configs(self, bot: str) -> list[dict[str, Any]]:
        """The controller configs inside a deployed bot (each with ``_config_name``)."""
        check_name(bot, "Bot name", "bot_name")
        call = Call(
            "GET",
            f"/controllers/bots/{bot}/configs",
            f"controller configs of bot '{bot}'",
            not_found_hint=_ARCHIVED,
        )
        return self._parse(call, _CONFIGS, await self._http.call(call))

    async def update_bot_controller_config(
        self, bot: str, config_name: str, changes: Mapping[str, Any]
    ) -> Ack:
        """Merge ``changes`` into one controller config of a running bot, which hot-reloads the
        fields it can (``manual_kill_switch``, amounts, spreads…)."""
        check_name(bot, "Bot name", "bot_name")
        check_name(config_name, "Controller config name", "config_name")
        call = Call(
            "POST",
            f"/controllers/bots/{bot}/{config_name}/config",
            f"update of controller '{config_name}' in bot '{bot}'",
            body=dict(changes),
            read=False,
            not_found_hint=_ARCHIVED,
        )

        async def applied() -> bool:
            for config in await self.bot_controller_configs(bot):
                if config_name in (config.get("_config_name"), config.get("id")):
                    return all(config.get(key) == value for key, value in changes.items())
            return False

        check = _Check(
            applied,
            "The bot's config does not show the change. Try again.",
            "Refresh the bot's detail before trying again.",
        )
        return await self._ack(call, check)

    async def stop_controller(self, bot: str, config_name: str) -> Ack:
        """Stop one controller of a running bot (its ``manual_kill_switch``); the others go on."""
        return await self.update_bot_controller_config(
            bot, config_name, {"manual_kill_switch": True}
        )

    async def resume_controller(self, bot: str, config_name: str) -> Ack:
        """Restart a controller stopped with :meth:`stop_controller`."""
        return await self.update_bot_controller_config(
            bot, config_name, {"manual_kill_switch": False}
        )

    # -- controller configs ---------------------------------------------------------------

    async def controller_types(self) -> dict[str, list[str]]:
        """Controller names by type: ``{"directional_trading": [...], "market_making": ...}``."""
        call = Call("GET", "/controllers/", "controller list")
        return self._parse(call, _TYPES, await self._http.call(call))

    async def controller_configs(self) -> list[dict[str, Any]]:
        """Every saved controller config (``id`` equals its name)."""
        call = Call("GET", "/controllers/configs/", "saved controller configs")
        return self._parse(call, _CONFIGS, await self._http.call(call))

    async def controller_config(self, name: str) -> dict[str, Any]:
        """One saved controller config; :class:`NotFound` if there is none by that name."""
        check_name(name, "Controller config name", "config_name")
        call = Call(
            "GET",
            f"/controllers/configs/{name}",
            f"controller config '{name}'",
            not_found_hint="Save it first, or pick one of the saved configs.",
        )
        return self._parse(call, _CONFIG, await self._http.call(call))

    async def save_controller_config(self, name: str, config: Mapping[str, Any]) -> Ack:
        """Save (create or replace) a controller config under ``name``.

        The server stores anything without validation, and the bot uses the config's ``id`` as
        the controller id: ``id`` is set to ``name`` when absent and must equal it when given.
        """
        check_name(name, "Controller config name", "config_name")
        body = dict(config)
        given = body.setdefault("id", name)
        if given != name:
            raise InvalidRequest(
                f"Controller config id '{given}' differs from the name '{name}' it is saved "
                "under. Make them equal: the bot reports the controller by its id.",
            )
        call = Call(
            "POST",
            f"/controllers/configs/{name}",
            f"save of controller config '{name}'",
            body=body,
            read=False,
        )

        async def saved() -> bool:
            try:
                return await self.controller_config(name) == body
            except NotFound:
                return False

        check = _Check(
            saved, "The server does not have this version. Save it again.", "Save it again."
        )
        return await self._ack(call, check)

    async def delete_controller_config(self, name: str) -> Ack:
        check_name(name, "Controller config name", "config_name")
        call = Call(
            "DELETE",
            f"/controllers/configs/{name}",
            f"delete of controller config '{name}'",
            read=False,
            not_found_hint="It is already gone.",
        )

        async def deleted() -> bool:
            try:
                await self.controller_config(name)
            except NotFound:
                return True
            return False

        check = _Check(deleted, "It is still there. Delete it again.", "Refresh and check.")
        return await self._ack(call, check)

    async def validate_controller_config(
        self, controller_type: ControllerType, controller_name: str, config: Mapping[str, Any]
    ) -> Ack:
        """Ask the server to validate a config against the controller's class.

        Known server bug: for macd_bb_v1, supertrend_v1 and pmm_dynamic it validates against the
        base class and refuses their own fields; do not rely on it for those.
        """
        check_name(controller_name, "Controller name", "controller_name")
        call = Call(
            "POST",
            f"/controllers/{controller_type}/{controller_name}/config/validate",
            f"validation of a {controller_name} config",
            body=dict(config),
        )
        return self._model(call, Ack, await self._http.call(call))

    # -- backtesting ----------------------------------------------------------------------

    async def run_backtest(
        self,
        config: Mapping[str, Any] | str,
        *,
        start_time: int,
        end_time: int,
        resolution: str = "1m",
        trade_cost: float = 0.0006,
    ) -> BacktestResult:
        """Backtest a controller config (or a saved config's file name) on the server.

        Slow (the server downloads candles): uses the long timeout and is never retried.
        """
        if end_time <= start_time:
            raise InvalidRequest("The backtest's end time must be after its start time.")
        body = BacktestRequest(
            config=config if isinstance(config, str) else dict(config),
            start_time=start_time,
            end_time=end_time,
            backtesting_resolution=resolution,
            trade_cost=trade_cost,
        )
        call = Call(
            "POST",
            "/backtesting/run",
            "backtest",
            body=body.model_dump(mode="json"),
            long=True,
            error_key=True,
        )
        return self._model(call, BacktestResult, await self._http.call(call))

    # -- accounts and credentials ---------------------------------------------------------

    async def accounts(self) -> list[str]:
        """Account (credentials profile) names; ``master_account`` always exists."""
        call = Call("GET", "/accounts/", "account list")
        return self._parse(call, _STRINGS, await self._http.call(call))

    async def add_account(self, name: str) -> Ack:
        check_name(name, "Account name", "account_name")
        call = Call(
            "POST",
            "/accounts/add-account",
            f"creation of account '{name}'",
            params={"account_name": name},
            read=False,
        )

        async def present() -> bool:
            return name in await self.accounts()

        check = _Check(present, "Create it again.", "Refresh the accounts before trying again.")
        return await self._ack(call, check)

    async def delete_account(self, name: str) -> Ack:
        check_name(name, "Account name", "account_name")
        call = Call(
            "POST",
            "/accounts/delete-account",
            f"deletion of account '{name}'",
            params={"account_name": name},
            read=False,
        )

        async def absent() -> bool:
            return name not in await self.accounts()

        check = _Check(absent, "It is still there. Delete it again.", "Refresh and check.")
        return await self._ack(call, check)

    async def credentials(self, account: str) -> list[str]:
        """Connectors the account has keys for."""
        check_name(account, "Account name", "account_name")
        call = Call(
            "GET",
            f"/accounts/{account}/credentials",
            f"credentials of account '{account}'",
            not_found_hint="Create the account first, or pick an existing one.",
        )
        return self._parse(call, _STRINGS, await self._http.call(call))

    async def add_credential(self, account: str, connector: str, values: Mapping[str, Any]) -> Ack:
        """Store exchange keys (the connector's config-map fields). The server tries them on
        the exchange first, so success means they work. No value ever appears in an error."""
        check_name(account, "Account name", "account_name")
        check_name(connector, "Connector name", "connector_name")
        had_keys = connector in await self.credentials(account)
        call = Call(
            "POST",
            f"/accounts/add-credential/{account}/{connector}",
            f"adding {connector} keys to account '{account}'",
            body=dict(values),
            read=False,
            secrets=tuple(str(v) for v in values.values() if v is not None),
        )

        async def stored() -> bool | None:
            present = connector in await self.credentials(account)
            # Replacing keys leaves the connector listed either way: that proves nothing.
            return None if had_keys else present

        check = _Check(
            stored,
            "The server may still be checking the keys with the exchange: look at the "
            "account's connectors in a minute before adding them again.",
            "Look at the account's connectors before adding the keys again.",
        )
        return await self._ack(call, check)

    async def delete_credential(self, account: str, connector: str) -> Ack:
        check_name(account, "Account name", "account_name")
        check_name(connector, "Connector name", "connector_name")
        call = Call(
            "POST",
            f"/accounts/delete-credential/{account}/{connector}",
            f"deleting {connector} keys from account '{account}'",
            read=False,
        )

        async def removed() -> bool:
            return connector not in await self.credentials(account)

        check = _Check(removed, "The keys are still there. Delete them again.", "Check again.")
        return await self._ack(call, check)

    # -- connectors -----------------------------------------------------------------------

    async def connectors(self) -> list[str]:
        call = Call("GET", "/connectors/", "connector list")
        return self._parse(call, _STRINGS, await self._http.call(call))

    async def connector_config_map(self, connector: str) -> dict[str, ConfigField]:
        """The fields a connector's credentials need (the form to ask the trader for)."""
        check_name(connector, "Connector name", "connector_name")
        call = Call(
            "GET",
            f"/connectors/{connector}/config-map",
            f"credential fields of {connector}",
            not_found_hint="Check the connector's name (`GET /connectors/` lists them).",
        )
        body = await self._http.call(call)
        if isinstance(body, list):
            # Older servers list the field names only.
            body = {name: {} for name in body}
        return self._parse(call, _CONFIG_MAP, body)

    async def trading_rules(
        self, connector: str, trading_pairs: Sequence[str]
    ) -> dict[str, TradingRule]:
        """Exchange limits (min order size, min notional, increments) for each pair."""
        check_name(connector, "Connector name", "connector_name")
        call = Call(
            "GET",
            f"/connectors/{connector}/trading-rules",
            f"trading rules of {connector}",
            params=[("trading_pairs", pair) for pair in trading_pairs],
            error_key=True,
        )
        body = self._parse(call, _BOTS, await self._http.call(call))
        missing = [
            pair for pair, rule in body.items() if isinstance(rule, dict) and "error" in rule
        ]
        if missing:
            raise NotFound(
                f"{connector} has no trading pair {', '.join(missing)}. Check the spelling "
                "(BASE-QUOTE, e.g. BTC-USD on Hyperliquid perps, BTC-USDT on Binance)."
            )
        return {pair: self._model(call, TradingRule, rule) for pair, rule in body.items()}

    async def order_types(self, connector: str) -> list[str]:
        """Order types the connector supports (LIMIT, MARKET, LIMIT_MAKER)."""
        check_name(connector, "Connector name", "connector_name")
        call = Call("GET", f"/connectors/{connector}/order-types", f"order types of {connector}")
        body = await self._http.call(call)
        found = body.get("supported_order_types") if isinstance(body, dict) else None
        return self._parse(call, _STRINGS, found)

    # -- market data ----------------------------------------------------------------------

    async def candles(
        self, connector: str, trading_pair: str, *, interval: str = "1m", max_records: int = 500
    ) -> list[Candle]:
        """The latest candles of the server's live feed (its first call waits for the feed)."""
        body = CandlesRequest(
            connector_name=connector,
            trading_pair=trading_pair,
            interval=interval,
            max_records=max_records,
        )
        call = Call(
            "POST",
            "/market-data/candles",
            f"candles of {trading_pair} on {connector}",
            body=body.model_dump(mode="json"),
            long=True,
            error_key=True,
        )
        return self._parse(call, _CANDLES, await self._http.call(call))

    async def historical_candles(
        self, connector: str, trading_pair: str, *, interval: str, start_time: int, end_time: int
    ) -> list[Candle]:
        """Candles between two unix times (seconds), downloaded by the server."""
        body = HistoricalCandlesRequest(
            connector_name=connector,
            trading_pair=trading_pair,
            interval=interval,
            start_time=start_time,
            end_time=end_time,
        )
        call = Call(
            "POST",
            "/market-data/historical-candles",
            f"historical candles of {trading_pair} on {connector}",
            body=body.model_dump(mode="json"),
            long=True,
            error_key=True,
        )
        return self._parse(call, _CANDLES, await self._http.call(call))

    async def prices(self, connector: str, trading_pairs: Sequence[str]) -> Prices:
        body = PricesRequest(connector_name=connector, trading_pairs=list(trading_pairs))
        call = Call(
            "POST",
            "/market-data/prices",
            f"prices on {connector}",
            body=body.model_dump(mode="json"),
            error_key=True,
        )
        return self._model(call, Prices, await self._http.call(call))

    # -- portfolio ------------------------------------------------------------------------

    async def portfolio_state(
        self,
        *,
        accounts: Sequence[str] | None = None,
        connectors: Sequence[str] | None = None,
        refresh: bool = False,
    ) -> Portfolio:
        """Balances: account → connector → tokens. ``refresh`` asks the exchanges anew."""
        body = PortfolioRequest(
            account_names=list(accounts) if accounts is not None else None,
            connector_names=list(connectors) if connectors is not None else None,
            refresh=refresh,
        )
        call = Call("POST", "/portfolio/state", "portfolio", body=body.model_dump(mode="json"))
        return self._parse(call, _PORTFOLIO, await self._http.call(call))

    async def positions(
        self,
        *,
        accounts: Sequence[str] | None = None,
        connectors: Sequence[str] | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> PositionsPage:
        """Open perpetual positions, one page (follow ``pagination.next_cursor`` for more)."""
        body = PositionsRequest(
            account_names=list(accounts) if accounts is not None else None,
            connector_names=list(connectors) if connectors is not None else None,
            limit=limit,
            cursor=cursor,
        )
        call = Call("POST", "/trading/positions", "positions", body=body.model_dump(mode="json"))
        return self._model(call, PositionsPage, await self._http.call(call))

    # -- helpers --------------------------------------------------------------------------

    def _data(self, call: Call, body: Any) -> Any:
        if isinstance(body, dict) and "data" in body:
            return body["data"]
        raise self._http.unreadable(call, "no 'data' in the reply")

    def _model(self, call: Call, model: type[M], body: Any) -> M:
        try:
            return model.model_validate(body)
        except ValidationError:
            pass
        try:
            return model.model_validate(drop_nulls(body))
        except ValidationError as exc:
            raise self._http.unreadable(call, _first_problem(exc)) from None

    def _parse(self, call: Call, adapter: TypeAdapter[T], body: Any) -> T:
        try:
            return adapter.validate_python(body)
        except ValidationError:
            pass
        try:
            return adapter.validate_python(drop_nulls(body))
        except ValidationError as exc:
            raise self._http.unreadable(call, _first_problem(exc)) from None

    def _tolerant_bots(self, call: Call, body: Any, model: type[B]) -> dict[str, B]:
        if not isinstance(body, dict) or body.get("status") != "success":
            raise self._http.unreadable(call, "no successful status reply")
        entries = self._parse(call, _BOTS, body.get("data"))
        bots: dict[str, B] = {}
        for name, entry in entries.items():
            try:
                bots[name] = model.model_validate(drop_nulls(entry))
            except ValidationError as exc:
                bots[name] = model(
                    status="error",
                    error=f"the server sent an unreadable status: {_first_problem(exc)}",
                )
        return bots

    async def _names_like(self, instance_name: str) -> set[str]:
        pattern = re.compile(re.escape(instance_name) + r"-\d{8}-\d{6}")
        return {name for name in await self.bots_status() if pattern.fullmatch(name)}

    async def _recover_deploy(
        self, call: Call, lost: HummingbotError, instance_name: str, before: set[str]
    ) -> DeployResult:
        if isinstance(lost, TimedOut) and not lost.maybe_delivered:
            raise lost
        try:
            new = sorted(await self._names_like(instance_name) - before)
        except HummingbotError as exc:
            raise OutcomeUnknown(
                f"{self.label} lost the reply ({call.action}) and cannot be checked now "
                f"({exc.message}). Look at the bots list before deploying again: a second "
                "deploy would start a second bot."
            ) from exc
        if not new:
            raise NotApplied(
                f"{self.label} lost the reply ({call.action}) and shows no new bot: nothing "
                "is running from it so far. Refresh the bots list in a few seconds; deploy "
                "again only if it is still absent."
            ) from lost
        return DeployResult(
            unique_instance_name=new[-1],
            message=f"The reply was lost, but {new[-1]} is running.",
            controllers_deployed=list(call.body["controllers_config"]),
            recovered=True,
        )

    async def _ack(self, call: Call, check: _Check) -> Ack:
        try:
            body = await self._http.call(call)
        except (TimedOut, ConnectionLost) as exc:
            if isinstance(exc, TimedOut) and not exc.maybe_delivered:
                raise
            return await self._recover(call, exc, check)
        message = _message_of(body)
        return Ack(message=message)

    async def _recover(self, call: Call, lost: HummingbotError, check: _Check) -> Ack:
        lost_reply = f"{self.label} lost the reply ({call.action})"
        try:
            took_effect = await check.probe()
        except HummingbotError as exc:
            raise OutcomeUnknown(
                f"{lost_reply} and cannot be checked now ({exc.message}). {check.if_unclear}"
            ) from exc
        if took_effect:
            return Ack(message="The reply was lost, but the server shows it done.", recovered=True)
        if took_effect is None:
            raise OutcomeUnknown(f"{lost_reply}. {check.if_unclear}") from lost
        raise NotApplied(f"{lost_reply} and shows no sign of it. {check.if_not_seen}") from lost


def _explain_deploy_failure(exc: HummingbotError, account: str) -> HummingbotError:
    """Deploy failures the server words badly, reworded; anything else unchanged."""
    text = exc.server_text or ""
    if "No such file or directory" in text and "credentials" in text:
        return NotFound(
            f"Account '{account}' does not exist on the server, so there are no keys to deploy "
            "with. Pick an existing account (hummingbot.account) or create it first.",
            status_code=exc.status_code,
            server_text=text,
        )
    if "Password not provided" in text:
        return Rejected(
            "Deploy rejected by the server: it has no CONFIG_PASSWORD to unlock the exchange "
            "keys. Set CONFIG_PASSWORD in the API's .env and restart it "
            "(`docker compose up -d`).",
            status_code=exc.status_code,
            server_text=text,
        )
    return exc


def _message_of(body: Any) -> str:
    """The server's own words about a successful write, wherever its envelope puts them."""
    if isinstance(body, dict):
        response = body.get("response")
        for holder in (body, response if isinstance(response, dict) else {}):
            if isinstance(holder.get("message"), str):
                return str(holder["message"])
    return ""


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "the reply"
    more = exc.error_count() - 1
    return f"{where}: {error['msg']}" + (f" (and {more} more)" if more else "")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _without_none(**params: Any) -> QueryParams:
    return {key: value for key, value in params.items() if value is not None}
