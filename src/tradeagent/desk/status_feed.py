"""One status request shared by everything waiting on the fleet at the same moment.

The kill switch verifies many bots at once; without sharing, each would poll
``GET /bot-orchestration/status`` on its own.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from tradeagent.desk.timing import Pacer
from tradeagent.hb import BotStatus, HummingbotError

if TYPE_CHECKING:
    from tradeagent.hb import HummingbotClient


class StatusFeed:
    """``bots_status()`` of one server, reused while younger than ``max_age`` seconds.

    Concurrent callers wait for the same request; a failed request is shared too (and raised
    to each), so a down server costs one request per ``max_age``, not one per waiter.
    """

    def __init__(self, client: HummingbotClient, pacer: Pacer, max_age: float) -> None:
        self.client = client
        self.pacer = pacer
        self.max_age = max_age
        self._lock = asyncio.Lock()
        self._at: float | None = None
        self._bots: dict[str, BotStatus] = {}
        self._error: HummingbotError | None = None

    async def get(self) -> dict[str, BotStatus]:
        async with self._lock:
            fresh = self._at is not None and self.pacer.now() - self._at < self.max_age
            if not fresh:
                try:
                    self._bots = await self.client.bots_status()
                    self._error = None
                except HummingbotError as exc:
                    self._error = exc
                self._at = self.pacer.now()
            if self._error is not None:
                raise self._error
            return self._bots
