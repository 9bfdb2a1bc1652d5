"""Backtest results as text for a terminal, and local-versus-server comparisons."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tradeagent.backtest.results import BacktestResult
from tradeagent.backtest.window import utc

SHARPE_NOTES = {
    "hummingbot": "Hummingbot's: mean/std of the cumulative PnL level, not annualised",
    "realistic": "annualised, from per-row changes of marked-to-market PnL",
}
TOLERANCE = 1e-9  # relative, the golden-data tolerance
FLOAT_KEYS = (
    "net_pnl",
    "net_pnl_quote",
    "total_volume",
    "accuracy",
    "accuracy_long",
    "accuracy_short",
    "profit_factor",
    "max_drawdown_usd",
    "max_drawdown_pct",
    "sharpe_ratio",
    "total_fees_quote",
)
COUNT_KEYS = (
    "total_executors",
    "total_executors_with_position",
    "total_positions",
    "total_long",
    "total_short",
    "win_signals",
    "loss_signals",
)


def signed(value: float, digits: int = 2) -> str:
    return f"{value:+,.{digits}f}".replace("-", "−")


def number(value: float, digits: int = 3) -> str:
    return f"{value:,.{digits}f}".replace("-", "−")


def percent(fraction: float, digits: int = 1) -> str:
    return f"{fraction * 100:,.{digits}f} %".replace("-", "−")


def profit_factor_text(summary: Mapping[str, Any], *, short: bool = False) -> str:
    """Gains over losses; with no losing position Hummingbot reports 1, which reads like
    "broke even": say what it is instead."""
    if summary.get("loss_signals") == 0 and summary.get("win_signals", 0) > 0:
        return "—" if short else "— (no losing position; Hummingbot reports 1)"
    return f"{summary['profit_factor']:.2f}"


def quote_of(pair: str) -> str:
    return pair.rsplit("-", 1)[-1] if "-" in pair else ""


def format_result(result: BacktestResult) -> str:
    """The summary a trader reads: what ran on which data, the numbers, the warnings."""
    s = result.summary
    window = result.window
    quote = quote_of(result.trading_pair)
    span = (
        f"{utc(window.start)} → {utc(window.end)} UTC"
        if window.start is not None and window.end is not None
        else "no candles"
    )
    close_types = " · ".join(f"{name} {count:,}" for name, count in s["close_types"].items())
    capital = f" of {s['capital_quote']:,.2f} margin" if "capital_quote" in s else ""
    lines = [
        f"Backtest · {result.controller_name} · {result.trading_pair} · {result.mode} mode",
        f"  {result.mode_note}",
        f"Data       {window.source} ({window.detail}) · {window.interval} · {span}",
        f"           {window.candles:,} candles · {result.rows_simulated:,} simulated · "
        f"fee {result.trade_cost * 100:.4g} % per fill",
        f"Net PnL    {signed(s['net_pnl_quote'])} {quote} ({percent(s['net_pnl'], 2)}{capital})",
        f"Positions  {s['total_positions']:,} of {s['total_executors']:,} executors · "
        f"long {s['total_long']:,} (win {percent(s['accuracy_long'])}) · "
        f"short {s['total_short']:,} (win {percent(s['accuracy_short'])})",
        f"Win rate   {percent(s['accuracy'])} · profit factor {profit_factor_text(s)}",
        f"Drawdown   {signed(s['max_drawdown_usd'])} {quote} ({percent(s['max_drawdown_pct'])})",
        f"Sharpe     {number(s['sharpe_ratio'])} ({SHARPE_NOTES[result.mode]})",
        f"Volume     {s['total_volume']:,.2f} {quote} · fees {s['total_fees_quote']:,.2f} {quote}",
        f"Closes     {close_types or 'none'}",
    ]
    for warning in (*window.warnings, *result.warnings):
        lines.append(f"Warning    {warning}")
    lines.append(f"Ran in     {result.elapsed_s:.3f} s")
    return "\n".join(lines)


@dataclass(frozen=True)
class Difference:
    key: str
    local: Any
    server: Any

    @property
    def message(self) -> str:
        return f"{self.key}: local {self.local!r}, server {self.server!r}"


def compare_summaries(
    local: Mapping[str, Any], server: Mapping[str, Any], tolerance: float = TOLERANCE
) -> list[Difference]:
    """Every summary value that differs beyond `tolerance` (relative; absolute 1e-12 near 0)."""
    found = []
    for key in FLOAT_KEYS:
        if key in local and key in server:
            a, b = float(local[key]), float(server[key])
            scale = max(abs(a), abs(b))
            limit = tolerance * scale if scale else 1e-12
            if not math.isclose(a, b, rel_tol=0.0, abs_tol=max(limit, 1e-12)):
                found.append(Difference(key, a, b))
    for key in COUNT_KEYS:
        if key in local and key in server and int(local[key]) != int(server[key]):
            found.append(Difference(key, local[key], server[key]))
    local_types = dict(local.get("close_types") or {})
    server_types = dict(server.get("close_types") or {})
    if local_types != server_types:
        found.append(Difference("close_types", local_types, server_types))
    return found


def format_comparison(
    local: BacktestResult, server: Mapping[str, Any], differences: list[Difference]
) -> str:
    """Local and server summaries side by side, then the differences (never hidden)."""
    s = local.summary
    keys = [*FLOAT_KEYS[:3], *COUNT_KEYS[:1], *FLOAT_KEYS[3:]]
    width = max(len(key) for key in keys)
    lines = [f"{'':{width}}  {'local':>18}  {'server':>18}"]
    for key in keys:
        lines.append(f"{key:{width}}  {_cell(s.get(key)):>18}  {_cell(server.get(key)):>18}")
    if differences:
        lines.append(f"{len(differences)} difference(s) beyond {TOLERANCE:g} relative:")
        lines.extend(f"  {difference.message}" for difference in differences)
    else:
        lines.append(f"local and server agree within {TOLERANCE:g} relative")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    return "—" if value is None else f"{value}"
