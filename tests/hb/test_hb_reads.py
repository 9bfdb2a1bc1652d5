"""Every read of the client against replies recorded from the real server: exact route, query
and body sent, and typed models out."""

from __future__ import annotations

import base64
import math
import re

import httpx
import pytest
from hb_contract import (
    BB_CONFIG,
    BOT,
    BOT_NOT_FOUND,
    BOT_RUNS,
    CANDLES,
    CONFIG_NOT_FOUND,
    CONTROLLER_TYPES,
    HISTORY_TIMEOUT,
    HL_CONFIG_MAP,
    MQTT,
    PORTFOLIO,
    POSITIONS,
    PRICES,
    ROOT,
    STATUS,
    TRADING_RULES,
    backtest_example,
    bot,
    controller,
    fleet,
)
from hb_fakes import PASSWORD, FakeApi

from tradeagent.hb import BadResponse, InvalidRequest, NotFound, TimedOut


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


async def test_every_request_carries_basic_auth_and_asks_for_json(api: FakeApi) -> None:
    api.json("GET", "/", ROOT)
    async with api.client() as hb:
        info = await hb.root()
    assert (info.name, info.version) == ("Hummingbot API", "1.0.1")
    request = api.requests[0]
    expected = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert request.headers["accept"] == "application/json"


async def test_readiness_reads(api: FakeApi) -> None:
    api.json("GET", "/docker/running", True)
    api.json("GET", "/bot-orchestration/mqtt", MQTT)
    async with api.client() as hb:
        assert await hb.docker_running() is True
        mqtt = await hb.mqtt_status()
    assert mqtt.mqtt_connected
    assert mqtt.active_bots == [BOT]
    assert (mqtt.broker_host, mqtt.broker_port, mqtt.client_state) == (
        "127.0.0.1",
        18830,
        "connected",
    )


async def test_docker_running_must_be_a_boolean(api: FakeApi) -> None:
    api.json("GET", "/docker/running", {"running": "maybe"})
    async with api.client() as hb:
        with pytest.raises(BadResponse, match="expected true or false"):
            await hb.docker_running()


async def test_fleet_status_parses_the_contract_example(api: FakeApi) -> None:
    api.json("GET", "/bot-orchestration/status", STATUS)
    async with api.client() as hb:
        bots = await hb.bots_status()
    assert list(bots) == [BOT]
    status = bots[BOT]
    assert status.name == BOT
    assert status.is_running
    assert status.source == "mqtt"
    report = status.performance["bb_btc_hl"].performance
    assert report is not None
    assert report.realized_pnl_quote == pytest.approx(3.41)
    assert report.close_type_counts == {"CloseType.TAKE_PROFIT": 3, "CloseType.STOP_LOSS": 1}
    position = report.positions_summary[0]
    assert position.is_long and position.breakeven_price == 97012.5
    assert status.general_logs[0].msg == "Controller bb_btc_hl signal: 0"
    assert status.global_pnl_quote == pytest.approx(3.41 - 0.87)
    assert len(api.requests) == 1


async def test_fleet_status_tolerates_nulls_strings_and_unknown_fields(api: FakeApi) -> None:
    odd = controller()
    odd["performance"]["realized_pnl_quote"] = "1.25"  # Decimal sent as text
    odd["performance"]["unrealized_pnl_pct"] = None
    odd["performance"]["brand_new_metric"] = 42
    entry = bot(bb=odd)
    entry["general_logs"][0]["msg"] = 12345  # a non-text log message
    entry["added_in_a_later_version"] = {"x": 1}
    api.json("GET", "/bot-orchestration/status", fleet(b1=entry))
    async with api.client() as hb:
        status = (await hb.bots_status())["b1"]
    report = status.performance["bb"].performance
    assert report is not None
    assert report.realized_pnl_quote == 1.25
    assert report.unrealized_pnl_pct == 0.0
    assert status.general_logs[0].msg == "12345"


