"""The Hummingbot API tradeagent talks to, from settings: the configured URL (LIVE) or, with no
``hummingbot.url``, the built-in simulator in-process (SIM).

Build it inside the running event loop (httpx binds its pool to the loop) and close it there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from tradeagent.hb import HummingbotClient
from tradeagent.settings import Settings

SIM_TARGET = "in-process simulator"

NO_SERVER = (
    "No Hummingbot API configured and the built-in simulator is not available in this build. "
    "Set hummingbot.url (e.g. http://127.0.0.1:8000) in the config file or "
    "TRADEAGENT_HUMMINGBOT__URL; `tradeagent config` shows it."
)


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
"""Builds the connection (inside the running loop); None when there is nothing to talk to."""


def open_hummingbot(settings: Settings, *, retries: int = 2) -> HbConnection | None:
    """The server the settings point at; None without a URL while no simulator is built in."""
    hb = settings.hummingbot
    if hb.url is None:
        return None
    client = HummingbotClient(
        hb.url,
        hb.username,
        hb.password.get_secret_value(),
        timeout=hb.timeout_s,
        long_timeout=hb.long_timeout_s,
        retries=retries,
    )
    return HbConnection(client, "LIVE", hb.url)
