"""Can a bot load this controller config? The checks a Hummingbot bot makes at start."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from tradeagent.sim import catalog
from tradeagent.strategy import (
    ConfigError,
    ControllerConfig,
    DirectionalTradingBase,
    MarketMakingBase,
    parse_config,
)


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


# The real route validates these against their family's base class (a server bug), which
# refuses the controller's own fields as extra inputs.
WRONG_CLASS: dict[str, tuple[str, type[BaseModel]]] = {
    "macd_bb_v1": ("DirectionalTradingControllerConfigBase", DirectionalTradingBase),
    "supertrend_v1": ("DirectionalTradingControllerConfigBase", DirectionalTradingBase),
    "pmm_dynamic": ("MarketMakingControllerConfigBase", MarketMakingBase),
    "pmm_simple": ("MarketMakingControllerConfigBase", MarketMakingBase),
}


def validate_route(
    controller_type: str, controller_name: str, config: dict[str, Any]
) -> str | None:
    """What ``POST /controllers/{type}/{name}/config/validate`` objects to, or None."""
    wrong = WRONG_CLASS.get(controller_name)
    if wrong is not None:
        class_name, base = wrong
        extra = [key for key in config if key not in base.model_fields]
        if extra:
            lines = [
                f"{key}\n  Extra inputs are not permitted [type=extra_forbidden, "
                f"input_value={config[key]!r}, input_type={type(config[key]).__name__}]"
                for key in extra
            ]
            plural = "s" if len(extra) > 1 else ""
            return f"{len(extra)} validation error{plural} for {class_name}\n" + "\n".join(lines)
    try:
        parse_config(
            {**config, "controller_name": controller_name, "controller_type": controller_type}
        )
    except ConfigError as exc:
        return str(exc)
    return None
