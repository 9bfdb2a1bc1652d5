"""What we know about each exchange connector that matters before a deploy, and where it came from.

Live values (the per-asset maximum leverage from Hyperliquid's ``meta``, a CEX pair's minimum
notional from its trading rules) belong to the preflight, which can ask the server; this table
holds what is fixed by the venue or by Hummingbot's connector code. Each fact carries its source,
shown to the trader next to the check it drives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from tradeagent.strategy.fields import CANDLE_INTERVALS, PositionMode

Market = Literal["perpetual", "spot"]

HL_DOCS = "Hyperliquid docs (community mirror dzmbs/hyperliquid-docs@24c1248c)"
HB_HL_PERP = (
    "Hummingbot hyperliquid_perpetual connector (hummingbot@2bfaccc4: constants "
    "MIN_NOTIONAL_SIZE=10, supported_position_modes()=[ONEWAY])"
)
HB_HL_SPOT = "Hummingbot hyperliquid spot connector (hummingbot@2bfaccc4, symbol map from spotMeta)"
HB_CANDLES = "Hummingbot candle feeds (candles_factory, hyperliquid constants) and ccxt#24230"
HAPI_CONTRACT = "hummingbot-api CONTRACT.md §11 / controller-schemas.json rules (verified)"

# Hyperliquid accepts 1m 3m 5m 15m 30m 1h 2h 4h 8h 12h 1d 3d 1w 1M; Hummingbot's feed lists 6h
# (which Hyperliquid rejects) and lacks 8h and 3d: only the intersection works.
_HL_INTERVALS = frozenset(
    {"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "12h", "1d", "1w", "1M"}
)

_K_COINS = ("PEPE", "SHIB", "BONK", "FLOKI", "LUNC", "DOGS", "NEIRO")
"""Hyperliquid's 1,000-token contracts (kPEPE-USD...)."""


@dataclass(frozen=True)
class ExchangeFacts:
    """Rules of one connector. ``None`` means "not established here": preflight checks it live."""

    connector: str
    venue: str
    market: Market
    quote_assets: tuple[str, ...] | None
    """Quote assets pairs must use (None: any)."""
    min_order_notional: Decimal | None
    """Smallest order value in quote units the venue (or Hummingbot) accepts."""
    min_notional_margin: Decimal
    """Keep orders this many times above the minimum: sizes round down and prices move."""
    position_modes: tuple[PositionMode, ...] | None
    """Position modes Hummingbot can set (empty for spot, None if not established)."""
    max_leverage: int | None
    """Highest leverage of any asset on the venue."""
    max_leverage_by_base: Mapping[str, int]
    maker_fee: Decimal
    taker_fee: Decimal
    candle_intervals: frozenset[str]
    candles_connector: str
    """The connector whose candle feed serves this market (testnets use mainnet feeds)."""
    testnet: bool = False
    pair_hints: Mapping[str, str] = field(default_factory=dict)
    """Common wrong pairs -> the pair Hummingbot knows."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Fact name -> where it comes from."""

    @property
    def is_perpetual(self) -> bool:
        return self.market == "perpetual"

    def leverage_cap(self, trading_pair: str) -> int | None:
        base = trading_pair.split("-", 1)[0]
        return self.max_leverage_by_base.get(base, self.max_leverage)

    def source(self, fact: str) -> str:
        return self.sources.get(fact, "not established")


