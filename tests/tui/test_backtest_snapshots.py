"""SVG snapshots of backtest results (synthetic market, seed 7, stopped clocks, UTC).

Regenerate deliberately: pytest tests/tui/test_backtest_snapshots.py --snapshot-update, then look.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from backtest_helpers import NOW, stop_clocks
from strategy_helpers import example, propose, settle
from textual.pilot import Pilot

from tradeagent.settings import load_settings
from tradeagent.tui.app import TradeAgentApp, make_app


@pytest.fixture(autouse=True)
def utc_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The results screen shows when it ran in local time: make local time UTC here."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def app() -> TradeAgentApp:
    settings = load_settings().settings
    ai = settings.ai.model_copy(update={"auto_backtest": False})
    at = datetime.fromtimestamp(NOW, UTC)
    return make_app(settings.model_copy(update={"ai": ai}), clock=lambda: at)


async def backtested(pilot: Pilot[Any]) -> None:
    await settle(pilot)  # the simulator connects: the header shows the stopped clock
    stop_clocks(pilot.app)  # type: ignore[arg-type]
    await propose(pilot, example("bollinger_v1"))
    await pilot.press("f3", "ctrl+b")
    await settle(pilot)


async def show_region(pilot: Pilot[Any]) -> None:
    body = pilot.app.query_one("#strategy-body")
    body.scroll_to_widget(pilot.app.query_one("#backtest-results"), top=True, animate=False)
    await pilot.pause()


def test_results_in_the_preview(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await backtested(pilot)
        await show_region(pilot)

    assert snap_compare(app(), terminal_size=(160, 45), run_before=run_before)


def test_full_results_with_the_ledger(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await backtested(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app(), terminal_size=(160, 45), run_before=run_before)


def test_a_failure_over_stale_results(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await backtested(pilot)
        await propose(pilot, example("pmm_dynamic"))
        await pilot.press("ctrl+b")
        await settle(pilot)
        await show_region(pilot)

    assert snap_compare(app(), terminal_size=(160, 45), run_before=run_before)
