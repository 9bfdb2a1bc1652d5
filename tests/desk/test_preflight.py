"""Each preflight check fails on what it is meant to catch, with a line saying how to fix it."""

from __future__ import annotations

import os
import socket
from decimal import Decimal

import httpx
import pytest
from desk_harness import BB, HL_KEYS, Bench, answer, config

from fakes.hyperliquid import FakeClock, FakeHyperliquid, serve
from tradeagent.desk import Check, DeployReview, GateMode, Verdict
from tradeagent.desk.hyperliquid_limits import AssetLimits, LimitsUnavailable, parse_meta
from tradeagent.desk_setup import desk_options
from tradeagent.hb import HummingbotClient
from tradeagent.settings import load_settings
from tradeagent.strategy import RiskPolicy


async def review(bench: Bench, *, live: bool = False, **plan: object) -> DeployReview:
    configs = plan.pop("configs", None) or [config(BB)]
    desk = bench.desk(mode="LIVE" if live else "SIM", gate=GateMode.OFF)
    return await desk.review(desk.plan(configs, **plan))  # type: ignore[arg-type]


def failed(result: DeployReview, check_id: str) -> Check:
    lines = [c for c in result.checks.failures if c.id == check_id]
    assert lines, f"{check_id} did not fail: {[c.line for c in result.checks.checks]}"
    assert lines[0].fix, lines[0]
    assert not result.can_confirm
    return lines[0]


async def test_server_down_fails_first_and_skips_the_rest(bench: Bench) -> None:
    bench.chaos.fail(path="/", times=None)
    result = await review(bench)
    line = failed(result, "server")
    assert "Internal Server Error" in line.detail or "500" in line.detail
    assert "docker compose up -d" in line.fix
    skipped = [c.id for c in result.checks.checks if c.verdict is Verdict.SKIPPED]
    assert skipped == ["server_checks", "backtest"]  # the gate is off in these tests
    assert result.checks.get("docker") == []


async def test_refused_connection(bench: Bench) -> None:
    dead = HummingbotClient("http://127.0.0.1:9", "admin", "admin", retries=0, timeout=2)
    try:
        desk = bench.desk(gate=GateMode.OFF)
        desk.client = dead
        result = await desk.review(desk.plan([config(BB)]))
    finally:
        await dead.aclose()
    assert "refused" in failed(result, "server").detail


async def test_wrong_password(bench: Bench) -> None:
    wrong = HummingbotClient(
        bench.sim.base_url, "admin", "nope", transport=bench.sim.transport, retries=0
    )
    desk = bench.desk(gate=GateMode.OFF)
    desk.client = wrong
    result = await desk.review(desk.plan([config(BB)]))
    line = failed(result, "server")
    assert "hummingbot.password" in line.fix
    assert "nope" not in line.line


async def test_docker_down(bench: Bench) -> None:
    bench.log.intercept[("GET", "/docker/running")] = answer(200, False)
    line = failed(await review(bench), "docker")
    assert "bots cannot start" in line.detail


async def test_mqtt_disconnected(bench: Bench) -> None:
    bench.log.intercept[("GET", "/bot-orchestration/mqtt")] = answer(
        200, {"status": "success", "data": {"mqtt_connected": False, "client_state": "lost"}}
    )
    line = failed(await review(bench), "mqtt")
    assert "could not be stopped" in line.detail


async def test_unknown_account(bench: Bench) -> None:
    line = failed(await review(bench, account="nope_account"), "account")
    assert "master_account" in line.fix


async def test_missing_keys_block_live_only(bench: Bench) -> None:
    result = await review(bench, live=True)
    line = failed(result, "credentials")
    assert "no hyperliquid_perpetual keys" in line.detail
    await bench.client.add_credential("master_account", "hyperliquid_perpetual", HL_KEYS)
    result = await review(bench, live=True)
    assert result.can_confirm, [c.line for c in result.checks.failures]
    # The keys themselves never reach the journal.
    stored = bench.journal.path.read_bytes()
    assert HL_KEYS["hyperliquid_perpetual_secret_key"].encode() not in stored  # type: ignore[union-attr]


async def test_unknown_connector(bench: Bench) -> None:
    odd = config(BB, connector_name="hyperliquid_perp", candles_connector="hyperliquid_perp")
    line = failed(await review(bench, configs=[odd]), "connector")
    assert "no connector hyperliquid_perp" in line.detail


