"""The assistant without a key: reads the request (:mod:`.intent`), builds a draft from the
strategy templates, asks for what is missing, and says how to turn Claude on. Deterministic:
the same conversation always gets the same answer."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tradeagent.ai import drafts
from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import AssistantEvent, Finished, Proposal, TextDelta
from tradeagent.ai.offline.intent import Intent, connector_of, parse_intent
from tradeagent.strategy import (
    TEMPLATES,
    ArbitrageControllerConfig,
    ConfigError,
    ControllerConfigBase,
    RiskPolicy,
    TemplateInputs,
    build_template,
    check_config,
    describe,
    risk_line,
    with_changes,
)
from tradeagent.strategy.formatting import quote_of
from tradeagent.strategy.risk import Mode

LABEL = "offline assistant"
DEFAULT_AMOUNT = Decimal(100)
DEFAULT_CONNECTOR = "hyperliquid_perpetual"
DEFAULT_SPOT_CONNECTOR = "hyperliquid"
ENABLE_CLAUDE = (
    "_Offline assistant: I understand the strategy kind, exchange, pair, amount, leverage, "
    "stop-loss / take-profit, candle interval and risk level. For anything else, set "
    "`ANTHROPIC_API_KEY` (or `ai.api_key` via `tradeagent config init`) and restart to talk "
    "to Claude._"
)
KINDS = (
    "mean reversion (Bollinger), RSI-style, trend following (SuperTrend), MACD + Bollinger, "
    "DCA, market making, grid, arbitrage, or a conservative / scalping preset"
)
_QUOTE_BY_CONNECTOR = {"hyperliquid_perpetual": "USD", "hyperliquid": "USDC"}
_DEPLOY = re.compile(r"\b(deploy|go\s+live|launch|start\s+(it|the\s+bot|trading)|run\s+it)\b")
_STOP = re.compile(r"\b(stop|kill|halt|pause)\s+(it|the\s+bots?|all|everything|my\s+bots?)\b")


@dataclass(frozen=True)
class Rules:
    """The risk policy drafts are checked against, and where they would run."""

    policy: RiskPolicy = field(default_factory=RiskPolicy)
    mode: Mode = "SIM"


class OfflineAssistant:
    """Same interface as Claude's gateway; answers at once."""

    label = LABEL

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or Rules()

    async def prepare(self) -> None:
        """Nothing to load."""

    async def aclose(self) -> None:
        """Nothing to release."""

    async def reply(
        self,
        history: Sequence[Turn],
        prompt: str,
        *,
        draft: ControllerConfigBase | None = None,
        broken_draft: str | None = None,
    ) -> AsyncGenerator[AssistantEvent, None]:
        """``broken_draft`` is not used: repairing a config needs Claude (or the editor)."""
        text, config = answer(history, prompt, draft, self.rules)
        if config is not None:
            yield Proposal(config, drafts.to_yaml(config), drafts.label(config))
        yield TextDelta(text)
        yield Finished("end_turn")


def answer(
    history: Sequence[Turn],
    prompt: str,
    draft: ControllerConfigBase | None,
    rules: Rules | None = None,
) -> tuple[str, ControllerConfigBase | None]:
    """The reply text and, when one could be built, the new draft."""
    rules = rules or Rules()
    low = prompt.lower()
    now = parse_intent(prompt)
    if _DEPLOY.search(low):
        return (
            "I can't deploy anything, and neither can Claude: you do, with **ctrl+g**, after a "
            "preflight check and a confirmation that shows the money at risk.",
            None,
        )
    if _STOP.search(low):
        return (
            "I can't stop bots. Select the bot in the Bots pane (F4) and press **ctrl+t**; "
            "**F9** is the kill switch that stops every bot.",
            None,
        )
    if draft is not None and now.controller is None and now.style is None and now.base is None:
        changes = _changes(now, draft)
        if changes:
            return _modify(draft, changes, rules)
    wanted = Intent()
    for turn in history:
        wanted = wanted.merged(parse_intent(turn.prompt))
    wanted = wanted.merged(now)
    if now.is_empty:
        return _help(), None
    template = _template_key(wanted)
    missing = []
    if template is None:
        missing.append(f"**what kind of strategy**: {KINDS}")
    if wanted.base is None:
        missing.append("**which market**: a pair such as `BTC-USD`, or just `ETH`")
    if missing:
        need = "To build a draft I still need " + " and ".join(missing) + "."
        return need + "\n\n" + ENABLE_CLAUDE, None
    assert template is not None
    return _build(template, wanted, rules)


def _template_key(intent: Intent) -> str | None:
    style = {"rsi": "rsi_style", "scalping": "scalping"}.get(intent.style or "")
    # A controller named outright wins over a style built on another controller
    # ("supertrend scalping" is a supertrend, not the MACD scalping preset).
    if style is not None and intent.controller in (None, TEMPLATES[style].controller_name):
        return style
    if intent.controller is not None:
        return intent.controller
    if intent.risk == "low":
        return "conservative"
    return None


