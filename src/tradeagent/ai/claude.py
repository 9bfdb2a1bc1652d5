"""Claude over ``AsyncAnthropic``: streamed replies, the tool loop and proposal repair.

One reply is one or more streamed requests: text streams out as it arrives; when Claude calls
tools, they run (all read-only), their results go back in one user turn, and the next request
continues. An invalid ``propose_strategy`` is answered with its validation problems so Claude can
repair it, a bounded number of times. Every failure ends the reply with one :class:`Failed`
event; what was streamed before it stays with the consumer.

History is rebuilt from the transcript (prompt and visible reply of each finished turn), so a
reopened conversation continues the same way and earlier turns never carry thinking blocks.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Sequence
from contextlib import AsyncExitStack
from typing import Any

import anthropic
import httpx2

from tradeagent.ai import failures
from tradeagent.ai.context import render_context
from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import (
    AssistantEvent,
    Failed,
    Finished,
    Status,
    TextDelta,
    ToolActivity,
    UsageReport,
)
from tradeagent.ai.tools import ToolBox
from tradeagent.ai.usage import Usage
from tradeagent.strategy import ControllerConfigBase

DEFAULT_BASE_URL = "https://api.anthropic.com"
MAX_TOOL_ROUNDS = 8
OPEN_RETRY_CAP_S = 8.0
"""Retry by ourselves only when asked to wait at most this long; else the trader decides."""

_RETRY_OPEN = (
    anthropic.RateLimitError,
    anthropic.InternalServerError,
    anthropic.APIConnectionError,
)
_TURN_NOTES = {
    "cut": "[the trader stopped this reply here]",
    "failed": "[this reply was interrupted by an error]",
    "interrupted": "[this reply was interrupted: tradeagent closed]",
}


class ClaudeAssistant:
    """The assistant with a key. Create and use it inside the app's event loop."""

    def __init__(
        self,
        *,
        api_key: str | None,
        model: str,
        max_tokens: int,
        effort: str,
        toolbox: ToolBox,
        base_url: str | None = None,
        max_repair_attempts: int = 3,
        read_timeout_s: float = 60.0,
        connect_timeout_s: float = 10.0,
        open_retries: int = 1,
        retry_backoff_s: float = 1.0,
    ) -> None:
        self.model = model
        self.max_tokens = max_tokens
        self.effort = effort
        self.toolbox = toolbox
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.max_repair_attempts = max_repair_attempts
        self.read_timeout_s = read_timeout_s
        self.open_retries = open_retries
        self.retry_backoff_s = retry_backoff_s
        self._api_key = api_key
        self._timeout = anthropic.Timeout(read_timeout_s, connect=connect_timeout_s)
        self._client: anthropic.AsyncAnthropic | None = None
        self._preparing = asyncio.Lock()

    @property
    def label(self) -> str:
        return self.model

    async def prepare(self) -> None:
        """Build the client and the tool schemas in a thread (about 0.2 s of CPU)."""
        if self._client is None:
            async with self._preparing:
                if self._client is None:
                    self._client = await asyncio.to_thread(self._build)

    def _build(self) -> anthropic.AsyncAnthropic:
        self.toolbox.definitions()
        self.toolbox.system_prompt()
        asyncio.run(_warm_sdk())
        # Retries are ours (capped, visible): the SDK would honour any retry-after, however long.
        return anthropic.AsyncAnthropic(
            api_key=self._api_key, base_url=self.base_url, max_retries=0, timeout=self._timeout
        )

    def _anthropic(self) -> anthropic.AsyncAnthropic:
        assert self._client is not None, "prepare() first"
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    # ---------------------------------------------------------------- request
    def _request(self, messages: list[Any]) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": [
                {
                    "type": "text",
                    "text": self.toolbox.system_prompt(),
                    "cache_control": {"type": "ephemeral"},
                }
            ],
            "tools": self.toolbox.definitions(),
            "tool_choice": {"type": "auto"},
            "output_config": {"effort": self.effort},
            "messages": messages,
        }

    @staticmethod
    def history_messages(history: Sequence[Turn]) -> list[dict[str, Any]]:
        """Earlier turns as plain user/assistant text, exactly as the trader saw them."""
        messages: list[dict[str, Any]] = []
        for turn in history:
            if not turn.prompt.strip():
                continue
            reply = turn.reply.strip()
            if turn.proposal_yaml:
                reply += "\n\n[proposal accepted into the draft]"
            note = _TURN_NOTES.get(turn.status)
            if note:
                reply += "\n\n" + note
            messages.append({"role": "user", "content": turn.prompt})
            messages.append({"role": "assistant", "content": reply.strip() or "[no reply]"})
        return messages

    # ------------------------------------------------------------------ reply
    async def reply(
        self,
        history: Sequence[Turn],
        prompt: str,
        *,
        draft: ControllerConfigBase | None = None,
        broken_draft: str | None = None,
    ) -> AsyncGenerator[AssistantEvent, None]:
        """Stream one reply to ``prompt``. Cancel the iteration to cut it."""
        if not self._api_key:
            yield failures.no_key()
            return
        await self.prepare()
        context = await render_context(
            self.toolbox.sources, self.toolbox.draft_yaml(draft), broken_draft=broken_draft
        )
        messages: list[Any] = self.history_messages(history)
        messages.append(
            {
                "role": "user",
                "content": [{"type": "text", "text": context}, {"type": "text", "text": prompt}],
            }
        )
        rejected = 0
        for _round in range(MAX_TOOL_ROUNDS):
            final: Any = None
            async for event in self._stream_once(messages):
                if isinstance(event, _Final):
                    final = event.message
                else:
                    yield event
                    if isinstance(event, Failed):
                        return
            usage = final.usage
            yield UsageReport(
                Usage.of(
                    self.model,
                    input_tokens=usage.input_tokens or 0,
                    output_tokens=usage.output_tokens or 0,
                    cache_read_tokens=usage.cache_read_input_tokens or 0,
                    cache_write_tokens=usage.cache_creation_input_tokens or 0,
                )
            )
            stop = final.stop_reason
            if stop is None:
                yield failures.incomplete()
                return
            if stop == "refusal":
                details = getattr(final, "stop_details", None)
                yield failures.refusal(getattr(details, "category", None))
                return
            if stop == "max_tokens":
                yield failures.max_tokens(self.max_tokens)
                return
            if stop == "model_context_window_exceeded":
                yield Failed(
                    "bad_request",
                    "This conversation is longer than the model can read. Start a new one "
                    "(ctrl+n); the draft stays.",
                    retryable=False,
                )
                return
            if stop == "pause_turn":
                messages.append(final.to_param())
                continue
            if stop != "tool_use":
                yield Finished(stop)
                return
            messages.append(final.to_param())
            results: list[dict[str, Any]] = []
            problems: list[str] = []
            for block in final.content:
                if block.type != "tool_use":
                    continue
                yield ToolActivity(block.id, self.toolbox.start_line(block.name, block.input))
                outcome = await self.toolbox.run(
                    block.name, block.input, attempt=rejected + 1, draft=draft
                )
                yield ToolActivity(block.id, outcome.line, finished=True, ok=not outcome.is_error)
                if outcome.proposal is not None:
                    draft = outcome.proposal.config
                    yield outcome.proposal
                if outcome.problems is not None:
                    rejected += 1
                    problems = outcome.problems
                results.append(
                    {
                        "type": "tool_result",
                        "tool_use_id": block.id,
                        "content": outcome.content,
                        "is_error": outcome.is_error,
                    }
                )
            if problems and rejected > self.max_repair_attempts:
                yield failures.repair_exhausted(rejected, problems)
                return
            messages.append({"role": "user", "content": results})
        yield failures.tool_loop(MAX_TOOL_ROUNDS)

    async def _stream_once(
        self, messages: list[Any]
    ) -> AsyncGenerator[AssistantEvent | _Final, None]:
        """One request: stream events out, then the final message (or one Failed)."""
        tool_json: dict[int, list[str]] = {}
        tool_names: dict[int, str] = {}
        try:
            async with AsyncExitStack() as stack:
                stream = None
                for attempt in range(self.open_retries + 1):
                    try:
                        stream = await stack.enter_async_context(
                            self._anthropic().messages.stream(**self._request(messages))
                        )
                        break
                    except _RETRY_OPEN as exc:
                        wait = self._retry_wait(exc, attempt)
                        if wait is None:
                            raise
                        yield Status(f"Claude is busy; retrying in {wait:.0f} s…")
                        await asyncio.sleep(wait)
                assert stream is not None
                async for event in stream:
                    if event.type == "text":
                        yield TextDelta(event.text)
                    elif event.type == "content_block_start":
                        block = event.content_block
                        if block.type == "thinking":
                            yield Status("thinking…")
                        elif block.type == "tool_use":
                            tool_names[event.index] = block.name
                            tool_json[event.index] = []
                    elif event.type == "content_block_delta":
                        if event.delta.type == "input_json_delta" and event.index in tool_json:
                            tool_json[event.index].append(event.delta.partial_json)
                    elif event.type == "content_block_stop" and event.index in tool_json:
                        raw = "".join(tool_json[event.index]).strip() or "{}"
                        try:
                            json.loads(raw)
                        except ValueError:
                            yield failures.malformed_tool_input(tool_names[event.index])
                            return
                    elif event.type == "message_stop":
                        # Do not wait for the server to close the socket.
                        break
                yield _Final(stream.current_message_snapshot)
        except asyncio.CancelledError:
            raise
        except ValueError as exc:
            if "tool parameter JSON" not in str(exc):
                raise
            yield failures.malformed_tool_input(next(iter(tool_names.values()), "a tool"))
        except TypeError as exc:
            # The SDK raises TypeError on the first request when no credential resolves.
            if "authentication" not in str(exc).lower():
                raise
            yield failures.no_key()
        except (anthropic.APIError, httpx2.TransportError) as exc:
            yield failures.from_exception(
                exc, base_url=self.base_url, read_timeout=self.read_timeout_s
            )

    def _retry_wait(self, exc: Exception, attempt: int) -> float | None:
        """Seconds to wait before retrying the open, or None to give up now."""
        if attempt >= self.open_retries:
            return None
        if isinstance(exc, anthropic.APITimeoutError):
            return None  # it already waited a whole timeout
        if isinstance(exc, anthropic.APIStatusError):
            asked: float | None = failures.retry_after(exc)
            if asked is not None:
                return asked if asked <= OPEN_RETRY_CAP_S else None
        return self.retry_backoff_s * 2.0**attempt


