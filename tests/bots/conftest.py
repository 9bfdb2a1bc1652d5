"""Fixtures for the bots pane, the bot detail and the accounts screens: the real app, a stateful
fake server behind the real client, and an injected clock."""

from __future__ import annotations

import pytest
from bots_helpers import AppMaker, quiet_settings
from fake_hb import FakeClock, FakeHb
from textual.widgets import Input

from tradeagent.desk.journal import Journal, journal_path
from tradeagent.settings import Settings
from tradeagent.tui.app import TradeAgentApp, make_app


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def fake() -> FakeHb:
    return FakeHb()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make(fake: FakeHb, clock: FakeClock) -> AppMaker:
    def build(settings: Settings | None = None, journal: Journal | None = None) -> TradeAgentApp:
        settings = settings or quiet_settings()
        journal = journal or Journal(
            journal_path(settings.data_dir), server="http://hb.test:8000", mode="LIVE"
        )
        return make_app(settings, hb=fake.opener, journal=journal, clock=clock)

    return build
