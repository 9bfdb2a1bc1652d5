"""A one-line brief of a deployed controller's config (``GET /controllers/bots/{bot}/configs``).

A stock controller's config is described by :func:`tradeagent.strategy.describe`, the same words
as the strategy preview. Bots may also run custom controllers or configs of other versions: then
the fields a trader looks at first are named from the plain mapping. It never fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tradeagent.strategy import ConfigError, describe, parse_config


def config_id(config: Mapping[str, Any]) -> str:
    """The controller id a config reports under (its ``id``, else the file it came from)."""
    for key in ("id", "_config_name"):
        value = config.get(key)
        if isinstance(value, str) and value:
            return value.removesuffix(".yml")
    return ""


def kill_switch_on(config: Mapping[str, Any]) -> bool:
    return config.get("manual_kill_switch") is True


def pair_of(config: Mapping[str, Any]) -> str:
    pair = config.get("trading_pair")
    return pair if isinstance(pair, str) else ""


def brief(config: Mapping[str, Any]) -> str:
    """``Bollinger mean-reversion on BTC-USD perpetual (Hyperliquid) · $500 over …``, or for a
    config the strategy models do not know, its key fields (:func:`key_fields`)."""
    # The server adds bookkeeping keys (``_config_name``) that are no part of the config.
    own = {key: value for key, value in config.items() if not str(key).startswith("_")}
    try:
        description = describe(parse_config(own))
    except (ConfigError, KeyError):
        return key_fields(config)
    text = f"{description.headline} · {description.terms}"
    return text + (" · kill switch ON" if kill_switch_on(config) else "")


def key_fields(config: Mapping[str, Any]) -> str:
    """``bollinger_v1 · BTC-USD on hyperliquid_perpetual · $500 · 5x · SL 2% · TP 3% · 45 min``"""
    parts: list[str] = []
    name = config.get("controller_name")
    if isinstance(name, str) and name:
        parts.append(name)
    pair, connector = pair_of(config), config.get("connector_name")
    if pair and isinstance(connector, str) and connector:
        parts.append(f"{pair} on {connector}")
    elif pair:
        parts.append(pair)
    amount = _number(config.get("total_amount_quote"))
    if amount is not None:
        parts.append(f"${amount:,.0f}" if amount >= 100 else f"${amount:,.2f}")
    leverage = _number(config.get("leverage"))
    if leverage is not None:
        parts.append(f"{leverage:g}x")
    for key, label in (("stop_loss", "SL"), ("take_profit", "TP")):
        value = _number(config.get(key))
        if value is not None:
            parts.append(f"{label} {value * 100:g}%")
    limit = _number(config.get("time_limit"))
    if limit is not None:
        parts.append(f"{limit / 60:g} min")
    if kill_switch_on(config):
        parts.append("kill switch ON")
    return " · ".join(parts)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
