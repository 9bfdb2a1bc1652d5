"""One pooled HTTP connection to one Hummingbot API, and the mapping of every way it can fail.

This layer knows HTTP (statuses, bodies, sizes, timeouts, retries); :mod:`tradeagent.hb.client`
knows the routes. Each request is a :class:`Call` describing what it is for, so every error
message can name the action and say what to do.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from tradeagent.hb.envelopes import capital, failure_error, failure_in
from tradeagent.hb.errors import (
    AuthFailed,
    BadResponse,
    ConnectionLost,
    FieldError,
    HummingbotError,
    InvalidRequest,
    NotFound,
    Rejected,
    ServerError,
    TimedOut,
    Unreachable,
)

QueryParams = Mapping[str, Any] | Sequence[tuple[str, Any]]

MiB = 1024 * 1024
_SNIPPET = 300
_RETRY_STATUSES = frozenset({502, 503, 504})
_MASK = "****"
_MIN_SECRET = 4  # shorter values would mask ordinary words


@dataclass(frozen=True)
class Call:
    """One request and what it is for.

    ``read``: idempotent, so transport failures may be retried. ``long``: a backtest or candle
    download (long timeout, larger size cap, never retried). ``secrets``: values in the body that
    must never appear in an error message, even if the server echoes them.
    """

    method: str
    path: str
    action: str
    params: QueryParams | None = None
    body: Any = None
    read: bool = True
    long: bool = False
    timeout: float | None = None
    error_key: bool = False
    not_found_hint: str = ""
    hint: str = ""
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limits:
    """Timeouts (s), reply size caps (bytes) and retry policy of one connection."""

    timeout: float = 10.0
    long_timeout: float = 300.0
    max_bytes: int = 32 * MiB
    long_max_bytes: int = 512 * MiB
    retries: int = 2
    backoff: float = 0.25
    max_backoff: float = 2.0
    max_connections: int = 10


class Http:
    """The pooled ``httpx.AsyncClient`` of one server, with its error mapping."""

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        limits: Limits,
        transport: httpx.AsyncBaseTransport | None = None,
        label: str | None = None,
    ) -> None:
        url = httpx.URL(base_url.rstrip("/"))
        self.url = str(url.copy_with(username=None, password=None))
        self.label = label or f"Hummingbot API at {self.url}"
        self.limits = limits
        self.bytes_received = 0
        self._password = password
        self._client = httpx.AsyncClient(
            base_url=url.copy_with(username=None, password=None),
            auth=httpx.BasicAuth(username, password),
            transport=transport,
            timeout=httpx.Timeout(limits.timeout),
            limits=httpx.Limits(
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_connections,
            ),
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def call(self, call: Call) -> Any:
        """Send ``call``; return the decoded JSON body of a successful reply."""
        return self.decode(call, await self.fetch(call))

    async def fetch(self, call: Call) -> bytes:
        """Send ``call`` (retrying idempotent reads); return the raw body of a 2xx reply."""
        attempts = 1 + (self.limits.retries if call.read and not call.long else 0)
        failures = 0
        while True:
            try:
                return await self._once(call)
            except HummingbotError as exc:
                failures += 1
                if failures >= attempts or not _retryable(exc):
                    raise
            await asyncio.sleep(self._delay(failures - 1))

    def decode(self, call: Call, raw: bytes) -> Any:
        """Parse a 2xx body and raise what a "200 but failed" envelope in it says."""
        if not raw.strip():
            return None
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise BadResponse(
                f"{self.label} sent a reply that is not JSON ({call.action}): "
                f"{self._snippet(raw, call)!r}. Is hummingbot.url the Hummingbot API? "
                f"Open {self.url}/docs in a browser to check.",
                server_text=self._snippet(raw, call),
            ) from None
        found = failure_in(body, error_key=call.error_key)
        if found is not None:
            words, timed_out = found
            raise failure_error(
                self.scrub(words, call), action=call.action, timed_out=timed_out, hint=call.hint
            )
        return body

    def unreadable(self, call: Call, problem: str) -> BadResponse:
        """The error for a JSON reply whose shape is not what the route returns."""
        return BadResponse(
            f"{self.label} sent a reply tradeagent cannot read ({call.action}): {problem}. "
            "This Hummingbot API version may be unsupported; `tradeagent doctor` shows it.",
            server_text=problem,
        )

    def scrub(self, text: str, call: Call | None = None) -> str:
        """``text`` with the API password and the call's secrets masked."""
        secrets = [self._password, *(call.secrets if call else ())]
        for secret in secrets:
            if len(secret) >= _MIN_SECRET:
                text = text.replace(secret, _MASK)
        return text

    # -- one attempt ----------------------------------------------------------------------

    async def _once(self, call: Call) -> bytes:
        timeout = call.timeout or (self.limits.long_timeout if call.long else self.limits.timeout)
        request = self._client.build_request(
            call.method,
            call.path,
            params=call.params,  # type: ignore[arg-type]
            json=call.body,
            timeout=httpx.Timeout(timeout, connect=min(timeout, self.limits.timeout)),
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, call, timeout) from exc
        try:
            raw = await self._read(response, call)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc, call, timeout) from exc
        finally:
            await response.aclose()
        if 200 <= response.status_code < 300:
            return raw
        raise self._status_error(call, response, raw)

    async def _read(self, response: httpx.Response, call: Call) -> bytes:
        cap = self.limits.long_max_bytes if call.long else self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise self._too_big(call, cap)
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    raise self._too_big(call, cap)
                chunks.append(chunk)
        finally:
            self.bytes_received += response.num_bytes_downloaded
        return b"".join(chunks)

    def _too_big(self, call: Call, cap: int) -> BadResponse:
        return BadResponse(
            f"{self.label} sent more than {cap // MiB} MB ({call.action}); tradeagent stopped "
            "reading. Ask for less (a shorter period, fewer pairs), or check that hummingbot.url "
            "points at the Hummingbot API."
        )

    def _delay(self, attempt: int) -> float:
        # Exponential backoff with jitter, so many clients do not retry in lockstep.
        ceiling = min(self.limits.max_backoff, self.limits.backoff * 2.0**attempt)
        return ceiling * random.uniform(0.5, 1.0)

    # -- mapping failures -----------------------------------------------------------------

    def _transport_error(self, exc: httpx.HTTPError, call: Call, timeout: float) -> HummingbotError:
        reason = self.scrub(str(exc) or type(exc).__name__)
        if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            return TimedOut(
                f"{self.label} did not accept a connection within {timeout:g} s "
                f"({call.action}). Check hummingbot.url and the network, then "
                "`tradeagent doctor`.",
                maybe_delivered=False,
                server_text=reason,
            )
        if isinstance(exc, httpx.TimeoutException):
            knob = "hummingbot.long_timeout_s" if call.long else "hummingbot.timeout_s"
            return TimedOut(
                f"{self.label} did not answer within {timeout:g} s ({call.action}). It may be "
                f"busy; try again, or raise {knob}.",
                maybe_delivered=True,
                server_text=reason,
            )
        if isinstance(exc, httpx.ConnectError):
            return Unreachable(self._connect_message(exc, reason), server_text=reason)
        if isinstance(exc, httpx.RemoteProtocolError) and not _hung_up(reason):
            return BadResponse(
                f"{self.label} does not answer in HTTP ({call.action}: {reason}). Is "
                "hummingbot.url the Hummingbot API's address (port 8000), not the MQTT broker "
                "or another service?",
                server_text=reason,
            )
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            return ConnectionLost(
                f"{self.label} dropped the connection before answering ({call.action}). "
                "It may have restarted: check `docker compose ps`, then try again.",
                server_text=reason,
            )
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return Unreachable(
                f"{self.url} is not a usable URL ({reason}). Set hummingbot.url to something "
                "like http://127.0.0.1:8000 (`tradeagent config` shows it).",
                server_text=reason,
            )
        return Unreachable(
            f"{self.label} cannot be reached ({reason}). Check hummingbot.url and that the "
            "host is up, then `tradeagent doctor`.",
            server_text=reason,
        )

    def _connect_message(self, exc: BaseException, reason: str) -> str:
        causes = list(_chain(exc))
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return (
                f"{self.label} refused the connection. Is it running? `docker compose up -d`, "
                "then `tradeagent doctor`."
            )
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            host = httpx.URL(self.url).host
            return (
                f"{self.label}: the host '{host}' cannot be found. Check hummingbot.url "
                "(`tradeagent config` shows it)."
            )
        return (
            f"{self.label} cannot be reached ({reason}). Check hummingbot.url and that the host "
            "is up, then `tradeagent doctor`."
        )

    def _status_error(self, call: Call, response: httpx.Response, raw: bytes) -> HummingbotError:
        code = response.status_code
        detail, fields = _detail(raw)
        detail = self.scrub(detail, call)
        said = detail.rstrip(". ") or "no details"
        if 300 <= code < 400:
            where = response.headers.get("location", "somewhere else")
            return BadResponse(
                f"{self.label} redirects to {where} ({call.action}). Set hummingbot.url to the "
                "address it redirects to.",
                status_code=code,
                server_text=detail,
            )
        if code in (401, 403):
            return AuthFailed(
                f"{self.label} rejected the username and password ({said}). Set "
                "hummingbot.username and hummingbot.password to USERNAME and PASSWORD from the "
                "API's .env, then `tradeagent doctor`.",
                status_code=code,
                server_text=detail,
            )
        if code == 404:
            return self._not_found(call, detail)
        if code == 422:
            listed = "; ".join(str(f) for f in fields) if fields else detail
            return InvalidRequest(
                f"{capital(call.action)} refused by the server as malformed: {listed}. "
                "tradeagent and this Hummingbot API disagree on the request format; "
                "`tradeagent doctor` shows the server version.",
                fields=fields,
                status_code=code,
                server_text=detail,
            )
        if 400 <= code < 500:
            tail = f" {call.hint}" if call.hint else ""
            return Rejected(
                f"{capital(call.action)} rejected by the server: {said}.{tail}",
                status_code=code,
                server_text=detail,
            )
        if code in _RETRY_STATUSES:
            return ServerError(
                f"{self.label} is unavailable (HTTP {code}: {said}; "
                f"{call.action}). It may be starting or overloaded; try again in a few seconds.",
                status_code=code,
                server_text=detail,
            )
        return ServerError(
            f"{self.label} failed with HTTP {code} ({call.action}): {said}. "
            "Its log says why: `docker compose logs --tail 50 hummingbot-api`.",
            status_code=code,
            server_text=detail,
        )

    def _not_found(self, call: Call, detail: str) -> NotFound:
        if detail in ("", "Not Found"):
            # FastAPI's own 404: the route itself does not exist on this server.
            return NotFound(
                f"{self.label} has no route {call.method} {call.path}: it is not the Hummingbot "
                "API version tradeagent speaks (1.0+). `tradeagent doctor` shows what answers; "
                "update with `docker compose pull && docker compose up -d`.",
                status_code=404,
                server_text=detail,
            )
        tail = f" {call.not_found_hint}" if call.not_found_hint else ""
        return NotFound(f"{detail.rstrip('.')}.{tail}", status_code=404, server_text=detail)

    def _snippet(self, raw: bytes, call: Call) -> str:
        return self.scrub(_plain(raw)[:80], call)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it was raised from (httpx wraps the OS error twice)."""
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _hung_up(reason: str) -> bool:
    # h11 says "disconnected"/"closed" when the peer went away, "illegal …" for non-HTTP bytes.
    lowered = reason.lower()
    return "disconnect" in lowered or "closed" in lowered


def _retryable(exc: HummingbotError) -> bool:
    if isinstance(exc, TimedOut | Unreachable):
        return True
    return isinstance(exc, ServerError) and exc.status_code in _RETRY_STATUSES


def _detail(raw: bytes) -> tuple[str, tuple[FieldError, ...]]:
    """The server's explanation in an error body, and 422 field errors (never their inputs)."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _plain(raw)[:_SNIPPET], ()
    if isinstance(body, dict):
        detail = body.get("detail", body.get("message", body.get("error")))
        if isinstance(detail, list):
            fields = tuple(_field(item) for item in detail if isinstance(item, dict))
            return "; ".join(str(f) for f in fields)[:_SNIPPET], fields
        if isinstance(detail, str):
            return detail[:_SNIPPET], ()
    return json.dumps(body)[:_SNIPPET], ()


def _field(item: Mapping[str, Any]) -> FieldError:
    loc = item.get("loc", ())
    parts = tuple(p if isinstance(p, int) else str(p) for p in loc) if isinstance(loc, list) else ()
    return FieldError(loc=parts, msg=str(item.get("msg", "")), type=str(item.get("type", "")))


def _plain(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())
