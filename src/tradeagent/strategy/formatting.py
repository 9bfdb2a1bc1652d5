"""Numbers as a trader reads them: $1,234.50, 2%, 45 min."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_DOLLAR_QUOTES = frozenset({"USD", "USDT", "USDC", "USDE", "USDH", "USDT0", "FDUSD", "BUSD"})


def quote_of(trading_pair: str) -> str:
    return trading_pair.rsplit("-", 1)[-1]


def money(amount: Decimal, quote: str = "USD", *, signed: bool = False) -> str:
    """``$1,234.50`` for dollar-like quotes, ``0.25 ETH`` otherwise; whole amounts lose cents."""
    sign = ""
    if signed and amount != 0:
        sign = "−" if amount < 0 else "+"
    value = abs(amount)
    cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{cents:,.0f}" if cents == cents.to_integral_value() and value >= 100 else f"{cents:,}"
    if quote.upper() in _DOLLAR_QUOTES:
        return f"{sign}${text}"
    return f"{sign}{value.normalize():f} {quote}"


def pct(fraction: Decimal | float) -> str:
    """0.02 -> ``2%``, 0.16667 -> ``16.7%``, 0.00045 -> ``0.045%``: no trailing zeros."""
    value = Decimal(str(fraction)) * 100
    places = 1 if abs(value) >= 1 else 3
    text = f"{value.quantize(Decimal(1).scaleb(-places)).normalize():f}"
    return f"{text}%"


def duration(seconds: int | float) -> str:
    """2700 -> ``45 min``, 5400 -> ``1 h 30 min``, 90 -> ``90 s``, 172800 -> ``2 d``."""
    whole = int(seconds)
    if whole < 120 and whole % 60:
        return f"{whole} s"
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
        f"{secs} s" if secs and not days else "",
    ]
    return " ".join(part for part in parts if part) or "0 s"


def number(value: Decimal | float) -> str:
    """A price or coefficient without exponent or trailing zeros: 2800, 0.38, 1.5."""
    text = f"{Decimal(str(value)).normalize():f}"
    if "." not in text and len(text) > 4:
        return f"{int(text):,}"
    return text
