"""The tools Claude may call. All read-only: none deploys, stops, trades or touches credentials.

``propose_strategy`` is the one way a config reaches the trader: its input is validated by
``tradeagent.strategy`` and, when valid, becomes the draft (a :class:`Proposal` event); when not,
the problems go back to Claude as the tool result. Any other tool name, including ones a prompt
injection might invent (``deploy_bot``), gets a refusal and nothing else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from tradeagent.ai import drafts, facts
from tradeagent.ai.context import DeskSources, fetch, scrub
from tradeagent.ai.events import Proposal
from tradeagent.ai.prompts import system_prompt
from tradeagent.strategy import ControllerConfigBase, RiskPolicy

BacktestRunner = Callable[[ControllerConfigBase, int], Awaitable[Mapping[str, Any]]]
"""(config, days) -> summary metrics (Hummingbot's key names)."""
MarketReader = Callable[[str, str], Awaitable[Mapping[str, Any]]]
"""(connector_name, trading_pair) -> last price, volatility and range from recent candles."""

DEFAULT_CONNECTOR = "hyperliquid_perpetual"
MAX_BACKTEST_DAYS = 365
REFUSAL = (
    "There is no tool named {name}. You cannot deploy, start, stop or archive bots, place or "
    "cancel orders, move funds, or read or change credentials; no tool does that. The trader "
    "does those with a key in tradeagent (ctrl+g deploys the draft after a preflight and a "
    "confirmation, ctrl+t stops a bot). Tell the trader that instead."
)
_NO_INPUT: dict[str, Any] = {"type": "object", "properties": {}, "additionalProperties": False}
_LOOSE_CONFIG = {
    "type": "object",
    "description": "A complete controller config (the same fields as propose_strategy's "
    "config). Omit it to use the current draft.",
}


@dataclass(frozen=True)
class ToolOutcome:
    content: str
    """JSON text for the tool_result."""
    line: str
    """The compact activity line the trader sees."""
    is_error: bool = False
    proposal: Proposal | None = None
    problems: list[str] | None = None
    """Set when a proposal was rejected: what was wrong with it."""


class ToolBox:
    """Tool definitions, the system prompt they go with, and their (read-only) execution."""

    def __init__(
        self,
        *,
        sources: DeskSources | None = None,
        backtest: BacktestRunner | None = None,
        market: MarketReader | None = None,
        policy: RiskPolicy | None = None,
    ) -> None:
        self.sources = sources or DeskSources()
        self.backtest = backtest
        self.market = market
        self.policy = policy or RiskPolicy()

    # -------------------------------------------------------------- requests
    @cached_property
    def _system_prompt(self) -> str:
        return system_prompt(drafts.catalogue(), facts.policy_text(self.policy))

    def system_prompt(self) -> str:
        return self._system_prompt

    @cached_property
    def _definitions(self) -> list[dict[str, Any]]:
        union = drafts.config_schema()
        return [
            {
                "name": "propose_strategy",
                "description": "Propose a complete Hummingbot V2 controller config. Call it "
                "whenever the trader asks for a strategy or a change to the draft. tradeagent "
                "validates it: if valid it becomes the draft in the preview pane (the trader "
                "still decides whether to deploy); if not, you get the problems to fix.",
                "strict": True,
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "config": {
                            "anyOf": union["anyOf"],
                            "description": "The whole config; controller_name picks the kind.",
                        }
                    },
                    "required": ["config"],
                    "additionalProperties": False,
                    "$defs": union["$defs"],
                },
            },
            {
                "name": "run_backtest",
                "description": "Backtest a config on recent candles and return its summary "
                "(net PnL, positions, win rate, profit factor, max drawdown).",
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "config": _LOOSE_CONFIG,
                        "days": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_BACKTEST_DAYS,
                            "description": "How many days of candles (30 is a good default).",
                        },
                    },
                    "required": ["days"],
                },
            },
            {
                "name": "get_market",
                "description": "Last price, recent volatility and price range of a pair, from "
                "recent candles.",
                "strict": True,
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "trading_pair": {"type": "string", "description": "BASE-QUOTE"},
                        "connector_name": {
                            "type": "string",
                            "description": f"Exchange connector (default {DEFAULT_CONNECTOR}).",
                        },
                    },
                    "required": ["trading_pair"],
                    "additionalProperties": False,
                },
            },
            {
                "name": "list_bots",
                "description": "The bots on the Hummingbot API: status and PnL (read-only).",
                "strict": True,
                "input_schema": _NO_INPUT,
            },
            {
                "name": "get_connectors",
                "description": "Exchanges connected to the Hummingbot API and their pairs.",
                "strict": True,
                "input_schema": _NO_INPUT,
            },
            {
                "name": "explain_risk",
                "description": "Money at risk (notional, leverage, worst case at the stop) and the "
                "risk-policy verdict of a config.",
                "input_schema": {"type": "object", "properties": {"config": _LOOSE_CONFIG}},
            },
        ]

    def definitions(self) -> list[dict[str, Any]]:
        return self._definitions

    @staticmethod
    def draft_yaml(draft: ControllerConfigBase | None) -> str | None:
        return drafts.to_yaml(draft) if draft is not None else None

    # ------------------------------------------------------------- execution
    def start_line(self, name: str, args: Mapping[str, Any]) -> str:
        """The activity line shown while a tool runs."""
        if name == "propose_strategy":
            return "✎ checking the proposal…"
        if name == "run_backtest":
            what = _config_label(args.get("config")) or "the draft"
            return f"⚙ backtesting {what}, {args.get('days', 30)} d…"
        if name == "get_market":
            return f"⚙ reading the {args.get('trading_pair', '?')} market…"
        if name == "list_bots":
            return "⚙ listing bots…"
        if name == "get_connectors":
            return "⚙ listing connected exchanges…"
        if name == "explain_risk":
            return "⚙ checking risk…"
        return f"✘ {name}…"

    async def run(
        self,
        name: str,
        args: object,
        *,
        attempt: int = 1,
        draft: ControllerConfigBase | None = None,
    ) -> ToolOutcome:
        """Run one tool call; every problem becomes an error result, never an exception."""
        if not isinstance(args, Mapping):
            return _error(f"{name} takes an object of arguments", f"✘ {name}: bad arguments")
        if name == "propose_strategy":
            return self._propose(args.get("config"), attempt)
        if name == "run_backtest":
            return await self._backtest(args, draft)
        if name == "get_market":
            return await self._market(args)
        if name == "list_bots":
            return await self._listing(self.sources.list_bots, "bots", _bots_line)
        if name == "get_connectors":
            return await self._listing(self.sources.get_connectors, "connectors", _connectors_line)
        if name == "explain_risk":
            return self._explain(args, draft)
        return _error(
            REFUSAL.format(name=name),
            f"✘ refused {name}: no tool can deploy, stop, trade or touch credentials",
        )

    def _propose(self, data: object, attempt: int) -> ToolOutcome:
        checked = drafts.check(data)
        if checked.config is None:
            count = len(checked.problems)
            return ToolOutcome(
                drafts.compact_json(
                    {
                        "accepted": False,
                        "problems": checked.problems,
                        "instructions": "Fix exactly these fields and call propose_strategy "
                        "again with the whole config.",
                    }
                ),
                f"✘ proposal {attempt} invalid ({count} problem{'s' if count != 1 else ''}: "
                f"{checked.messages[0] if checked.messages else '?'}); sent back to fix",
                is_error=True,
                problems=checked.messages,
            )
        config = checked.config
        risk = facts.risk_facts(config, self.policy, self.sources.mode)
        proposal = Proposal(config, drafts.to_yaml(config), risk["summary"], attempts=attempt)
        return ToolOutcome(
            drafts.compact_json(
                {
                    "accepted": True,
                    "id": config.id,
                    **risk,
                    "note": "It is now the draft in the preview pane. The trader reviews, "
                    "backtests and decides whether to deploy it; you cannot deploy. Mention "
                    "any blocking finding and its fix.",
                }
            ),
            f"✎ proposal ready in the preview: {drafts.label(config)}",
            proposal=proposal,
        )

    def _config_or_draft(
        self, args: Mapping[str, Any], draft: ControllerConfigBase | None
    ) -> ControllerConfigBase | ToolOutcome:
        data = args.get("config")
        if data is None:
            if draft is None:
                return _error(
                    "There is no draft yet: pass a config, or propose one first.",
                    "✘ no draft to use",
                )
            return draft
        checked = drafts.check(data)
        if checked.config is None:
            return _error(
                drafts.compact_json({"problems": checked.problems}),
                f"✘ config invalid: {checked.messages[0] if checked.messages else '?'}",
            )
        return checked.config

    async def _backtest(
        self, args: Mapping[str, Any], draft: ControllerConfigBase | None
    ) -> ToolOutcome:
        config = self._config_or_draft(args, draft)
        if isinstance(config, ToolOutcome):
            return config
        days = args.get("days", 30)
        if not isinstance(days, int) or not 1 <= days <= MAX_BACKTEST_DAYS:
            return _error(
                f"days must be a whole number from 1 to {MAX_BACKTEST_DAYS}",
                "✘ backtest: bad days",
            )
        what = drafts.label(config)
        if self.backtest is None:
            return _error(
                "Backtesting is not available in this build of tradeagent.",
                f"⚙ backtest {what}: not available",
            )
        try:
            result = scrub(dict(await self.backtest(config, days)))
        except Exception as exc:
            return _error(f"The backtest failed: {exc}", f"✘ backtest {what} failed: {_short(exc)}")
        return ToolOutcome(
            drafts.compact_json(result), f"⚙ backtest {what}, {days} d → {_backtest_line(result)}"
        )

    async def _market(self, args: Mapping[str, Any]) -> ToolOutcome:
        pair = str(args.get("trading_pair") or "").strip().upper()
        connector = str(args.get("connector_name") or DEFAULT_CONNECTOR).strip()
        if not pair:
            return _error("trading_pair is required, e.g. BTC-USD", "✘ market: no pair")
        if self.market is None:
            return _error(
                "Market data is not available in this build of tradeagent.",
                f"⚙ market {pair}: not available",
            )
        try:
            data = scrub(dict(await self.market(connector, pair)))
        except Exception as exc:
            return _error(
                f"Market data for {pair} on {connector} failed: {exc}",
                f"✘ market {pair}: {_short(exc)}",
            )
        return ToolOutcome(drafts.compact_json(data), f"⚙ market {pair} → {_market_line(data)}")

    async def _listing(self, source: Any, what: str, describe: Callable[[Any], str]) -> ToolOutcome:
        fetched = await fetch(source, what, self.sources.timeout_s)
        if fetched.error is not None:
            return _error(fetched.error, f"⚙ {what}: {fetched.error}")
        return ToolOutcome(
            drafts.compact_json(fetched.data), f"⚙ {what} → {describe(fetched.data)}"
        )

    def _explain(self, args: Mapping[str, Any], draft: ControllerConfigBase | None) -> ToolOutcome:
        config = self._config_or_draft(args, draft)
        if isinstance(config, ToolOutcome):
            return config
        report = facts.risk_facts(config, self.policy, self.sources.mode)
        findings = report["findings"]
        blocking = sum(f["severity"] == "blocking" for f in findings)
        line = f"⚙ risk {drafts.label(config)} → {report['checks_passed']} ✔"
        if blocking:
            line += f", {blocking} blocking"
        if len(findings) > blocking:
            line += f", {len(findings) - blocking} ⚠"
        return ToolOutcome(drafts.compact_json(report), line)