async def test_fleet_status_keeps_good_bots_when_one_is_unreadable(api: FakeApi) -> None:
    broken = bot(c1=controller())
    broken["performance"]["c1"]["performance"]["volume_traded"] = "lots"
    api.json("GET", "/bot-orchestration/status", fleet(good=bot(c1=controller()), bad=broken))
    async with api.client() as hb:
        bots = await hb.bots_status()
    assert bots["good"].is_running
    assert bots["bad"].status == "error"
    assert "volume_traded" in bots["bad"].error
    assert bots["bad"].name == "bad"


async def test_fleet_status_keeps_nan_figures_as_nan(api: FakeApi) -> None:
    payload = (
        b'{"status":"success","data":{"b":{"status":"running","performance":{"c":'
        b'{"status":"running","performance":{"global_pnl_pct":NaN}}}}}}'
    )
    api.on("GET", "/bot-orchestration/status", httpx.Response(200, content=payload))
    async with api.client() as hb:
        report = (await hb.bots_status())["b"].performance["c"].performance
    assert report is not None and math.isnan(report.global_pnl_pct)


async def test_fleet_status_with_a_wrong_shape_is_a_bad_response(api: FakeApi) -> None:
    api.json("GET", "/bot-orchestration/status", {"status": "success", "data": ["a", "b"]})
    async with api.client() as hb:
        with pytest.raises(BadResponse, match="cannot read"):
            await hb.bots_status()


async def test_one_bot_status(api: FakeApi) -> None:
    api.json(
        "GET",
        f"/bot-orchestration/{BOT}/status",
        {"status": "success", "data": bot(c=controller())},
    )
    async with api.client() as hb:
        status = await hb.bot_status(BOT)
    assert status.name == BOT and status.is_running


async def test_unknown_bot_is_not_found_although_the_server_says_200(api: FakeApi) -> None:
    api.json("GET", "/bot-orchestration/ghost/status", BOT_NOT_FOUND)
    async with api.client() as hb:
        with pytest.raises(NotFound, match="Bot 'ghost' is not running") as caught:
            await hb.bot_status("ghost")
    assert "refresh the bots list" in str(caught.value)


async def test_bot_history_returns_the_bots_reply_and_waits_long_enough(api: FakeApi) -> None:
    api.json(
        "GET",
        f"/bot-orchestration/{BOT}/history",
        {"status": "success", "response": {"success": True, "data": {"trades": [1, 2]}}},
    )
    async with api.client(timeout=5) as hb:
        data = await hb.bot_history(BOT, days=3, wait_s=20)
    assert data == {"trades": [1, 2]}
    request = api.requests[0]
    assert dict(request.url.params) == {"days": "3", "verbose": "false", "timeout": "20"}
    assert request.extensions["timeout"]["read"] == 25


async def test_bot_history_timeout_inside_a_200_is_a_timeout(api: FakeApi) -> None:
    api.json("GET", f"/bot-orchestration/{BOT}/history", HISTORY_TIMEOUT)
    async with api.client() as hb:
        with pytest.raises(TimedOut, match=re.escape("No response received from x within 3.0")):
            await hb.bot_history(BOT)


async def test_bot_runs(api: FakeApi) -> None:
    api.json("GET", "/bot-orchestration/bot-runs", BOT_RUNS)
    async with api.client() as hb:
        page = await hb.bot_runs(bot_name=BOT, deployment_status="DEPLOYED", limit=5)
    run = page.data[0]
    assert (run.id, run.bot_name, run.run_status, page.total) == (7, BOT, "RUNNING", 1)
    assert run.deployed_at is not None and run.deployed_at.utcoffset() is not None
    assert run.deployed_at.hour == 9
    assert run.final_status == {} and run.stopped_at is None
    assert dict(api.requests[0].url.params) == {
        "bot_name": BOT,
        "deployment_status": "DEPLOYED",
        "limit": "5",
        "offset": "0",
    }


