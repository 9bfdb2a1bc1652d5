"""Close types (Hummingbot's enum values) and sides."""

from __future__ import annotations

from enum import IntEnum


class CloseType(IntEnum):
    """Hummingbot's CloseType values; LIQUIDATION exists only in realistic mode."""

    TIME_LIMIT = 1
    STOP_LOSS = 2
    TAKE_PROFIT = 3
    EXPIRED = 4
    EARLY_STOP = 5
    TRAILING_STOP = 6
    INSUFFICIENT_BALANCE = 7
    FAILED = 8
    COMPLETED = 9
    POSITION_HOLD = 10
    LIQUIDATION = 101


BUY = 1
SELL = -1


def side_name(side: int) -> str:
    return "BUY" if side == BUY else "SELL"
