"""Can a bot load this controller config? The checks a Hummingbot bot makes at start."""

from __future__ import annotations

from typing import Any

from tradeagent.sim import catalog
from tradeagent.strategy import ConfigError, ControllerConfig, parse_config


def load_controller(config: dict[str, Any]) -> tuple[ControllerConfig | None, str | None]:
    """The validated config, or why a bot would refuse it."""
    try:
        model = parse_config(config)
    except ConfigError as exc:
        return None, str(exc)
    connector = getattr(model, "connector_name", None)
    pair = getattr(model, "trading_pair", None)
    if connector is None or pair is None:
        return model, None
    if not catalog.is_known(connector):
        return None, f"connector_name = {connector!r}: unknown connector"
    if not catalog.is_listed(connector, pair):
        quote = catalog.quote_asset(connector)
        return None, f"trading_pair = {pair!r}: not a {connector} market (e.g. BTC-{quote})"
    return model, None
