"""A fake Anthropic Messages API on 127.0.0.1: real HTTP/1.1, real SSE framing, scripted replies.

The real ``AsyncAnthropic`` client talks to it through ``base_url``. Every request takes the next
scripted reply (or, when the script is empty, asks the ``responder``), and every request is
recorded (method, path, headers, raw body) so tests can inspect exactly what left the app.

Streams are sent with chunked transfer encoding, one SSE event per chunk, so the failure actions
behave like the real thing: :class:`Reset` aborts the socket mid-body (the client sees a protocol
error), :class:`Hang` stops sending (the client's read timeout fires), and a stream built with
``complete=False`` ends cleanly without ``message_delta``/``message_stop``.

Use it in the test's own loop (``async with FakeAnthropicServer(...) as server``), on a thread
(``with FakeAnthropicServer(...).in_thread() as server``) when the client runs its own loop, or
as a separate process that streams a token file to every request (the bench, so the server
takes no CPU or GIL from the client it measures)::

    python tests/fakes/anthropic_server.py --tokens-file tokens.json   # prints its URL

``GET /_stats`` answers ``{"requests": N, "last_byte_sent_at": T}`` (``time.monotonic()``,
comparable between processes on Linux).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any

MODEL = "claude-sonnet-5-5"


# ------------------------------------------------------------------ script items
@dataclass(frozen=True)
class Event:
    """One SSE event: ``event: NAME`` / ``data: JSON``."""

    name: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        return f"event: {self.name}\ndata: {json.dumps(self.data)}\n\n".encode()


@dataclass(frozen=True)
class Raw:
    """Bytes sent as they are (malformed framing, comments…)."""

    data: bytes


@dataclass(frozen=True)
class Pause:
    seconds: float


@dataclass(frozen=True)
class Reset:
    """Abort the connection in the middle of the body."""


@dataclass(frozen=True)
class Hang:
    """Send nothing more and keep the socket open (until the client gives up)."""


StreamItem = Event | Raw | Pause | Reset | Hang


@dataclass(frozen=True)
class StreamReply:
    items: Sequence[StreamItem]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorReply:
    status: int
    error_type: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class JsonReply:
    status: int
    body: dict[str, Any]


Reply = StreamReply | ErrorReply | JsonReply
Responder = Callable[["RecordedRequest"], Reply]


# ------------------------------------------------------------------ content blocks
@dataclass(frozen=True)
class Text:
    text: str
    chunk_size: int = 12


@dataclass(frozen=True)
class Thinking:
    """A thinking block. Empty ``summary`` = the default ``display: omitted`` shape."""

    summary: str = ""
    signature: str = "EqQBCkYIBxgCKkBfakesignature"


@dataclass(frozen=True)
class ToolCall:
    """A tool_use block whose input arrives as ``input_json_delta`` fragments.

    ``raw_json`` sends exactly that text instead of ``json.dumps(input)`` (for malformed input).
    """

    name: str
    input: dict[str, Any] | None = None
    raw_json: str | None = None
    id: str | None = None
    chunk_size: int = 24


Block = Text | Thinking | ToolCall
_tool_ids = count(1)


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def message_start(
    *, model: str = MODEL, input_tokens: int = 25, cache_read: int = 0, cache_write: int = 0
) -> Event:
    return Event(
        "message_start",
        {
            "type": "message_start",
            "message": {
                "id": "msg_01FAKE",
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "stop_details": None,
                "usage": {
                    "input_tokens": input_tokens,
                    "output_tokens": 1,
                    "cache_creation_input_tokens": cache_write,
                    "cache_read_input_tokens": cache_read,
                },
            },
        },
    )


def block_events(index: int, block: Block, *, close: bool = True) -> list[Event]:
    """content_block_start, its deltas and (unless ``close`` is false) content_block_stop."""
    events: list[Event] = []
    delta_events: list[dict[str, Any]]
    if isinstance(block, Text):
        start: dict[str, Any] = {"type": "text", "text": ""}
        delta_events = [
            {"type": "text_delta", "text": piece} for piece in _chunks(block.text, block.chunk_size)
        ]
    elif isinstance(block, Thinking):
        start = {"type": "thinking", "thinking": "", "signature": ""}
        delta_events = [
            {"type": "thinking_delta", "thinking": piece}
            for piece in (_chunks(block.summary, 40) if block.summary else [])
        ]
        delta_events.append({"type": "signature_delta", "signature": block.signature})
    else:
        tool_id = block.id or f"toolu_{next(_tool_ids):04d}"
        start = {"type": "tool_use", "id": tool_id, "name": block.name, "input": {}}
        body = block.raw_json if block.raw_json is not None else json.dumps(block.input or {})
        delta_events = [{"type": "input_json_delta", "partial_json": ""}] + [
            {"type": "input_json_delta", "partial_json": piece}
            for piece in _chunks(body, block.chunk_size)
        ]
    events.append(
        Event(
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": start},
        )
    )
    events.extend(
        Event("content_block_delta", {"type": "content_block_delta", "index": index, "delta": d})
        for d in delta_events
    )
    if close:
        events.append(Event("content_block_stop", {"type": "content_block_stop", "index": index}))
    return events


def error_event(error_type: str = "overloaded_error", message: str = "Overloaded") -> Event:
    return Event("error", {"type": "error", "error": {"type": error_type, "message": message}})


def ping() -> Event:
    return Event("ping", {"type": "ping"})


def reply(
    *blocks: Block,
    stop_reason: str | None = None,
    stop_details: dict[str, Any] | None = None,
    input_tokens: int = 25,
    output_tokens: int | None = None,
    cache_read: int = 0,
    cache_write: int = 0,
    complete: bool = True,
    then: Sequence[StreamItem] = (),
    model: str = MODEL,
) -> StreamReply:
    """A whole streamed message made of ``blocks``.

    ``stop_reason`` defaults to ``tool_use`` when a tool is called, else ``end_turn``.
    ``complete=False`` leaves the last block open and sends no ``message_delta``/``message_stop``;
    ``then`` is appended after the blocks (an error event, a reset, a hang…).
    """
    items: list[StreamItem] = [
        message_start(
            model=model, input_tokens=input_tokens, cache_read=cache_read, cache_write=cache_write
        ),
        ping(),
    ]
    for index, block in enumerate(blocks):
        last = index == len(blocks) - 1
        items.extend(block_events(index, block, close=complete or not last))
    items.extend(then)
    if complete and not then:
        if stop_reason is None:
            stop_reason = "tool_use" if any(isinstance(b, ToolCall) for b in blocks) else "end_turn"
        if output_tokens is None:
            output_tokens = max(1, sum(len(b.text) // 4 for b in blocks if isinstance(b, Text)))
        items.append(
            Event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {
                        "stop_reason": stop_reason,
                        "stop_sequence": None,
                        "stop_details": stop_details,
                    },
                    "usage": {
                        "input_tokens": input_tokens,
                        "cache_creation_input_tokens": cache_write,
                        "cache_read_input_tokens": cache_read,
                        "output_tokens": output_tokens,
                    },
                },
            )
        )
        items.append(Event("message_stop", {"type": "message_stop"}))
    return StreamReply(items)


def token_stream(tokens: Sequence[str], per_second: float = 0.0) -> StreamReply:
    """One text block with exactly one ``text_delta`` per token (the bench uses this).

    ``per_second`` paces the tokens like a real model; 0 sends them as fast as possible.
    """
    items: list[StreamItem] = [
        message_start(),
        Event(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
    ]
    for token in tokens:
        items.append(
            Event(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": token},
                },
            )
        )
        if per_second:
            items.append(Pause(1 / per_second))
    items.append(Event("content_block_stop", {"type": "content_block_stop", "index": 0}))
    items.append(
        Event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": len(tokens)},
            },
        )
    )
    items.append(Event("message_stop", {"type": "message_stop"}))
    return StreamReply(items)


# ------------------------------------------------------------------ the server
@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def raw(self) -> str:
        """Headers and body as one text, for searching leaks."""
        head = "\n".join(f"{k}: {v}" for k, v in self.headers.items())
        return f"{self.method} {self.path}\n{head}\n\n{self.body.decode('utf-8', 'replace')}"


class FakeAnthropicServer:
    """The scripted fake. ``url`` is valid once started."""

    def __init__(self, *replies: Reply, responder: Responder | None = None) -> None:
        self.requests: list[RecordedRequest] = []
        self._replies: deque[Reply] = deque(replies)
        self._responder = responder
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0
        self.last_byte_sent_at: float | None = None
        """``time.monotonic()`` when the last body byte of a stream was written."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, *replies: Reply) -> None:
        self._replies.extend(replies)

    @property
    def messages_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith("/v1/messages")]

    # ------------------------------------------------------------ lifecycle
    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FakeAnthropicServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @contextmanager
    def in_thread(self) -> Iterator[FakeAnthropicServer]:
        """Run on a private event loop in a thread; stopped when the block ends."""
        loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start())
            started.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        thread = threading.Thread(target=run, name="fake-anthropic", daemon=True)
        thread.start()
        started.wait(10)
        try:
            yield self
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

    # ------------------------------------------------------------ HTTP
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        try:
            request = await self._read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            await self._send(writer, self._next_reply(request))
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            if not writer.is_closing():
                writer.close()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> RecordedRequest | None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2:
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        body = await reader.readexactly(length) if length else b""
        return RecordedRequest(parts[0], parts[1], headers, body)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        if request.path == "/_stats":
            sent = {
                "requests": len(self.messages_requests),
                "last_byte_sent_at": self.last_byte_sent_at,
            }
            return JsonReply(200, sent)
        if not request.path.startswith("/v1/messages"):
            return ErrorReply(404, "not_found_error", f"fake: no route {request.path}")
        if request.path.startswith("/v1/messages/count_tokens"):
            return JsonReply(200, {"input_tokens": len(request.body) // 4})
        if self._replies:
            return self._replies.popleft()
        if self._responder is not None:
            return self._responder(request)
        return ErrorReply(500, "api_error", "fake: no scripted reply left for this request")

    async def _send(self, writer: asyncio.StreamWriter, reply: Reply) -> None:
        if isinstance(reply, ErrorReply | JsonReply):
            if isinstance(reply, ErrorReply):
                status, extra = reply.status, reply.headers
                body: dict[str, Any] = {
                    "type": "error",
                    "error": {"type": reply.error_type, "message": reply.message},
                    "request_id": "req_fake",
                }
            else:
                status, extra, body = reply.status, {}, reply.body
            data = json.dumps(body).encode()
            headers = {
                "content-type": "application/json",
                "content-length": str(len(data)),
                "request-id": "req_fake",
                "connection": "close",
                **extra,
            }
            writer.write(_head(status, headers) + data)
            await writer.drain()
            return
        headers = {
            "content-type": "text/event-stream; charset=utf-8",
            "transfer-encoding": "chunked",
            "cache-control": "no-cache",
            "request-id": "req_fake",
            "connection": "close",
            **reply.headers,
        }
        writer.write(_head(200, headers))
        await writer.drain()
        for item in reply.items:
            if isinstance(item, Pause):
                await asyncio.sleep(item.seconds)
                continue
            if isinstance(item, Reset):
                writer.transport.abort()
                return
            if isinstance(item, Hang):
                await asyncio.Event().wait()
            payload = item.encode() if isinstance(item, Event) else item.data
            writer.write(b"%x\r\n%s\r\n" % (len(payload), payload))
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        self.last_byte_sent_at = time.monotonic()


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    529: "Overloaded",
}


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def main() -> None:
    """Serve a token file to every request until killed; print the URL first."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--tokens-file", required=True, help="JSON list of text deltas")
    parser.add_argument("--per-second", type=float, default=0.0, help="pace (0: flat out)")
    args = parser.parse_args()
    with open(args.tokens_file, encoding="utf-8") as handle:
        tokens = json.load(handle)
    server = FakeAnthropicServer(responder=lambda request: token_stream(tokens, args.per_second))

    async def serve() -> None:
        await server.start()
        print(server.url, flush=True)
        sys.stdout.close()
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
