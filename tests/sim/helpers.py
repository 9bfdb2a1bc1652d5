"""Configs and steps shared by simulator tests."""

from __future__ import annotations

from typing import Any

import httpx

from tradeagent.sim import ManualClock

BB_CONFIG: dict[str, Any] = {
    "id": "bb_btc",
    "controller_name": "bollinger_v1",
    "controller_type": "directional_trading",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
    "total_amount_quote": 500,
    "leverage": 1,
    "position_mode": "ONEWAY",
    "stop_loss": 0.02,
    "take_profit": 0.01,
    "time_limit": 2700,
    "max_executors_per_side": 2,
    "cooldown_time": 300,
    "candles_connector": "hyperliquid_perpetual",
    "candles_trading_pair": "BTC-USD",
    "interval": "1m",
}

PMM_CONFIG: dict[str, Any] = {
    "id": "pmm_eth",
    "controller_name": "pmm_simple",
    "controller_type": "market_making",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "ETH-USD",
    "total_amount_quote": 300,
    "buy_spreads": [0.002, 0.004],
    "sell_spreads": [0.002, 0.004],
    "stop_loss": 0.03,
    "take_profit": 0.01,
    "time_limit": 3600,
}


def config(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


async def save_config(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await client.post(f"/controllers/configs/{body['id']}", json=body)
    assert response.status_code == 201, response.text


async def deploy(
    client: httpx.AsyncClient,
    *configs: dict[str, Any],
    name: str = "ta-bot",
    **extra: Any,
) -> str:
    """Save the configs, deploy them as one bot, return its unique name."""
    for body in configs:
        await save_config(client, body)
    response = await client.post(
        "/bot-orchestration/deploy-v2-controllers",
        json={
            "instance_name": name,
            "credentials_profile": "master_account",
            "controllers_config": [c["id"] for c in configs],
            **extra,
        },
    )
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["success"] is True, reply
    return str(reply["unique_instance_name"])


async def status(client: httpx.AsyncClient, bot: str) -> dict[str, Any]:
    response = await client.get(f"/bot-orchestration/{bot}/status")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()["data"]
    return data


async def running_bot(
    client: httpx.AsyncClient, clock: ManualClock, *configs: dict[str, Any], **extra: Any
) -> str:
    """A deployed bot past its boot, reporting performance."""
    bot = await deploy(client, *configs, **extra)
    clock.advance(5)
    assert (await status(client, bot))["status"] == "running"
    return bot
