"""Hyperliquid's current per-asset limits, read from its public info API (``meta``) before a
LIVE deploy.

The exchange table in ``tradeagent.strategy`` knows BTC 40x and ETH 25x; every other asset has
its own cap (many 3–10x), caps change, assets become isolated-only or delisted. Hummingbot sets
leverage when a bot starts and a refused change is only logged: the bot then trades at whatever
leverage the account already had. So the preflight asks the exchange itself, and says so when it
cannot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from tradeagent.desk.checks import Check, Verdict
from tradeagent.desk.plan import PlannedController

MAINNET_INFO = "https://api.hyperliquid.xyz"
HL_PERPETUAL = "hyperliquid_perpetual"
CHECK_ID = "leverage"
CHECK_LABEL = "leverage (Hyperliquid now)"


@dataclass(frozen=True)
class AssetLimits:
    max_leverage: int
    only_isolated: bool = False
    delisted: bool = False


class LimitsUnavailable(Exception):
    """Hyperliquid's limits could not be read; the message says why."""


async def fetch_limits(base_url: str, *, timeout_s: float = 5.0) -> dict[str, AssetLimits]:
    """Every perpetual's limits by coin name (``BTC``), from one ``meta`` request."""
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s) as http:
            response = await http.post("/info", json={"type": "meta"})
            response.raise_for_status()
            document = response.json()
    except httpx.HTTPStatusError as exc:
        raise LimitsUnavailable(f"{base_url} answered HTTP {exc.response.status_code}") from None
    except httpx.HTTPError as exc:
        raise LimitsUnavailable(f"{base_url} could not be reached ({type(exc).__name__})") from None
    except ValueError:
        raise LimitsUnavailable(f"{base_url} did not answer JSON") from None
    return parse_meta(document)


def parse_meta(document: Any) -> dict[str, AssetLimits]:
    universe = document.get("universe") if isinstance(document, Mapping) else None
    if not isinstance(universe, list):
        raise LimitsUnavailable("its answer has no asset list (universe)")
    limits: dict[str, AssetLimits] = {}
    for asset in universe:
        if not isinstance(asset, Mapping):
            continue
        name, cap = asset.get("name"), asset.get("maxLeverage")
        if isinstance(name, str) and isinstance(cap, int) and not isinstance(cap, bool):
            limits[name] = AssetLimits(
                max_leverage=cap,
                only_isolated=asset.get("onlyIsolated") is True,
                delisted=asset.get("isDelisted") is True,
            )
    return limits


def limit_lines(
    controller: PlannedController, limits: Mapping[str, AssetLimits] | LimitsUnavailable
) -> list[Check]:
    """One line for a ``hyperliquid_perpetual`` controller: its leverage against the exchange's
    limits right now (✘ with the fix), or ⚠ when they could not be read."""
    config = controller.config
    leverage: int | None = getattr(config, "leverage", None)
    coin = config.pair.split("-")[0]
    if isinstance(limits, LimitsUnavailable):
        return [
            _line(
                controller,
                Verdict.ADVISORY,
                f"Hyperliquid's current limits could not be read: {limits}; leverage was checked "
                "against tradeagent's table only",
                f"check {coin}'s maximum leverage on app.hyperliquid.xyz before confirming",
            )
        ]
    asset = limits.get(coin)
    if asset is None:
        return [
            _line(
                controller,
                Verdict.FAIL,
                f"Hyperliquid lists no perpetual {coin}",
                "check the trading pair (e.g. BTC-USD)",
            )
        ]
    if asset.delisted:
        return [_line(controller, Verdict.FAIL, f"{coin} is delisted", "choose another asset")]
    if asset.only_isolated:
        return [
            _line(
                controller,
                Verdict.FAIL,
                f"{coin} is isolated-margin only and Hummingbot asks for cross: the leverage "
                "change fails and the bot trades at the account's previous leverage",
                "choose another asset",
            )
        ]
    if leverage is not None and leverage > asset.max_leverage:
        return [
            _line(
                controller,
                Verdict.FAIL,
                f"{leverage}x is above Hyperliquid's {asset.max_leverage}x for {coin}: the change "
                "would fail and the bot trade at the account's previous leverage",
                f"set leverage to {asset.max_leverage} or less",
            )
        ]
    if leverage is None:
        return []  # a controller without leverage: listed and tradable is all there is to say
    return [_line(controller, Verdict.PASS, f"{leverage}x ≤ {asset.max_leverage}x for {coin}")]


def _line(controller: PlannedController, verdict: Verdict, detail: str, fix: str = "") -> Check:
    return Check(CHECK_ID, CHECK_LABEL, verdict, detail, fix, controller=controller.name)
