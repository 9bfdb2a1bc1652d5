"""The offline assistant on a table of common requests: a valid draft from the templates with
what was asked, or a question for what is missing. Deterministic, no key, no network."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import Finished, Proposal, TextDelta
from tradeagent.ai.offline.assistant import OfflineAssistant, Rules, answer
from tradeagent.ai.offline.intent import parse_intent
from tradeagent.strategy import RiskPolicy, dump_yaml, load_yaml

D = Decimal
HL = "hyperliquid_perpetual"

# phrase -> fields the draft must have (a subset; everything else comes from the template).
DRAFTS: list[tuple[str, dict[str, Any]]] = [
    (
        "mean reversion on BTC perp on Hyperliquid, $500, 2% stop",
        {
            "controller_name": "bollinger_v1",
            "connector_name": HL,
            "trading_pair": "BTC-USD",
            "total_amount_quote": D(500),
            "stop_loss": D("0.02"),
        },
    ),
    (
        "Bollinger mean-reversion on ETH, 3x, stop loss 1.5%, take profit 3%",
        {
            "controller_name": "bollinger_v1",
            "trading_pair": "ETH-USD",
            "leverage": 3,
            "stop_loss": D("0.015"),
            "take_profit": D("0.03"),
        },
    ),
    (
        "I want to buy the dips on ETH with 250 dollars",
        {"controller_name": "bollinger_v1", "total_amount_quote": D(250)},
    ),
    (
        "fade the moves on SOL, $400, sl 2%",
        {"controller_name": "bollinger_v1", "trading_pair": "SOL-USD", "stop_loss": D("0.02")},
    ),
    (
        "bollinger v2 on LINK perp, 3x",
        {"controller_name": "bollinger_v2", "leverage": 3, "trading_pair": "LINK-USD"},
    ),
    (
        "supertrend on sol, 5x, 15m candles, tp 3% sl 1.5%",
        {
            "controller_name": "supertrend_v1",
            "leverage": 5,
            "interval": "15m",
            "take_profit": D("0.03"),
            "stop_loss": D("0.015"),
        },
    ),
    (
        "trend following on bitcoin, low risk",
        {"controller_name": "supertrend_v1", "trading_pair": "BTC-USD", "leverage": 1},
    ),
    (
        "ride the trend on ETH with $600 on 4h candles",
        {"controller_name": "supertrend_v1", "interval": "4h", "total_amount_quote": D(600)},
    ),
    (
        "breakout strategy on HYPE, 1000 usd",
        {
            "controller_name": "supertrend_v1",
            "trading_pair": "HYPE-USD",
            "total_amount_quote": D(1000),
        },
    ),
    (
        "macd bollinger on BTCUSDT 4h, leverage of 3, stop-loss at 2.5%, take profit of 5%",
        {
            "controller_name": "macd_bb_v1",
            "trading_pair": "BTC-USDT",
            "leverage": 3,
            "interval": "4h",
            "stop_loss": D("0.025"),
            "take_profit": D("0.05"),
        },
    ),
    (
        "MACD strategy on ETH-USDT on binance futures, 2x, $1.5k",
        {
            "controller_name": "macd_bb_v1",
            "connector_name": "binance_perpetual",
            "trading_pair": "ETH-USDT",
            "total_amount_quote": D(1500),
            "leverage": 2,
        },
    ),
    (
        "rsi strategy for doge on bybit perps, 300 usdt",
        {
            "controller_name": "bollinger_v1",
            "connector_name": "bybit_perpetual",
            "trading_pair": "DOGE-USDT",
            "total_amount_quote": D(300),
        },
    ),
    (
        "RSI oversold/overbought on BTC, hourly",
        {"controller_name": "bollinger_v1", "interval": "1h"},
    ),
    (
        "aggressive scalping btc 1m 10x leverage $200",
        {
            "controller_name": "macd_bb_v1",
            "interval": "1m",
            "leverage": 10,
            "total_amount_quote": D(200),
        },
    ),
    (
        "aggressive supertrend scalping on ETH hyperliquid 5x 200 dollars",
        {"controller_name": "supertrend_v1", "trading_pair": "ETH-USD", "leverage": 5},
    ),
    (
        "scalping with macd on BTC, $300",
        {"controller_name": "macd_bb_v1", "interval": "1m", "total_amount_quote": D(300)},
    ),
    (
        "scalp SOL on hyperliquid with 150 bucks",
        {"controller_name": "macd_bb_v1", "trading_pair": "SOL-USD", "total_amount_quote": D(150)},
    ),
    (
        "conservative dca on eth, 45 min time limit, 1h candles",
        {"controller_name": "dman_v3", "time_limit": 2700, "interval": "1h", "leverage": 1},
    ),
    (
        "dca into ETH on binance spot with $750, stop 4%",
        {
            "controller_name": "dman_v3",
            "connector_name": "binance",
            "trading_pair": "ETH-USDT",
            "stop_loss": D("0.04"),
            "total_amount_quote": D(750),
        },
    ),
    (
        "dollar cost average into BTC perps, 500 usdc",
        {"controller_name": "dman_v3", "total_amount_quote": D(500)},
    ),
    (
        "market making on ETH-USDT binance spot with 1k, 0.5% spread",
        {
            "controller_name": "pmm_simple",
            "connector_name": "binance",
            "trading_pair": "ETH-USDT",
            "total_amount_quote": D(1000),
            "leverage": 1,
        },
    ),
    (
        "make markets on SOL-USDT on okx perpetual, budget 2000",
        {
            "controller_name": "pmm_simple",
            "connector_name": "okx_perpetual",
            "total_amount_quote": D(2000),
        },
    ),
    (
        "provide liquidity on HYPE spot on hyperliquid, 400 usdc",
        {
            "controller_name": "pmm_simple",
            "connector_name": "hyperliquid",
            "trading_pair": "HYPE-USDC",
            "total_amount_quote": D(400),
        },
    ),
    ("pmm on BTC with $2,500", {"controller_name": "pmm_simple", "total_amount_quote": D(2500)}),
    (
        "pmm dynamic on BTC-USDT binance perpetual 1500",
        {
            "controller_name": "pmm_dynamic",
            "connector_name": "binance_perpetual",
            "total_amount_quote": D(1500),
        },
    ),
    ("dman maker on ETH, $800", {"controller_name": "dman_maker_v2", "total_amount_quote": D(800)}),
    (
        "grid on HYPE-USD between 30 and 40, $300",
        {
            "controller_name": "grid_strike",
            "trading_pair": "HYPE-USD",
            "start_price": D(30),
            "end_price": D(40),
            "total_amount_quote": D(300),
        },
    ),
    (
        "grid ETH-USDT between 3000 and 3500 on binance with $800",
        {
            "controller_name": "grid_strike",
            "connector_name": "binance_perpetual",
            "start_price": D(3000),
            "end_price": D(3500),
        },
    ),
    (
        "grid trading SOL from 120 to 160, 500 dollars",
        {"controller_name": "grid_strike", "start_price": D(120), "end_price": D(160)},
    ),
    (
        "bollinger grid on BTC, $1000",
        {"controller_name": "bollingrid", "total_amount_quote": D(1000)},
    ),
    (
        "arbitrage BTC between hyperliquid and binance, $1000",
        {"controller_name": "arbitrage_controller", "total_amount_quote": D(1000)},
    ),
    (
        "conservative strategy on BTC, $300",
        {"controller_name": "bollinger_v1", "leverage": 1, "total_amount_quote": D(300)},
    ),
    (
        "low-risk mean reversion on ETH, 1k",
        {"controller_name": "bollinger_v1", "total_amount_quote": D(1000), "leverage": 1},
    ),
    ("yolo trend following on DOGE with 20x", {"controller_name": "supertrend_v1", "leverage": 20}),
    (
        "mean reversion on BTC/USDT on bybit, 2 percent stop, 4 pct target",
        {
            "controller_name": "bollinger_v1",
            "connector_name": "bybit_perpetual",
            "trading_pair": "BTC-USDT",
            "stop_loss": D("0.02"),
            "take_profit": D("0.04"),
        },
    ),
    (
        "bollinger on eth perp, no leverage, $350, 5 minute candles",
        {
            "controller_name": "bollinger_v1",
            "leverage": 1,
            "interval": "5m",
            "total_amount_quote": D(350),
        },
    ),
    (
        "trend on avalanche with 3 times leverage, size 700",
        {
            "controller_name": "supertrend_v1",
            "trading_pair": "AVAX-USD",
            "leverage": 3,
            "total_amount_quote": D(700),
        },
    ),
    (
        "mean reversion on xrp, close after 2 hours, $100",
        {"controller_name": "bollinger_v1", "trading_pair": "XRP-USD", "time_limit": 7200},
    ),
]

# phrase -> words the question must contain (no draft).
QUESTIONS: list[tuple[str, str]] = [
    ("mean reversion", "which market"),
    ("BTC on hyperliquid with 500", "what kind of strategy"),
    ("a strategy on ETH", "what kind of strategy"),
    ("grid on SOL with $300", "price range"),
    ("hello", "ANTHROPIC_API_KEY"),
    ("what can you do?", "“mean reversion on BTC perp"),
    ("deploy it now", "ctrl+g"),
    ("stop all my bots", "ctrl+t"),
]


def _fields(config: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    return {name: getattr(config, name, "<missing>") for name in wanted}


@pytest.mark.parametrize(("phrase", "wanted"), DRAFTS, ids=[p for p, _ in DRAFTS])
def test_common_requests_become_valid_drafts(phrase: str, wanted: dict[str, Any]) -> None:
    text, config = answer([], phrase, None)
    assert config is not None, text
    assert _fields(config, wanted) == wanted
    # Valid for Hummingbot: it survives its own YAML round trip.
    assert load_yaml(dump_yaml(config)) == config
    assert "Draft ready" in text and "ctrl+g" in text


@pytest.mark.parametrize(("phrase", "words"), QUESTIONS, ids=[p for p, _ in QUESTIONS])
def test_what_is_missing_is_asked_for(phrase: str, words: str) -> None:
    text, config = answer([], phrase, None)
    assert config is None
    assert words in text


def test_the_table_is_at_least_forty_phrasings() -> None:
    assert len(DRAFTS) + len(QUESTIONS) >= 40


def test_assumptions_are_said_out_loud() -> None:
    text, config = answer([], "mean reversion on BTC, 2%", None)
    assert config is not None
    assert "exchange `hyperliquid_perpetual`" in text
    assert "an amount of 100 USD" in text
    assert "2 % as the stop-loss" in text


def test_a_conversation_fills_in_what_was_missing() -> None:
    first, none = answer([], "mean reversion with $400", None)
    assert none is None and "which market" in first
    history = [Turn("mean reversion with $400", first, status="done")]
    text, config = answer(history, "ETH on binance", None)
    assert config is not None, text
    assert (config.controller_name, config.connector_name, config.trading_pair) == (
        "bollinger_v1",
        "binance_perpetual",
        "ETH-USDT",
    )
    assert config.total_amount_quote == D(400)


@pytest.mark.parametrize(
    ("phrase", "field", "value"),
    [
        ("make it 3x", "leverage", 3),
        ("stop 1.5%", "stop_loss", D("0.015")),
        ("use 15m candles", "interval", "15m"),
        ("$1000", "total_amount_quote", D(1000)),
        ("take profit 4%", "take_profit", D("0.04")),
    ],
)
def test_changes_to_the_current_draft(phrase: str, field: str, value: Any) -> None:
    _, draft = answer([], "mean reversion on BTC, $500, stop 2%", None)
    assert draft is not None
    text, changed = answer([], phrase, draft)
    assert changed is not None, text
    assert getattr(changed, field) == value
    assert "Draft updated" in text
    untouched = {"trading_pair", "connector_name"}
    assert _fields(changed, dict.fromkeys(untouched)) == _fields(draft, dict.fromkeys(untouched))


def test_an_invalid_change_is_explained_and_changes_nothing() -> None:
    _, draft = answer([], "mean reversion on BTC, $500, stop 2%", None)
    text, changed = answer([], "make it 0x", draft)
    assert changed is None
    assert "leverage" in text and "not make a valid config" in text


def test_the_configured_policy_judges_the_draft() -> None:
    strict = Rules(RiskPolicy(max_amount_per_controller=D(200)), "SIM")
    text, config = answer([], "mean reversion on BTC, $500, stop 2%", None, strict)
    assert config is not None
    assert "✘" in text and "200" in text


def test_the_same_words_give_the_same_answer() -> None:
    phrase = "supertrend on sol, 5x, 15m candles, tp 3% sl 1.5%"
    assert answer([], phrase, None) == answer([], phrase, None)


async def test_the_offline_assistant_streams_like_claude() -> None:
    assistant = OfflineAssistant()
    events = [e async for e in assistant.reply([], "grid on SOL between 120 and 160, $300")]
    proposal = events[0]
    assert isinstance(proposal, Proposal)
    assert load_yaml(proposal.yaml) == proposal.config
    assert isinstance(events[1], TextDelta) and "Draft ready" in events[1].text
    assert isinstance(events[-1], Finished)
    assert assistant.label == "offline assistant"


@pytest.mark.parametrize(
    ("text", "base", "quote"),
    [
        ("trade link on binance", "LINK", None),
        ("a link to the docs and a grid on ETH", "ETH", None),
        ("OP perp grid", "OP", None),
        ("BTC/USDC", "BTC", "USDC"),
        ("ethusdt", "ETH", "USDT"),
    ],
)
def test_pairs_and_tickers_that_are_also_words(text: str, base: str, quote: str | None) -> None:
    intent = parse_intent(text)
    assert (intent.base, intent.quote) == (base, quote)
