"""The assistant built from settings, and its tools on real candles and the real engine."""

from __future__ import annotations

from fakes.anthropic_server import FakeAnthropicServer, Text, ToolCall, reply
from fakes.keys import anthropic_key
from tradeagent.ai.context import DeskSources
from tradeagent.ai.events import Status, TextDelta, ToolActivity
from tradeagent.ai.lazy import LazyAssistant
from tradeagent.ai.offline.assistant import OfflineAssistant
from tradeagent.ai.tools import ToolBox
from tradeagent.assistant_data import backtest_runner, market_reader
from tradeagent.assistant_setup import build_assistant
from tradeagent.settings import load_settings
from tradeagent.strategy import parse_config

from .conftest import valid_config


async def test_no_key_gives_the_offline_assistant_with_the_configured_policy() -> None:
    settings = load_settings(risk={"max_amount_per_controller": "200"}).settings
    assistant = build_assistant(settings)
    assert isinstance(assistant, LazyAssistant)
    assert assistant.label == "offline assistant"
    await assistant.prepare()
    assert isinstance(assistant._inner, OfflineAssistant)
    events = [e async for e in assistant.reply([], "mean reversion on BTC, $500, stop 2%")]
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert "✘" in text and "200" in text


async def test_a_key_gives_claude_with_the_settings_model_and_limits(
    fake: FakeAnthropicServer,
) -> None:
    settings = load_settings(
        ai={
            "api_key": anthropic_key("from-settings"),
            "base_url": fake.url,
            "model": "claude-haiku-5-5",
            "max_tokens": 1234,
            "effort": "low",
        }
    ).settings
    assistant = build_assistant(settings)
    assert isinstance(assistant, LazyAssistant)
    assert assistant.label == "claude-haiku-5-5"
    fake.script(reply(Text("hi")))
    try:
        events = [e async for e in assistant.reply([], "hello")]
    finally:
        await assistant.aclose()
    assert events[0] == Status("connecting to Claude…")
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "hi"
    body = fake.messages_requests[0].json()
    assert (body["model"], body["max_tokens"], body["output_config"]) == (
        "claude-haiku-5-5",
        1234,
        {"effort": "low"},
    )
    assert "1000 per controller" in body["system"][0]["text"]  # the risk policy, from settings


async def test_get_market_reads_recent_candles() -> None:
    read = market_reader(load_settings().settings)
    facts = await read("hyperliquid_perpetual", "BTC-USD")
    assert facts["low"] <= facts["last_price"] <= facts["high"]
    assert 0 < facts["daily_volatility"] < 1
    assert facts["days"] > 6
    assert facts["source"].startswith("synthetic market")


async def test_run_backtest_runs_the_engine() -> None:
    run = backtest_runner(load_settings().settings)
    config = parse_config(valid_config())
    digest = await run(config, 3)
    results = digest["results"]
    assert {"net_pnl", "total_executors", "accuracy", "max_drawdown_pct"} <= set(results)
    assert digest["mode"] == "hummingbot"
    assert digest["candles"]["count"] == digest["candles"]["expected"] == 3 * 1440
    assert digest["candles"]["source"].startswith("synthetic market")


async def test_the_tools_show_their_numbers_in_one_line() -> None:
    settings = load_settings().settings
    toolbox = ToolBox(
        sources=DeskSources(mode="SIM"),
        backtest=backtest_runner(settings),
        market=market_reader(settings),
    )
    market = await toolbox.run("get_market", {"trading_pair": "eth-usd"})
    assert not market.is_error
    assert market.line.startswith("⚙ market ETH-USD → ") and "vol" in market.line
    risk = await toolbox.run("explain_risk", {"config": valid_config(total_amount_quote=5000)})
    assert "blocking" in risk.line
    assert '"verdict":"blocked"' in risk.content
    test = await toolbox.run("run_backtest", {"config": valid_config(), "days": 2})
    assert not test.is_error and "pos" in test.line


async def test_tools_say_clearly_when_they_cannot_help() -> None:
    toolbox = ToolBox()
    no_draft = await toolbox.run("run_backtest", {"days": 30})
    assert no_draft.is_error and "no draft" in no_draft.content.lower()
    bad_days = await toolbox.run("run_backtest", {"config": valid_config(), "days": 9999})
    assert bad_days.is_error and "1 to 365" in bad_days.content
    unavailable = await toolbox.run("run_backtest", {"config": valid_config(), "days": 30})
    assert unavailable.is_error and "not available" in unavailable.content
    no_bots = await toolbox.run("list_bots", {})
    assert no_bots.is_error and "no Hummingbot API connected" in no_bots.content
    bad_args = await toolbox.run("get_market", "BTC")
    assert bad_args.is_error


async def test_a_proposal_reports_money_at_risk_back_to_claude(
    fake: FakeAnthropicServer,
) -> None:
    settings = load_settings(ai={"api_key": anthropic_key("x"), "base_url": fake.url}).settings
    assistant = build_assistant(settings)
    fake.script(
        reply(ToolCall("propose_strategy", {"config": valid_config(leverage=3)})),
        reply(Text("ok")),
    )
    try:
        events = [e async for e in assistant.reply([], "go")]
    finally:
        await assistant.aclose()
    assert any(isinstance(e, ToolActivity) and e.finished for e in events)
    result = fake.messages_requests[1].json()["messages"][-1]["content"][0]["content"]
    assert '"money_at_risk"' in result and '"leverage":3' in result
