"""The backtest gate: a config may be deployed once this exact config (by hash) was backtested.
A backtest that lost money passes the gate with a warning (⚠), never silently.

Backtests are journalled by whoever runs them (the TUI, ``tradeagent backtest``) through
:func:`record_backtest`, under the config's hash; the gate looks them up. Required in LIVE and
advisory in SIM by default (``desk.backtest_gate``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tradeagent.desk.checks import Check, Verdict
from tradeagent.desk.journal import Entry, Journal

if TYPE_CHECKING:
    from tradeagent.backtest import BacktestResult  # numpy: only when a backtest ran

BACKTEST_KIND = "backtest"

_SUMMARY_KEYS = (
    "net_pnl",
    "net_pnl_quote",
    "total_positions",
    "total_executors_with_position",
    "accuracy",
    "max_drawdown_usd",
    "max_drawdown_pct",
    "profit_factor",
    "sharpe_ratio",
    "total_fees_quote",
    "total_volume",
)
_WINDOW_KEYS = ("source", "trading_pair", "interval", "start", "end", "candles")
_FIX = "backtest this exact config first (ctrl+b in the app, or `tradeagent backtest FILE`)"
_LOST_FIX = (
    "tune it and backtest again (ctrl+b), or deploy knowing it lost money on the candles it "
    "was tested on"
)


class GateMode(StrEnum):
    AUTO = "auto"
    """Required in LIVE, advisory in SIM."""
    REQUIRED = "required"
    ADVISORY = "advisory"
    OFF = "off"

    def level(self, live: bool) -> GateMode:
        if self is GateMode.AUTO:
            return GateMode.REQUIRED if live else GateMode.ADVISORY
        return self


@dataclass(frozen=True)
class BacktestEvidence:
    """The key numbers of the latest backtest of one config hash."""

    config_hash: str
    entry_id: int
    at: datetime
    mode: str
    net_pnl_quote: float | None
    net_pnl: float | None
    """Fraction of the capital."""
    positions: int | None
    accuracy: float | None
    max_drawdown_usd: float | None
    days: float | None
    source: str
    warnings: tuple[str, ...]

    @property
    def lost_money(self) -> bool:
        """The backtest ended below zero: worth a warning before real money follows it."""
        net = self.net_pnl_quote if self.net_pnl_quote is not None else self.net_pnl
        return net is not None and net < 0

    @property
    def headline(self) -> str:
        """ "+3.1% (+15.40) over 30 d · 1,094 pos · hummingbot mode" (without the time)."""
        parts: list[str] = []
        if self.net_pnl is not None:
            text = f"{self.net_pnl:+.1%}"
            if self.net_pnl_quote is not None:
                text += f" ({self.net_pnl_quote:+,.2f})"
            if self.days is not None:
                text += f" over {self.days:.3g} d"
            parts.append(text)
        if self.positions is not None:
            parts.append(f"{self.positions:,} pos")
        if self.max_drawdown_usd is not None:
            parts.append(f"max DD {self.max_drawdown_usd:,.2f}")
        if self.source:
            parts.append(f"{self.source} candles")
        if self.mode:
            parts.append(f"{self.mode} mode")
        return " · ".join(parts) or "results recorded"

    def to_json(self) -> dict[str, Any]:
        return {
            "config_hash": self.config_hash,
            "entry_id": self.entry_id,
            "at": self.at.isoformat(),
            "headline": self.headline,
            "warnings": list(self.warnings),
        }


def record_backtest(journal: Journal, config_hash: str, result: Mapping[str, Any]) -> int:
    """Journal a backtest of the config with ``config_hash``.

    ``result`` is a backtest's JSON form (``BacktestResult.to_dict()`` or the server's reply):
    its ``results`` summary, ``mode``, ``window`` and ``warnings`` are kept; executors and
    series are not (they are large and the gate does not need them).
    """
    summary = result.get("results")
    window = result.get("window")
    summary = summary if isinstance(summary, Mapping) else {}
    window = window if isinstance(window, Mapping) else {}
    payload: dict[str, Any] = {
        "mode": result.get("mode", ""),
        "results": {key: summary[key] for key in _SUMMARY_KEYS if key in summary},
        "window": {key: window[key] for key in _WINDOW_KEYS if key in window},
        "warnings": [str(w) for w in result.get("warnings") or []][:20],
    }
    for key in ("controller_name", "connector_name", "trading_pair", "backtesting_resolution"):
        if key in result:
            payload[key] = result[key]
    return journal.append(BACKTEST_KIND, payload, config_hash=config_hash)


def record_result(journal: Journal, result: BacktestResult) -> int:
    """Journal a local engine run under the hash of the config it ran (what the app's and the
    CLI's backtests call)."""
    return record_backtest(
        journal, result.config_hash, result.to_dict(series_points=0, executors=False)
    )


def find_backtest(journal: Journal, config_hash: str) -> BacktestEvidence | None:
    entry = journal.latest(BACKTEST_KIND, config_hash=config_hash)
    return None if entry is None else evidence_of(entry)


def evidence_of(entry: Entry) -> BacktestEvidence:
    """The key numbers of a journalled backtest."""
    payload = entry.payload
    results = payload.get("results") if isinstance(payload.get("results"), dict) else {}
    window = payload.get("window") if isinstance(payload.get("window"), dict) else {}
    assert isinstance(results, dict) and isinstance(window, dict)
    positions = results.get("total_positions", results.get("total_executors_with_position"))
    start, end = _number(window.get("start")), _number(window.get("end"))
    days = (end - start) / 86_400 if start is not None and end is not None and end > start else None
    return BacktestEvidence(
        config_hash=entry.config_hash or "",
        entry_id=entry.id,
        at=entry.ts,
        mode=str(payload.get("mode") or ""),
        net_pnl_quote=_number(results.get("net_pnl_quote")),
        net_pnl=_number(results.get("net_pnl")),
        positions=int(positions) if isinstance(positions, int | float) else None,
        accuracy=_number(results.get("accuracy")),
        max_drawdown_usd=_number(results.get("max_drawdown_usd")),
        days=days,
        source=str(window.get("source") or ""),
        warnings=tuple(str(w) for w in payload.get("warnings") or ()),
    )


def gate_checks(
    journal: Journal,
    controllers: Sequence[tuple[str, str]],
    mode: GateMode,
    *,
    live: bool,
) -> tuple[list[Check], dict[str, BacktestEvidence | None]]:
    """One check per controller (name, config hash), and the evidence found for each."""
    level = mode.level(live)
    checks: list[Check] = []
    evidence: dict[str, BacktestEvidence | None] = {}
    for name, config_hash in controllers:
        found = find_backtest(journal, config_hash) if level is not GateMode.OFF else None
        evidence[name] = found
        if level is GateMode.OFF:
            checks.append(
                Check(
                    "backtest",
                    "backtest",
                    Verdict.SKIPPED,
                    "gate off (desk.backtest_gate = off)",
                    controller=name,
                )
            )
        elif found is not None and found.lost_money:
            checks.append(
                Check(
                    "backtest",
                    "backtest",
                    Verdict.ADVISORY,
                    f"this exact config lost money in its backtest: {found.headline}",
                    _LOST_FIX,
                    controller=name,
                )
            )
        elif found is not None:
            checks.append(
                Check(
                    "backtest",
                    "backtest",
                    Verdict.PASS,
                    f"this exact config: {found.headline}",
                    controller=name,
                )
            )
        else:
            required = level is GateMode.REQUIRED
            checks.append(
                Check(
                    "backtest",
                    "backtest",
                    Verdict.FAIL if required else Verdict.ADVISORY,
                    "no backtest of this exact config"
                    + (" (required in LIVE)" if required and live else ""),
                    _FIX,
                    controller=name,
                )
            )
    return checks, evidence


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
