"""Misbehaving servers on real loopback sockets: refused connections, silence, a server killed
mid-request or mid-reply, bytes that are not HTTP, and replies too large to read."""

from __future__ import annotations

import asyncio
import socket

import pytest
from hb_contract import BOT, DEPLOYED, STATUS, fleet
from hb_fakes import RawRequest, RawServer, http_reply, json_reply

from tradeagent.hb import (
    BadResponse,
    ConnectionLost,
    HummingbotClient,
    NotApplied,
    TimedOut,
    Unreachable,
)


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_connection_refused_says_how_to_start_the_api() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with HummingbotClient(url, "admin", "pw", backoff=0.001) as hb:
        with pytest.raises(Unreachable) as caught:
            await hb.bots_status()
    assert str(caught.value) == (
        f"Hummingbot API at {url} refused the connection. Is it running? "
        "`docker compose up -d`, then `tradeagent doctor`."
    )


async def test_a_silent_server_times_out_and_reads_are_retried() -> None:
    async def silent(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    async with RawServer(silent) as server, server.client(timeout=0.2, retries=2) as hb:
        with pytest.raises(TimedOut) as caught:
            await hb.bots_status()
    assert caught.value.maybe_delivered
    assert len(server.requests) == 3
    assert "did not answer within 0.2 s (bots status)" in str(caught.value)


async def test_server_killed_mid_request() -> None:
    async def killed(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.transport.abort()

    async with RawServer(killed) as server, server.client(retries=1) as hb:
        with pytest.raises(ConnectionLost) as caught:
            await hb.bots_status()
    assert len(server.requests) == 2
    assert "dropped the connection before answering (bots status)" in str(caught.value)


async def test_server_killed_mid_reply() -> None:
    async def half(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n" + b'{"status":' * 10)
        await writer.drain()
        writer.transport.abort()

    async with RawServer(half) as server, server.client(retries=0) as hb:
        with pytest.raises(ConnectionLost):
            await hb.bots_status()


async def test_deploy_on_a_server_killed_mid_request_checks_before_reporting() -> None:
    deployed = False

    async def behave(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        nonlocal deployed
        if request.method == "POST":
            deployed = True  # the server acted, then died before answering
            writer.transport.abort()
            return
        writer.write(json_reply(STATUS if deployed else fleet()))
        await writer.drain()

    async with RawServer(behave) as server, server.client() as hb:
        result = await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert (result.unique_instance_name, result.recovered) == (BOT, True)
    assert [r.method for r in server.requests] == ["GET", "POST", "GET"]


async def test_deploy_that_never_happened_is_reported_as_such() -> None:
    async def behave(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        if request.method == "POST":
            writer.transport.abort()
            return
        writer.write(json_reply(fleet()))
        await writer.drain()

    async with RawServer(behave) as server, server.client() as hb:
        with pytest.raises(NotApplied):
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert [r.method for r in server.requests].count("POST") == 1


async def test_a_deploy_reply_arriving_normally_over_a_socket() -> None:
    async def behave(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(json_reply(DEPLOYED if request.method == "POST" else fleet()))
        await writer.drain()

    async with RawServer(behave) as server, server.client() as hb:
        result = await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert result.unique_instance_name == BOT
    assert not result.recovered


async def test_garbage_instead_of_http() -> None:
    async def garbage(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(b"\x10\x0c\x00\x04MQTT\x04\x02\x00<\x00\x00garbage\r\n\r\n")
        await writer.drain()
        writer.close()

    async with RawServer(garbage) as server, server.client(retries=0) as hb:
        with pytest.raises(BadResponse) as caught:
            await hb.root()
    assert "does not answer in HTTP" in str(caught.value)
    assert "MQTT broker" in str(caught.value)


async def test_malformed_json_over_a_socket() -> None:
    async def broken(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(http_reply(200, b"{'single': 'quotes'}"))
        await writer.drain()

    async with RawServer(broken) as server, server.client() as hb:
        with pytest.raises(BadResponse, match="not JSON"):
            await hb.bots_status()
    assert len(server.requests) == 1


async def test_a_huge_declared_reply_is_refused_unread() -> None:
    async def huge(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 10000000000\r\n\r\n{")
        await writer.drain()
        await asyncio.sleep(3600)

    async with RawServer(huge) as server, server.client(max_bytes=1024 * 1024) as hb:
        with pytest.raises(BadResponse, match="more than 1 MB") as caught:
            await hb.bots_status()
    assert "stopped reading" in str(caught.value)
    assert hb.bytes_received < 1024 * 1024


async def test_a_huge_streamed_reply_is_cut_at_the_cap() -> None:
    async def endless(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n[")
        try:
            for _ in range(4096):  # up to 16 MB, far past the cap
                writer.write(b"1," * 2048)
                await writer.drain()
        except ConnectionError:
            return

    async with RawServer(endless) as server, server.client(max_bytes=1024 * 1024) as hb:
        with pytest.raises(BadResponse, match="more than 1 MB"):
            await hb.bots_status()
    assert hb.bytes_received < 4 * 1024 * 1024
