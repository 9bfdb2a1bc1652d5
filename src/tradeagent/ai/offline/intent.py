"""What a trader asked for, read deterministically from plain words (no model involved).

``parse_intent("mean reversion on BTC perp on Hyperliquid, $500, 2% stop")`` gives the strategy
kind, exchange, pair, amount, leverage, stop-loss and take-profit, candle interval and risk level it
can find; anything it cannot find stays None. Later turns refine earlier ones with
:meth:`Intent.merged`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Literal, TypeVar

T = TypeVar("T", bound=str)

RiskLevel = Literal["low", "medium", "high"]
MarketType = Literal["perp", "spot"]

# Phrases -> controller_name, most specific first (the first match wins).
_KINDS: list[tuple[str, str]] = [
    (r"bollin\s*grid|bollinger[\s-]*grid", "bollingrid"),
    (r"dman[\s_-]*maker", "dman_maker_v2"),
    (r"dynamic\s+(market[\s-]*mak\w*|mm|pmm)|pmm[\s_-]*dynamic", "pmm_dynamic"),
    (r"grid", "grid_strike"),
    (r"arbitrage|\barb\b|price\s+gap\s+between", "arbitrage_controller"),
    (r"\bdca\b|dollar[\s-]*cost|dman[\s_-]*v?3|average\s+down", "dman_v3"),
    (r"\bmacd\b", "macd_bb_v1"),
    (r"super\s*trend|trend[\s-]*follow\w*|ride\s+the\s+trend|\btrend\b|breakout", "supertrend_v1"),
    (r"bollinger[\s_-]*v?2", "bollinger_v2"),
    (
        r"mean[\s-]*rever\w*|bollinger|\bbb\b|\brevert\w*|buy\s+the\s+dips?|fade\s+the",
        "bollinger_v1",
    ),
    (
        r"market[\s-]*mak\w*|make\s+(a\s+)?markets?|\bpmm\b|\bmm\b|provide\s+liquidity"
        r"|quote\s+both\s+sides"
        r"|capture\s+the\s+spread",
        "pmm_simple",
    ),
]
_STYLES: list[tuple[str, str]] = [
    (r"\brsi\b|relative\s+strength", "rsi"),
    (r"scalp\w*", "scalping"),
]
_RISK: list[tuple[str, RiskLevel]] = [
    (r"conservative|low[\s-]*risk|\bsafe(ly|r)?\b|careful|cautious", "low"),
    (r"aggressive|high[\s-]*risk|\bdegen\b|\byolo\b|risky", "high"),
    (r"moderate|medium[\s-]*risk|balanced", "medium"),
]
_EXCHANGES: list[tuple[str, str]] = [
    (r"hyper\s*liquid|\bhl\b", "hyperliquid"),
    (r"binance", "binance"),
    (r"bybit", "bybit"),
    (r"\bokx\b|\bokex\b", "okx"),
    (r"kucoin", "kucoin"),
    (r"gate\.?io|\bgate\b", "gate_io"),
    (r"coinbase", "coinbase_advanced_trade"),
    (r"kraken", "kraken"),
    (r"dydx", "dydx_v4"),
]
# Exchanges whose perpetual connector is <name>_perpetual and whose spot connector is <name>.
_PERP_ONLY = {"dydx_v4": "dydx_v4_perpetual"}
_SPOT_ONLY = {"coinbase_advanced_trade", "kraken"}

_ASSETS: dict[str, str] = {
    "bitcoin": "BTC",
    "btc": "BTC",
    "xbt": "BTC",
    "ethereum": "ETH",
    "ether": "ETH",
    "eth": "ETH",
    "solana": "SOL",
    "sol": "SOL",
    "hype": "HYPE",
    "hyperliquid token": "HYPE",
    "doge": "DOGE",
    "dogecoin": "DOGE",
    "xrp": "XRP",
    "ripple": "XRP",
    "avax": "AVAX",
    "avalanche": "AVAX",
    "link": "LINK",
    "chainlink": "LINK",
    "arb token": "ARB",
    "bnb": "BNB",
    "ada": "ADA",
    "cardano": "ADA",
    "sui": "SUI",
    "pepe": "PEPE",
    "ltc": "LTC",
    "litecoin": "LTC",
    "op": "OP",
    "ton": "TON",
}
_ENGLISH_TICKERS = {"link", "op", "ton"}
"""Tickers that are also words: taken only in capitals or next to trading words."""
_QUOTES = ("USDT", "USDC", "USD", "FDUSD", "BUSD", "EUR", "BTC", "ETH")
_INTERVALS = ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w")
_INTERVAL_WORDS: list[tuple[str, str]] = [
    (r"\bhourly\b", "1h"),
    (r"\bdaily\b", "1d"),
    (r"\bweekly\b", "1w"),
    (r"\bminute\s+(candles|chart|bars)\b", "1m"),
]
_UNIT = {"m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m", "h": "h", "hr": "h"}
_UNIT |= {"hrs": "h", "hour": "h", "hours": "h", "d": "d", "day": "d", "days": "d", "w": "w"}
_UNIT |= {"week": "w", "weeks": "w"}

_NUM = r"(\d+(?:[.,]\d+)*)\s*(k|m|mm)?"
_PCT = r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|pct\b)"
_STOP = r"(?:stop[\s-]*loss|stop|\bsl\b)"
_TP = r"(?:take[\s-]*profit|profit\s+target|\btarget\b|\btp\b)"


@dataclass(frozen=True)
class Intent:
    controller: str | None = None
    """A stock controller_name (``bollinger_v1``, ``pmm_simple`` …)."""
    style: str | None = None
    """A template flavour with no controller of its own: ``rsi`` or ``scalping``."""
    exchange: str | None = None
    other_exchange: str | None = None
    """A second exchange named (the other leg of an arbitrage)."""
    market: MarketType | None = None
    base: str | None = None
    quote: str | None = None
    amount: Decimal | None = None
    """Total amount in the quote currency."""
    leverage: int | None = None
    stop_loss: Decimal | None = None
    """Fraction: 0.02 is 2 %."""
    take_profit: Decimal | None = None
    time_limit_s: int | None = None
    interval: str | None = None
    risk: RiskLevel | None = None
    price_range: tuple[Decimal, Decimal] | None = None
    spread: Decimal | None = None
    """Market making: distance of the first quotes from the mid price (fraction)."""
    stop_assumed: bool = False
    """The stop-loss came from a bare percentage ("$500, 2%")."""

    @property
    def connector(self) -> str | None:
        """The Hummingbot connector name, once the exchange is known."""
        return None if self.exchange is None else connector_of(self.exchange, self.market)

    @property
    def trading_pair(self) -> str | None:
        return f"{self.base}-{self.quote}" if self.base and self.quote else None

    @property
    def is_empty(self) -> bool:
        return self == Intent()

    def merged(self, newer: Intent) -> Intent:
        """This intent updated by everything ``newer`` says."""
        changes = {
            f.name: getattr(newer, f.name)
            for f in fields(Intent)
            if f.name != "stop_assumed" and getattr(newer, f.name) is not None
        }
        if newer.stop_loss is not None:
            changes["stop_assumed"] = newer.stop_assumed
        return replace(self, **changes)


def connector_of(exchange: str, market: MarketType | None) -> str:
    if exchange in _PERP_ONLY:
        return _PERP_ONLY[exchange]
    if exchange in _SPOT_ONLY or market == "spot":
        return exchange
    # Unless spot is asked for, perpetuals: V2 controllers short and use leverage there.
    return f"{exchange}_perpetual"


def parse_intent(text: str) -> Intent:
    """Everything recognisable in ``text``."""
    low = " " + text.lower().replace("’", "'") + " "
    found: dict[str, object] = {}
    found["controller"] = _first(_KINDS, low)
    found["style"] = _first(_STYLES, low)
    found["risk"] = _first(_RISK, low)
    venues = _exchanges(low)
    found["exchange"] = venues[0] if venues else None
    found["other_exchange"] = venues[1] if len(venues) > 1 else None
    found["market"] = _market(low)
    base, quote = _pair(text, low)
    found["base"], found["quote"] = base, quote
    found["leverage"] = _leverage(low)
    found["interval"] = _interval(low)
    found["time_limit_s"] = _time_limit(low)
    found["price_range"] = _price_range(low)
    stop, take, assumed = _percentages(low)
    found["stop_loss"], found["take_profit"], found["stop_assumed"] = stop, take, assumed
    found["spread"] = _keyed_percent(low, r"spreads?")
    found["amount"] = _amount(low)
    return Intent(**found)  # type: ignore[arg-type]


def _first(table: Sequence[tuple[str, T]], low: str) -> T | None:
    for pattern, value in table:
        if re.search(pattern, low):
            return value
    return None


def _exchanges(low: str) -> list[str]:
    """Exchanges named, in the order they appear."""
    hits = []
    for pattern, name in _EXCHANGES:
        match = re.search(pattern, low)
        if match:
            hits.append((match.start(), name))
    return [name for _, name in sorted(hits)]


def _market(low: str) -> MarketType | None:
    if re.search(r"\bperps?\b|perpetual|futures|\bswaps?\b|\blong\b|\bshort\b|leverag", low):
        return "perp"
    if re.search(r"\bspot\b", low):
        return "spot"
    if re.search(r"\b\d+(\.\d+)?\s*x\b|\bx\s*\d+\b", low):
        return "perp"
    return None


def _pair(text: str, low: str) -> tuple[str | None, str | None]:
    quotes = "|".join(_QUOTES)
    explicit = re.search(rf"\b([A-Za-z0-9]{{2,10}})\s*[-/_]\s*({quotes})\b", text, re.IGNORECASE)
    if explicit:
        return explicit.group(1).upper(), explicit.group(2).upper()
    glued = re.search(rf"\b([A-Za-z]{{2,6}}?)({quotes})\b", text, re.IGNORECASE)
    if glued and glued.group(1).lower() in _ASSETS:
        return _ASSETS[glued.group(1).lower()], glued.group(2).upper()
    for name in sorted(_ASSETS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", low):
            written_as_ticker = re.search(rf"\b{re.escape(name.upper())}\b", text)
            if (
                name in _ENGLISH_TICKERS
                and not written_as_ticker
                and not _looks_like_asset(name, low)
            ):
                continue
            return _ASSETS[name], None
    return None, None


def _looks_like_asset(word: str, low: str) -> bool:
    """Common English words that are also tickers count only next to trading words."""
    return bool(
        re.search(
            rf"\b(on|trade|trading|for|of|buy|sell|long|short)\s+{word}\b|\b{word}\s+"
            r"(perp|spot|pair|price|market|usd|usdt|usdc)\b",
            low,
        )
    )


def _number(digits: str, suffix: str | None) -> Decimal | None:
    cleaned = digits.replace(",", "")
    if cleaned.count(".") > 1:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if suffix == "k":
        value *= 1000
    elif suffix in {"m", "mm"}:
        value *= 1_000_000
    return value


def _amount(low: str) -> Decimal | None:
    found = _keyed_amount(low)
    if found is not None:
        return found
    # A lone number that is nothing else (no x, %, time unit, price range, pair) is the amount.
    rest = re.sub(rf"(?:between|from|range)\s+\$?\s*{_NUM}\s*(?:and|to|-)\s*\$?\s*{_NUM}", " ", low)
    rest = re.sub(r"\b[a-z0-9]{2,10}\s*[-/_]\s*[a-z]{3,5}\b|\b[a-z]+\d+\w*", " ", rest)
    bare = list(_LONE_NUMBER.finditer(rest))
    if len(bare) == 1:
        value = _number(bare[0].group(1), bare[0].group(2))
        if value is not None and value >= 10:
            return value
    return None


_LONE_NUMBER = re.compile(
    r"""(?<![\w.]) (\d+(?:[.,]\d+)*) \s* (k)?
        (?! [\w.%] | \s*(?: x | % | percent | times
                          | [-\s]?(?:m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\b ))""",
    re.VERBOSE,
)
_NOT_AN_AMOUNT = r"(?!\s*(?:x\b|%|percent|[mhdw]\b|min|times|leverage))"


def _keyed_amount(low: str) -> Decimal | None:
    patterns = [
        rf"\$\s*{_NUM}\b",
        rf"\b{_NUM}\s*(?:usd[tc]?|dollars?|bucks|quote)\b",
        rf"(?:amount|size|budget|capital|allocate|allocation|notional|with|using|put)"
        rf"(?:\s+(?:of|is|to|in))?\s+\$?\s*{_NUM}{_NOT_AN_AMOUNT}",
    ]
    for pattern in patterns:
        match = re.search(pattern, low)
        if match:
            value = _number(match.group(1), match.group(2))
            if value is not None and value > 0:
                return value
    return None


def _leverage(low: str) -> int | None:
    if re.search(r"\bno\s+leverage\b|\bunleveraged\b|without\s+leverage", low):
        return 1
    for pattern in (
        r"\b(\d{1,3})\s*x\b",
        r"\bx\s*(\d{1,3})\b",
        r"leverage\s*(?:of|at|to|=|:)?\s*(\d{1,3})\b",
        r"\b(\d{1,3})\s*times\s+leverage",
    ):
        match = re.search(pattern, low)
        if match:
            return int(match.group(1))
    return None


_DURATION = re.compile(
    r"\b(\d{1,2})\s*-?\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)\b"
)


def _interval(low: str) -> str | None:
    for match in _DURATION.finditer(low):
        value = match.group(1) + _UNIT[match.group(2)]
        before, after = low[: match.start()], low[match.end() :]
        # "a 45 min time limit", "close after 2 hours", "30 days" of data are not candles.
        if re.search(r"(after|limit|within|for|over|past|last|hold)\s*(of\s*)?$", before):
            continue
        if re.match(r"\s*(time|limit|max|hold)", after):
            continue
        if value in _INTERVALS:
            return value
    return _first(_INTERVAL_WORDS, low)


def _time_limit(low: str) -> int | None:
    match = re.search(
        r"(?:time[\s-]*limit\s*(?:of)?|close\s+after|max(?:imum)?\s+hold(?:ing)?\s*(?:of)?|after)"
        r"\s*(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)\b",
        low,
    ) or re.search(r"(\d+)\s*(m|min|mins|minutes?|h|hrs?|hours?)\s+time[\s-]*limit", low)
    if not match:
        return None
    unit = _UNIT.get(match.group(2), "m")
    return int(match.group(1)) * {"m": 60, "h": 3600, "d": 86400, "w": 604800}[unit]


def _price_range(low: str) -> tuple[Decimal, Decimal] | None:
    match = re.search(rf"(?:between|from|range)\s+\$?\s*{_NUM}\s*(?:and|to|-)\s*\$?\s*{_NUM}", low)
    if not match:
        return None
    low_price = _number(match.group(1), match.group(2))
    high_price = _number(match.group(3), match.group(4))
    if low_price is None or high_price is None or low_price == high_price:
        return None
    return (min(low_price, high_price), max(low_price, high_price))


def _percentages(low: str) -> tuple[Decimal | None, Decimal | None, bool]:
    stop = _keyed_percent(low, _STOP)
    take = _keyed_percent(low, _TP)
    assumed = False
    if stop is None:
        used = {v for v in (take,) if v is not None}
        bare = [
            Decimal(m.group(1)) / 100
            for m in re.finditer(_PCT, low)
            if not _keyword_near(low, m.start(), m.end())
        ]
        bare = [v for v in bare if v not in used]
        if len(bare) == 1:
            stop, assumed = bare[0], True
    return stop, take, assumed


def _keyed_percent(low: str, keyword: str) -> Decimal | None:
    for pattern in (
        rf"{keyword}\s*(?:loss\s*)?(?:at|of|=|:|is|to)?\s*{_PCT}",
        rf"{_PCT}\s*{keyword}",
    ):
        match = re.search(pattern, low)
        if match:
            return Decimal(match.group(1)) / 100
    return None


def _keyword_near(low: str, start: int, end: int) -> bool:
    window = low[max(0, start - 25) : end + 25]
    return bool(
        re.search(
            rf"{_STOP}|{_TP}|spread|range|trail\w*|drawdown|risk\s+\d|fee|apr|return|up\b|down\b",
            window,
        )
    )
