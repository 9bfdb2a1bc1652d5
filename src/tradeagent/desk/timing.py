"""Time for the desk's waiting loops (stop verification, the post-deploy watch).

Loops ask a :class:`Pacer` for the time and to wait, so tests drive them with the simulator's
manual clock instead of sleeping.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Pacer(Protocol):
    def now(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class RealPacer:
    """The process's monotonic clock and ``asyncio.sleep``."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


REAL = RealPacer()
