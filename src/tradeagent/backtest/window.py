"""What market data a backtest actually ran on, and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tradeagent.backtest.candles import Candles, format_interval


def utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class DataWindow:
    """The candles behind a result: where from, the range asked for and the range obtained."""

    source: str  # synthetic | file | hyperliquid | hummingbot | memory
    detail: str  # seed, path or connector: enough to fetch the same data again
    trading_pair: str
    interval: str
    requested_start: int
    requested_end: int
    start: int | None  # first candle obtained (open time)
    end: int | None  # last candle obtained (open time)
    candles: int
    expected: int  # candles a gap-free range would hold
    gaps: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @classmethod
    def describe(
        cls,
        candles: Candles,
        *,
        source: str,
        detail: str,
        trading_pair: str,
        requested_start: int,
        requested_end: int,
        notes: tuple[str, ...] = (),
    ) -> DataWindow:
        """A window for `candles` (already cut to the request), with coverage and gap warnings."""
        step = candles.interval_s
        expected = max(0, (requested_end - requested_start) // step + 1)
        gaps = tuple(candles.gaps())
        warnings = list(notes)
        start = int(candles.timestamp[0]) if len(candles) else None
        end = int(candles.timestamp[-1]) if len(candles) else None
        if not len(candles):
            warnings.append(f"no candles between {utc(requested_start)} and {utc(requested_end)}")
        else:
            assert start is not None and end is not None
            missing_days = ((start - requested_start) + (requested_end - end)) / 86400
            if start - requested_start >= step or requested_end - end >= step:
                got = (end - start + step) / 86400
                asked = (requested_end - requested_start + step) / 86400
                warnings.append(
                    f"covers only {got:.1f} of {asked:.1f} days asked "
                    f"({utc(start)} to {utc(end)} UTC; {missing_days:.1f} days missing)"
                )
        if gaps:
            missing = sum((last - first) // step + 1 for first, last in gaps)
            warnings.append(
                f"{len(gaps)} gap(s) in the candles, {missing} missing "
                f"{format_interval(step)} candle(s); the first at {utc(gaps[0][0])} UTC"
            )
        return cls(
            source=source,
            detail=detail,
            trading_pair=trading_pair,
            interval=format_interval(step),
            requested_start=requested_start,
            requested_end=requested_end,
            start=start,
            end=end,
            candles=len(candles),
            expected=expected,
            gaps=gaps,
            warnings=tuple(warnings),
        )

    @property
    def complete(self) -> bool:
        return self.candles == self.expected and not self.gaps

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "detail": self.detail,
            "trading_pair": self.trading_pair,
            "interval": self.interval,
            "requested_start": self.requested_start,
            "requested_end": self.requested_end,
            "start": self.start,
            "end": self.end,
            "candles": self.candles,
            "expected_candles": self.expected,
            "gaps": [list(gap) for gap in self.gaps],
            "warnings": list(self.warnings),
        }
