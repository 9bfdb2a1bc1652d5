"""What a backtest from the app runs on: period, candle source and mode.

Starts from the ``[backtest]`` settings; the options dialog (``B`` in the preview) changes it for
the session. Light on purpose: the engine is imported only when a job is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tradeagent.settings import BacktestSettings
from tradeagent.strategy import ControllerConfigBase

if TYPE_CHECKING:
    from tradeagent.desk.backtesting import BacktestJob

SourceKind = Literal["synthetic", "file", "hyperliquid", "hummingbot"]
ModeName = Literal["hummingbot", "realistic"]

MODE_LABELS: dict[str, str] = {
    "hummingbot": "Hummingbot-compatible",
    "realistic": "realistic, not comparable with Hummingbot",
}
"""How every screen names the mode that produced a number (never just "the backtest")."""


@dataclass(frozen=True)
class BacktestOptions:
    days: float = 30.0
    start: str = ""
    """First candle (ISO date or unix seconds); with it, ``days`` is not used."""
    end: str = ""
    """Last candle; empty = the last closed candle."""
    mode: ModeName = "hummingbot"
    source: SourceKind = "synthetic"
    path: Path | None = None
    """The CSV file of the ``file`` source."""
    seed: int = 7
    trade_cost: float = 0.0006
    resolution: str = "1m"

    @classmethod
    def from_settings(cls, section: BacktestSettings) -> BacktestOptions:
        source, _, path = section.source.partition(":")
        kind: SourceKind = "file" if source == "file" else _kind(source)
        return cls(
            days=section.days,
            mode=section.mode,
            source=kind,
            path=Path(path).expanduser() if path else None,
            seed=section.seed,
            trade_cost=section.trade_cost,
            resolution=section.resolution,
        )

    @property
    def source_text(self) -> str:
        """As ``tradeagent backtest --source`` takes it."""
        return f"file:{self.path or ''}" if self.source == "file" else self.source

    @property
    def period(self) -> str:
        """``30 d``, ``2025-01-01 → 2025-01-31`` or ``2025-01-01 → now``."""
        if self.start:
            return f"{self.start} → {self.end or 'now'}"
        return f"{self.days:g} d"

    @property
    def source_label(self) -> str:
        if self.source == "file":
            return f"file {self.path.name}" if self.path else "file"
        if self.source == "synthetic":
            return "synthetic" if self.seed == 7 else f"synthetic seed {self.seed}"
        return self.source

    def describe(self) -> str:
        """``30 d synthetic · 1m`` (the resolution only when not 1m)."""
        text = f"{self.period} {self.source_label}"
        return text if self.resolution == "1m" else f"{text} · {self.resolution}"

    @property
    def plan(self) -> str:
        """``30 d synthetic · Hummingbot-compatible mode``"""
        return f"{self.describe()} · {MODE_LABELS[self.mode]} mode"

    def job(self, config: ControllerConfigBase, *, now: float) -> BacktestJob:
        """The job for ``config``; raises ``BacktestError`` with what to change."""
        from tradeagent.desk.backtesting import build_job

        return build_job(
            config,
            days=None if self.start or self.end else self.days,
            start=self.start or None,
            end=self.end or None,
            source=self.source_text,
            seed=self.seed,
            mode=self.mode,
            trade_cost=self.trade_cost,
            resolution=self.resolution,
            now=now,
        )


def _kind(text: str) -> SourceKind:
    if text == "hyperliquid":
        return "hyperliquid"
    if text == "hummingbot":
        return "hummingbot"
    return "synthetic"


class OptionsError(ValueError):
    """A value of the options dialog that cannot be used; the message names the field."""


def options_from_form(
    *,
    days: str,
    start: str,
    end: str,
    mode: str,
    source: str,
    path: str,
    seed: str,
    trade_cost: str,
    resolution: str,
) -> BacktestOptions:
    """The dialog's fields as options; :class:`OptionsError` says which field is wrong and how."""
    start, end = start.strip(), end.strip()
    if end and not start:
        raise OptionsError("End needs a start date too (or clear both and use Days).")
    for label, value in (("Start", start), ("End", end)):
        if value and not _is_time(value):
            raise OptionsError(
                f"{label} {value!r} is neither a date (2025-01-31, 2025-01-31T12:00) nor unix "
                "seconds."
            )
    if start:
        number = BacktestOptions.days  # not used with a start date; whatever the field holds
    else:
        number = _number("Days", days, float)
        if not 0 < number <= 3650:
            raise OptionsError("Days must be more than 0 and at most 3650.")
    cost = _number("Trade cost", trade_cost, float)
    if not 0 <= cost < 0.1:
        raise OptionsError("Trade cost is a fraction per fill: 0.0006 = 0.06 %, below 0.1.")
    seed_value = _number("Seed", seed, int)
    if seed_value < 0:
        raise OptionsError("Seed must be 0 or more.")
    resolution = resolution.strip()
    if not re.fullmatch(r"[1-9]\d*[smhdw]", resolution):
        raise OptionsError(f"Resolution {resolution!r} is not an interval: use 1m, 5m, 1h, 1d…")
    file_path: Path | None = None
    if source == "file":
        if not path.strip():
            raise OptionsError("The file source needs a CSV file (timestamp, open, high, …).")
        file_path = Path(path.strip()).expanduser()
        if not file_path.is_file():
            raise OptionsError(f"{file_path} is not a file. Check the path.")
    return BacktestOptions(
        days=number,
        start=start,
        end=end,
        mode="realistic" if mode == "realistic" else "hummingbot",
        source="file" if source == "file" else _kind(source),
        path=file_path,
        seed=seed_value,
        trade_cost=cost,
        resolution=resolution,
    )


def _number(label: str, text: str, kind: type[float] | type[int]) -> Any:
    try:
        return kind(text.strip())
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise OptionsError(f"{label} must be {what}, got {text.strip()!r}.") from None


def _is_time(text: str) -> bool:
    if text.isdigit():
        return True
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
