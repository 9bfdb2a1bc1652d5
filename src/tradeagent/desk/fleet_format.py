"""How fleet figures are written: the same words in the bots pane and in ``tradeagent status``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

NONE = "—"
SPARK_BARS = "▁▂▃▄▅▆▇█"

CLOSE_TYPE_ABBREVIATIONS = {
    "TAKE_PROFIT": "TP",
    "STOP_LOSS": "SL",
    "TIME_LIMIT": "TL",
    "TRAILING_STOP": "TS",
    "EARLY_STOP": "ES",
    "EXPIRED": "EXP",
    "FAILED": "FAIL",
    "INSUFFICIENT_BALANCE": "BAL",
    "COMPLETED": "DONE",
    "POSITION_HOLD": "HOLD",
}
CLOSE_TYPE_LEGEND = " · ".join(
    f"{short} {name.lower().replace('_', ' ')}" for name, short in CLOSE_TYPE_ABBREVIATIONS.items()
)


def signed(value: float, places: int = 2) -> str:
    """``+8.20`` / ``-0.87``; a value that rounds to zero is ``0.00`` (never ``-0.00``)."""
    text = f"{value:+,.{places}f}"
    if text.lstrip("+-").strip("0.,") == "":
        return text[1:]
    return text


def amount(value: float, places: int = 2) -> str:
    return f"{value:,.{places}f}"


def compact(value: float) -> str:
    """``950`` / ``12.4k`` / ``1.25M``: volumes at a glance."""
    size = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            scaled = value / limit
            return f"{scaled:.1f}{suffix}" if abs(scaled) >= 10 else f"{scaled:.2f}{suffix}"
    return f"{value:.0f}"


def duration(span: timedelta | None) -> str:
    """``45s`` / ``12m`` / ``2h01`` / ``3d04``."""
    if span is None:
        return NONE
    seconds = int(span.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    minutes, _ = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}"


def percent(rate: float | None) -> str:
    return NONE if rate is None else f"{rate * 100:.0f}%"


def close_summary(close_types: Sequence[tuple[str, int]]) -> str:
    """``TP3 SL1 TL2`` (see :data:`CLOSE_TYPE_LEGEND`)."""
    if not close_types:
        return NONE
    return " ".join(f"{CLOSE_TYPE_ABBREVIATIONS.get(kind, kind[:4])}{n}" for kind, n in close_types)


def status_label(status: str) -> str:
    return status.replace("_", " ")


def clock(moment: datetime) -> str:
    """Local wall-clock time, ``12:04:31`` (time is UTC inside, local on screen)."""
    return moment.astimezone().strftime("%H:%M:%S")


def sparkline(values: Sequence[float], width: int) -> str:
    """``values`` squeezed into ``width`` bars (each bar the last value of its slice)."""
    if not values or width <= 0:
        return ""
    if len(values) > width:
        step = len(values) / width
        values = [values[min(len(values) - 1, int((i + 1) * step) - 1)] for i in range(width)]
    else:
        values = list(values)
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return SPARK_BARS[len(SPARK_BARS) // 2 - 1] * len(values)
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((v - low) / (high - low) * top)] for v in values)
