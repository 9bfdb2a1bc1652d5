"""SVG snapshots of the main layouts (fixed data, no clocks).

Regenerate deliberately after a visible change: pytest tests/tui/test_snapshots.py --snapshot-update
and look at the SVGs before committing them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual.pilot import Pilot

from tradeagent.settings import load_settings
from tradeagent.tui.app import TradeAgentApp, make_app

NOON = datetime(2026, 11, 24, 12, 4, 31, tzinfo=UTC)


def app() -> TradeAgentApp:
    """The app on the built-in simulator, its clock stopped (no wall-clock time in a picture)."""
    return make_app(load_settings().settings, clock=lambda: NOON)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs (the simulator's opening starts the first refresh)."""
    while any(worker.is_running for worker in pilot.app.workers):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


def test_main_screen_wide(snap_compare: Any) -> None:
    assert snap_compare(app(), terminal_size=(160, 45), run_before=settle)


def test_main_screen_narrow_tabs(snap_compare: Any) -> None:
    async def show_strategy(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(80, 24), run_before=show_strategy)


def test_help_screen(snap_compare: Any) -> None:
    assert snap_compare(app(), terminal_size=(120, 40), press=["f1"], run_before=settle)
