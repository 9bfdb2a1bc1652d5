"""The real server's auth replies, trailing slashes and error envelopes."""

from __future__ import annotations

import httpx
import pytest

from tradeagent.sim import EmbeddedSimulator, SimOptions

from .helpers import BB_CONFIG, save_config


async def test_root_needs_no_auth_and_names_the_server(embedded: EmbeddedSimulator) -> None:
    async with httpx.AsyncClient(transport=embedded.transport, base_url=embedded.base_url) as http:
        response = await http.get("/")
    assert response.json() == {"name": "Hummingbot API", "version": "1.0.1", "status": "running"}


async def test_missing_and_wrong_credentials_get_the_two_real_401_bodies(
    embedded: EmbeddedSimulator,
) -> None:
    async with httpx.AsyncClient(transport=embedded.transport, base_url=embedded.base_url) as http:
        missing = await http.get("/bot-orchestration/status")
        wrong = await http.get("/bot-orchestration/status", auth=("admin", "nope"))
    assert missing.status_code == 401
    assert missing.json() == {"detail": "Not authenticated"}
    assert missing.headers["www-authenticate"] == "Basic"
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Incorrect username or password"}


@pytest.mark.parametrize("options", [SimOptions(username="trader", password="s3cret")])
async def test_configured_credentials_replace_admin_admin(embedded: EmbeddedSimulator) -> None:
    async with httpx.AsyncClient(transport=embedded.transport, base_url=embedded.base_url) as http:
        default = await http.get("/accounts/", auth=("admin", "admin"))
        configured = await http.get("/accounts/", auth=("trader", "s3cret"))
    assert default.status_code == 401
    assert configured.json() == ["master_account"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/controllers", 404),
        ("/controllers/", 200),
        ("/controllers/configs", 404),
        ("/controllers/configs/", 200),
        ("/accounts", 404),
        ("/accounts/", 200),
        ("/connectors", 404),
        ("/archived-bots", 404),
        ("/bot-orchestration/status/", 404),
        ("/health", 404),
    ],
)
async def test_trailing_slashes_are_significant(
    client: httpx.AsyncClient, path: str, code: int
) -> None:
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == code


async def test_missing_body_fields_get_the_422_list(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/bot-orchestration/deploy-v2-controllers", json={"instance_name": "ta-bb"}
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {tuple(d["loc"]) for d in detail} == {
        ("body", "credentials_profile"),
        ("body", "controllers_config"),
    }
    assert all({"type", "loc", "msg", "input"} <= set(d) for d in detail)


@pytest.mark.parametrize(
    "field",
    [
        {"instance_name": "ta bb"},
        {"instance_name": "ta/bb"},
        {"credentials_profile": "../etc"},
        {"controllers_config": ["bad name.yml"]},
    ],
)
async def test_a_bad_name_gets_the_plain_text_500(
    client: httpx.AsyncClient, field: dict[str, object]
) -> None:
    body = {
        "instance_name": "ta",
        "credentials_profile": "master_account",
        "controllers_config": [],
    }
    response = await client.post("/bot-orchestration/deploy-v2-controllers", json=body | field)
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert response.headers["content-type"].startswith("text/plain")


async def test_missing_things_get_404_detail(client: httpx.AsyncClient) -> None:
    config = await client.get("/controllers/configs/nope")
    bot_configs = await client.get("/controllers/bots/nope/configs")
    run = await client.get("/bot-orchestration/bot-runs/999")
    assert config.status_code == 404
    assert config.json() == {"detail": "Configuration 'nope' not found"}
    assert bot_configs.json() == {"detail": "Bot 'nope' not found"}
    assert run.json() == {"detail": "Bot run 999 not found"}


async def test_bot_run_ids_must_be_integers(client: httpx.AsyncClient) -> None:
    response = await client.get("/bot-orchestration/bot-runs/abc")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "bot_run_id"]


async def test_controller_configs_are_stored_verbatim_with_id_forced(
    client: httpx.AsyncClient,
) -> None:
    await save_config(client, {**BB_CONFIG, "id": "another", "unknown_key": 1})
    response = await client.post("/controllers/configs/bb_btc", json={**BB_CONFIG, "id": "x"})
    assert response.status_code == 201
    assert response.json() == {"message": "Configuration 'bb_btc' saved successfully"}
    one = (await client.get("/controllers/configs/bb_btc")).json()
    listed = (await client.get("/controllers/configs/")).json()
    assert one["id"] == "bb_btc"
    assert {c["id"] for c in listed} == {"another", "bb_btc"}
    assert next(c for c in listed if c["id"] == "another")["unknown_key"] == 1
    deleted = await client.delete("/controllers/configs/another")
    assert deleted.json() == {"message": "Configuration 'another' deleted successfully"}
    assert (await client.delete("/controllers/configs/another")).status_code == 404


async def test_controller_types_are_the_stock_lists(client: httpx.AsyncClient) -> None:
    types = (await client.get("/controllers/")).json()
    assert set(types) == {"directional_trading", "market_making", "generic"}
    assert "bollinger_v1" in types["directional_trading"]
    assert "pmm_simple" in types["market_making"]
    assert "grid_strike" in types["generic"]


async def test_readiness_routes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docker/running")).json() is True
    mqtt = (await client.get("/bot-orchestration/mqtt")).json()
    assert mqtt["status"] == "success"
    assert mqtt["data"]["mqtt_connected"] is True
    assert mqtt["data"]["client_state"] == "connected"
    assert mqtt["data"]["active_bots"] == []


async def test_config_validation_and_its_wrong_class_bug(client: httpx.AsyncClient) -> None:
    url = "/controllers/directional_trading/{}/config/validate"
    ok = await client.post(url.format("bollinger_v1"), json=BB_CONFIG)
    assert ok.json() == {"message": "Configuration is valid"}
    bad = await client.post(url.format("bollinger_v1"), json={**BB_CONFIG, "surprise": 1})
    assert bad.status_code == 400
    assert "surprise" in bad.json()["detail"]
    macd = {**BB_CONFIG, "controller_name": "macd_bb_v1", "macd_fast": 21}
    wrong_class = await client.post(url.format("macd_bb_v1"), json=macd)
    assert wrong_class.status_code == 400
    detail = wrong_class.json()["detail"]
    assert detail.startswith("4 validation errors for DirectionalTradingControllerConfigBase")
    assert "macd_fast\n  Extra inputs are not permitted" in detail
    unknown = await client.post(url.format("rsi_magic"), json=BB_CONFIG)
    assert unknown.status_code == 404
    bad_type = await client.post("/controllers/sideways/bollinger_v1/config/validate", json={})
    assert bad_type.status_code == 422
