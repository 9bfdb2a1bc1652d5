"""Fixtures for the bots pane, the bot detail and the accounts screens: the real app, a stateful
fake server behind the real client, an injected clock, and helpers to wait for refreshes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fake_hb import FakeClock, FakeHb
from textual.pilot import Pilot
from textual.widgets import Input

from tradeagent.desk.journal import Journal, journal_path
from tradeagent.settings import Settings, load_settings
from tradeagent.tui.app import TradeAgentApp, make_app

AppMaker = Callable[..., TradeAgentApp]


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def fake() -> FakeHb:
    return FakeHb()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def quiet_settings(**ui: Any) -> Settings:
    """Settings whose refresh timer never fires on its own: tests refresh explicitly."""
    return load_settings(ui={"poll_interval_s": 3600, **ui}).settings


@pytest.fixture
def make(fake: FakeHb, clock: FakeClock) -> AppMaker:
    def build(settings: Settings | None = None, journal: Journal | None = None) -> TradeAgentApp:
        settings = settings or quiet_settings()
        journal = journal or Journal(
            journal_path(settings.data_dir), server="http://hb.test:8000", mode="LIVE"
        )
        return make_app(settings, hb=fake.opener, journal=journal, clock=clock)

    return build


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and every message be handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def refresh(pilot: Pilot[Any]) -> None:
    """One refresh, as ctrl+r does it, then settle."""
    await pilot.press("ctrl+r")
    await settle(pilot)
