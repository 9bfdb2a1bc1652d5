"""Failures the server reports inside an HTTP 200, turned into the right exception.

The real API has four ways of saying "it failed" with status 200:
``{"success": false, "message": …}`` (deploy), ``{"status": "success", "response": {"success":
false, "message": …}}`` (stop/start/history), ``{"status": "error", "message": …}``
(stop-and-archive) and ``{"error": …}`` (backtesting, market data).
"""

from __future__ import annotations

from typing import Any

from tradeagent.hb.errors import HummingbotError, NotFound, Rejected, TimedOut

_NOT_FOUND_WORDS = ("not found", "does not exist", "no such")


def failure_in(body: Any, *, error_key: bool) -> tuple[str, bool] | None:
    """(the server's words, whether it says "timed out") when ``body`` reports a failure."""
    if not isinstance(body, dict):
        return None
    if body.get("success") is False:
        return _words(body), bool(body.get("timeout"))
    response = body.get("response")
    if isinstance(response, dict) and response.get("success") is False:
        return _words(response), bool(response.get("timeout"))
    if body.get("status") == "error":
        return _words(body), False
    if error_key and "error" in body and body["error"] not in (None, ""):
        return _text(body["error"]), False
    return None


def raise_for_failure(body: Any, *, action: str, error_key: bool = False, hint: str = "") -> None:
    """Raise :class:`NotFound`, :class:`TimedOut` or :class:`Rejected` if ``body`` says so."""
    found = failure_in(body, error_key=error_key)
    if found is None:
        return
    words, timed_out = found
    raise failure_error(words, action=action, timed_out=timed_out, hint=hint)


def failure_error(words: str, *, action: str, timed_out: bool, hint: str) -> HummingbotError:
    words = words.rstrip(". ") or "no reason given"
    tail = f" {hint}" if hint else ""
    if timed_out:
        return TimedOut(
            f"{capital(action)} timed out on the server: {words}. The bot may be busy or "
            f"unreachable over MQTT; try again in a few seconds.{tail}",
            maybe_delivered=True,
            server_text=words,
        )
    if any(marker in words.lower() for marker in _NOT_FOUND_WORDS):
        return NotFound(f"{capital(action)} failed: {words}.{tail}", server_text=words)
    return Rejected(f"{capital(action)} rejected by the server: {words}.{tail}", server_text=words)


def _words(body: dict[str, Any]) -> str:
    for key in ("message", "error", "detail"):
        if body.get(key):
            return _text(body[key])
    return ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def capital(text: str) -> str:
    """``text`` with its first letter upper-cased (actions start sentences)."""
    return text[:1].upper() + text[1:]
