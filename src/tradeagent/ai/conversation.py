"""A conversation as the trader saw it: turns of prompt, reply text, tool lines and outcome.

This transcript is what is persisted and what later turns send as history, so a conversation
reopened after a restart (or after a crash mid-reply) continues exactly from what was shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from tradeagent.ai.events import (
    AssistantEvent,
    Failed,
    Finished,
    Proposal,
    TextDelta,
    ToolActivity,
    UsageReport,
)
from tradeagent.ai.usage import Usage

TurnStatus = Literal["streaming", "done", "cut", "failed", "interrupted"]
"""``cut``: the trader stopped it; ``interrupted``: tradeagent ended while it streamed."""

TITLE_LENGTH = 60


@dataclass
class Turn:
    prompt: str
    reply: str = ""
    status: TurnStatus = "streaming"
    activity: list[str] = field(default_factory=list)
    proposal_yaml: str | None = None
    usage: Usage | None = None
    error: str | None = None
    retryable: bool = False

    def apply(self, event: AssistantEvent) -> None:
        """Fold one assistant event into the turn (what the screen shows, as data)."""
        if isinstance(event, TextDelta):
            self.reply += event.text
        elif isinstance(event, ToolActivity):
            if event.finished:
                self.activity.append(event.line)
        elif isinstance(event, Proposal):
            self.proposal_yaml = event.yaml
        elif isinstance(event, UsageReport):
            self.usage = event.usage if self.usage is None else self.usage + event.usage
        elif isinstance(event, Failed):
            self.status = "failed"
            self.error = event.message
            self.retryable = event.retryable
        elif isinstance(event, Finished):
            self.status = "done"

    def cut(self) -> None:
        if self.status == "streaming":
            self.status = "cut"

    @property
    def finished(self) -> bool:
        return self.status != "streaming"

    def to_json(self) -> dict[str, object]:
        return {
            "prompt": self.prompt,
            "reply": self.reply,
            "status": self.status,
            "activity": list(self.activity),
            "proposal_yaml": self.proposal_yaml,
            "usage": self.usage.to_json() if self.usage else None,
            "error": self.error,
            "retryable": self.retryable,
        }


def new_conversation_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class Conversation:
    id: str = field(default_factory=new_conversation_id)
    turns: list[Turn] = field(default_factory=list)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def title(self) -> str:
        first = next((t.prompt for t in self.turns if t.prompt.strip()), "")
        first = " ".join(first.split())
        return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def history(self) -> list[Turn]:
        """The finished turns, which later replies take as context."""
        return [t for t in self.turns if t.finished]
