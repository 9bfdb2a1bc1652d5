"""Deploy reviews, stop results and journal entries as plain text rows.

The CLI prints these rows; the TUI lays the same rows out in its confirmation modal and
result tables, so both faces say the same thing in the same words. Times show in local time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from tradeagent.desk.checks import Check, Verdict
from tradeagent.desk.gate import evidence_of
from tradeagent.desk.journal import Entry
from tradeagent.desk.pnl_history import JOURNAL_KIND as PNL_KIND
from tradeagent.desk.review import ControllerReview, DeployReview
from tradeagent.desk.stop import KillSwitchReport, StopResult
from tradeagent.strategy.formatting import money, quote_of

Row = tuple[str, str]
"""(label, text): the label is empty on continuation lines."""

BACKGROUND_KINDS = (PNL_KIND, "chat.partial")
"""Rows kept to restore state after a restart (PnL samples every minute, pieces of a streaming
reply), not things anyone did: journal listings leave them out unless asked for."""

_PREFLIGHT_ORDER = (
    "bot_name",
    "server",
    "docker",
    "mqtt",
    "account",
    "connector",
    "credentials",
    "pair",
    "min_notional",
    "leverage",
    "position_mode",
    "candles",
    "drawdown_caps",
    "same_name",
    "balance",
)


def local_time(when: datetime, fmt: str = "%H:%M") -> str:
    return when.astimezone().strftime(fmt)


def review_title(review: DeployReview) -> str:
    return f"Deploy to {review.mode} · {review.server}"


def review_rows(review: DeployReview) -> list[Row]:
    """Everything the confirmation shows, top to bottom."""
    plan = review.plan
    rows: list[Row] = [
        ("Bot", f"{plan.bot_name}  (the server appends a timestamp)"),
        ("Account", plan.account),
        ("Image", plan.image),
    ]
    for controller in review.controllers:
        rows.extend(_controller_rows(controller))
    quote = quote_of(plan.controllers[0].config.pair)
    rows.append(
        (
            "Caps",
            _caps(plan.max_global_drawdown_quote, "bot", quote)
            + " · "
            + _caps(plan.max_controller_drawdown_quote, "controller", quote),
        )
    )
    rows.append(("Preflight", marks(c for c in review.checks.checks if c.id != "backtest")))
    for check in review.checks.checks:
        if check.verdict in (Verdict.FAIL, Verdict.ADVISORY):
            rows.append(("", check.line))
    return rows


def _controller_rows(review: ControllerReview) -> list[Row]:
    config = review.controller.config
    money_at_risk = review.money
    quote = quote_of(config.pair)
    leverage = getattr(config, "leverage", 1)
    risk = (
        f"notional {money(money_at_risk.notional_per_side, quote)} per side · "
        f"leverage {leverage}x · margin {money(money_at_risk.margin, quote)}"
    )
    fees = f"fees ≈ {money(money_at_risk.fees, quote)}"
    if money_at_risk.worst_case_loss is None:
        worst = f"worst case: unbounded (no stop) · {fees}"
    else:
        loss = money(-money_at_risk.worst_case_loss, quote, signed=True)
        worst = f"worst case if every position stops out: {loss} (+ {fees})"
    rows: list[Row] = [
        ("Controller", f"{review.name} · {review.description.headline}"),
        ("", review.description.terms),
        ("", risk),
        ("", worst),
    ]
    if review.description.signal:
        rows.append(("", f"signal: {review.description.signal}"))
    if review.backtest is not None:
        when = local_time(review.backtest.at, "%Y-%m-%d %H:%M")
        rows.append(("Backtest", f"✔ this exact config · {review.backtest.headline} · {when}"))
        rows.extend(("", f"⚠ {warning}") for warning in review.backtest.warnings[:3])
    else:
        rows.append(("Backtest", "none of this exact config"))
    rows.append(("Change", review.diff.summary))
    return rows


def marks(checks: Iterable[Check]) -> str:
    """``✔ server  ✔ docker  ✘ credentials …``: one mark per check, in a fixed order."""
    ordered = sorted(
        checks,
        key=lambda c: _PREFLIGHT_ORDER.index(c.id) if c.id in _PREFLIGHT_ORDER else 99,
    )
    seen: dict[str, Check] = {}
    for check in ordered:
        key = check.label
        worse = key in seen and _rank(check) > _rank(seen[key])
        if key not in seen or worse:
            seen[key] = check
    return "  ".join(f"{c.mark} {c.label}" for c in seen.values())


def _rank(check: Check) -> int:
    return [Verdict.SKIPPED, Verdict.PASS, Verdict.ADVISORY, Verdict.FAIL].index(check.verdict)


def _caps(value: Decimal | None, what: str, quote: str) -> str:
    return f"{what} drawdown {money(value, quote)}" if value is not None else f"no {what} cap"


def review_text(review: DeployReview) -> str:
    width = max(len(label) for label, _ in review_rows(review))
    lines = [review_title(review)]
    lines += [f"{label:<{width}}  {text}".rstrip() for label, text in review_rows(review)]
    return "\n".join(lines)


def stop_rows(results: Iterable[StopResult]) -> list[tuple[str, str, str]]:
    """(bot, result, what happened) per stop, failures first."""
    ordered = sorted(results, key=lambda r: (r.ok, r.bot))
    return [(r.bot, r.state.value.replace("_", " "), r.message) for r in ordered]


def kill_switch_text(report: KillSwitchReport) -> str:
    rows = stop_rows(report.results)
    if not rows:
        return report.summary
    width = max(len(bot) for bot, _, _ in rows)
    state_width = max(len(state) for _, state, _ in rows)
    lines = [report.summary]
    lines += [f"{bot:<{width}}  {state:<{state_width}}  {text}" for bot, state, text in rows]
    return "\n".join(lines)


def entry_summary(entry: Entry) -> str:
    """One line saying what an entry records."""
    payload = entry.payload
    for key in ("message", "summary", "reason", "error"):
        if isinstance(payload.get(key), str) and payload[key]:
            return _one_line(str(payload[key]))
    if entry.kind == "deploy.begin":
        names = ", ".join(str(c.get("name")) for c in payload.get("controllers") or ())
        return f"deploy {payload.get('bot_name')} ({names}) as {payload.get('account')}"
    if entry.kind == "stop.begin":
        target = payload.get("controller") or ""
        return f"{payload.get('kind')} {payload.get('bot')}" + (f" / {target}" if target else "")
    if entry.kind == "preflight":
        checks = payload.get("checks") or []
        failed = [c["label"] for c in checks if c.get("verdict") == "fail"]
        plan = payload.get("plan") or {}
        verdict = "ok" if not failed else f"failed: {', '.join(failed)}"
        return f"preflight of {plan.get('bot_name')}: {verdict}"
    if entry.kind == "backtest" and entry.config_hash:
        found = evidence_of(entry)
        return f"backtest of {entry.config_hash[:12]}: {found.headline}"
    if entry.kind == PNL_KIND and isinstance(payload.get("pnl"), dict):
        pnl = payload["pnl"]
        bots = " · ".join(f"{name} {value:+,.2f}" for name, value in sorted(pnl.items()))
        return _one_line(f"net PnL of {len(pnl)} bot(s): {bots}" if pnl else "no bots")
    if entry.kind.startswith("chat."):
        return _chat_summary(entry)
    return _one_line(json.dumps(payload, sort_keys=True, default=str))


def _chat_summary(entry: Entry) -> str:
    payload = entry.payload
    turn = payload.get("turn")
    turn = turn + 1 if isinstance(turn, int) else turn  # counted from 1 on screen
    if entry.kind == "chat.start":
        return _one_line(f"conversation with {payload.get('assistant')}: {payload.get('title')}")
    if entry.kind == "chat.prompt":
        return _one_line(f"you: {payload.get('text', '')}")
    if entry.kind == "chat.reply":
        reply = payload.get("reply") or payload.get("error") or ""
        return _one_line(f"reply to prompt {turn} ({payload.get('status', 'done')}): {reply}")
    if entry.kind == "chat.retry":
        return f"prompt {turn} asked again"
    return _one_line(json.dumps(payload, sort_keys=True, default=str))


def entry_row(entry: Entry) -> tuple[str, str, str, str]:
    """(local time, kind, outcome or mode, summary)."""
    outcome = str(entry.payload.get("outcome", "")) if entry.kind.endswith(".outcome") else ""
    return (
        local_time(entry.ts, "%Y-%m-%d %H:%M:%S"),
        entry.kind,
        outcome or entry.mode,
        entry_summary(entry),
    )


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