def _hyperliquid_perp(connector: str, *, testnet: bool) -> ExchangeFacts:
    return ExchangeFacts(
        connector=connector,
        venue="Hyperliquid testnet" if testnet else "Hyperliquid",
        market="perpetual",
        quote_assets=("USD",),
        min_order_notional=Decimal(10),
        min_notional_margin=Decimal("1.05"),
        position_modes=(PositionMode.ONEWAY,),
        # meta.universe maxLeverage, 2026-08: BTC 40x, ETH 25x, many assets 3-10x; 50x is the
        # highest single-tier table. Values move: preflight re-reads meta.
        max_leverage=50,
        max_leverage_by_base={"BTC": 40, "ETH": 25},
        maker_fee=Decimal("0.00015"),
        taker_fee=Decimal("0.00045"),
        candle_intervals=_HL_INTERVALS,
        candles_connector="hyperliquid_perpetual",
        testnet=testnet,
        pair_hints={
            **{f"{coin}-USD": f"k{coin}-USD" for coin in _K_COINS},
            **{f"1000{coin}-USD": f"k{coin}-USD" for coin in _K_COINS},
            **{f"K{coin}-USD": f"k{coin}-USD" for coin in _K_COINS},
        },
        sources={
            "quote_assets": f"{HB_HL_PERP}: pairs are <COIN>-USD",
            "min_order_notional": f"{HL_DOCS} 'Order must have minimum value of $10'; {HB_HL_PERP}",
            "min_notional_margin": "Hummingbot grid executor sizes at min_notional x 1.05",
            "position_modes": f"{HB_HL_PERP}; {HAPI_CONTRACT}",
            "max_leverage": f"{HL_DOCS} meta / margin tiers (values change; preflight reads meta)",
            "fees": f"{HL_DOCS} Fees: base tier perps 0.015% maker / 0.045% taker",
            "candle_intervals": HB_CANDLES,
            "candles_connector": "Hummingbot has no testnet candle feed (candles_factory)",
            "pair_hints": f"{HB_HL_PERP}: k-prefixed 1000-token contracts keep their case",
        },
    )


def _hyperliquid_spot(connector: str, *, testnet: bool) -> ExchangeFacts:
    return ExchangeFacts(
        connector=connector,
        venue="Hyperliquid testnet" if testnet else "Hyperliquid",
        market="spot",
        quote_assets=("USDC",),
        min_order_notional=Decimal(10),
        min_notional_margin=Decimal("1.05"),
        position_modes=(),
        max_leverage=1,
        max_leverage_by_base={},
        maker_fee=Decimal("0.0004"),
        taker_fee=Decimal("0.0007"),
        candle_intervals=_HL_INTERVALS,
        candles_connector="hyperliquid",
        testnet=testnet,
        pair_hints={"BTC-USDC": "UBTC-USDC", "HYPE-USD": "HYPE-USDC"},
        sources={
            "quote_assets": f"{HB_HL_SPOT}: balances are tracked only for USDC pairs",
            "min_order_notional": f"{HL_DOCS}: 10 units of the quote token (Hummingbot does not "
            "enforce it on spot; the exchange rejects the order)",
            "min_notional_margin": "Hummingbot grid executor sizes at min_notional x 1.05",
            "max_leverage": "spot: leverage must be 1 (Hummingbot controller prompt)",
            "fees": f"{HL_DOCS} Fees: base tier spot 0.040% maker / 0.070% taker",
            "candle_intervals": HB_CANDLES,
            "pair_hints": f"{HB_HL_SPOT}: UI's BTC/USDC is UBTC/USDC on HyperCore",
        },
    )


def _cex(
    connector: str,
    venue: str,
    market: Market,
    *,
    maker: str,
    taker: str,
    fee_source: str,
    quotes: tuple[str, ...] | None = None,
    modes: tuple[PositionMode, ...] | None = None,
    modes_source: str | None = None,
) -> ExchangeFacts:
    sources = {
        "fees": fee_source,
        "min_order_notional": "per pair, from the exchange's trading rules: checked at preflight",
    }
    if modes_source:
        sources["position_modes"] = modes_source
    if quotes:
        sources["quote_assets"] = f"{_HB} {connector}_utils: only linear {'/'.join(quotes)} swaps"
    return ExchangeFacts(
        connector=connector,
        venue=venue,
        market=market,
        quote_assets=quotes,
        min_order_notional=None,
        min_notional_margin=Decimal(1),
        position_modes=() if market == "spot" else modes,
        max_leverage=1 if market == "spot" else None,
        max_leverage_by_base={},
        maker_fee=Decimal(maker),
        taker_fee=Decimal(taker),
        candle_intervals=frozenset(CANDLE_INTERVALS),
        candles_connector=connector,
    )


