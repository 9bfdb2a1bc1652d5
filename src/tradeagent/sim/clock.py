"""Time in the simulator: the wall clock (heartbeats, logs, lifecycle delays) and the market
clock derived from it (candles), which runs ``speed`` times faster.

Tests pass a :class:`ManualClock` and move it forward explicitly instead of sleeping.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """A source of wall-clock time in unix seconds."""

    def now(self) -> float: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> float:
        return time.time()


class ManualClock:
    """A wall clock that only moves when told to."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds


class MarketClock:
    """Market time: advances ``speed`` market seconds per wall second from an anchor.

    Changing the speed re-anchors at the current instant so market time never jumps.
    The market pauses while the simulator is not running: a restored clock continues
    from the market time it was saved at.
    """

    def __init__(self, clock: Clock, speed: float = 1.0, market_start: float | None = None) -> None:
        _check_speed(speed)
        self._clock = clock
        self._speed = speed
        self._anchor_wall = clock.now()
        self._anchor_market = self._anchor_wall if market_start is None else market_start

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def wall(self) -> Clock:
        return self._clock

    def now(self) -> float:
        return self.at(self._clock.now())

    def at(self, wall: float) -> float:
        """The market time at wall-clock time ``wall`` (at the current speed)."""
        return self._anchor_market + (wall - self._anchor_wall) * self._speed

    def set_speed(self, speed: float) -> None:
        _check_speed(speed)
        self._anchor_market = self.now()
        self._anchor_wall = self._clock.now()
        self._speed = speed


def _check_speed(speed: float) -> None:
    if not 0 < speed <= 100_000:
        raise ValueError(f"speed must be > 0 and <= 100000 market seconds per second, got {speed}")
