"""Fault injection: slow, failing, hanging and vanishing servers, and misbehaving bots.

A :class:`Chaos` lives on ``app.state.chaos``. Tests add rules from Python; ``tradeagent sim
--chaos SPEC`` adds the same rules from the command line (see :func:`parse_spec`).

Transport faults are decided per request, outermost, before authentication: added latency, a 5xx
reply, a request that is never answered (until the client gives up), and a connection dropped
without any response. Bot faults change what a bot does: refuse to stop, log errors, go silent
(no heartbeats or reports), or lose its container.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from http import HTTPStatus
from typing import Any, Literal

from tradeagent.sim.bot import BOT_FAULTS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# How a server lets the middleware cut a connection: uvicorn (tradeagent.sim.serve) puts a callable
# in the scope's extensions; the in-process transport (tradeagent.sim.embedded) sets this variable.
ABORT_EXTENSION = "tradeagent.abort"
embedded_abort: ContextVar[Callable[[], None] | None] = ContextVar("embedded_abort", default=None)

Action = Literal["error", "timeout", "drop"]


class ChaosSpecError(ValueError):
    """A --chaos spec that cannot be understood; the message says how to write it."""


class ConnectionDropped(Exception):
    """Raised through the in-process transport to cut the 'connection' without a response."""


@dataclass
class Rule:
    """A transport fault for requests whose method and path match (globs, e.g. ``/bot-*``)."""

    method: str = "*"
    path: str = "*"
    latency: tuple[float, float] = (0.0, 0.0)
    error: float = 0.0
    status: int = 500
    timeout: float = 0.0
    drop: float = 0.0
    times: int | None = None

    def matches(self, method: str, path: str) -> bool:
        return fnmatchcase(method.upper(), self.method.upper()) and fnmatchcase(path, self.path)


@dataclass(frozen=True)
class BotFault:
    """A misbehaviour of every bot whose name matches ``pattern`` (a glob)."""

    pattern: str
    kind: str


@dataclass(frozen=True)
class Decision:
    latency: float = 0.0
    action: Action | None = None
    status: int = 500


@dataclass
class Chaos:
    """All faults in force. Mutate it at any time; the next request sees the change."""

    seed: int | None = None
    rules: list[Rule] = field(default_factory=list)
    bot_faults: list[BotFault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._cache: dict[str, frozenset[str]] = {}

    # --- transport faults --------------------------------------------------------------
    def add(self, rule: Rule) -> Rule:
        if not 500 <= rule.status <= 599:
            raise ChaosSpecError(f"status must be a 5xx code, got {rule.status}")
        self.rules.append(rule)
        return rule

    def fail(
        self, path: str = "*", method: str = "*", status: int = 500, times: int | None = 1
    ) -> Rule:
        """Answer matching requests with ``status`` (``times`` times; None = until removed)."""
        return self.add(Rule(method=method, path=path, error=1.0, status=status, times=times))

    def hang(self, path: str = "*", method: str = "*", times: int | None = 1) -> Rule:
        """Never answer matching requests; the client's timeout has to end them."""
        return self.add(Rule(method=method, path=path, timeout=1.0, times=times))

    def drop(self, path: str = "*", method: str = "*", times: int | None = 1) -> Rule:
        """Close the connection of matching requests without sending a response."""
        return self.add(Rule(method=method, path=path, drop=1.0, times=times))

    def slow(self, seconds: float, path: str = "*", method: str = "*") -> Rule:
        return self.add(Rule(method=method, path=path, latency=(seconds, seconds)))

    def remove(self, rule: Rule) -> None:
        if rule in self.rules:
            self.rules.remove(rule)

    def clear(self) -> None:
        self.rules.clear()
        self.bot_faults.clear()
        self._cache.clear()

    def decide(self, method: str, path: str) -> Decision:
        latency = 0.0
        for rule in list(self.rules):
            if not rule.matches(method, path):
                continue
            low, high = rule.latency
            latency += low if high <= low else self._rng.uniform(low, high)
            action: Action | None = None
            if rule.drop and self._rng.random() < rule.drop:
                action = "drop"
            elif rule.timeout and self._rng.random() < rule.timeout:
                action = "timeout"
            elif rule.error and self._rng.random() < rule.error:
                action = "error"
            if action is None:
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    self.rules.remove(rule)
            return Decision(latency, action, rule.status)
        return Decision(latency)

    # --- bot faults --------------------------------------------------------------------
    def set_bot_fault(self, pattern: str, kind: str) -> None:
        if kind not in BOT_FAULTS:
            raise ChaosSpecError(f"unknown bot fault {kind!r}; use one of {_kinds()}")
        fault = BotFault(pattern, kind)
        if fault not in self.bot_faults:
            self.bot_faults.append(fault)
        self._cache.clear()

    def clear_bot_fault(self, pattern: str, kind: str | None = None) -> None:
        self.bot_faults = [
            f for f in self.bot_faults if not (f.pattern == pattern and kind in (None, f.kind))
        ]
        self._cache.clear()

    def refuse_stop(self, bot: str) -> None:
        """The bot acknowledges stop-bot but keeps trading."""
        self.set_bot_fault(bot, "refuse_stop")

    def log_errors(self, bot: str) -> None:
        """The bot publishes an error log every few seconds."""
        self.set_bot_fault(bot, "log_errors")

    def silence(self, bot: str) -> None:
        """The bot process hangs: no heartbeats, reports, logs or command replies."""
        self.set_bot_fault(bot, "silent")

    def refuse_deploy(self, instance: str) -> None:
        """Docker refuses to create matching bots (pattern on the timestamped name)."""
        self.set_bot_fault(instance, "docker_refuse")

    def vanish(self, bot: str) -> None:
        """The bot's container disappears (crash, OOM kill, manual docker rm)."""
        self.set_bot_fault(bot, "vanish")

    def faults_for(self, bot: str) -> frozenset[str]:
        cached = self._cache.get(bot)
        if cached is None:
            cached = frozenset(f.kind for f in self.bot_faults if fnmatchcase(bot, f.pattern))
            self._cache[bot] = cached
        return cached


