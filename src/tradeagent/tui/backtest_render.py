"""Rich renderables of a backtest result: the rule, the one-line headline with a sparkline, the
summary table, close types, the data window, warnings and the executor ledger's rows.

Imported with the first result (it needs the engine's types); never at app start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from rich.table import Table
from rich.text import Text

from tradeagent.backtest import MODE_NOTES, BacktestResult, CloseType, DataWindow
from tradeagent.backtest.closes import side_name
from tradeagent.backtest.report import SHARPE_NOTES, profit_factor_text, quote_of
from tradeagent.backtest.window import utc
from tradeagent.tui.backtest_options import MODE_LABELS
from tradeagent.tui.backtest_state import BacktestOutcome
from tradeagent.tui.strategy_render import Palette

SPARK = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 12
DRAWDOWN_NOTES = {
    "hummingbot": "on realized PnL, as Hummingbot computes it",
    "realistic": "mark-to-market",
}


def minus(text: str) -> str:
    return text.replace("-", "−")


def signed(value: float, digits: int = 2) -> str:
    return minus(f"{value:+,.{digits}f}")


def pct(fraction: float, digits: int = 1, *, sign: bool = False) -> str:
    return minus(f"{fraction * 100:{'+' if sign else ''},.{digits}f}%")


def mode_label(result: BacktestResult) -> str:
    """``Hummingbot-compatible mode`` or ``realistic mode (not comparable with Hummingbot)``."""
    label = MODE_LABELS[result.mode]
    head, _, tail = label.partition(", ")
    return f"{head} mode ({tail})" if tail else f"{head} mode"


def rule(outcome: BacktestOutcome, *, stale: bool) -> Text:
    """``── Backtest · Hummingbot-compatible mode · 30 d synthetic · 0.04 s ──``"""
    text = Text("── Backtest · ")
    if stale:
        text.append("STALE", style="bold reverse")
        text.append(" · ")
    text.append(mode_label(outcome.result), style="bold")
    text.append(f" · {outcome.options.describe()} · {outcome.elapsed_s:.2f} s ──")
    return text


def sparkline(values: Sequence[float], width: int = SPARK_WIDTH) -> str:
    """The series in ``width`` block characters (the last value of each bucket)."""
    if not values:
        return ""
    n = len(values)
    points = [values[min(n - 1, (i + 1) * n // width - 1)] for i in range(min(width, n))]
    low, high = min(points), max(points)
    if high == low:
        return SPARK[0] * len(points)
    scale = (len(SPARK) - 1) / (high - low)
    return "".join(SPARK[round((value - low) * scale)] for value in points)


def headline(result: BacktestResult, palette: Palette) -> Text:
    """``net +15.40 (+3.1%) · 1,094 pos · win 55% · PF 1.12 · max DD −25.10 · ▁▂▃▅▆▅▇``"""
    s = result.summary
    net = s["net_pnl_quote"]
    colour = palette.success if net > 0 else palette.error if net < 0 else ""
    text = Text("net ")
    text.append(f"{signed(net)} ({pct(s['net_pnl'], sign=True)})", style=f"bold {colour}")
    text.append(
        f" · {s['total_positions']:,} pos · win {pct(s['accuracy'], 0)} · "
        f"PF {profit_factor_text(s, short=True)} · max DD {signed(s['max_drawdown_usd'])}"
    )
    spark = sparkline(result.pnl.downsampled(SPARK_WIDTH * 4)["total_pnl"])
    if spark:
        text.append(f" · {spark}", style=colour)
    return text


def all_warnings(result: BacktestResult) -> list[str]:
    return [*result.window.warnings, *result.warnings]


def warnings_text(result: BacktestResult, palette: Palette) -> Text:
    text = Text()
    for index, warning in enumerate(all_warnings(result)):
        if index:
            text.append("\n")
        text.append(f"⚠ {warning}", style=f"bold {palette.warning}")
    return text


def close_types(summary: Mapping[str, Any]) -> str:
    counts: dict[str, int] = dict(summary.get("close_types") or {})
    total = sum(counts.values())
    if not total:
        return "none"
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return " · ".join(f"{name} {count:,} ({count / total:.0%})" for name, count in ordered)


def window_text(window: DataWindow) -> str:
    """``synthetic (seed 7) · BTC-USD · 1m · 2026-10-25 00:00 → 2026-11-24 00:00 UTC · 43,200
    of 43,200 candles``"""
    span = (
        f"{utc(window.start)} → {utc(window.end)} UTC"
        if window.start is not None and window.end is not None
        else f"no candles in {utc(window.requested_start)} → {utc(window.requested_end)} UTC"
    )
    return (
        f"{window.source} ({window.detail}) · {window.trading_pair} · {window.interval} · {span}"
        f" · {window.candles:,} of {window.expected:,} candles"
    )


def summary_table(result: BacktestResult) -> Table:
    s = result.summary
    quote = quote_of(result.trading_pair)
    capital = f" of {s['capital_quote']:,.2f} margin" if "capital_quote" in s else ""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    rows = [
        ("Net PnL", f"{signed(s['net_pnl_quote'])} {quote} ({pct(s['net_pnl'], 2)}{capital})"),
        (
            "Executors",
            f"{s['total_executors']:,} · {s['total_positions']:,} with a position "
            f"(long {s['total_long']:,} · short {s['total_short']:,})",
        ),
        (
            "Win rate",
            f"{pct(s['accuracy'])} · long {pct(s['accuracy_long'])} · "
            f"short {pct(s['accuracy_short'])}",
        ),
        ("Profit factor", profit_factor_text(s)),
        ("Sharpe", minus(f"{s['sharpe_ratio']:.3f}") + f" ({SHARPE_NOTES[result.mode]})"),
        (
            "Max drawdown",
            f"{signed(s['max_drawdown_usd'])} {quote} ({pct(s['max_drawdown_pct'])}; "
            f"{DRAWDOWN_NOTES[result.mode]})",
        ),
        (
            "Fees",
            f"{s['total_fees_quote']:,.2f} {quote} ({result.trade_cost * 100:.4g}% per fill)",
        ),
        ("Volume", f"{s['total_volume']:,.2f} {quote}"),
        ("Close types", close_types(s)),
        ("Candles", window_text(result.window)),
        ("Mode", MODE_NOTES[result.mode]),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table


def ran_at(outcome: BacktestOutcome) -> str:
    """The local time it ran, with its zone."""
    return outcome.ran_at.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


LEDGER_COLUMNS = (
    "#",
    "opened (UTC)",
    "side",
    "closed (UTC)",
    "close type",
    "net PnL %",
    "net PnL",
    "filled",
    "fees",
)


def ledger_rows(result: BacktestResult, limit: int) -> list[tuple[str | Text, ...]]:
    """The first ``limit`` executors, in creation order, for a table."""
    ledger = result.ledger
    names = {member.value: member.name for member in CloseType}
    rows: list[tuple[str | Text, ...]] = []
    for i in range(min(limit, len(ledger))):
        pnl = float(ledger.net_pnl_quote[i])
        style = "green" if pnl > 0 else "red" if pnl < 0 else ""
        rows.append(
            (
                f"{i + 1:,}",
                _stamp(int(ledger.timestamp[i])),
                side_name(int(ledger.side[i])),
                _stamp(int(ledger.close_timestamp[i])),
                names.get(int(ledger.close_type[i]), str(int(ledger.close_type[i]))),
                Text(pct(float(ledger.net_pnl_pct[i]), 3, sign=True), style=style),
                Text(signed(pnl, 4), style=style),
                f"{float(ledger.filled_amount_quote[i]):,.2f}",
                f"{float(ledger.cum_fees_quote[i]):,.4f}",
            )
        )
    return rows


def _stamp(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%m-%d %H:%M")
