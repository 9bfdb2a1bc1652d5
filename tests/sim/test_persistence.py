"""A simulator with a state file keeps accounts, configs, bots and runs across a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from tradeagent.sim import EmbeddedSimulator, ManualClock, SimOptions, SimStateError

from .helpers import BB_CONFIG, PMM_CONFIG, deploy, status


@asynccontextmanager
async def session(path: Path, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    """One run of a simulator on ``path``, with a client; closing it saves the state."""
    embedded = EmbeddedSimulator(SimOptions(state_file=path), clock=clock)
    auth = ("admin", "admin")
    async with (
        embedded,
        httpx.AsyncClient(
            transport=embedded.transport, base_url=embedded.base_url, auth=auth
        ) as http,
    ):
        yield http


async def test_a_restart_keeps_bots_and_they_keep_trading(tmp_path: Path) -> None:
    path = tmp_path / "sim.json"
    clock = ManualClock()
    async with session(path, clock) as http:
        await http.post("/accounts/add-account", params={"account_name": "desk_2"})
        bot = await deploy(http, BB_CONFIG, PMM_CONFIG)
        clock.advance(5 + 12 * 3600)
        await http.post(f"/controllers/bots/{bot}/bb_btc/config", json={"manual_kill_switch": True})
        before = await status(http, bot)
    clock.advance(3 * 86_400)  # the simulator was down; its market pauses meanwhile
    async with session(path, clock) as http:
        after = await status(http, bot)
        assert after["status"] == "running"
        assert after["performance"] == before["performance"]
        assert after["general_logs"] == before["general_logs"]
        assert (await http.get("/accounts/")).json() == ["master_account", "desk_2"]
        assert [c["id"] for c in (await http.get("/controllers/configs/")).json()] == [
            "bb_btc",
            "pmm_eth",
        ]
        runs = (await http.get("/bot-orchestration/bot-runs")).json()["data"]
        assert [r["bot_name"] for r in runs] == [bot]
        configs = (await http.get(f"/controllers/bots/{bot}/configs")).json()
        assert next(c for c in configs if c["id"] == "bb_btc")["manual_kill_switch"] is True
        clock.advance(6 * 3600)
        later = await status(http, bot)
    bb, pmm = "bb_btc", "pmm_eth"
    assert later["performance"][bb] == before["performance"][bb]  # still killed
    assert (
        later["performance"][pmm]["performance"]["volume_traded"]
        > before["performance"][pmm]["performance"]["volume_traded"]
    )


async def test_archiving_completes_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "sim.json"
    clock = ManualClock()
    async with session(path, clock) as http:
        bot = await deploy(http, BB_CONFIG)
        clock.advance(5)
        await http.post(f"/bot-orchestration/stop-and-archive-bot/{bot}")
    clock.advance(60)
    async with session(path, clock) as http:
        assert (await http.get("/archived-bots/")).json() == [
            f"bots/archived/{bot}/data/{bot}.sqlite"
        ]
        runs = (await http.get("/bot-orchestration/bot-runs")).json()["data"]
        assert runs[0]["deployment_status"] == "ARCHIVED"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "is not valid JSON"),
        ('{"format": "something-else"}', "is not a tradeagent simulator state file"),
        ('{"format": "tradeagent-sim-state", "version": 99}', "another simulator version"),
    ],
)
def test_an_unusable_state_file_is_explained_and_left_alone(
    tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "sim.json"
    path.write_text(content)
    with pytest.raises(SimStateError, match=words):
        EmbeddedSimulator(SimOptions(state_file=path))
    assert path.read_text() == content
    path.unlink()  # the failed start let go of the file: a fresh simulator may now use it
    EmbeddedSimulator(SimOptions(state_file=path)).sim.close()


async def test_one_simulator_per_state_file(tmp_path: Path) -> None:
    path = tmp_path / "sim.json"
    first = EmbeddedSimulator(SimOptions(state_file=path))
    with pytest.raises(SimStateError, match="in use by another tradeagent") as refused:
        EmbeddedSimulator(SimOptions(state_file=path))
    assert "tradeagent sim" in str(refused.value)  # and how to share one
    await first.aclose()
    again = EmbeddedSimulator(SimOptions(state_file=path))
    await again.aclose()
