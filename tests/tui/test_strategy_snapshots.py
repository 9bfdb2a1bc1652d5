"""SVG snapshots of the strategy preview (fixed example configs, no clocks, no temp paths).

Regenerate deliberately: pytest tests/tui/test_strategy_snapshots.py --snapshot-update, then look.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from strategy_helpers import example, propose, replace_line, settle
from textual.pilot import Pilot
from textual.widgets import TextArea

from tradeagent.settings import load_settings
from tradeagent.tui.app import make_app

NOON = datetime(2026, 11, 24, 12, 4, 31, tzinfo=UTC)


def app() -> Any:
    # The header shows the time of the last bots refresh: stop the clock for the picture.
    return make_app(load_settings().settings, clock=lambda: NOON)


def test_valid_draft_with_warnings_and_blocking(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await propose(pilot, example("bollinger_v1", leverage=8))
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(160, 45), run_before=run_before)


def test_invalid_edit_in_place(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await propose(pilot, example("pmm_simple"))
        await pilot.press("f3", "e")
        pilot.app.query_one("#strategy-editor", TextArea).cursor_blink = False
        await replace_line(pilot, "leverage:", "leverage: 0")
        await replace_line(pilot, "skip_rebalance:", "skip_rebalanse: true")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(160, 45), run_before=run_before)


def test_template_picker(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await settle(pilot)  # the focus move is drawn before the modal covers it
        await pilot.press("t", "down")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(120, 40), run_before=run_before)


def test_diff_view(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await propose(pilot, example("bollinger_v1"))
        await propose(pilot, example("bollinger_v1", stop_loss=0.01, take_profit=0.02))
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(120, 40), run_before=run_before)