async def test_pair_not_listed(bench: Bench) -> None:
    usdt = config(BB, trading_pair="BTC-USDT", candles_trading_pair="BTC-USDT")
    result = await review(bench, configs=[usdt])
    lines = [c for c in result.checks.failures if c.id == "pair"]
    # The static rule knows Hyperliquid perps are quoted in USD; the server agrees.
    assert any("BTC-USD" in c.detail for c in lines)
    assert any("has no trading pair BTC-USDT" in c.detail for c in lines)


async def test_orders_below_the_minimum_notional_with_margin(bench: Bench) -> None:
    small = config(BB, total_amount_quote=20)  # 2 positions per side: $10 each, below $10.50
    line = failed(await review(bench, configs=[small]), "min_notional")
    assert "$10" in line.detail


async def test_minimum_notional_from_the_servers_trading_rules(bench: Bench) -> None:
    # No exchange facts for kraken: only the server's rules know its $5 minimum.
    kraken = config(
        BB,
        connector_name="kraken",
        trading_pair="BTC-USD",
        candles_connector="kraken",
        position_mode="ONEWAY",
        total_amount_quote=8,
        max_executors_per_side=2,
    )
    line = failed(await review(bench, configs=[kraken]), "min_notional")
    assert "kraken needs $5" in line.detail


async def test_leverage_above_the_exchange_cap(bench: Bench) -> None:
    desk = bench.desk(gate=GateMode.OFF, policy=RiskPolicy(max_leverage=100))
    result = await desk.review(desk.plan([config(BB, leverage=50)]))
    line = failed(result, "leverage")
    assert "40x" in line.detail


async def test_hedge_mode_on_hyperliquid(bench: Bench) -> None:
    line = failed(await review(bench, configs=[config(BB, position_mode="HEDGE")]), "position_mode")
    assert "ONEWAY" in line.fix


async def test_candles_from_a_testnet(bench: Bench) -> None:
    testnet = config(BB, candles_connector="hyperliquid_perpetual_testnet")
    line = failed(await review(bench, configs=[testnet]), "candles")
    assert "hyperliquid_perpetual" in line.fix


async def test_drawdown_caps_mandatory_in_live(bench: Bench) -> None:
    desk = bench.desk(
        mode="LIVE",
        gate=GateMode.OFF,
        global_drawdown_pct=Decimal(0),
        controller_drawdown_pct=Decimal(0),
        policy=RiskPolicy(require_drawdown_caps=False),
    )
    await bench.client.add_credential("master_account", "hyperliquid_perpetual", HL_KEYS)
    result = await desk.review(desk.plan([config(BB)]))
    line = failed(result, "drawdown_caps")
    assert "required in LIVE" in line.detail
    # In SIM, with a policy that does not require them, missing caps are advisory.
    sim = bench.desk(
        gate=GateMode.OFF,
        global_drawdown_pct=Decimal(0),
        controller_drawdown_pct=Decimal(0),
        policy=RiskPolicy(require_drawdown_caps=False),
    )
    result = await sim.review(sim.plan([config(BB)]))
    (caps,) = result.checks.get("drawdown_caps")
    assert caps.verdict is Verdict.ADVISORY


async def test_a_bot_with_the_same_name_already_running(bench: Bench) -> None:
    await bench.running_bot(BB, name="btc_bb")
    line = failed(await review(bench), "same_name")
    assert "btc_bb-" in line.detail and "--allow-same-name" in line.fix
    result = await review(bench, allow_same_name=True)
    (same,) = result.checks.get("same_name")
    assert same.verdict is Verdict.ADVISORY
    assert result.can_confirm


async def test_risk_policy_violations_block_with_the_fix(bench: Bench) -> None:
    big = config(BB, total_amount_quote=5000)
    result = await review(bench, configs=[big])
    line = failed(result, "risk")
    assert "per-controller limit" in line.detail
    assert "max_amount_per_controller" in line.fix


async def test_a_bad_bot_name_is_caught_before_the_server_sees_it(bench: Bench) -> None:
    line = failed(await review(bench, bot_name="my bot"), "bot_name")
    assert "has a space" in line.detail


async def test_trading_rules_unreadable(bench: Bench) -> None:
    path = "/connectors/hyperliquid_perpetual/trading-rules"

    async def broken(request: httpx.Request, inner: httpx.AsyncBaseTransport) -> httpx.Response:
        return httpx.Response(500, text="Internal Server Error")

    bench.log.intercept[("GET", path)] = broken
    line = failed(await review(bench), "pair")
    assert "cannot read the trading rules" in line.detail


