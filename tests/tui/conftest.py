"""Fixtures for driving the real Textual app headless."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tradeagent.settings import Settings, load_settings
from tradeagent.tui.app import TradeAgentApp, make_app


@pytest.fixture(autouse=True)
def utc_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in local time: pin local time to UTC so screens do not depend on where
    the tests run."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic screens: the input cursor never blinks."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def settings() -> Settings:
    return load_settings().settings


@pytest.fixture
def app_factory(settings: Settings) -> Callable[..., TradeAgentApp]:
    def build(
        settings_override: Settings | None = None, draft_path: Path | None = None
    ) -> TradeAgentApp:
        return make_app(settings_override or settings, draft_path=draft_path)

    return build
