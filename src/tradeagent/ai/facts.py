"""The numbers tools hand to Claude, as small plain JSON: market facts from candles, a backtest
digest, a risk report. Full ledgers and series stay out: they cost tokens and say nothing new."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np

from tradeagent.backtest import BacktestResult, Candles
from tradeagent.strategy import ControllerConfigBase, RiskPolicy, check_config, describe

_SUMMARY_KEYS = (
    "net_pnl",
    "net_pnl_quote",
    "total_executors",
    "total_executors_with_position",
    "total_volume",
    "accuracy",
    "accuracy_long",
    "accuracy_short",
    "profit_factor",
    "max_drawdown_usd",
    "max_drawdown_pct",
    "sharpe_ratio",
    "total_fees_quote",
    "close_types",
)


def market_facts(candles: Candles, *, source: str) -> dict[str, Any]:
    """Last price, daily volatility (from candle-to-candle log returns), range and change."""
    if len(candles) < 2:
        raise ValueError("too few candles to describe the market")
    closes = candles.close
    returns = np.diff(np.log(closes))
    per_day = 86400 / candles.interval_s
    span_days = (int(candles.timestamp[-1]) - int(candles.timestamp[0])) / 86400
    day_ago = max(0, len(closes) - 1 - round(per_day))
    return {
        "last_price": _round(closes[-1]),
        "daily_volatility": _round(float(np.std(returns)) * math.sqrt(per_day)),
        "change_24h": _round(closes[-1] / closes[day_ago] - 1),
        "low": _round(float(np.min(candles.low))),
        "high": _round(float(np.max(candles.high))),
        "days": round(span_days, 2),
        "interval_s": candles.interval_s,
        "source": source,
    }


def backtest_digest(result: BacktestResult) -> dict[str, Any]:
    window = result.window
    return {
        "results": {k: result.summary[k] for k in _SUMMARY_KEYS if k in result.summary},
        "mode": result.mode,
        "mode_note": result.mode_note,
        "candles": {
            "source": window.source,
            "interval": window.interval,
            "count": window.candles,
            "expected": window.expected,
        },
        "warnings": [*window.warnings, *result.warnings],
    }


def risk_facts(config: ControllerConfigBase, policy: RiskPolicy, mode: str) -> dict[str, Any]:
    """Money at risk and the policy verdict, each finding with its fix."""
    report = check_config(config, policy, mode="LIVE" if mode == "LIVE" else "SIM")
    money = report.money
    words = describe(config)
    return {
        "summary": f"{words.headline}: {words.terms}",
        "money_at_risk": {
            "notional_per_side": str(money.notional_per_side),
            "gross_notional": str(money.gross_notional),
            "leverage": money.leverage,
            "margin": str(money.margin),
            "max_positions": money.max_positions,
            "stop": _text(money.stop),
            "worst_case_loss": _text(money.worst_case_loss),
            "fees_round_trip": str(money.fees),
        },
        "verdict": "blocked" if report.blocking else "ok",
        "checks_passed": report.passed,
        "findings": [
            {"severity": f.severity, "field": f.field, "message": f.message, "fix": f.fix}
            for f in report.findings
        ],
    }


def policy_text(policy: RiskPolicy) -> str:
    """The risk policy in a few lines, for the (cached) system prompt."""
    if not policy.enabled:
        return "- The risk policy is switched off (settings risk.enabled = false)."
    lines = [
        f"- total_amount_quote at most {policy.max_amount_per_controller} per controller and "
        f"{policy.max_amount_per_bot} per bot.",
        f"- leverage at most {policy.max_leverage}x (and never above the exchange's cap).",
        f"- stop_loss at most {policy.max_stop_loss} (a fraction)"
        + ("; directional controllers must set one." if policy.require_stop_loss else "."),
    ]
    if policy.require_drawdown_caps:
        lines.append("- deploys need global and per-controller drawdown caps (set at deploy).")
    if policy.allowed_connectors:
        lines.append("- only these connectors: " + ", ".join(policy.allowed_connectors) + ".")
    if policy.allowed_pairs:
        lines.append("- only these pairs: " + ", ".join(policy.allowed_pairs) + ".")
    lines.append("- every order must clear the exchange's minimum order size.")
    return "\n".join(lines)


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
