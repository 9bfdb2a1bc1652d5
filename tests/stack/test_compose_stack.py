"""docker-compose.yml and .env.example, checked by structure (no Docker engine runs here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


@pytest.fixture(scope="module")
def example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def with_defaults(text: str) -> str:
    """``text`` as compose sees it when .env leaves the optional variables unset."""
    return VARIABLE.sub(
        lambda m: m.group(3) if (m.group(2) or "").endswith("-") else f"<{m.group(1)}>", text
    )


def test_the_three_services_and_their_images(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"hummingbot-api", "postgres", "emqx"}
    assert with_defaults(services["hummingbot-api"]["image"]) == (
        "hummingbot/hummingbot-api:latest"
    )
    assert services["postgres"]["image"] == "postgres:15"
    assert services["emqx"]["image"].startswith("emqx")


def test_every_published_port_is_bound_to_loopback(compose: dict[str, Any]) -> None:
    published = [
        with_defaults(port)
        for service in compose["services"].values()
        for port in service.get("ports", [])
    ]
    assert published == ["127.0.0.1:8000:8000", "127.0.0.1:1883:1883"]
    assert "ports" not in compose["services"]["postgres"]


def test_the_api_gets_its_settings_from_env(compose: dict[str, Any]) -> None:
    api = compose["services"]["hummingbot-api"]
    assert api["env_file"] == ".env"
    assert set(api["environment"]) == {"BOTS_PATH"}
    assert api["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "emqx": {"condition": "service_healthy"},
    }


def test_bots_folder_and_docker_socket_are_mounted(compose: dict[str, Any]) -> None:
    api = compose["services"]["hummingbot-api"]
    assert api["volumes"] == [
        "./bots:/hummingbot-api/bots",
        "/var/run/docker.sock:/var/run/docker.sock",
    ]
    assert compose["services"]["postgres"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert set(compose["volumes"]) == {"postgres-data", "emqx-data", "emqx-log"}


def test_env_example_names_everything_the_api_reads(example: dict[str, str]) -> None:
    assert {
        "USERNAME",
        "PASSWORD",
        "CONFIG_PASSWORD",
        "BROKER_HOST",
        "BROKER_PORT",
        "BROKER_USERNAME",
        "BROKER_PASSWORD",
        "DATABASE_URL",
        "BOTS_PATH",
        "POSTGRES_PASSWORD",
    } <= set(example)
    assert example["BROKER_HOST"] == "emqx"
    assert example["DATABASE_URL"].endswith("@postgres:5432/hummingbot_api")


def test_required_compose_variables_are_all_in_env_example(
    compose: dict[str, Any], example: dict[str, str]
) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    required = {m.group(1) for m in VARIABLE.finditer(text) if m.group(2) == ":?"}
    assert required == {"BOTS_PATH", "POSTGRES_PASSWORD"}
    assert required <= set(example)


def test_env_example_holds_placeholders_never_real_secrets(example: dict[str, str]) -> None:
    for name in ("USERNAME", "PASSWORD", "CONFIG_PASSWORD", "BROKER_PASSWORD", "BOTS_PATH"):
        assert "CHANGE_ME" in example[name], name
    password = example["POSTGRES_PASSWORD"]
    assert "CHANGE_ME" in password
    assert f"hbot:{password}@" in example["DATABASE_URL"]


def test_env_files_with_real_values_stay_out_of_git() -> None:
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in ignored
    assert "/bots/" in ignored
