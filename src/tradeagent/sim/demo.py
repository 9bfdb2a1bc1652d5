"""Demo bots for a fresh simulator, so the first screen shows a fleet that trades.

A brand-new simulator has no bots, and a bot deployed now shows nothing for minutes. With
``SimOptions.demo`` a fresh simulator (no saved state) starts with two bots deployed a couple of
hours ago on the simulated market, built from the stock templates; their first status already
carries PnL, volume and closes. They are ordinary simulated bots: stop or archive them like any
other. Their names start with ``demo-`` so nobody mistakes them for their own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tradeagent.strategy import TemplateInputs, build_template, to_mapping

if TYPE_CHECKING:
    from tradeagent.sim.simulator import Simulator

DEMO_AGE_S = 2 * 3600.0
"""How long ago, in wall seconds, the demo bots were deployed."""

DEMO_BOTS: tuple[tuple[str, str, TemplateInputs], ...] = (
    (
        "demo-btc-mm",
        "market_making",
        TemplateInputs("hyperliquid_perpetual", "BTC-USD", Decimal(600), config_id="demo_btc_mm"),
    ),
    (
        "demo-eth-scalp",
        "scalping",
        TemplateInputs(
            "hyperliquid_perpetual", "ETH-USD", Decimal(400), config_id="demo_eth_scalp"
        ),
    ),
)


def seed_demo_bots(sim: Simulator, *, age_s: float = DEMO_AGE_S) -> list[str]:
    """Deploy the demo bots as of ``age_s`` ago; returns their names."""
    names = []
    deployed_at = sim.wall.now() - age_s
    for base, template, inputs in DEMO_BOTS:
        config = build_template(template, inputs)
        sim.configs[config.id] = to_mapping(config)
        reply = sim.deploy(
            {
                "instance_name": base,
                "credentials_profile": "master_account",
                "controllers_config": [config.id],
                "max_global_drawdown_quote": float(inputs.amount) / 5,
                "max_controller_drawdown_quote": float(inputs.amount) / 10,
                "image": "hummingbot/hummingbot:latest",
                "headless": True,
            },
            at=deployed_at,
        )
        names.append(str(reply["unique_instance_name"]))
    return names
