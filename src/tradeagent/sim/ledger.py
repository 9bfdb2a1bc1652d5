"""Executor bookkeeping of one controller and the performance report a real bot publishes.

The report follows Hummingbot's ``ExecutorOrchestrator.generate_performance_report``: closed
executors are folded into running totals once (so a report never walks the history), active
executors add their unrealized PnL and filled volume, and every ``*_pct`` is a percentage of the
volume traded.
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import asdict, dataclass, field
from enum import IntEnum
from typing import Any

BUY = 1
SELL = 2
_RECENT_CLOSED = 200


class CloseType(IntEnum):
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


@dataclass
class Executor:
    """One position executor: opened at ``entry_price``, closed once."""

    id: str
    side: int
    open_ts: float
    entry_price: float
    amount: float
    fee_rate: float
    close_ts: float | None = None
    close_price: float | None = None
    close_type: int | None = None

    @property
    def is_active(self) -> bool:
        return self.close_type is None

    def filled_quote(self) -> float:
        """Quote volume of the entry fill plus the exit fill, if any."""
        exit_quote = self.amount * self.close_price if self.close_price is not None else 0.0
        return self.amount * self.entry_price + exit_quote

    def fees_quote(self) -> float:
        return self.filled_quote() * self.fee_rate

    def net_pnl_quote(self, mark: float) -> float:
        price = self.close_price if self.close_price is not None else mark
        direction = 1.0 if self.side == BUY else -1.0
        gross = direction * (price - self.entry_price) * self.amount
        exit_fee = 0.0 if self.close_price is not None else self.amount * mark * self.fee_rate
        return gross - self.fees_quote() - exit_fee

    def net_pnl_pct(self, mark: float) -> float:
        return self.net_pnl_quote(mark) / (self.amount * self.entry_price)

    def close(self, price: float, timestamp: float, close_type: CloseType) -> None:
        self.close_price = price
        self.close_ts = timestamp
        self.close_type = int(close_type)


@dataclass
class Ledger:
    """Everything one controller traded: running totals plus the active executors."""

    connector_name: str
    trading_pair: str
    realized_pnl_quote: float = 0.0
    volume_traded: float = 0.0
    fees_quote: float = 0.0
    close_type_counts: dict[int, int] = field(default_factory=dict)
    active: list[Executor] = field(default_factory=list)
    recent: deque[Executor] = field(default_factory=lambda: deque(maxlen=_RECENT_CLOSED))
    executor_count: int = 0
    _prefixes: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    _close_types_json: bytes | None = field(default=None, repr=False, compare=False)

    def open(self, executor: Executor) -> None:
        self.active.append(executor)
        self.executor_count += 1

    def settle(self, executor: Executor) -> None:
        """Fold a just-closed executor into the totals."""
        self.active.remove(executor)
        self.realized_pnl_quote += executor.net_pnl_quote(executor.close_price or 0.0)
        self.volume_traded += executor.filled_quote()
        self.fees_quote += executor.fees_quote()
        assert executor.close_type is not None
        self.close_type_counts[executor.close_type] = (
            self.close_type_counts.get(executor.close_type, 0) + 1
        )
        self._close_types_json = None
        self._prefixes.pop(executor.id, None)
        self.recent.append(executor)

    def close_all(self, price: float, timestamp: float, close_type: CloseType) -> int:
        closing = list(self.active)
        for executor in closing:
            executor.close(price, timestamp, close_type)
            self.settle(executor)
        return len(closing)

    def global_pnl(self, mark: float) -> float:
        return self.realized_pnl_quote + sum(e.net_pnl_quote(mark) for e in self.active)

    def report_json(self, mark: float) -> bytes:
        """The controller's ``PerformanceReport`` serialized as a real bot publishes it.

        Built by hand because a status poll serializes hundreds of these: each open
        position's fixed fields are encoded once, only its PnL is formatted per report.
        """
        unrealized = 0.0
        volume = self.volume_traded
        positions = []
        for executor in self.active:
            pnl = executor.net_pnl_quote(mark)
            unrealized += pnl
            volume += executor.amount * executor.entry_price
            positions.append(self._position_prefix(executor) + _num(pnl) + b"}")
        realized = self.realized_pnl_quote
        global_pnl = realized + unrealized
        if self._close_types_json is None:
            self._close_types_json = _dumps(
                {
                    f"CloseType.{CloseType(code).name}": count
                    for code, count in sorted(self.close_type_counts.items())
                }
            )
        return b"".join(
            (
                b'{"realized_pnl_quote":',
                _num(realized),
                b',"unrealized_pnl_quote":',
                _num(unrealized),
                b',"unrealized_pnl_pct":',
                _num(_pct(unrealized, volume)),
                b',"realized_pnl_pct":',
                _num(_pct(realized, volume)),
                b',"global_pnl_quote":',
                _num(global_pnl),
                b',"global_pnl_pct":',
                _num(_pct(global_pnl, volume)),
                b',"volume_traded":',
                _num(volume),
                b',"positions_summary":[',
                b",".join(positions),
                b'],"close_type_counts":',
                self._close_types_json,
                b"}",
            )
        )

    def report(self, mark: float) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.report_json(mark))
        return result

    def _position_prefix(self, executor: Executor) -> bytes:
        prefix = self._prefixes.get(executor.id)
        if prefix is None:
            fixed = _dumps(
                {
                    "connector_name": self.connector_name,
                    "trading_pair": self.trading_pair,
                    "volume_traded_quote": executor.amount * executor.entry_price,
                    "side": "TradeType.BUY" if executor.side == BUY else "TradeType.SELL",
                    "amount": executor.amount,
                    "breakeven_price": executor.entry_price,
                    "realized_pnl_quote": 0.0,
                    "cum_fees_quote": executor.fees_quote(),
                }
            )
            prefix = fixed[:-1] + b',"unrealized_pnl_quote":'
            self._prefixes[executor.id] = prefix
        return prefix

    def to_state(self) -> dict[str, Any]:
        return {
            "connector_name": self.connector_name,
            "trading_pair": self.trading_pair,
            "realized_pnl_quote": self.realized_pnl_quote,
            "volume_traded": self.volume_traded,
            "fees_quote": self.fees_quote,
            "close_type_counts": {str(k): v for k, v in self.close_type_counts.items()},
            "active": [asdict(e) for e in self.active],
            "recent": [asdict(e) for e in self.recent],
            "executor_count": self.executor_count,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Ledger:
        return cls(
            connector_name=state["connector_name"],
            trading_pair=state["trading_pair"],
            realized_pnl_quote=state["realized_pnl_quote"],
            volume_traded=state["volume_traded"],
            fees_quote=state["fees_quote"],
            close_type_counts={int(k): v for k, v in state["close_type_counts"].items()},
            active=[Executor(**e) for e in state["active"]],
            recent=deque((Executor(**e) for e in state["recent"]), maxlen=_RECENT_CLOSED),
            executor_count=state["executor_count"],
        )


def _num(value: float) -> bytes:
    if not math.isfinite(value):
        raise ValueError(f"a performance figure is not finite: {value}")
    return repr(value).encode()


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _pct(pnl: float, volume: float) -> float:
    return pnl / volume * 100 if volume else 0.0