async def test_controller_reads_use_the_trailing_slashes(api: FakeApi) -> None:
    api.json("GET", "/controllers/", CONTROLLER_TYPES)
    api.json("GET", "/controllers/configs/", [BB_CONFIG])
    api.json("GET", "/controllers/configs/bb_btc_hl", BB_CONFIG)
    api.json("GET", f"/controllers/bots/{BOT}/configs", [{**BB_CONFIG, "_config_name": "bb"}])
    async with api.client() as hb:
        assert (await hb.controller_types())["market_making"][2] == "pmm_simple"
        assert (await hb.controller_configs())[0]["id"] == "bb_btc_hl"
        assert (await hb.controller_config("bb_btc_hl"))["trading_pair"] == "BTC-USD"
        assert (await hb.bot_controller_configs(BOT))[0]["_config_name"] == "bb"


async def test_missing_controller_config_says_what_to_do(api: FakeApi) -> None:
    api.json("GET", "/controllers/configs/nope", CONFIG_NOT_FOUND, status=404)
    async with api.client() as hb:
        with pytest.raises(NotFound) as caught:
            await hb.controller_config("nope")
    assert str(caught.value) == (
        "Configuration 'nope' not found. Save it first, or pick one of the saved configs."
    )


async def test_accounts_and_connectors(api: FakeApi) -> None:
    api.json("GET", "/accounts/", ["master_account", "desk"])
    api.json("GET", "/accounts/master_account/credentials", ["hyperliquid_perpetual"])
    api.json("GET", "/connectors/", ["binance", "hyperliquid", "hyperliquid_perpetual"])
    api.json("GET", "/connectors/hyperliquid_perpetual/config-map", HL_CONFIG_MAP)
    api.json(
        "GET",
        "/connectors/hyperliquid_perpetual/order-types",
        {"connector": "hyperliquid_perpetual", "supported_order_types": ["LIMIT", "MARKET"]},
    )
    async with api.client() as hb:
        assert await hb.accounts() == ["master_account", "desk"]
        assert await hb.credentials("master_account") == ["hyperliquid_perpetual"]
        assert "hyperliquid" in await hb.connectors()
        fields = await hb.connector_config_map("hyperliquid_perpetual")
        assert await hb.order_types("hyperliquid_perpetual") == ["LIMIT", "MARKET"]
    assert fields["hyperliquid_perpetual_secret_key"].is_secret
    assert fields["hyperliquid_perpetual_mode"].allowed_values == ["arb_wallet", "api_wallet"]
    assert not fields["use_vault"].required


async def test_config_map_as_a_bare_list_of_names(api: FakeApi) -> None:
    api.json("GET", "/connectors/binance/config-map", ["binance_api_key", "binance_api_secret"])
    async with api.client() as hb:
        fields = await hb.connector_config_map("binance")
    assert sorted(fields) == ["binance_api_key", "binance_api_secret"]


async def test_trading_rules_repeat_the_pair_parameter(api: FakeApi) -> None:
    api.json("GET", "/connectors/hyperliquid_perpetual/trading-rules", TRADING_RULES)
    async with api.client() as hb:
        rules = await hb.trading_rules("hyperliquid_perpetual", ["BTC-USD", "ETH-USD"])
    assert rules["BTC-USD"].min_notional_size == 10.0
    assert rules["BTC-USD"].max_order_size is None
    assert api.requests[0].url.params.get_list("trading_pairs") == ["BTC-USD", "ETH-USD"]


async def test_trading_rules_for_an_unknown_pair(api: FakeApi) -> None:
    api.json(
        "GET",
        "/connectors/hyperliquid_perpetual/trading-rules",
        {"BTC-USDT": {"error": "Trading pair BTC-USDT not found"}},
    )
    async with api.client() as hb:
        with pytest.raises(NotFound, match="has no trading pair BTC-USDT"):
            await hb.trading_rules("hyperliquid_perpetual", ["BTC-USDT"])


