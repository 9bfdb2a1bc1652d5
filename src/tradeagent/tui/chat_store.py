"""Conversations in the journal, so none is lost to a restart or a crash.

Entries (``ref`` = the conversation id):

- ``chat.start`` ``{title, assistant}`` once, with the first prompt;
- ``chat.prompt`` ``{turn, text}`` when a prompt is sent;
- ``chat.partial`` ``{turn, offset, text}`` while a reply streams: the text added since the last
  partial, at a modest rate, so a crash loses at most the last second;
- ``chat.reply`` ``{turn, ...}`` the finished turn (text, status, tool lines, proposal, usage);
- ``chat.retry`` ``{turn}`` the trader redoes turn ``turn``: it and later turns are superseded.

The journal is append-only, so a retry supersedes rather than erases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tradeagent.ai.conversation import Conversation, Turn
from tradeagent.ai.usage import Usage
from tradeagent.desk.journal import Journal

START = "chat.start"
PROMPT = "chat.prompt"
PARTIAL = "chat.partial"
REPLY = "chat.reply"
RETRY = "chat.retry"


@dataclass(frozen=True)
class ConversationInfo:
    id: str
    title: str
    started: datetime
    assistant: str


class ChatStore:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._partial_offsets: dict[tuple[str, int], int] = {}

    # ------------------------------------------------------------------ write
    def prompt(self, conversation: Conversation, index: int, assistant: str) -> None:
        """Record the prompt of turn ``index`` (and the conversation, on its first prompt)."""
        if not self.journal.entries(kind=START, ref=conversation.id, limit=1):
            self.journal.append(
                START, {"title": conversation.title, "assistant": assistant}, ref=conversation.id
            )
        self.journal.append(
            PROMPT, {"turn": index, "text": conversation.turns[index].prompt}, ref=conversation.id
        )
        self._partial_offsets[(conversation.id, index)] = 0

    def partial(self, conversation: Conversation, index: int) -> None:
        """Record the reply text that arrived since the last call."""
        key = (conversation.id, index)
        offset = self._partial_offsets.get(key, 0)
        text = conversation.turns[index].reply
        if len(text) <= offset:
            return
        self.journal.append(
            PARTIAL, {"turn": index, "offset": offset, "text": text[offset:]}, ref=conversation.id
        )
        self._partial_offsets[key] = len(text)

    def reply(self, conversation: Conversation, index: int) -> None:
        """Record the finished turn ``index``."""
        self._partial_offsets.pop((conversation.id, index), None)
        body: dict[str, Any] = {"turn": index, **conversation.turns[index].to_json()}
        body.pop("prompt")
        self.journal.append(REPLY, body, ref=conversation.id)

    def retry(self, conversation: Conversation, index: int) -> None:
        self.journal.append(RETRY, {"turn": index}, ref=conversation.id)

    # ------------------------------------------------------------------- read
    def conversations(self, limit: int = 100) -> list[ConversationInfo]:
        """Conversations, the most recently active first."""
        seen: dict[str, ConversationInfo] = {
            entry.ref: ConversationInfo(
                entry.ref,
                str(entry.payload.get("title") or "(untitled)"),
                entry.ts,
                str(entry.payload.get("assistant") or ""),
            )
            for entry in self.journal.entries(kind=START)
            if entry.ref
        }
        order: list[str] = []
        # Prompts mark activity and are small (partial replies are not read for this).
        for entry in self.journal.entries(kind=PROMPT, newest_first=True):
            if entry.ref in seen and entry.ref not in order:
                order.append(entry.ref)
                if len(order) >= limit:
                    break
        return [seen[ref] for ref in order]

    def latest(self) -> Conversation | None:
        found = self.conversations(limit=1)
        return self.load(found[0].id) if found else None

    def load(self, conversation_id: str) -> Conversation:
        """Rebuild a conversation; a reply that never finished comes back ``interrupted``."""
        entries = self.journal.entries(kind_prefix="chat.", ref=conversation_id)
        conversation = Conversation(id=conversation_id)
        finished: set[int] = set()
        for entry in entries:
            payload = entry.payload
            index = int(payload.get("turn", -1))
            if entry.kind == START:
                conversation.started = entry.ts
            elif entry.kind == PROMPT and index >= 0:
                del conversation.turns[index:]
                finished = {i for i in finished if i < index}
                conversation.turns.append(Turn(prompt=str(payload.get("text", ""))))
            elif entry.kind == RETRY and index >= 0:
                del conversation.turns[index:]
                finished = {i for i in finished if i < index}
            elif entry.kind == PARTIAL and 0 <= index < len(conversation.turns):
                turn = conversation.turns[index]
                offset = int(payload.get("offset", len(turn.reply)))
                turn.reply = turn.reply[:offset] + str(payload.get("text", ""))
            elif entry.kind == REPLY and 0 <= index < len(conversation.turns):
                conversation.turns[index] = _turn_from(conversation.turns[index].prompt, payload)
                finished.add(index)
        for index, turn in enumerate(conversation.turns):
            if index not in finished:
                turn.status = "interrupted"
                turn.retryable = True
        return conversation


def _turn_from(prompt: str, payload: dict[str, Any]) -> Turn:
    status = payload.get("status")
    usage = payload.get("usage")
    return Turn(
        prompt=prompt,
        reply=str(payload.get("reply", "")),
        status=status if status in ("done", "cut", "failed", "interrupted") else "done",
        activity=[str(line) for line in payload.get("activity") or []],
        proposal_yaml=payload.get("proposal_yaml") or None,
        usage=Usage.from_json(usage) if isinstance(usage, dict) else None,
        error=payload.get("error") or None,
        retryable=bool(payload.get("retryable", False)),
    )
