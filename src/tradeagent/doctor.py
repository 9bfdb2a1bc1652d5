"""`tradeagent doctor`: can this setup trade? One line per check, a fix for each failure.

Takes plain values (a client, names, where the Anthropic key comes from), so the CLI and the TUI
can both run it against a URL or the in-process simulator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from tradeagent.hb import (
    AuthFailed,
    HummingbotClient,
    HummingbotError,
    NotFound,
    ServerInfo,
)

SUPPORTED_MAJOR = "1"
_MAX_ACCOUNTS = 20


class Verdict(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


_MARKS = {Verdict.OK: "✔", Verdict.WARN: "⚠", Verdict.FAIL: "✘", Verdict.SKIP: "–"}


@dataclass(frozen=True)
class Check:
    """One line of the report. ``fix`` says what to do when the verdict is not OK."""

    name: str
    verdict: Verdict
    summary: str
    fix: str = ""

    @property
    def line(self) -> str:
        text = f"{_MARKS[self.verdict]} {self.name:<10} {self.summary}"
        return f"{text} Fix: {self.fix}" if self.fix else text


@dataclass(frozen=True)
class Setup:
    """What doctor checks, as plain values."""

    account: str = "master_account"
    username: str = "admin"
    default_login: bool = False
    anthropic_key_source: str | None = None
    simulated: bool = False  # the built-in simulator's bots trade without exchange keys


def blocks_trading(checks: list[Check]) -> bool:
    return any(check.verdict is Verdict.FAIL for check in checks)


async def run_checks(hb: HummingbotClient, setup: Setup) -> list[Check]:
    """Every check, in order; server checks are skipped once the server cannot be reached."""
    checks: list[Check] = []
    try:
        info = await hb.root()
    except HummingbotError as exc:
        checks.append(Check("server", Verdict.FAIL, str(exc)))
        skipped = "skipped: the server cannot be reached."
        for name in ("version", "auth", "docker", "mqtt", "accounts"):
            checks.append(Check(name, Verdict.SKIP, skipped))
    else:
        checks.append(Check("server", Verdict.OK, f"{hb.label} answers."))
        checks.append(_version(info, hb))
        checks.extend(await _authenticated(hb, setup))
    checks.append(anthropic_check(setup.anthropic_key_source))
    return checks


def _version(info: ServerInfo, hb: HummingbotClient) -> Check:
    if info.name != "Hummingbot API":
        return Check(
            "version",
            Verdict.FAIL,
            f"GET {hb.url}/ answered as {info.name or 'something unnamed'!r}, not the "
            "Hummingbot API.",
            "point hummingbot.url at the Hummingbot API (port 8000 of `docker compose up -d`).",
        )
    if info.version.split(".")[0] != SUPPORTED_MAJOR:
        return Check(
            "version",
            Verdict.WARN,
            f"Hummingbot API {info.version or '(no version)'}; tradeagent speaks 1.x and may "
            "misread it.",
            "run the current image: `docker compose pull && docker compose up -d`.",
        )
    return Check("version", Verdict.OK, f"Hummingbot API {info.version}.")


async def _authenticated(hb: HummingbotClient, setup: Setup) -> list[Check]:
    try:
        accounts = await hb.accounts()
    except AuthFailed as exc:
        skipped = "skipped: the login is refused."
        return [
            Check("auth", Verdict.FAIL, str(exc)),
            *(Check(name, Verdict.SKIP, skipped) for name in ("docker", "mqtt", "accounts")),
        ]
    except HummingbotError as exc:
        # Any HTTP answer but 401/403 means the login passed and the route itself failed.
        accounts = None
        auth = _login(setup) if exc.status_code else Check("auth", Verdict.FAIL, str(exc))
    else:
        auth = _login(setup)
    return [
        auth,
        await _probe("docker", _docker(hb)),
        await _probe("mqtt", _mqtt(hb)),
        await _probe("accounts", _accounts(hb, setup, accounts)),
    ]


def _login(setup: Setup) -> Check:
    if setup.default_login:
        return Check(
            "auth",
            Verdict.WARN,
            "logged in with the default admin/admin: anyone who reaches the API can trade.",
            "set USERNAME and PASSWORD in the API's .env, `docker compose up -d`, then the "
            "same in hummingbot.username / hummingbot.password.",
        )
    return Check("auth", Verdict.OK, f"user '{setup.username}' accepted.")


async def _probe(name: str, check: Awaitable[Check]) -> Check:
    try:
        return await check
    except HummingbotError as exc:
        return Check(name, Verdict.FAIL, str(exc))


async def _docker(hb: HummingbotClient) -> Check:
    if await hb.docker_running():
        return Check("docker", Verdict.OK, "the API reaches Docker and can start bots.")
    return Check(
        "docker",
        Verdict.FAIL,
        "the API cannot reach Docker, so it cannot start bots.",
        "start Docker and give the API /var/run/docker.sock (docker-compose.yml mounts it), "
        "then `docker compose up -d`.",
    )


async def _mqtt(hb: HummingbotClient) -> Check:
    mqtt = await hb.mqtt_status()
    broker = f"{mqtt.broker_host or '?'}:{mqtt.broker_port or '?'}"
    if mqtt.mqtt_connected:
        bots = len(mqtt.active_bots)
        return Check(
            "mqtt",
            Verdict.OK,
            f"broker {broker} connected; {bots} bot{'s' if bots != 1 else ''} reporting.",
        )
    return Check(
        "mqtt",
        Verdict.FAIL,
        f"the API is not connected to its MQTT broker {broker} "
        f"({mqtt.client_state or 'no state'}), so bots can neither report nor take commands.",
        "`docker compose up -d emqx`, and check BROKER_HOST, BROKER_PORT, BROKER_USERNAME and "
        "BROKER_PASSWORD in .env.",
    )


async def _accounts(hb: HummingbotClient, setup: Setup, accounts: list[str] | None) -> Check:
    account = setup.account
    if accounts is None:
        accounts = await hb.accounts()
    if account not in accounts:
        return Check(
            "accounts",
            Verdict.FAIL,
            f"account '{account}' (hummingbot.account) does not exist on the server; it has "
            f"{', '.join(accounts) or 'none'}.",
            "set hummingbot.account to one of those, or create the account.",
        )
    keys: dict[str, list[str]] = {}
    for name in accounts[:_MAX_ACCOUNTS]:
        try:
            keys[name] = await hb.credentials(name)
        except NotFound:
            keys[name] = []
    listing = "; ".join(f"{name}: {', '.join(found) or 'no keys'}" for name, found in keys.items())
    if not keys[account] and setup.simulated:
        return Check("accounts", Verdict.OK, f"{listing}; simulated bots need no exchange keys.")
    if not keys[account]:
        return Check(
            "accounts",
            Verdict.FAIL,
            f"account '{account}' has no exchange keys, so its bots cannot trade ({listing}).",
            f"add keys for your exchange: POST /accounts/add-credential/{account}/<connector> "
            f"(try it at {hb.url}/docs).",
        )
    return Check("accounts", Verdict.OK, listing + ".")


def anthropic_check(source: str | None) -> Check:
    """Is a key set? ``source`` says where it comes from (never the key itself)."""
    if source:
        return Check("anthropic", Verdict.OK, f"key set ({source}); Claude answers in the chat.")
    return Check(
        "anthropic",
        Verdict.WARN,
        "no key: the offline assistant answers instead of Claude.",
        "export ANTHROPIC_API_KEY=… or set ai.api_key (`tradeagent config init` writes a "
        "template).",
    )


async def doctor(hb: HummingbotClient, setup: Setup, echo: Callable[[str], None]) -> int:
    """Print every check through ``echo``; return the exit code (1 if trading is blocked)."""
    echo(f"tradeagent doctor · {hb.label}")
    checks = await run_checks(hb, setup)
    for check in checks:
        echo(check.line)
    if blocks_trading(checks):
        echo("Trading is blocked until the ✘ lines are fixed.")
        return 1
    echo("Ready to trade.")
    return 0
