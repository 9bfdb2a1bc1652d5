"""Test doubles for the Hummingbot API: canned contract replies in-process, and a raw TCP server
on 127.0.0.1:0 for misbehaviour httpx must meet on a real socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tradeagent.hb import HummingbotClient

PASSWORD = "s3cret-pass"
Reply = httpx.Response | Callable[[httpx.Request], httpx.Response]


class FakeApi:
    """Answers (method, path) with canned replies and records every request it receives.

    Unknown routes get FastAPI's own 404, as the real server (redirect_slashes=False) does.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[httpx.Request] = []

    def on(self, method: str, path: str, *replies: Reply) -> None:
        """Queue replies for a route; the last one repeats."""
        self.routes[(method, path)] = list(replies)

    def json(self, method: str, path: str, body: Any, status: int = 200) -> None:
        self.on(method, path, httpx.Response(status, json=body))

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        queue = self.routes.get((request.method, request.url.path))
        if not queue:
            return httpx.Response(404, json={"detail": "Not Found"})
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        return reply(request) if callable(reply) else reply

    def client(self, **options: Any) -> HummingbotClient:
        options.setdefault("backoff", 0.001)
        return HummingbotClient(
            "http://hb.test:8000",
            "admin",
            PASSWORD,
            transport=httpx.MockTransport(self.handler),
            **options,
        )

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == path]

    def body(self, method: str, path: str) -> Any:
        return json.loads(self.sent(method, path)[-1].content)


@dataclass
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Behaviour = Callable[[RawRequest, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class RawServer:
    """A bare HTTP/1.1 server on a real loopback socket: each request goes to ``behave``, which
    writes whatever bytes it likes (or nothing) and may close the connection."""

    behave: Behaviour
    requests: list[RawRequest] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None
    _handlers: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._handlers:
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, **options: Any) -> HummingbotClient:
        options.setdefault("backoff", 0.001)
        return HummingbotClient(self.url, "admin", PASSWORD, **options)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            while not writer.is_closing():
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                request = RawRequest(method, path, headers, body)
                self.requests.append(request)
                await self.behave(request, writer)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


def http_reply(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    return (
        f"HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body


def json_reply(body: Any, status: int = 200) -> bytes:
    return http_reply(status, json.dumps(body).encode())
