"""Everything that can go wrong talking to a Hummingbot API, as one hierarchy.

``str(error)`` is the message a trader reads: what happened, why, and what to do next, in one or
two lines. The technical details (HTTP status, the server's own text) ride along as attributes
for the log file. No message ever contains the API password or a credential the caller sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class FieldError:
    """One field the server (or the client, before sending) found wrong."""

    loc: tuple[str | int, ...]
    msg: str
    type: str = ""

    @property
    def where(self) -> str:
        """The field as a dotted path without FastAPI's leading ``body``/``query``."""
        parts = [str(p) for p in self.loc]
        if len(parts) > 1 and parts[0] in {"body", "query", "path"}:
            parts = parts[1:]
        return ".".join(parts) or "request"

    def __str__(self) -> str:
        return f"{self.where}: {self.msg}"


class HummingbotError(Exception):
    """Base of every error the client raises. ``str()`` is the trader-facing message."""

    def __init__(
        self, message: str, *, status_code: int | None = None, server_text: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.server_text = server_text

    def __str__(self) -> str:
        return self.message


class Unreachable(HummingbotError):
    """No connection could be made (refused, unknown host, bad URL): nothing reached the server."""


class ConnectionLost(Unreachable):
    """The connection broke after the request left: the server may or may not have acted on it."""


class TimedOut(HummingbotError):
    """No answer in time. ``maybe_delivered`` is False when even the connection never opened."""

    def __init__(
        self,
        message: str,
        *,
        maybe_delivered: bool,
        status_code: int | None = None,
        server_text: str | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, server_text=server_text)
        self.maybe_delivered = maybe_delivered


class AuthFailed(HummingbotError):
    """HTTP 401/403: the username or password is wrong (or missing)."""


class NotFound(HummingbotError):
    """The bot, config, account or route does not exist (404, or a 200 saying "not found")."""


class Rejected(HummingbotError):
    """The server understood the request and refused it; the message carries its words."""


class InvalidRequest(HummingbotError):
    """The request itself is malformed: HTTP 422, or a name refused before sending."""

    def __init__(
        self,
        message: str,
        *,
        fields: tuple[FieldError, ...] = (),
        status_code: int | None = None,
        server_text: str | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, server_text=server_text)
        self.fields = fields


class ServerError(HummingbotError):
    """HTTP 5xx: the server failed (its text, even plain ``Internal Server Error``, is kept)."""


class BadResponse(HummingbotError):
    """The reply cannot be used: not JSON, the wrong shape, a redirect, or too large."""


class Outcome(StrEnum):
    """What a check of the server showed after a write whose reply was lost."""

    APPLIED = "applied"
    NOT_SEEN = "not_seen"
    UNKNOWN = "unknown"


class UnconfirmedWrite(HummingbotError):
    """A write (deploy, stop, credentials…) lost its reply, and checking did not confirm it.

    Writes are never retried blindly. When the check shows the write took effect, the method
    returns normally with ``recovered=True`` instead of raising.
    """

    outcome: Outcome


class NotApplied(UnconfirmedWrite):
    """The reply was lost and the server shows no sign of the write (so far)."""

    outcome = Outcome.NOT_SEEN


class OutcomeUnknown(UnconfirmedWrite):
    """The reply was lost and the server's state could not tell whether the write happened."""

    outcome = Outcome.UNKNOWN
