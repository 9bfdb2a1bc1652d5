"""Every way a Claude reply can fail, turned into one message a trader can act on.

The SDK raises three families: ``anthropic.APIStatusError`` (HTTP errors, and an ``error`` event
in the middle of a stream, which arrives with status 200), ``anthropic.APIConnectionError`` (no
response at all) and raw ``httpx2.TransportError`` (the socket failed while the body streamed).
"""

from __future__ import annotations

import anthropic
import httpx2

from tradeagent.ai.events import Failed

KEY_HINT = (
    "Set ANTHROPIC_API_KEY (or ai.api_key in the config file: `tradeagent config init`), "
    "then restart tradeagent"
)


def no_key() -> Failed:
    return Failed(
        "no_key",
        f"No Anthropic API key, so Claude is off. {KEY_HINT}. "
        "Meanwhile the offline assistant answers common requests.",
        retryable=False,
    )


def from_exception(exc: BaseException, *, base_url: str, read_timeout: float) -> Failed:
    """The chat message for an exception raised while opening or reading a stream."""
    if isinstance(exc, anthropic.AuthenticationError):
        return Failed(
            "auth",
            f"Anthropic rejected the API key (401). Check it: {KEY_HINT}.",
            retryable=False,
        )
    if isinstance(exc, anthropic.PermissionDeniedError):
        return Failed(
            "permission",
            f"This API key may not use that model (403: {_api_message(exc)}). "
            "Pick another model with ai.model, or check the key's workspace.",
            retryable=False,
        )
    if isinstance(exc, anthropic.PaymentRequiredError):
        return Failed(
            "billing",
            f"Anthropic refused for billing reasons (402: {_api_message(exc)}). "
            "Check the account's credits at console.anthropic.com.",
            retryable=False,
        )
    if isinstance(exc, anthropic.RateLimitError):
        wait = retry_after(exc)
        when = f"in {wait:.0f} s" if wait else "in a moment"
        return Failed(
            "rate_limit",
            f"Rate limited by Anthropic (429). What arrived is kept; retry {when}.",
        )
    if isinstance(exc, anthropic.APIStatusError) and (
        exc.status_code == 529 or getattr(exc, "type", None) == "overloaded_error"
    ):
        where = "mid-reply" if exc.status_code == 200 else "(529)"
        return Failed(
            "overloaded",
            f"Claude is overloaded {where}. What arrived is kept.",
        )
    if isinstance(exc, anthropic.APIStatusError) and (
        exc.status_code >= 500 or exc.status_code == 200
    ):
        kind = getattr(exc, "type", None) or "api_error"
        return Failed(
            "server",
            f"Anthropic's API failed ({exc.status_code} {kind}: {_api_message(exc)}). "
            f"What arrived is kept.",
        )
    if isinstance(exc, anthropic.APIStatusError):
        return Failed(
            "bad_request",
            f"Anthropic refused the request ({exc.status_code}: {_api_message(exc)}). "
            "Check ai.model and ai.max_tokens in the config; `tradeagent config` shows them.",
            retryable=exc.status_code in (408, 409),
        )
    if isinstance(exc, anthropic.APITimeoutError | httpx2.TimeoutException):
        return Failed(
            "timeout",
            f"Anthropic sent nothing for {read_timeout:g} s, so the reply was abandoned. "
            f"What arrived is kept.",
        )
    if isinstance(exc, anthropic.APIConnectionError):
        return Failed(
            "connection",
            f"Cannot reach the Anthropic API at {base_url}. Check the network (or a proxy, or "
            f"ai.base_url).",
        )
    if isinstance(exc, httpx2.TransportError):
        return Failed(
            "dropped",
            "The connection to Anthropic dropped mid-reply. What arrived is kept.",
        )
    return Failed(
        "unexpected",
        f"The reply failed unexpectedly ({type(exc).__name__}). What arrived is kept. "
        f"If it keeps failing, the log has details.",
    )


def retry_after(exc: anthropic.APIStatusError) -> float | None:
    """Seconds the server asked to wait (``retry-after-ms`` or ``retry-after``), if any."""
    headers = exc.response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None


def _api_message(exc: anthropic.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])[:300]
    return exc.message[:300]


def incomplete() -> Failed:
    return Failed(
        "incomplete",
        "The reply stream closed before it finished. What arrived is kept.",
    )


def malformed_tool_input(tool: str) -> Failed:
    return Failed(
        "malformed_tool_input",
        f"Claude sent a garbled call to {tool} (its input was not valid JSON), so nothing was "
        f"done with it.",
    )


def refusal(category: str | None) -> Failed:
    about = f" ({category})" if category else ""
    return Failed(
        "refusal",
        f"Claude declined to answer this{about}. Rephrase the request (trading strategies and "
        "configs are fine), or ask again.",
    )


def max_tokens(limit: int) -> Failed:
    return Failed(
        "max_tokens",
        f"The reply hit the output limit (ai.max_tokens = {limit}) and stopped. Raise "
        "ai.max_tokens or ask for something shorter.",
    )


def repair_exhausted(attempts: int, errors: list[str]) -> Failed:
    listed = "; ".join(errors[:5]) + (" …" if len(errors) > 5 else "")
    return Failed(
        "repair_exhausted",
        f"Claude's proposal was still invalid after {attempts} attempt(s): {listed}. The draft "
        "is unchanged. Say what to change, pick a template (ctrl+p), or try again.",
    )


def tool_loop(rounds: int) -> Failed:
    return Failed(
        "tool_loop",
        f"Claude kept calling tools ({rounds} rounds) without finishing, so the reply was "
        "stopped. What arrived is kept. Ask a narrower question, or try again.",
    )
