"""SVG snapshots of the deploy confirmation (fixed data, no clocks): a LIVE review with failed
checks (confirmation disabled) and a SIM review ready for its one key.

Regenerate deliberately: pytest tests/desk/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desk_harness import BB, config
from textual.pilot import Pilot

from tradeagent.desk import Desk, DeskOptions, GateMode, Journal, journal_path
from tradeagent.hb import HummingbotClient
from tradeagent.settings import load_settings
from tradeagent.sim import EmbeddedSimulator, ManualClock
from tradeagent.tui.app import make_app
from tradeagent.tui.screens.deploy_confirm import DeployConfirmScreen


def app() -> Any:
    """The real app (its styles) with no server behind it (nothing moves in the header), the
    confirmation pushed on top."""
    stopped = datetime(2026, 1, 1, tzinfo=UTC)
    return make_app(load_settings().settings, hb=lambda: None, clock=lambda: stopped)


def showing_review(home: Path, **options: Any) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        async with EmbeddedSimulator(clock=ManualClock()) as sim:
            client = HummingbotClient(sim.base_url, transport=sim.transport)
            journal = Journal(journal_path(home), server=client.url, mode="SIM")
            desk = Desk(client, journal, DeskOptions(**options))
            review = await desk.review(desk.plan([config(BB)]))
            await client.aclose()
            journal.close()
        await pilot.app.workers.wait_for_complete()
        await pilot.app.push_screen(DeployConfirmScreen(review))
        await pilot.pause()

    return run_before


def test_live_confirmation_with_failed_checks(snap_compare: Any, tmp_path: Path) -> None:
    run_before = showing_review(tmp_path, mode="LIVE")
    assert snap_compare(app(), terminal_size=(130, 45), run_before=run_before)


def test_sim_confirmation_ready(snap_compare: Any, tmp_path: Path) -> None:
    run_before = showing_review(tmp_path, gate=GateMode.OFF)
    assert snap_compare(app(), terminal_size=(130, 45), run_before=run_before)
