"""Test hygiene shared by every test: no developer config, no colour quirks, no real keys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def clean_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the developer's config, keys and terminal settings out of every test.

    Yields a private home for the test: config file path (absent), data and cache dirs.
    """
    home = tmp_path_factory.mktemp("home")
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith("TEXTUAL_SNAPSHOT"):
            continue  # set by pytest-textual-snapshot for the whole session
        if name.startswith(("TRADEAGENT_", "TEXTUAL_", "ANTHROPIC_")) or name in {
            "NO_COLOR",
            "FORCE_COLOR",
        }:
            del os.environ[name]
    os.environ["TRADEAGENT_CONFIG"] = str(home / "config.toml")
    # Tests start from an empty simulator; tests of the demo fleet turn it on themselves.
    os.environ["TRADEAGENT_HUMMINGBOT__SIM_DEMO_BOTS"] = "false"
    os.environ["TRADEAGENT_PATHS__DATA_DIR"] = str(home / "data")
    os.environ["TRADEAGENT_PATHS__CACHE_DIR"] = str(home / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(home / "xdg-config")
    os.environ["XDG_DATA_HOME"] = str(home / "xdg-data")
    os.environ["XDG_CACHE_HOME"] = str(home / "xdg-cache")
    try:
        yield home
    finally:
        os.environ.clear()
        os.environ.update(saved)
