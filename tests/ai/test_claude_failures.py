"""Every failure of the issue's list: a clear message, what arrived kept, retry offered."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from fakes.anthropic_server import (
    ErrorReply,
    FakeAnthropicServer,
    Hang,
    Pause,
    Reset,
    Text,
    ToolCall,
    error_event,
    reply,
)
from tradeagent.ai.events import AssistantEvent, Failed, Proposal, Status, TextDelta

from .conftest import ClaudeFactory, valid_config
from .test_claude_gateway import collect, text_of


def failure_of(events: list[AssistantEvent]) -> Failed:
    last = events[-1]
    assert isinstance(last, Failed), events
    assert sum(isinstance(e, Failed) for e in events) == 1
    return last


async def test_no_key_fails_before_any_request(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    failure = failure_of(await collect(claude(api_key=None)))
    assert failure.kind == "no_key"
    assert "ANTHROPIC_API_KEY" in failure.message and "offline assistant" in failure.message
    assert not failure.retryable
    assert fake.requests == []


@pytest.mark.parametrize(
    ("error", "kind", "words", "retryable"),
    [
        (ErrorReply(401, "authentication_error", "invalid x-api-key"), "auth", "401", False),
        (
            ErrorReply(429, "rate_limit_error", "slow down", {"retry-after": "20"}),
            "rate_limit",
            "retry in 20 s",
            True,
        ),
        (ErrorReply(529, "overloaded_error", "Overloaded"), "overloaded", "overloaded", True),
        (ErrorReply(500, "api_error", "boom"), "server", "500", True),
        (
            ErrorReply(400, "invalid_request_error", "max_tokens: too large"),
            "bad_request",
            "max_tokens: too large",
            False,
        ),
    ],
)
async def test_http_errors_become_clear_messages(
    fake: FakeAnthropicServer,
    claude: ClaudeFactory,
    error: ErrorReply,
    kind: str,
    words: str,
    retryable: bool,
) -> None:
    fake.script(error)
    failure = failure_of(await collect(claude()))
    assert failure.kind == kind
    assert words in failure.message
    assert failure.retryable is retryable
    assert len(fake.messages_requests) == 1


async def test_overloaded_mid_stream_keeps_the_partial_answer(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("Start with a small"), complete=False, then=[error_event()]))
    events = await collect(claude())
    assert text_of(events) == "Start with a small"
    failure = failure_of(events)
    assert failure.kind == "overloaded" and "mid-reply" in failure.message
    assert failure.retryable


async def test_connection_reset_mid_stream(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("Partial words"), complete=False, then=[Reset()]))
    events = await collect(claude())
    assert text_of(events) == "Partial words"
    failure = failure_of(events)
    assert failure.kind == "dropped" and "What arrived is kept" in failure.message


async def test_read_timeout_mid_stream(fake: FakeAnthropicServer, claude: ClaudeFactory) -> None:
    fake.script(reply(Text("Thinking about"), complete=False, then=[Hang()]))
    events = await collect(claude(read_timeout_s=0.3))
    assert text_of(events) == "Thinking about"
    failure = failure_of(events)
    assert failure.kind == "timeout" and "sent nothing for 0.3 s" in failure.message


async def test_stream_that_ends_without_message_stop(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("Cut short"), complete=False))
    events = await collect(claude())
    assert text_of(events) == "Cut short"
    assert failure_of(events).kind == "incomplete"


@pytest.mark.parametrize(
    "raw",
    [
        '{"config": {"id": "x",, }}',  # the SDK's own parser rejects it mid-stream
        '{"config": {"id": "btc',  # parses partially; only a strict check at block end sees it
    ],
)
async def test_malformed_tool_input_does_nothing(
    fake: FakeAnthropicServer, claude: ClaudeFactory, raw: str
) -> None:
    fake.script(reply(Text("Proposing."), ToolCall("propose_strategy", raw_json=raw)))
    events = await collect(claude())
    failure = failure_of(events)
    assert failure.kind == "malformed_tool_input" and "propose_strategy" in failure.message
    assert not any(isinstance(e, Proposal) for e in events)
    assert len(fake.messages_requests) == 1
    assert text_of(events) == "Proposing."


async def test_refusal(fake: FakeAnthropicServer, claude: ClaudeFactory) -> None:
    fake.script(
        reply(
            Text("I can't help with that."),
            stop_reason="refusal",
            stop_details={"type": "refusal", "category": "cyber", "explanation": None},
        )
    )
    events = await collect(claude())
    failure = failure_of(events)
    assert failure.kind == "refusal" and "(cyber)" in failure.message
    assert text_of(events) == "I can't help with that."


async def test_max_tokens(fake: FakeAnthropicServer, claude: ClaudeFactory) -> None:
    fake.script(reply(Text("A very long"), stop_reason="max_tokens"))
    failure = failure_of(await collect(claude()))
    assert failure.kind == "max_tokens" and "ai.max_tokens = 4000" in failure.message


async def test_busy_server_is_retried_once_when_asked_for_a_short_wait(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(
        ErrorReply(529, "overloaded_error", "Overloaded", {"retry-after": "0"}),
        reply(Text("Second time lucky.")),
    )
    events = await collect(claude(open_retries=1))
    assert any(isinstance(e, Status) and "retrying" in e.text for e in events)
    assert text_of(events) == "Second time lucky."
    assert len(fake.messages_requests) == 2


async def test_long_retry_after_is_left_to_the_trader(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(ErrorReply(429, "rate_limit_error", "slow down", {"retry-after": "600"}))
    failure = failure_of(await collect(claude(open_retries=3)))
    assert failure.kind == "rate_limit" and "600 s" in failure.message
    assert len(fake.messages_requests) == 1


async def test_unreachable_api(claude: ClaudeFactory) -> None:
    assistant = claude(base_url="http://127.0.0.1:9")
    failure = failure_of(await collect(assistant))
    assert failure.kind == "connection" and "http://127.0.0.1:9" in failure.message


async def test_cancelling_keeps_what_arrived_and_closes_the_stream(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("First words"), complete=False, then=[Pause(30)]))
    assistant = claude()
    received: list[str] = []
    first_text = asyncio.Event()

    async def consume() -> None:
        async with aclosing(assistant.reply([], "go")) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    received.append(event.text)
                    first_text.set()

    task = asyncio.create_task(consume())
    await first_text.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "".join(received) == "First words"
    # The client hung up: the next reply works at once on a fresh stream.
    fake.script(reply(Text("again")))
    assert text_of(await collect(assistant)) == "again"


async def test_a_tool_loop_that_never_ends_is_stopped(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    from tradeagent.ai.claude import MAX_TOOL_ROUNDS

    fake.script(
        *[reply(ToolCall("list_bots", {})) for _ in range(MAX_TOOL_ROUNDS)],
    )
    failure = failure_of(await collect(claude()))
    assert failure.kind == "tool_loop"
    assert len(fake.messages_requests) == MAX_TOOL_ROUNDS


async def test_valid_proposal_survives_a_later_failure(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(
        reply(ToolCall("propose_strategy", {"config": valid_config()})),
        reply(Text("It buys when"), complete=False, then=[Reset()]),
    )
    events = await collect(claude())
    assert any(isinstance(e, Proposal) for e in events)
    assert failure_of(events).kind == "dropped"
