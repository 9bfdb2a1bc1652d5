"""Each HTTP-level failure maps to one exception whose message says what to do, never leaks the
password, and reads are retried only when retrying can help."""

from __future__ import annotations

import re
import socket

import httpx
import pytest
from hb_contract import BAD_AUTH, NO_AUTH, ROOT, STATUS
from hb_fakes import PASSWORD, FakeApi

from tradeagent.hb import (
    AuthFailed,
    BadResponse,
    HummingbotClient,
    HummingbotError,
    InvalidRequest,
    NotFound,
    Rejected,
    ServerError,
    TimedOut,
    Unreachable,
)

STATUS_PATH = "/bot-orchestration/status"


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.mark.parametrize("body", [NO_AUTH, BAD_AUTH])
async def test_401_both_bodies(api: FakeApi, body: dict[str, str]) -> None:
    api.json("GET", STATUS_PATH, body, status=401)
    async with api.client() as hb:
        with pytest.raises(AuthFailed) as caught:
            await hb.bots_status()
    message = str(caught.value)
    assert message == (
        f"Hummingbot API at http://hb.test:8000 rejected the username and password "
        f"({body['detail']}). Set hummingbot.username and hummingbot.password to USERNAME and "
        "PASSWORD from the API's .env, then `tradeagent doctor`."
    )
    assert caught.value.status_code == 401
    assert len(api.requests) == 1  # a wrong password does not get better by retrying


async def test_no_message_ever_contains_the_password(api: FakeApi) -> None:
    api.on(
        "GET",
        STATUS_PATH,
        httpx.Response(500, json={"detail": f"auth backend choked on '{PASSWORD}'"}),
    )
    api.on("GET", "/", httpx.Response(200, content=f"<html>{PASSWORD}</html>".encode()))
    async with api.client() as hb:
        with pytest.raises(ServerError) as server_error:
            await hb.bots_status()
        with pytest.raises(BadResponse) as bad_response:
            await hb.root()
    for error in (server_error.value, bad_response.value):
        assert PASSWORD not in str(error)
        assert PASSWORD not in (error.server_text or "")
        assert "****" in str(error)


async def test_credentials_in_the_url_are_used_for_nothing_and_shown_nowhere() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503, text="down")

    async with HummingbotClient(
        "http://bob:hunter22@hb.test:8000/",
        "admin",
        PASSWORD,
        transport=httpx.MockTransport(handler),
        retries=0,
    ) as hb:
        assert hb.url == "http://hb.test:8000"
        with pytest.raises(ServerError) as caught:
            await hb.root()
    assert "hunter22" not in str(caught.value)
    assert str(seen[0].url) == "http://hb.test:8000/"


async def test_404_of_a_missing_route_points_at_the_server_version(api: FakeApi) -> None:
    async with api.client() as hb:
        with pytest.raises(NotFound) as caught:
            await hb.controller_types()
    assert "has no route GET /controllers/" in str(caught.value)
    assert "tradeagent doctor" in str(caught.value)


async def test_422_keeps_field_details_but_not_inputs(api: FakeApi) -> None:
    api.json(
        "POST",
        "/market-data/prices",
        {
            "detail": [
                {"type": "missing", "loc": ["body", "connector_name"], "msg": "Field required"},
                {
                    "type": "list_type",
                    "loc": ["body", "trading_pairs"],
                    "msg": "Input should be a valid list",
                    "input": "BTC-USD",
                },
            ]
        },
        status=422,
    )
    async with api.client() as hb:
        with pytest.raises(InvalidRequest) as caught:
            await hb.prices("binance", ["BTC-USDT"])
    error = caught.value
    assert [f.where for f in error.fields] == ["connector_name", "trading_pairs"]
    assert error.fields[1].type == "list_type"
    assert str(error).startswith(
        "Prices on binance refused by the server as malformed: connector_name: Field required; "
        "trading_pairs: Input should be a valid list."
    )


async def test_plain_text_500(api: FakeApi) -> None:
    api.on(
        "POST",
        "/market-data/prices",
        httpx.Response(500, text="Internal Server Error", headers={"content-type": "text/plain"}),
    )
    async with api.client() as hb:
        with pytest.raises(ServerError) as caught:
            await hb.prices("binance", ["BTC-USDT"])
    assert str(caught.value) == (
        "Hummingbot API at http://hb.test:8000 failed with HTTP 500 (prices on binance): "
        "Internal Server Error. Its log says why: `docker compose logs --tail 50 hummingbot-api`."
    )
    assert caught.value.server_text == "Internal Server Error"
    assert len(api.requests) == 1  # a 500 is a bug, not a hiccup: no retry


async def test_html_error_pages_are_reduced_to_their_text(api: FakeApi) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    api.on("GET", "/", httpx.Response(502, content=page))
    async with api.client(retries=0) as hb:
        with pytest.raises(ServerError) as caught:
            await hb.root()
    assert caught.value.server_text == "502 Bad Gateway nginx"
    assert "try again in a few seconds" in str(caught.value)


async def test_reads_are_retried_through_a_restart(api: FakeApi) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("All connection attempts failed") from ConnectionRefusedError()

    api.on(
        "GET",
        STATUS_PATH,
        refused,
        httpx.Response(503, text="starting"),
        httpx.Response(200, json=STATUS),
    )
    async with api.client() as hb:
        bots = await hb.bots_status()
    assert len(bots) == 1
    assert len(api.requests) == 3