def _error(content: str, line: str) -> ToolOutcome:
    return ToolOutcome(content, line, is_error=True)


def _short(exc: Exception, limit: int = 80) -> str:
    text = str(scrub(str(exc))) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _config_label(data: object) -> str | None:
    if not isinstance(data, Mapping):
        return None
    parts = [str(data[k]) for k in ("controller_name", "trading_pair") if data.get(k)]
    return " on ".join(parts) or None


def _num(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _backtest_line(digest: Mapping[str, Any]) -> str:
    result = digest.get("results", digest)
    if not isinstance(result, Mapping):
        return "done"
    parts = []
    pnl_quote, pnl = _num(result.get("net_pnl_quote")), _num(result.get("net_pnl"))
    if pnl is not None:
        parts.append(f"{pnl * 100:+.1f} %")
    elif pnl_quote is not None:
        parts.append(f"{pnl_quote:+,.2f}")
    positions = _num(result.get("total_executors_with_position"))
    if positions is not None:
        parts.append(f"{positions:,.0f} pos")
    accuracy = _num(result.get("accuracy"))
    if accuracy is not None:
        parts.append(f"win {accuracy * 100:.0f} %")
    drawdown = _num(result.get("max_drawdown_pct"))
    if drawdown is not None:
        parts.append(f"max DD {drawdown * 100:.1f} %")
    return ", ".join(parts) or "done"


def _market_line(data: Mapping[str, Any]) -> str:
    parts = []
    price = _num(data.get("last_price"))
    if price is not None:
        parts.append(f"{price:,.6g}")
    vol = _num(data.get("daily_volatility"))
    if vol is not None:
        parts.append(f"vol {vol * 100:.1f} %/d")
    low, high = _num(data.get("low")), _num(data.get("high"))
    if low is not None and high is not None:
        parts.append(f"range {low:,.6g}–{high:,.6g}")
    return " · ".join(parts) or "read"


def _bots_line(data: Any) -> str:
    if isinstance(data, list):
        return f"{len(data)} bot{'s' if len(data) != 1 else ''}"
    return "read"


def _connectors_line(data: Any) -> str:
    names = list(data) if isinstance(data, Mapping | list) else []
    shown = ", ".join(str(n) for n in names[:4]) + (" …" if len(names) > 4 else "")
    return shown or "none connected"
