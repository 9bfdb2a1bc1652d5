"""Conversations in the real SQLite journal: round trips, crashes mid-reply, retries, order."""

from __future__ import annotations

from pathlib import Path

from tradeagent.ai.conversation import Conversation, Turn
from tradeagent.ai.usage import Usage
from tradeagent.desk.journal import Journal, journal_path
from tradeagent.tui.chat_store import ChatStore


def open_store(home: Path) -> ChatStore:
    return ChatStore(Journal(journal_path(home), server="sim", mode="SIM"))


def say(store: ChatStore, conversation: Conversation, prompt: str) -> int:
    conversation.turns.append(Turn(prompt))
    index = len(conversation.turns) - 1
    store.prompt(conversation, index, "claude-sonnet-5-5")
    return index


def test_finished_turns_come_back_exactly(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    conversation = Conversation()
    first = say(store, conversation, "grid on HYPE")
    turn = conversation.turns[first]
    turn.reply = "Here is a **grid**."
    turn.activity = ["✎ proposal ready in the preview: grid_strike · HYPE-USD"]
    turn.proposal_yaml = "id: hype_grid\n"
    turn.usage = Usage.of("claude-sonnet-5-5", input_tokens=2000, output_tokens=300)
    turn.status = "done"
    store.reply(conversation, first)
    second = say(store, conversation, "and on ETH?")
    conversation.turns[second].reply = "Sure, but"
    conversation.turns[second].status = "failed"
    conversation.turns[second].error = "The connection to Anthropic dropped mid-reply."
    conversation.turns[second].retryable = True
    store.reply(conversation, second)

    reopened = open_store(tmp_path).load(conversation.id)
    assert reopened.turns == conversation.turns
    assert reopened.turns[0].usage is not None
    assert reopened.turns[0].usage.output_tokens == 300  # not redacted as a "token" secret
    assert reopened.title == "grid on HYPE"


def test_a_crash_mid_reply_keeps_every_journalled_word(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    conversation = Conversation()
    index = say(store, conversation, "explain pmm")
    turn = conversation.turns[index]
    for piece in ("Pure market making ", "quotes both sides ", "around the mid"):
        turn.reply += piece
        store.partial(conversation, index)
    store.partial(conversation, index)  # nothing new: nothing written
    # ...the process dies here: no reply entry.
    reopened = open_store(tmp_path).latest()
    assert reopened is not None and reopened.id == conversation.id
    (restored,) = reopened.turns
    assert restored.reply == "Pure market making quotes both sides around the mid"
    assert restored.status == "interrupted"
    assert restored.retryable
    partials = store.journal.entries(kind="chat.partial", ref=conversation.id)
    assert len(partials) == 3


def test_a_retry_supersedes_the_failed_attempt(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    conversation = Conversation()
    index = say(store, conversation, "supertrend on SOL")
    conversation.turns[index].reply = "Half"
    conversation.turns[index].status = "failed"
    store.reply(conversation, index)
    store.retry(conversation, index)
    conversation.turns[index] = Turn("supertrend on SOL")
    store.prompt(conversation, index, "claude-sonnet-5-5")
    conversation.turns[index].reply = "Whole answer."
    conversation.turns[index].status = "done"
    store.reply(conversation, index)

    (turn,) = open_store(tmp_path).load(conversation.id).turns
    assert (turn.reply, turn.status) == ("Whole answer.", "done")


def test_conversations_are_listed_most_recently_active_first(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    old, new = Conversation(), Conversation()
    say(store, old, "first conversation")
    say(store, new, "second conversation")
    assert [c.title for c in store.conversations()] == [
        "second conversation",
        "first conversation",
    ]
    say(store, old, "back to the first one")
    listed = store.conversations()
    assert [c.id for c in listed] == [old.id, new.id]
    assert listed[0].assistant == "claude-sonnet-5-5"
    latest = store.latest()
    assert latest is not None and latest.id == old.id and len(latest.turns) == 2


def test_an_empty_journal_has_no_conversation(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    assert store.conversations() == []
    assert store.latest() is None
