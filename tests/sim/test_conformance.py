"""Every route the simulator serves matches the real API's OpenAPI document: path, method,
parameters, request body schema and whether HTTP Basic applies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tradeagent.sim import create_app

REAL = Path(__file__).parents[1] / "data" / "hummingbot-api-openapi.json"

# What the product's client uses; the simulator must serve at least these.
REQUIRED = {
    ("GET", "/"),
    ("GET", "/docker/running"),
    ("GET", "/bot-orchestration/mqtt"),
    ("GET", "/bot-orchestration/status"),
    ("GET", "/bot-orchestration/{bot_name}/status"),
    ("POST", "/bot-orchestration/deploy-v2-controllers"),
    ("POST", "/bot-orchestration/stop-bot"),
    ("POST", "/bot-orchestration/start-bot"),
    ("POST", "/bot-orchestration/stop-and-archive-bot/{bot_name}"),
    ("GET", "/bot-orchestration/bot-runs"),
    ("GET", "/bot-orchestration/{bot_name}/history"),
    ("GET", "/controllers/"),
    ("GET", "/controllers/configs/"),
    ("GET", "/controllers/configs/{config_name}"),
    ("POST", "/controllers/configs/{config_name}"),
    ("DELETE", "/controllers/configs/{config_name}"),
    ("GET", "/controllers/bots/{bot_name}/configs"),
    ("POST", "/controllers/bots/{bot_name}/{controller_name}/config"),
    ("POST", "/controllers/{controller_type}/{controller_name}/config/validate"),
    ("POST", "/backtesting/run"),
    ("GET", "/accounts/"),
    ("POST", "/accounts/add-account"),
    ("POST", "/accounts/delete-account"),
    ("GET", "/accounts/{account_name}/credentials"),
    ("POST", "/accounts/add-credential/{account_name}/{connector_name}"),
    ("POST", "/accounts/delete-credential/{account_name}/{connector_name}"),
    ("GET", "/connectors/"),
    ("GET", "/connectors/{connector_name}/config-map"),
    ("GET", "/connectors/{connector_name}/trading-rules"),
    ("GET", "/connectors/{connector_name}/order-types"),
    ("POST", "/market-data/candles"),
    ("POST", "/market-data/historical-candles"),
    ("POST", "/market-data/prices"),
    ("POST", "/portfolio/state"),
    ("POST", "/trading/positions"),
    ("GET", "/archived-bots/"),
}

IGNORED_KEYS = {"title", "description"}


def resolve(node: Any, components: dict[str, Any]) -> Any:
    """The schema with every $ref inlined and titles/descriptions dropped."""
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return resolve(components[name], components)
        return {k: resolve(v, components) for k, v in node.items() if k not in IGNORED_KEYS}
    if isinstance(node, list):
        return [resolve(item, components) for item in node]
    return node


def without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query string cannot carry null, so `X | None` and `X = None` are the same parameter."""
    options = schema.get("anyOf")
    if options and {"type": "null"} in options and len(options) == 2:
        rest = {k: v for k, v in schema.items() if k != "anyOf"}
        return {**next(o for o in options if o != {"type": "null"}), **rest}
    return schema


def parameters(operation: dict[str, Any], components: dict[str, Any]) -> dict[Any, Any]:
    return {
        (p["name"], p["in"]): {
            "required": p.get("required", False),
            "schema": without_null(resolve(p["schema"], components)),
        }
        for p in operation.get("parameters", [])
    }


def body(operation: dict[str, Any], components: dict[str, Any]) -> Any:
    request = operation.get("requestBody")
    if request is None:
        return None
    return {
        "required": request.get("required", False),
        "content": {k: resolve(v["schema"], components) for k, v in request["content"].items()},
    }


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    if not REAL.is_file():
        pytest.skip(f"{REAL} is missing: copy hummingbot-api/openapi.json there to run this test")
    document: dict[str, Any] = json.loads(REAL.read_text())
    return document


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    document: dict[str, Any] = create_app().openapi()
    return document


def test_the_simulator_serves_every_route_the_client_uses(ours: dict[str, Any]) -> None:
    missing = REQUIRED - set(operations(ours))
    assert not missing


def test_every_simulated_route_exists_in_the_real_api(
    ours: dict[str, Any], real: dict[str, Any]
) -> None:
    unknown = set(operations(ours)) - set(operations(real))
    assert not unknown


def test_parameters_bodies_and_auth_match_the_real_api(
    ours: dict[str, Any], real: dict[str, Any]
) -> None:
    real_ops = operations(real)
    real_components = real["components"]["schemas"]
    our_components = ours["components"]["schemas"]
    for key, operation in operations(ours).items():
        expected = real_ops[key]
        assert parameters(operation, our_components) == parameters(expected, real_components), key
        assert body(operation, our_components) == body(expected, real_components), key
        assert bool(operation.get("security")) == bool(expected.get("security")), key
        assert set(operation["responses"]) == set(expected["responses"]), key


def test_the_comparison_notices_a_difference(real: dict[str, Any]) -> None:
    real_components = real["components"]["schemas"]
    stop = operations(real)[("POST", "/bot-orchestration/stop-and-archive-bot/{bot_name}")]
    changed = json.loads(json.dumps(stop))
    changed["parameters"][1]["schema"]["default"] = False
    assert parameters(changed, real_components) != parameters(stop, real_components)
