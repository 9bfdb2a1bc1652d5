"""What the assistant may know about the desk, and the guard that keeps secrets out of it.

The app injects plain async callables (``list_bots``, ``get_connectors``) so this package never
imports the Hummingbot client. Whatever they return is scrubbed before it reaches a prompt or a
tool result: keys that name a secret are dropped and secret-looking values are masked.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

DataSource = Callable[[], Awaitable[Any]]

_SECRET_KEY = re.compile(
    r"(pass(word|phrase)?|secret|api[_-]?key|private[_-]?key|token|credential|mnemonic|seed)",
    re.IGNORECASE,
)
_SECRET_VALUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}"), "an Anthropic API key"),
    (re.compile(r"\b0x[0-9a-fA-F]{64}\b"), "a private key (0x + 64 hex digits)"),
]
# Data from the desk is masked more eagerly: a bare 64-hex value there is never needed.
_MASKED_VALUES = [pattern for pattern, _ in _SECRET_VALUES] + [re.compile(r"\b[0-9a-fA-F]{64}\b")]
SEED_PHRASE = "what looks like a wallet seed phrase"
MASK = "****"


def secret_in_text(text: str) -> str | None:
    """What secret ``text`` seems to contain ("a private key …"), or None."""
    for pattern, what in _SECRET_VALUES:
        if pattern.search(text):
            return what
    words = text.split()
    # A seed phrase is 12-24 short lowercase words and nothing else.
    if (
        12 <= len(words) <= 24
        and len(set(words)) == len(words)
        and all(w.isalpha() and w.islower() and 3 <= len(w) <= 8 for w in words)
    ):
        return SEED_PHRASE
    return None


def scrub(value: Any) -> Any:
    """A copy of ``value`` without secret-named keys and with secret-looking strings masked."""
    if isinstance(value, Mapping):
        return {str(k): scrub(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list | tuple | set):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        for pattern in _MASKED_VALUES:
            value = pattern.sub(MASK, value)
        return value
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value))


@dataclass(frozen=True)
class DeskSources:
    """Read-only views of the desk, injected by the app (None: not available here)."""

    list_bots: DataSource | None = None
    get_connectors: DataSource | None = None
    mode: str = "SIM"
    """SIM (the built-in simulator) or LIVE (a real Hummingbot API)."""
    timeout_s: float = 5.0


@dataclass(frozen=True)
class Fetched:
    data: Any = None
    error: str | None = None


async def fetch(source: DataSource | None, what: str, timeout_s: float) -> Fetched:
    """Call one source; failures become a short explanation instead of an exception."""
    if source is None:
        return Fetched(error=f"{what} are not available (no Hummingbot API connected)")
    try:
        data = await asyncio.wait_for(source(), timeout_s)
    except TimeoutError:
        return Fetched(error=f"{what} did not answer within {timeout_s:.0f} s")
    except Exception as exc:
        return Fetched(error=f"{what} are unavailable ({type(exc).__name__}: {scrub(str(exc))})")
    return Fetched(data=scrub(data))


async def render_context(
    sources: DeskSources, draft_yaml: str | None, *, broken_draft: str | None = None
) -> str:
    """The per-turn ``<desk_context>`` block: mode, exchanges, bots and the current draft."""
    connectors, bots = await asyncio.gather(
        fetch(sources.get_connectors, "connectors", sources.timeout_s),
        fetch(sources.list_bots, "bots", sources.timeout_s),
    )
    mode = (
        "SIM (the built-in simulator; nothing real is traded)"
        if sources.mode == "SIM"
        else "LIVE (a real Hummingbot API; real money)"
    )
    lines = ["<desk_context>", f"Mode: {mode}"]
    lines.append("Connected exchanges and pairs: " + _compact(connectors))
    lines.append("Bots: " + _compact(bots))
    if draft_yaml:
        lines += ["Current draft (YAML, shown in the preview pane):", draft_yaml.rstrip()]
    elif broken_draft:
        lines += [
            "Current draft: the trader's text in the preview does NOT validate yet:",
            scrub(broken_draft.rstrip()),
        ]
    else:
        lines.append("Current draft: none yet.")
    lines.append("</desk_context>")
    return "\n".join(lines)


def _compact(fetched: Fetched, limit: int = 4000) -> str:
    if fetched.error is not None:
        return fetched.error
    text = json.dumps(fetched.data, default=str, separators=(",", ":"), sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"