def _kinds() -> str:
    return ", ".join(sorted(BOT_FAULTS))


SPEC_HELP = (
    "A chaos spec is comma-separated key=value pairs. Transport faults: latency=SECONDS or "
    "latency=LOW-HIGH, error=PROBABILITY (a 5xx reply), status=5XX, timeout=PROBABILITY (never "
    "answer), drop=PROBABILITY (close the connection), times=N; scope them with method=GET and "
    "path=/bot-orchestration/* (globs). Bot faults: bot=GLOB,fault=KIND with KIND one of "
    f"{_kinds()}. Examples: 'latency=0.05-0.3,error=0.02' or "
    "'path=/bot-orchestration/stop-bot,error=1,status=503,times=2' or 'bot=ta-*,fault=silent'."
)


def parse_spec(spec: str, chaos: Chaos) -> None:
    """Add the faults described by one ``--chaos`` value to ``chaos``."""
    values: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not value:
            raise ChaosSpecError(f"'{part}' in --chaos '{spec}' is not key=value. {SPEC_HELP}")
        values[key.strip().lower()] = value.strip()
    if not values:
        raise ChaosSpecError(f"--chaos '{spec}' is empty. {SPEC_HELP}")
    if "bot" in values or "fault" in values:
        if set(values) != {"bot", "fault"}:
            raise ChaosSpecError(f"a bot fault takes exactly bot=GLOB,fault=KIND. {SPEC_HELP}")
        chaos.set_bot_fault(values["bot"], values["fault"])
        return
    unknown = set(values) - {
        "method",
        "path",
        "latency",
        "error",
        "status",
        "timeout",
        "drop",
        "times",
    }
    if unknown:
        raise ChaosSpecError(f"unknown key(s) {', '.join(sorted(unknown))} in --chaos. {SPEC_HELP}")
    try:
        rule = Rule(
            method=values.get("method", "*"),
            path=values.get("path", "*"),
            latency=_latency(values.get("latency", "0")),
            error=_probability(values, "error"),
            status=_whole(values, "status", "500"),
            timeout=_probability(values, "timeout"),
            drop=_probability(values, "drop"),
            times=_whole(values, "times", "0") or None,
        )
    except ValueError as exc:
        raise ChaosSpecError(f"--chaos '{spec}': {exc}. {SPEC_HELP}") from None
    chaos.add(rule)


def _whole(values: dict[str, str], key: str, default: str) -> int:
    text = values.get(key, default)
    if not text.isdigit():
        raise ValueError(f"{key} must be a whole number, got {text!r}")
    return int(text)


def _probability(values: dict[str, str], key: str) -> float:
    value = float(values.get(key, "0"))
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{key} is a probability between 0 and 1, got {value}")
    return value


def _latency(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    bounds = (float(low), float(high or low))
    if bounds[0] < 0 or bounds[1] < bounds[0]:
        raise ValueError(f"latency must be SECONDS or LOW-HIGH with 0 <= LOW <= HIGH, got {text}")
    return bounds


class ChaosMiddleware:
    """ASGI middleware applying :class:`Chaos` transport faults before anything else runs."""

    def __init__(self, app: ASGIApp, chaos: Chaos) -> None:
        self.app = app
        self.chaos = chaos

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        decision = self.chaos.decide(scope["method"], scope["path"])
        if decision.latency > 0:
            await asyncio.sleep(decision.latency)
        if decision.action is None:
            await self.app(scope, receive, send)
        elif decision.action == "error":
            await _plain(send, decision.status)
        elif decision.action == "timeout":
            await _until_disconnect(receive)
        else:
            await _drop(scope)


async def _plain(send: Send, status: int) -> None:
    body = HTTPStatus(status).phrase.encode() if status in HTTPStatus._value2member_map_ else b""
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _drop(scope: Scope) -> None:
    abort = scope.get("extensions", {}).get(ABORT_EXTENSION)
    if abort is not None:
        abort()
        await asyncio.sleep(0)  # let the server notice the closed transport
        return
    hook = embedded_abort.get()
    if hook is not None:
        hook()
    raise ConnectionDropped("connection dropped by chaos")
