"""Serving the simulator over real sockets with uvicorn: in the foreground for
``tradeagent sim``, or in a background thread for tests and benchmarks."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from tradeagent.sim.chaos import ABORT_EXTENSION, Receive, Scope, Send


class AbortableH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, handing the app a way to drop the connection (for chaos)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        app = self.app

        async def with_abort(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[ABORT_EXTENSION] = transport.abort
            await app(scope, receive, send)

        self.app = with_abort


def make_server(app: Any, host: str, port: int, log_level: str = "warning") -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=AbortableH11Protocol,
        lifespan="on",
        log_level=log_level,
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` from a background thread; yields its base URL, stops it on exit."""
    server = make_server(app, host, port)
    thread = threading.Thread(target=server.run, name="tradeagent-sim", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the simulator could not start on {host}:{port}")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()
    try:
        yield f"http://{bound[0]}:{bound[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


class ServeError(Exception):
    """The simulator cannot be served as asked; the message says what to change."""


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket, or :class:`ServeError` explaining why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ServeError(f"Cannot resolve host {host!r}: {exc}. Use e.g. 127.0.0.1.") from exc
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"Cannot listen on {host}:{port}: {exc.strerror or exc}. "
            "Choose another --port, or stop whatever is using this one."
        ) from exc
    sock.listen(128)
    return sock


def run_server(app: Any, sock: socket.socket, log_level: str = "info") -> None:
    """Serve until Ctrl-C (blocking); the app's state file is saved on the way out."""
    host, port = sock.getsockname()[:2]
    server = make_server(app, host, port, log_level=log_level)
    server.run(sockets=[sock])
