"""The Hummingbot API tradeagent talks to, from settings: the configured URL (LIVE) or, with no
``hummingbot.url``, the built-in simulator in-process (SIM).

Build the connection inside the running event loop (httpx binds its pool to the loop) and close
it there. Loading the simulator takes about a second of imports: :meth:`SettingsOpener.prepare`
does that part and may run in a thread, so the screen is drawn meanwhile.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from tradeagent.settings import Settings

if TYPE_CHECKING:
    from tradeagent.hb import HummingbotClient

SIM_TARGET = "in-process simulator"
SIM_LABEL = "The built-in simulator (in-process)"
SIM_STATE_NAME = "sim-state.json"


class HbSetupError(Exception):
    """The server cannot be set up (e.g. an unusable simulator state file); the message says
    why and what to do."""


@dataclass
class HbConnection:
    """One server: its client, whether it is the simulator, and how to name it."""

    client: HummingbotClient
    mode: Literal["SIM", "LIVE"]
    target: str
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def aclose(self) -> None:
        await self.client.aclose()
        for close in self.closers:
            await close()


HbOpener = Callable[[], "HbConnection | None"]
"""Builds the connection (inside the running loop); None when there is nothing to talk to.
Raises :class:`HbSetupError` when what is configured cannot be used."""


@runtime_checkable
class Preparable(Protocol):
    """An opener with slow, loop-free groundwork (imports) that may run in a thread first."""

    def prepare(self) -> None: ...


class SettingsOpener:
    """The server the settings point at: ``hummingbot.url``, else the simulator."""

    def __init__(self, settings: Settings, *, retries: int = 2) -> None:
        self.settings = settings
        self.retries = retries

    def prepare(self) -> None:
        importlib.import_module("tradeagent.hb.client")  # httpx: a tenth of a second
        if self.settings.hummingbot.url is None:
            importlib.import_module("tradeagent.sim")

    def __call__(self) -> HbConnection:
        return open_hummingbot(self.settings, retries=self.retries)


def sim_state_file(settings: Settings) -> Path:
    """Where the built-in simulator keeps its bots between runs (one simulator per file)."""
    return settings.hummingbot.sim_state_file or settings.data_dir / SIM_STATE_NAME


def open_hummingbot(settings: Settings, *, retries: int = 2) -> HbConnection:
    """The configured server, or the in-process simulator when no URL is set."""
    from tradeagent.hb import HummingbotClient

    hb = settings.hummingbot
    password = hb.password.get_secret_value()
    if hb.url is not None:
        client = HummingbotClient(
            hb.url,
            hb.username,
            password,
            timeout=hb.timeout_s,
            long_timeout=hb.long_timeout_s,
            retries=retries,
        )
        return HbConnection(client, "LIVE", hb.url)
    from tradeagent.sim import EmbeddedSimulator, SimOptions, SimStateError

    options = SimOptions(
        username=hb.username,
        password=password,
        speed=hb.sim_speed,
        state_file=sim_state_file(settings),
        demo=hb.sim_demo_bots,
    )
    try:
        simulator = EmbeddedSimulator(options)
    except SimStateError as exc:
        raise HbSetupError(str(exc)) from exc
    client = HummingbotClient(
        simulator.base_url,
        hb.username,
        password,
        timeout=hb.timeout_s,
        long_timeout=hb.long_timeout_s,
        transport=simulator.transport,
        label=SIM_LABEL,
        retries=retries,
    )
    return HbConnection(client, "SIM", SIM_TARGET, [simulator.aclose])
