"""Rich renderables of a draft: title, summary, money at risk, verdicts, problems, YAML, diff."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from rich.console import RenderableType
from rich.text import Text

from tradeagent.strategy import ConfigError, RiskReport, describe, risk_line
from tradeagent.strategy.formatting import quote_of
from tradeagent.tui.draft import Draft


@dataclass(frozen=True)
class Palette:
    """Theme colours for status text (Rich styles need concrete colours)."""

    error: str
    warning: str
    success: str

    @classmethod
    def from_theme(cls, variables: Mapping[str, str]) -> Palette:
        return cls(
            error=variables.get("text-error", "red"),
            warning=variables.get("text-warning", "yellow"),
            success=variables.get("text-success", "green"),
        )


def pane_title(draft: Draft | None, report: RiskReport | None) -> str:
    """``Strategy · bollinger_v1 · BTC-USD · hyperliquid_perpetual · ✔ valid``"""
    if draft is None:
        return "Strategy"
    if draft.config is None:
        count = len(draft.problems)
        return f"Strategy · ✘ {count} problem{'s' if count != 1 else ''}"
    config = draft.config
    parts = ["Strategy", config.controller_name, config.pair, config.connector]
    if report is not None and report.blocking:
        parts.append(f"⚠ {len(report.blocking)} blocking")
    else:
        parts.append("✔ valid")
    return " · ".join(parts)


def summary(draft: Draft) -> Text:
    assert draft.config is not None
    description = describe(draft.config)
    text = Text(description.headline, style="bold")
    text.append("\n" + description.terms)
    if description.signal:
        text.append("\n" + description.signal, style="dim")
    return text


def money_at_risk(report: RiskReport, trading_pair: str) -> Text:
    """``notional $500 per side · worst case if all stop out −$20.00 · fees ≈ $0.90 …``"""
    text = Text(risk_line(report.money, quote_of(trading_pair)))
    if report.money.notes:
        text.append("\n" + " · ".join(report.money.notes), style="dim")
    return text


def verdicts(report: RiskReport, palette: Palette) -> Text:
    """``✔ 11 of 12 checks pass ⚠ 1 warning`` then one line per finding, each with its fix."""
    text = Text(f"✔ {report.passed} of {report.checks_run} checks pass", style=palette.success)
    if report.blocking:
        text.append(f"   ✘ {len(report.blocking)} blocking", style=f"bold {palette.error}")
    if report.warnings:
        count = len(report.warnings)
        text.append(f"   ⚠ {count} warning{'s' if count != 1 else ''}", style=palette.warning)
    for finding in report.findings:
        colour = palette.error if finding.blocking else palette.warning
        text.append("\n✘ " if finding.blocking else "\n⚠ ", style=f"bold {colour}")
        if finding.field:
            text.append(f"{finding.field}: ", style=f"bold {colour}")
        text.append(finding.message, style=colour)
        text.append(f" → {finding.fix}", style="dim")
    return text


def problems(error: ConfigError, palette: Palette) -> Text:
    count = len(error.problems)
    text = Text(
        f"✘ Not valid: {count} problem{'s' if count != 1 else ''}. "
        "Fix them in the YAML (e); nothing is lost meanwhile.",
        style=f"bold {palette.error}",
    )
    for problem in error.problems:
        where = f"line {problem.line}" if problem.line is not None else ""
        text.append(f"\n  {where:<9}", style="dim")
        text.append(problem.field or "", style=f"bold {palette.error}")
        if problem.value is not None:
            text.append(f" = {problem.value}", style=palette.error)
        text.append(f"  {problem.why}", style=palette.error)
        if problem.allowed:
            text.append(f"  (allowed: {problem.allowed})", style="dim")
    return text


def yaml_view(text: str) -> RenderableType:
    from rich.syntax import Syntax  # pygments is imported only once a draft is shown

    return Syntax(
        text.rstrip("\n"),
        "yaml",
        theme="ansi_dark",
        line_numbers=True,
        word_wrap=False,
        background_color="default",
    )


def diff(old: Draft, new: Draft, palette: Palette) -> Text:
    """A unified diff of two drafts' YAML, removals red, additions green."""
    lines = difflib.unified_diff(
        old.text.splitlines(),
        new.text.splitlines(),
        fromfile=f"version {old.version} ({old.source})",
        tofile=f"version {new.version or 'current'} ({new.source})",
        lineterm="",
    )
    text = Text()
    for line in lines:
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("@@"):
            style = "dim"
        elif line.startswith("-"):
            style = palette.error
        elif line.startswith("+"):
            style = palette.success
        else:
            style = ""
        text.append(line + "\n", style=style)
    return text