async def test_balance_against_the_margin_is_advisory(bench: Bench) -> None:
    await bench.client.add_credential("master_account", "hyperliquid_perpetual", HL_KEYS)
    result = await review(bench)
    (enough,) = result.checks.get("balance")
    assert enough.verdict is Verdict.PASS and "$10,000 available" in enough.detail
    bench.log.intercept[("POST", "/portfolio/state")] = answer(
        200,
        {
            "master_account": {
                "hyperliquid_perpetual": [
                    {"token": "USD", "units": 300, "price": 1, "value": 300, "available_units": 120}
                ]
            }
        },
    )
    result = await review(bench)
    (short,) = result.checks.get("balance")
    assert short.verdict is Verdict.ADVISORY
    assert "$120 available" in short.detail and "$1,000 of margin" in short.detail
    assert result.can_confirm  # balances move and are shared: a warning, not a block


async def live_review_with_venue(bench: Bench, url: str, **changes: object) -> DeployReview:
    desk = bench.desk(
        mode="LIVE", gate=GateMode.OFF, policy=RiskPolicy(max_leverage=50), hyperliquid_url=url
    )
    return await desk.review(desk.plan([config(BB, **changes)]))


def venue_line(result: DeployReview) -> Check:
    lines = [c for c in result.checks.checks if c.label == "leverage (Hyperliquid now)"]
    assert len(lines) == 1, [c.line for c in result.checks.checks]
    return lines[0]


async def test_live_leverage_is_checked_against_hyperliquid_now(bench: Bench) -> None:
    venue = FakeHyperliquid(FakeClock(1_767_225_600))
    async with serve(venue) as url:
        # kPEPE is not in the static table (any asset up to 50x there); Hyperliquid says 10x.
        over = venue_line(
            await live_review_with_venue(bench, url, trading_pair="kPEPE-USD", leverage=15)
        )
        within = venue_line(await live_review_with_venue(bench, url, leverage=3))
        isolated = venue_line(
            await live_review_with_venue(bench, url, trading_pair="AI16Z-USD", leverage=2)
        )
        delisted = venue_line(
            await live_review_with_venue(bench, url, trading_pair="MATIC-USD", leverage=2)
        )
    assert over.verdict is Verdict.FAIL and "above Hyperliquid's 10x for kPEPE" in over.detail
    assert over.fix == "set leverage to 10 or less"
    assert within.verdict is Verdict.PASS and within.detail == "3x ≤ 40x for BTC"
    assert isolated.verdict is Verdict.FAIL and "isolated-margin only" in isolated.detail
    assert delisted.verdict is Verdict.FAIL and "delisted" in delisted.detail
    assert {r["type"] for r in venue.requests} == {"meta"}


async def test_live_limits_that_cannot_be_read_are_said_not_hidden(bench: Bench) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{closed.getsockname()[1]}"  # bound, never listening: refused
    try:
        line = venue_line(await live_review_with_venue(bench, url, leverage=3))
    finally:
        closed.close()
    assert line.verdict is Verdict.ADVISORY
    assert "could not be read" in line.detail and "table only" in line.detail
    assert "app.hyperliquid.xyz" in line.fix


async def test_sim_never_asks_hyperliquid(bench: Bench) -> None:
    settings = load_settings().settings
    assert desk_options(settings).hyperliquid_url is None  # SIM: no exchange, maybe no internet
    os.environ["TRADEAGENT_HUMMINGBOT__URL"] = "http://127.0.0.1:9"
    live = load_settings().settings
    assert desk_options(live).hyperliquid_url == "https://api.hyperliquid.xyz"
    result = await review(bench, live=False)
    assert not [c for c in result.checks.checks if c.label == "leverage (Hyperliquid now)"]


def test_an_odd_meta_answer_is_refused_or_read_for_what_it_holds() -> None:
    with pytest.raises(LimitsUnavailable, match="no asset list"):
        parse_meta({"something": []})
    limits = parse_meta(
        {"universe": [{"name": "BTC", "maxLeverage": 40}, {"name": 3}, "junk", {"name": "X"}]}
    )
    assert limits == {"BTC": AssetLimits(max_leverage=40)}