async def test_retries_stop_after_the_configured_number(api: FakeApi) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("All connection attempts failed") from ConnectionRefusedError()

    api.on("GET", "/", refused)
    async with api.client(retries=1) as hb:
        with pytest.raises(Unreachable) as caught:
            await hb.root()
    assert len(api.requests) == 2
    assert str(caught.value) == (
        "Hummingbot API at http://hb.test:8000 refused the connection. Is it running? "
        "`docker compose up -d`, then `tradeagent doctor`."
    )


async def test_unknown_host(api: FakeApi) -> None:
    def no_such_host(request: httpx.Request) -> httpx.Response:
        cause = socket.gaierror(-2, "Name or service not known")
        raise httpx.ConnectError("[Errno -2] Name or service not known") from cause

    api.on("GET", "/", no_such_host)
    async with api.client(retries=0) as hb:
        with pytest.raises(Unreachable, match=re.escape("the host 'hb.test' cannot be found")):
            await hb.root()


async def test_long_calls_are_never_retried(api: FakeApi) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    api.on("POST", "/backtesting/run", slow)
    async with api.client(long_timeout=7) as hb:
        with pytest.raises(TimedOut) as caught:
            await hb.run_backtest({"id": ""}, start_time=1, end_time=2)
    assert len(api.requests) == 1
    assert "did not answer within 7 s (backtest)" in str(caught.value)
    assert "hummingbot.long_timeout_s" in str(caught.value)
    assert caught.value.maybe_delivered


@pytest.mark.parametrize(
    ("path", "body", "kind", "words"),
    [
        (
            "/bot-orchestration/stop-bot",
            {"status": "success", "response": {"success": False, "message": "MQTT down"}},
            Rejected,
            "Stop of bot 'b' rejected by the server: MQTT down.",
        ),
        (
            "/bot-orchestration/start-bot",
            {"status": "success", "response": {"success": False, "message": "Bot b not found"}},
            NotFound,
            "Start of bot 'b' failed: Bot b not found.",
        ),
        (
            "/bot-orchestration/stop-and-archive-bot/b",
            {"status": "error", "message": "Docker stop failed"},
            Rejected,
            "Stop and archive of bot 'b' rejected by the server: Docker stop failed.",
        ),
    ],
)
async def test_each_200_with_failure_envelope(
    api: FakeApi, path: str, body: object, kind: type[HummingbotError], words: str
) -> None:
    api.json("POST", path, body)
    async with api.client() as hb:
        with pytest.raises(kind) as caught:
            if "start" in path:
                await hb.start_bot("b")
            elif "archive" in path:
                await hb.stop_and_archive_bot("b")
            else:
                await hb.stop_bot("b")
    assert str(caught.value).startswith(words)


async def test_error_key_envelope_of_backtests_and_market_data(api: FakeApi) -> None:
    offline = "Cannot connect to host api.hyperliquid.xyz:443 ssl:default"
    api.json("POST", "/backtesting/run", {"error": offline})
    api.json("POST", "/market-data/prices", {"error": "Connector nope not found"})
    async with api.client() as hb:
        with pytest.raises(Rejected) as caught:
            await hb.run_backtest({"id": ""}, start_time=1, end_time=2)
        with pytest.raises(NotFound, match="Connector nope not found"):
            await hb.prices("nope", ["X-Y"])
    assert str(caught.value) == f"Backtest rejected by the server: {offline}."


async def test_a_portfolio_with_an_account_named_error_is_not_a_failure(api: FakeApi) -> None:
    api.json("POST", "/portfolio/state", {"error": {"binance": []}})
    async with api.client() as hb:
        assert await hb.portfolio_state() == {"error": {"binance": []}}


async def test_malformed_json(api: FakeApi) -> None:
    api.on("GET", STATUS_PATH, httpx.Response(200, content=b'{"status": "success", "data": {'))
    async with api.client() as hb:
        with pytest.raises(BadResponse) as caught:
            await hb.bots_status()
    assert "not JSON" in str(caught.value)
    assert "Open http://hb.test:8000/docs" in str(caught.value)


async def test_redirects_are_reported_not_followed(api: FakeApi) -> None:
    api.on("GET", "/", httpx.Response(307, headers={"location": "https://hb.test/"}))
    async with api.client() as hb:
        with pytest.raises(BadResponse, match=re.escape("redirects to https://hb.test/")):
            await hb.root()
    assert len(api.requests) == 1


async def test_a_400_keeps_the_servers_words(api: FakeApi) -> None:
    detail = "Trading pair 'BTC-USD' appears to be invalid on 'hyperliquid_perpetual': offline"
    api.json("POST", "/market-data/candles", {"detail": detail}, status=400)
    async with api.client() as hb:
        with pytest.raises(Rejected) as caught:
            await hb.candles("hyperliquid_perpetual", "BTC-USD")
    assert caught.value.server_text == detail
    assert detail in str(caught.value)


async def test_reply_of_the_wrong_shape(api: FakeApi) -> None:
    api.json("GET", "/", ROOT)
    api.json("GET", "/accounts/", {"accounts": ["master_account"]})
    async with api.client() as hb:
        await hb.root()
        with pytest.raises(BadResponse) as caught:
            await hb.accounts()
    assert "cannot read (account list)" in str(caught.value)
    assert "valid list" in str(caught.value)
