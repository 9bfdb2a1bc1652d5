"""Helpers of the bots tests: settings that never refresh on their own, and waits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tradeagent.settings import Settings, load_settings
from tradeagent.tui.app import TradeAgentApp

AppMaker = Callable[..., TradeAgentApp]


def quiet_settings(**ui: Any) -> Settings:
    """Settings whose refresh timer never fires on its own: tests refresh explicitly."""
    return load_settings(ui={"poll_interval_s": 3600, **ui}).settings


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish (including those started by finishing ones: the connection
    starts the first refresh) and every message be handled."""
    while any(worker.is_running for worker in pilot.app.workers):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


async def refresh(pilot: Pilot[Any]) -> None:
    """One refresh, as ctrl+r does it, then settle."""
    await pilot.press("ctrl+r")
    await settle(pilot)
