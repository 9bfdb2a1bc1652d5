"""Fixtures for the desk: the simulator bench (see desk_harness)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from desk_harness import Bench, ManualPacer, RequestLog

from tradeagent.desk.journal import Journal, journal_path
from tradeagent.hb import HummingbotClient
from tradeagent.sim import EmbeddedSimulator, ManualClock, SimOptions


@pytest.fixture
async def bench(tmp_path: Path) -> AsyncIterator[Bench]:
    clock = ManualClock()
    async with EmbeddedSimulator(SimOptions(), clock=clock) as sim:
        log = RequestLog(sim.transport)
        client = HummingbotClient(
            sim.base_url, "admin", "admin", transport=log, backoff=0.001, timeout=5
        )
        journal = Journal(journal_path(tmp_path), server=sim.base_url, mode="SIM")
        try:
            yield Bench(sim, clock, log, client, journal, ManualPacer(clock))
        finally:
            await client.aclose()
            journal.close()


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic screens: the input cursor never blinks."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
