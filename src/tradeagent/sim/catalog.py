"""What the simulated server knows about exchanges and controllers: connector names, credential
config maps, trading rules, order types, candle connectors and stock controllers."""

from __future__ import annotations

import math
from typing import Any

CONNECTORS: tuple[str, ...] = (
    "ascend_ex",
    "backpack",
    "backpack_perpetual",
    "binance",
    "binance_paper_trade",
    "binance_perpetual",
    "binance_perpetual_testnet",
    "bing_x",
    "bitget",
    "bitget_perpetual",
    "bitmart",
    "bitmart_perpetual",
    "bitrue",
    "bitstamp",
    "btc_markets",
    "bybit",
    "bybit_perpetual",
    "bybit_perpetual_testnet",
    "bybit_testnet",
    "coinbase_advanced_trade",
    "cube",
    "derive",
    "derive_perpetual",
    "dexalot",
    "dydx_v4_perpetual",
    "foxbit",
    "gate_io",
    "gate_io_paper_trade",
    "gate_io_perpetual",
    "hashkey",
    "hashkey_perpetual",
    "htx",
    "hyperliquid",
    "hyperliquid_perpetual",
    "hyperliquid_perpetual_testnet",
    "hyperliquid_testnet",
    "injective_v2",
    "injective_v2_perpetual",
    "kraken",
    "kucoin",
    "kucoin_paper_trade",
    "kucoin_perpetual",
    "mexc",
    "ndax",
    "okx",
    "okx_perpetual",
    "vertex",
    "xrpl",
)

CANDLE_CONNECTORS: tuple[str, ...] = (
    "ascend_ex",
    "binance",
    "binance_perpetual",
    "bitmart_perpetual",
    "btc_markets",
    "bybit",
    "bybit_perpetual",
    "dexalot",
    "gate_io",
    "gate_io_perpetual",
    "hyperliquid",
    "hyperliquid_perpetual",
    "kraken",
    "kucoin",
    "kucoin_perpetual",
    "mexc",
    "mexc_perpetual",
    "okx",
    "okx_perpetual",
)

CONTROLLERS: dict[str, list[str]] = {
    "directional_trading": [
        "bollinger_v1",
        "bollinger_v2",
        "bollingrid",
        "dman_v3",
        "macd_bb_v1",
        "supertrend_v1",
    ],
    "market_making": ["dman_maker_v2", "pmm_dynamic", "pmm_simple"],
    "generic": [
        "arbitrage_controller",
        "grid_strike",
        "hedge_asset",
        "lp_rebalancer",
        "multi_grid_strike",
        "pmm",
        "pmm_adjusted",
        "pmm_mister",
        "pmm_v1",
        "quantum_grid_allocator",
        "stat_arb",
        "xemm_multiple_levels",
    ],
}

ORDER_TYPES = ["LIMIT", "MARKET", "LIMIT_MAKER"]
_BASES = ("BTC", "ETH", "SOL", "HYPE", "DOGE", "XRP", "AVAX", "LINK", "ARB", "BNB")
# Size decimals of Hyperliquid perps (its `szDecimals`); other assets default to 2.
_SIZE_DECIMALS = {"BTC": 5, "ETH": 4, "SOL": 2, "HYPE": 2, "BNB": 3, "AVAX": 2, "LINK": 1}


def is_known(connector: str) -> bool:
    return connector in CONNECTORS


def is_perpetual(connector: str) -> bool:
    return "_perpetual" in connector


def is_paper(connector: str) -> bool:
    return connector.endswith("_paper_trade")


def quote_asset(connector: str) -> str:
    if connector.startswith("hyperliquid"):
        return "USD" if is_perpetual(connector) else "USDC"
    if connector in {"kraken", "coinbase_advanced_trade", "bitstamp"}:
        return "USD"
    return "USDT"


def config_map(connector: str) -> dict[str, dict[str, Any]]:
    """Credential fields of a connector as ``GET /connectors/{c}/config-map`` lists them."""
    if connector.startswith("hyperliquid"):
        return {
            f"{connector}_mode": {
                "type": "Literal",
                "required": False,
                "allowed_values": ["arb_wallet", "api_wallet"],
            },
            "use_vault": {"type": "bool", "required": False},
            f"{connector}_address": {"type": "SecretStr", "required": True},
            f"{connector}_secret_key": {"type": "SecretStr", "required": True},
        }
    if is_paper(connector):
        return {}
    fields = {
        f"{connector}_api_key": {"type": "SecretStr", "required": True},
        f"{connector}_api_secret": {"type": "SecretStr", "required": True},
    }
    if connector.startswith(("okx", "kucoin", "bitget")):
        fields[f"{connector}_passphrase"] = {"type": "SecretStr", "required": True}
    return fields


def secret_fields(connector: str) -> set[str]:
    return {name for name, spec in config_map(connector).items() if spec["type"] == "SecretStr"}


def trading_pairs(connector: str) -> list[str]:
    quote = quote_asset(connector)
    return [f"{base}-{quote}" for base in _BASES]


def is_listed(connector: str, pair: str) -> bool:
    base, sep, quote = pair.partition("-")
    return bool(sep and base) and quote == quote_asset(connector)


def trading_rule(connector: str, pair: str, price: float) -> dict[str, Any]:
    """One pair's rules in the shape ``GET /connectors/{c}/trading-rules`` returns."""
    base = pair.split("-", 1)[0]
    decimals = _SIZE_DECIMALS.get(base, 2)
    size_step = 10.0**-decimals
    price_step = 10.0 ** (math.floor(math.log10(price)) - 4) if price > 0 else 1e-6
    quote = quote_asset(connector)
    min_notional = 10.0 if connector.startswith("hyperliquid") else 5.0
    return {
        "min_order_size": size_step,
        "max_order_size": None,
        "min_price_increment": price_step,
        "min_base_amount_increment": size_step,
        "min_quote_amount_increment": 1e-6,
        "min_notional_size": min_notional,
        "min_order_value": 0.0,
        "max_price_significant_digits": 5.0,
        "supports_limit_orders": True,
        "supports_market_orders": True,
        "buy_order_collateral_token": quote,
        "sell_order_collateral_token": quote,
    }
