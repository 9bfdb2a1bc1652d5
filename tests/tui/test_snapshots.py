"""SVG snapshots of the main layouts (fixed data, no clocks).

Regenerate deliberately after a visible change: pytest tests/tui/test_snapshots.py --snapshot-update
and look at the SVGs before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tradeagent.settings import load_settings
from tradeagent.tui.app import make_app


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_wide(snap_compare: Any) -> None:
    app = make_app(load_settings().settings)
    assert snap_compare(app, terminal_size=(160, 45), run_before=settle)


def test_main_screen_narrow_tabs(snap_compare: Any) -> None:
    app = make_app(load_settings().settings)

    async def show_strategy(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=show_strategy)


def test_help_screen(snap_compare: Any) -> None:
    app = make_app(load_settings().settings)
    assert snap_compare(app, terminal_size=(120, 40), press=["f1"], run_before=settle)
