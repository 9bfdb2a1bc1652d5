"""Fixtures for simulator tests: a manual clock, the app in-process, an authenticated client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tradeagent.sim import EmbeddedSimulator, ManualClock, SimOptions, Simulator


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def options() -> SimOptions:
    # No per-request trading budget: every controller is up to date after each request, so
    # tests do not depend on how fast this machine is (the budget has its own test).
    return SimOptions(trade_budget_s=None)


@pytest.fixture
async def embedded(clock: ManualClock, options: SimOptions) -> AsyncIterator[EmbeddedSimulator]:
    async with EmbeddedSimulator(options, clock=clock) as sim:
        yield sim


@pytest.fixture
def sim(embedded: EmbeddedSimulator) -> Simulator:
    return embedded.sim


@pytest.fixture
async def client(embedded: EmbeddedSimulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=embedded.transport,
        base_url=embedded.base_url,
        auth=("admin", "admin"),
        timeout=5,
    ) as http:
        yield http