_BOTH_MODES = (PositionMode.ONEWAY, PositionMode.HEDGE)
_HB = "hummingbot/hummingbot@017afbd1"

EXCHANGES: dict[str, ExchangeFacts] = {
    facts.connector: facts
    for facts in (
        _hyperliquid_perp("hyperliquid_perpetual", testnet=False),
        _hyperliquid_perp("hyperliquid_perpetual_testnet", testnet=True),
        _hyperliquid_spot("hyperliquid", testnet=False),
        _hyperliquid_spot("hyperliquid_testnet", testnet=True),
        _cex(
            "binance_perpetual",
            "Binance USDⓈ-M",
            "perpetual",
            maker="0.0002",
            taker="0.0004",
            fee_source=f"{_HB} binance_perpetual_utils DEFAULT_FEES",
            modes=_BOTH_MODES,
            modes_source="hummingbot/hummingbot@083f7fef binance_perpetual_derivative."
            "supported_position_modes() = [ONEWAY, HEDGE]",
        ),
        _cex(
            "binance",
            "Binance",
            "spot",
            maker="0.001",
            taker="0.001",
            fee_source=f"{_HB} binance_utils DEFAULT_FEES",
        ),
        _cex(
            "bybit_perpetual",
            "Bybit",
            "perpetual",
            # Hummingbot's default schema has maker 0.06% / taker 0.01% (sic); the worse of the
            # two is used for both, so estimates do not flatter anything.
            maker="0.0006",
            taker="0.0006",
            fee_source=f"{_HB} bybit_perpetual_utils DEFAULT_FEES (maker 0.06%, taker 0.01%; "
            "we estimate both at 0.06%)",
            quotes=("USDT",),
        ),
        _cex(
            "okx_perpetual",
            "OKX",
            "perpetual",
            maker="0.0002",
            taker="0.0005",
            fee_source=f"{_HB} okx_perpetual_utils DEFAULT_FEES",
            quotes=("USDT", "USDC"),
        ),
    )
}
"""Connectors with established facts. Others get generic checks only (and a warning)."""

COMMON_CONNECTORS: tuple[tuple[str, str], ...] = (
    ("hyperliquid_perpetual", "BTC-USD"),
    ("hyperliquid", "HYPE-USDC"),
    ("binance_perpetual", "BTC-USDT"),
    ("binance", "ETH-USDT"),
    ("bybit_perpetual", "SOL-USDT"),
    ("okx_perpetual", "ETH-USDT"),
)
"""A connector and a typical pair for each venue in the table (templates, tests, pickers)."""

DEFAULT_FEE = Decimal("0.001")
"""Fee assumed for connectors without facts: a typical retail taker rate."""


def facts_for(connector: str) -> ExchangeFacts | None:
    return EXCHANGES.get(connector)


def market_of(connector: str) -> Market:
    """Perpetual or spot, from the table or from Hummingbot's naming convention."""
    facts = EXCHANGES.get(connector)
    if facts is not None:
        return facts.market
    return "perpetual" if "_perpetual" in connector else "spot"


def pair_problem(facts: ExchangeFacts, trading_pair: str) -> str | None:
    """Why Hummingbot will not find this pair on this connector, with the fix; None if fine."""
    hint = facts.pair_hints.get(trading_pair)
    if hint is not None:
        return f"{facts.venue} lists this market as {hint}"
    quote = trading_pair.rsplit("-", 1)[-1]
    if facts.quote_assets is not None and quote not in facts.quote_assets:
        base = trading_pair.rsplit("-", 1)[0]
        expected = " or ".join(f"{base}-{q}" for q in facts.quote_assets)
        quotes = "/".join(facts.quote_assets)
        return f"{facts.venue} {facts.market} pairs are quoted in {quotes}: {expected}"
    return None
