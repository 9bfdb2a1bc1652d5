"""Accounts and credentials, connectors, market data, balances and positions."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tradeagent.sim import EmbeddedSimulator, ManualClock, SimOptions, Simulator

from .helpers import BB_CONFIG, PMM_CONFIG, running_bot, status

HL = "hyperliquid_perpetual"
HL_KEYS = {
    f"{HL}_mode": "api_wallet",
    "use_vault": False,
    f"{HL}_address": "0xMainWalletAddress",
    f"{HL}_secret_key": "0xTopSecretApiWalletKey",
}


async def test_accounts_are_added_listed_and_deleted_by_query_parameter(
    client: httpx.AsyncClient,
) -> None:
    added = await client.post("/accounts/add-account", params={"account_name": "desk_2"})
    assert added.status_code == 201
    assert added.json() == {"message": "Account added successfully."}
    again = await client.post("/accounts/add-account", params={"account_name": "desk_2"})
    assert (again.status_code, again.json()) == (400, {"detail": "Account already exists."})
    assert (await client.get("/accounts/")).json() == ["master_account", "desk_2"]
    body_instead = await client.post("/accounts/add-account", json={"account_name": "x"})
    assert body_instead.status_code == 422
    master = await client.post(
        "/accounts/delete-account", params={"account_name": "master_account"}
    )
    assert (master.status_code, master.json()) == (400, {"detail": "Cannot delete master account."})
    gone = await client.post("/accounts/delete-account", params={"account_name": "desk_2"})
    assert gone.json() == {"message": "Account deleted successfully."}
    missing = await client.post("/accounts/delete-account", params={"account_name": "desk_2"})
    assert missing.status_code == 404


async def test_credentials_are_stored_but_never_echoed(
    client: httpx.AsyncClient, sim: Simulator, clock: ManualClock
) -> None:
    added = await client.post(f"/accounts/add-credential/master_account/{HL}", json=HL_KEYS)
    assert added.status_code == 201
    assert added.json() == {"message": "Connector credentials added successfully."}
    assert (await client.get("/accounts/master_account/credentials")).json() == [HL]
    assert sim.accounts["master_account"][HL][f"{HL}_secret_key"] == "0xTopSecretApiWalletKey"
    await running_bot(client, clock, BB_CONFIG)
    clock.advance(3600)
    replies = [
        await client.get("/accounts/"),
        await client.get("/accounts/master_account/credentials"),
        await client.get("/bot-orchestration/status"),
        await client.get("/bot-orchestration/bot-runs"),
        await client.post("/portfolio/state", json={}),
        await client.post("/trading/positions", json={}),
    ]
    for reply in replies:
        assert "0xTopSecretApiWalletKey" not in reply.text
        assert "0xMainWalletAddress" not in reply.text


async def test_credential_errors(client: httpx.AsyncClient) -> None:
    missing_key = await client.post(
        f"/accounts/add-credential/master_account/{HL}", json={f"{HL}_address": "0xabc"}
    )
    assert missing_key.status_code == 400
    assert f"{HL}_secret_key" in missing_key.json()["detail"]
    no_account = await client.post(f"/accounts/add-credential/nobody/{HL}", json=HL_KEYS)
    assert no_account.status_code == 400
    unknown = await client.get("/accounts/nobody/credentials")
    assert unknown.status_code == 404
    not_stored = await client.post(f"/accounts/delete-credential/master_account/{HL}")
    assert not_stored.status_code == 404
    await client.post(f"/accounts/add-credential/master_account/{HL}", json=HL_KEYS)
    deleted = await client.post(f"/accounts/delete-credential/master_account/{HL}")
    assert deleted.json() == {"message": "Credential deleted successfully."}
    assert (await client.get("/accounts/master_account/credentials")).json() == []


async def test_connectors_and_the_hyperliquid_config_map(client: httpx.AsyncClient) -> None:
    connectors = (await client.get("/connectors/")).json()
    for name in ("hyperliquid", HL, "hyperliquid_testnet", "hyperliquid_perpetual_testnet"):
        assert name in connectors
    assert all("/" not in name for name in connectors)
    config_map = (await client.get(f"/connectors/{HL}/config-map")).json()
    assert config_map == {
        "hyperliquid_perpetual_mode": {
            "type": "Literal",
            "required": False,
            "allowed_values": ["arb_wallet", "api_wallet"],
        },
        "use_vault": {"type": "bool", "required": False},
        "hyperliquid_perpetual_address": {"type": "SecretStr", "required": True},
        "hyperliquid_perpetual_secret_key": {"type": "SecretStr", "required": True},
    }
    unknown = await client.get("/connectors/nope/config-map")
    assert (unknown.status_code, unknown.text) == (500, "Internal Server Error")
    order_types = (await client.get(f"/connectors/{HL}/order-types")).json()
    assert order_types == {
        "connector": HL,
        "supported_order_types": ["LIMIT", "MARKET", "LIMIT_MAKER"],
    }


async def test_trading_rules_per_pair(client: httpx.AsyncClient) -> None:
    rules = (
        await client.get(
            f"/connectors/{HL}/trading-rules",
            params=[("trading_pairs", "BTC-USD"), ("trading_pairs", "BTC-USDT")],
        )
    ).json()
    assert rules["BTC-USDT"] == {"error": "Trading pair BTC-USDT not found"}
    btc = rules["BTC-USD"]
    assert btc["min_notional_size"] == 10.0
    assert btc["min_base_amount_increment"] == pytest.approx(0.00001)
    assert btc["supports_market_orders"] is True
    everything = (await client.get(f"/connectors/{HL}/trading-rules")).json()
    assert "ETH-USD" in everything
    assert (await client.get("/connectors/nope/trading-rules")).status_code == 404


async def test_candles_prices_and_their_errors(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    body = {"connector_name": HL, "trading_pair": "BTC-USD", "interval": "5m", "max_records": 12}
    candles = (await client.post("/market-data/candles", json=body)).json()
    assert len(candles) == 12
    assert set(candles[0]) == {
        "timestamp",
        "open",
        "high",
        "low",
        "close",
        "volume",
        "quote_asset_volume",
        "n_trades",
        "taker_buy_base_volume",
        "taker_buy_quote_volume",
    }
    assert candles[1]["timestamp"] - candles[0]["timestamp"] == 300
    assert candles[-1]["timestamp"] + 300 <= clock.now()
    prices = (
        await client.post(
            "/market-data/prices", json={"connector_name": HL, "trading_pairs": ["BTC-USD"]}
        )
    ).json()
    assert prices["connector"] == HL
    assert prices["prices"]["BTC-USD"] == pytest.approx(candles[-1]["close"])
    errors = [
        (body | {"connector_name": "nope"}, "Unsupported connector 'nope'"),
        (body | {"trading_pair": "BTCUSD"}, "Invalid trading pair format 'BTCUSD'"),
        (body | {"trading_pair": "BTC-USDT"}, "appears to be invalid on"),
        (body | {"interval": "7x"}, "Invalid parameters"),
    ]
    for bad, words in errors:
        reply = await client.post("/market-data/candles", json=bad)
        assert reply.status_code == 400
        assert words in reply.json()["detail"]


async def test_historical_candles_cover_the_window_asked(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    end = int(clock.now()) - 3600
    body = {
        "connector_name": HL,
        "trading_pair": "ETH-USD",
        "interval": "1m",
        "start_time": end - 3600,
        "end_time": end,
    }
    rows = (await client.post("/market-data/historical-candles", json=body)).json()
    assert len(rows) == 61  # open times from start to end, both included
    assert rows[0]["timestamp"] == end - 3600
    future = body | {"start_time": end + 7200, "end_time": end + 9000}
    empty = await client.post("/market-data/historical-candles", json=future)
    assert (empty.status_code, empty.json()) == (404, {"detail": "No historical data available"})


async def test_portfolio_and_positions_follow_the_bots(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    assert (await client.post("/portfolio/state", json={})).json() == {}
    await client.post(f"/accounts/add-credential/master_account/{HL}", json=HL_KEYS)
    state = (await client.post("/portfolio/state", json={})).json()
    assert state == {
        "master_account": {
            HL: [
                {
                    "token": "USD",
                    "units": 10_000.0,
                    "price": 1.0,
                    "value": 10_000.0,
                    "available_units": 10_000.0,
                }
            ]
        }
    }
    bot = await running_bot(client, clock, PMM_CONFIG)
    for _ in range(200):
        clock.advance(300)
        positions = (await client.post("/trading/positions", json={})).json()
        if positions["data"]:
            break
    row = positions["data"][0]
    assert set(row) == {
        "account_name",
        "connector_name",
        "trading_pair",
        "side",
        "amount",
        "entry_price",
        "unrealized_pnl",
        "leverage",
    }
    assert row["side"] in {"LONG", "SHORT"}
    assert positions["pagination"]["total_count"] == len(positions["data"])
    report = (await status(client, bot))["performance"]["pmm_eth"]["performance"]
    units = (await client.post("/portfolio/state", json={})).json()["master_account"][HL][0]
    assert units["units"] == pytest.approx(10_000 + report["global_pnl_quote"])
    await client.post(f"/bot-orchestration/stop-and-archive-bot/{bot}")
    clock.advance(30)
    kept = (await client.post("/portfolio/state", json={})).json()["master_account"][HL][0]
    assert kept["units"] == kept["available_units"]  # no position left open
    assert kept["units"] != 10_000  # what the bot made or lost stays in the account
    filtered = await client.post("/portfolio/state", json={"account_names": ["other"]})
    assert filtered.json() == {}
    too_many = await client.post("/trading/positions", json={"limit": 5000})
    assert too_many.status_code == 422


async def test_the_state_file_holds_secrets_privately(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    async with (
        EmbeddedSimulator(SimOptions(state_file=path)) as embedded,
        httpx.AsyncClient(
            transport=embedded.transport, base_url=embedded.base_url, auth=("admin", "admin")
        ) as http,
    ):
        await http.post(f"/accounts/add-credential/master_account/{HL}", json=HL_KEYS)
    assert path.stat().st_mode & 0o777 == 0o600
    saved = json.loads(path.read_text())
    assert saved["accounts"]["master_account"][HL][f"{HL}_secret_key"] == "0xTopSecretApiWalletKey"