async def test_market_data(api: FakeApi) -> None:
    api.json("POST", "/market-data/candles", CANDLES)
    api.json("POST", "/market-data/historical-candles", CANDLES[:2])
    api.json("POST", "/market-data/prices", PRICES)
    async with api.client(timeout=3, long_timeout=99) as hb:
        live = await hb.candles("hyperliquid_perpetual", "BTC-USD", interval="5m", max_records=3)
        past = await hb.historical_candles(
            "binance", "BTC-USDT", interval="1h", start_time=100, end_time=200
        )
        prices = await hb.prices("hyperliquid_perpetual", ["BTC-USD"])
    assert [c.close for c in live] == [97005.0, 97006.0, 97007.0]
    assert len(past) == 2 and past[0].n_trades == 340
    assert prices.prices == {"BTC-USD": 97012.5}
    assert api.body("POST", "/market-data/candles") == {
        "connector_name": "hyperliquid_perpetual",
        "trading_pair": "BTC-USD",
        "interval": "5m",
        "max_records": 3,
    }
    assert api.body("POST", "/market-data/historical-candles") == {
        "connector_name": "binance",
        "trading_pair": "BTC-USDT",
        "interval": "1h",
        "start_time": 100,
        "end_time": 200,
    }
    assert api.body("POST", "/market-data/prices") == {
        "connector_name": "hyperliquid_perpetual",
        "trading_pairs": ["BTC-USD"],
    }
    candle_timeouts = api.sent("POST", "/market-data/candles")[0].extensions["timeout"]
    price_timeouts = api.sent("POST", "/market-data/prices")[0].extensions["timeout"]
    assert (candle_timeouts["read"], price_timeouts["read"]) == (99, 3)


async def test_portfolio_and_positions(api: FakeApi) -> None:
    api.json("POST", "/portfolio/state", PORTFOLIO)
    api.json("POST", "/trading/positions", POSITIONS)
    async with api.client() as hb:
        state = await hb.portfolio_state(accounts=["master_account"])
        page = await hb.positions(connectors=["hyperliquid_perpetual"], limit=10)
    usd = state["master_account"]["hyperliquid_perpetual"][0]
    assert (usd.token, usd.available_units) == ("USD", 1210.0)
    assert page.data[0].side == "LONG" and page.pagination.total_count == 1
    assert api.body("POST", "/portfolio/state") == {
        "account_names": ["master_account"],
        "connector_names": None,
        "skip_gateway": False,
        "refresh": False,
    }
    assert api.body("POST", "/trading/positions") == {
        "account_names": None,
        "connector_names": ["hyperliquid_perpetual"],
        "limit": 10,
        "cursor": None,
    }


async def test_backtest_sends_the_recorded_request_and_reads_the_recorded_reply(
    api: FakeApi,
) -> None:
    example = backtest_example()
    request = example["request"]
    api.json("POST", "/backtesting/run", example["response_trimmed"])
    async with api.client(long_timeout=123) as hb:
        result = await hb.run_backtest(
            request["config"],
            start_time=request["start_time"],
            end_time=request["end_time"],
            trade_cost=request["trade_cost"],
        )
    assert api.body("POST", "/backtesting/run") == request
    assert api.requests[0].extensions["timeout"]["read"] == 123
    assert result.results.total_executors == 12
    assert result.results.close_types == {"STOP_LOSS": 6, "TRAILING_STOP": 6}
    assert result.results.max_drawdown_usd < 0
    first = result.executors[0]
    assert (first.side, first.close_type, first.status) == (1, 6, 4)
    assert len(result.pnl_timeseries) == 2
    assert "processed_data" not in result.model_dump()


async def test_backtest_without_executors_sends_close_types_as_zero(api: FakeApi) -> None:
    api.json("POST", "/backtesting/run", {"results": {"close_types": 0, "total_executors": 0}})
    async with api.client() as hb:
        result = await hb.run_backtest("bb_btc_hl.yml", start_time=1, end_time=2)
    assert result.results.close_types == {}
    assert api.body("POST", "/backtesting/run")["config"] == "bb_btc_hl.yml"


async def test_backtest_refuses_an_empty_period_before_sending(api: FakeApi) -> None:
    async with api.client() as hb:
        with pytest.raises(InvalidRequest, match="end time must be after"):
            await hb.run_backtest({}, start_time=5, end_time=5)
    assert api.requests == []