def _build(key: str, intent: Intent, rules: Rules) -> tuple[str, ControllerConfigBase | None]:
    template = TEMPLATES[key]
    assumed: list[str] = []
    connector = intent.connector
    if connector is None:
        connector = DEFAULT_SPOT_CONNECTOR if intent.market == "spot" else DEFAULT_CONNECTOR
        assumed.append(f"exchange `{connector}` (say e.g. “on binance” to change it)")
    quote = intent.quote or _QUOTE_BY_CONNECTOR.get(connector, "USDT")
    pair = f"{intent.base}-{quote}"
    amount = intent.amount
    if amount is None:
        amount = DEFAULT_AMOUNT
        assumed.append(f"an amount of {amount} {quote} (say e.g. “$500” to change it)")
    if intent.stop_assumed and intent.stop_loss is not None:
        assumed.append(f"{_pct(intent.stop_loss)} as the stop-loss")
    price = None
    if template.needs_price:
        if intent.price_range is None:
            return (
                f"A grid needs a price range, e.g. “grid on {pair} between 90000 and 100000”.\n\n"
                + ENABLE_CLAUDE,
                None,
            )
        low, high = intent.price_range
        price = (low + high) / 2
    inputs = TemplateInputs(
        connector=connector,
        trading_pair=pair,
        amount=amount,
        leverage=intent.leverage,
        risk=intent.risk or "medium",
        price=price,
    )
    if intent.risk is None:
        assumed.append("medium risk (say “conservative” or “aggressive” to change it)")
    try:
        config: ControllerConfigBase = build_template(key, inputs)
        changes = _changes(intent, config)
        if isinstance(config, ArbitrageControllerConfig) and intent.other_exchange:
            other = connector_of(intent.other_exchange, intent.market)
            leg_quote = _QUOTE_BY_CONNECTOR.get(other, "USDT")
            changes["exchange_pair_2"] = {
                "connector_name": other,
                "trading_pair": f"{intent.base}-{leg_quote}",
            }
        if changes:
            config = with_changes(config, changes)
    except ConfigError as exc:
        return _problems(exc), None
    lines = [f"**Draft ready:** {template.title}", ""]
    lines += [f"- {fact}" for fact in _facts(config, rules)]
    if assumed:
        lines += ["", "Assumed " + "; ".join(assumed) + "."]
    if template.note:
        lines += ["", f"Note: {template.note}"]
    lines += [
        "",
        "It is in the preview pane. Nothing trades until you deploy it (**ctrl+g**) and confirm.",
        "",
        ENABLE_CLAUDE,
    ]
    return "\n".join(lines), config


def _changes(intent: Intent, config: ControllerConfigBase) -> dict[str, Any]:
    """Field changes the intent asks of an existing config (only fields it has)."""
    fields = type(config).model_fields
    wanted: dict[str, Any] = {
        "total_amount_quote": intent.amount,
        "leverage": intent.leverage,
        "stop_loss": intent.stop_loss,
        "take_profit": intent.take_profit,
        "time_limit": intent.time_limit_s,
        "interval": intent.interval,
    }
    if intent.price_range is not None and "start_price" in fields:
        low, high = intent.price_range
        wanted |= {"start_price": low, "end_price": high, "limit_price": low * Decimal("0.97")}
    if intent.spread is not None and "buy_spreads" in fields:
        # Keep the number of levels; the first sits at the asked spread, the next further out.
        for side in ("buy_spreads", "sell_spreads"):
            levels = len(getattr(config, side))
            wanted[side] = [intent.spread * (level + 1) for level in range(levels)]
    return {k: v for k, v in wanted.items() if v is not None and k in fields}


def _modify(
    draft: ControllerConfigBase, changes: dict[str, Any], rules: Rules
) -> tuple[str, ControllerConfigBase | None]:
    try:
        config = with_changes(draft, changes)
    except ConfigError as exc:
        return _problems(exc), None
    changed = [
        f"`{name}` {getattr(draft, name)} → {getattr(config, name)}"
        for name in changes
        if getattr(draft, name) != getattr(config, name)
    ]
    if not changed:
        return "The draft already has those values; nothing changed.", None
    text = (
        "**Draft updated:** "
        + ", ".join(changed)
        + "\n\n"
        + "\n".join(f"- {fact}" for fact in _facts(config, rules))
    )
    return text, config


def _facts(config: ControllerConfigBase, rules: Rules) -> list[str]:
    """What it trades and on what terms, the money at risk, and any policy problem."""
    words = describe(config)
    report = check_config(config, rules.policy, mode=rules.mode)
    lines = [
        words.headline,
        words.terms,
        "At risk: " + risk_line(report.money, quote_of(config.pair)),
    ]
    lines += [f"✘ {f.message} — {f.fix}" for f in report.blocking]
    return lines


def _pct(value: object) -> str:
    return f"{(Decimal(str(value)) * 100).normalize():f} %"


def _problems(exc: ConfigError) -> str:
    listed = "\n".join(f"- {problem.message}" for problem in exc.problems)
    return "That would not make a valid config:\n\n" + listed + "\n\nSay what to change."


def _help() -> str:
    return (
        "I build Hummingbot strategy drafts from plain requests, for example:\n\n"
        "- “mean reversion on BTC perp on Hyperliquid, $500, 2% stop”\n"
        "- “market making on ETH-USDT on binance spot with 1k, 0.3% spread”\n"
        "- “grid on SOL between 120 and 160, $300”\n"
        "- with a draft open: “make it 3x”, “stop 1.5%”, “use 15m candles”\n\n" + ENABLE_CLAUDE
    )
