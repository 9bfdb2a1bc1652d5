"""Can a bot load this controller config? The checks a Hummingbot bot makes at start."""

from __future__ import annotations

from typing import Any

from tradeagent.sim import catalog


def config_problem(config: dict[str, Any]) -> str | None:
    """Why a bot would refuse this controller config, or None when it loads."""
    for key in ("id", "controller_name", "controller_type"):
        if not isinstance(config.get(key), str) or not config[key]:
            return f"{key}: Field required (a non-empty string)"
    controller_type = config["controller_type"]
    if controller_type not in catalog.CONTROLLERS:
        known = ", ".join(catalog.CONTROLLERS)
        return f"controller_type: '{controller_type}' is not one of {known}"
    if config["controller_name"] not in catalog.CONTROLLERS[controller_type]:
        return f"controller_name: no controller '{config['controller_name']}' in {controller_type}"
    if controller_type == "generic":
        return None
    connector, pair = config.get("connector_name"), config.get("trading_pair")
    if not isinstance(connector, str) or not catalog.is_known(connector):
        return f"connector_name: unknown connector {connector!r}"
    if not isinstance(pair, str) or not catalog.is_listed(connector, pair):
        quote = catalog.quote_asset(connector)
        return f"trading_pair: {pair!r} is not a {connector} market (e.g. BTC-{quote})"
    return None