_WARM_UP_EVENTS: list[dict[str, Any]] = [
    {
        "type": "message_start",
        "message": {
            "id": "msg_warm_up",
            "type": "message",
            "role": "assistant",
            "model": "warm-up",
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        },
    },
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "ok"}},
    {"type": "content_block_stop", "index": 0},
    {
        "type": "content_block_start",
        "index": 1,
        "content_block": {"type": "tool_use", "id": "toolu_warm", "name": "t", "input": {}},
    },
    {
        "type": "content_block_delta",
        "index": 1,
        "delta": {"type": "input_json_delta", "partial_json": '{"a": 1}'},
    },
    {"type": "content_block_stop", "index": 1},
    {
        "type": "message_delta",
        "delta": {"stop_reason": "tool_use", "stop_sequence": None},
        "usage": {"output_tokens": 2},
    },
    {"type": "message_stop"},
]


async def _warm_sdk() -> None:
    """Stream one canned reply through the SDK, in memory (no network).

    The SDK builds its event and message models on first use; doing it here, on the worker
    thread that loads the client, keeps that cost (tens of ms) out of the first real reply.
    """
    body = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in _WARM_UP_EVENTS)

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, content=body.encode(), headers={"content-type": "text/event-stream"}
        )

    transport = httpx2.MockTransport(answer)
    async with (
        anthropic.AsyncAnthropic(
            api_key="warm-up",
            base_url="http://warm-up.invalid",
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=transport),
        ) as client,
        client.messages.stream(
            model="warm-up", max_tokens=1, messages=[{"role": "user", "content": "-"}]
        ) as stream,
    ):
        async for _ in stream:
            pass
        stream.current_message_snapshot.to_param()


class _Final:
    """The accumulated message at the end of one streamed request (internal to the loop)."""

    __slots__ = ("message",)

    def __init__(self, message: Any) -> None:
        self.message = message
