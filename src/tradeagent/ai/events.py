"""What an assistant reply is made of, as it happens: the one stream the TUI and the CLI consume.

An assistant yields these in order; the consumer shows them. A reply ends with exactly one
:class:`Finished` or :class:`Failed`, unless the consumer cancels it (a cut, which is the
consumer's to record).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tradeagent.ai.usage import Usage


@dataclass(frozen=True)
class TextDelta:
    """More answer text (Markdown)."""

    text: str


@dataclass(frozen=True)
class Status:
    """A transient note while nothing else shows ("thinking…", "retrying in 2 s…")."""

    text: str


@dataclass(frozen=True)
class ToolActivity:
    """One compact line about a tool: ``finished=False`` when it starts, then its result."""

    call_id: str
    line: str
    finished: bool = False
    ok: bool = True


@dataclass(frozen=True)
class Proposal:
    """A proposal that passed validation: it becomes the draft."""

    config: Any
    """The validated ``tradeagent.strategy`` controller config."""
    yaml: str
    summary: str
    attempts: int = 1
    """How many proposals it took (1 = valid at once)."""


@dataclass(frozen=True)
class UsageReport:
    usage: Usage


FailureKind = Literal[
    "no_key",
    "auth",
    "permission",
    "billing",
    "rate_limit",
    "overloaded",
    "server",
    "bad_request",
    "connection",
    "timeout",
    "dropped",
    "incomplete",
    "malformed_tool_input",
    "refusal",
    "max_tokens",
    "repair_exhausted",
    "tool_loop",
    "unexpected",
]


@dataclass(frozen=True)
class Failed:
    """The reply stopped. ``message`` says what happened and what to do; what arrived is kept."""

    kind: FailureKind
    message: str
    retryable: bool = True


@dataclass(frozen=True)
class Finished:
    stop_reason: str = "end_turn"


AssistantEvent = TextDelta | Status | ToolActivity | Proposal | UsageReport | Failed | Finished
