"""What one controller traded, and the performance report a real bot publishes about it.

The report follows Hummingbot's ``ExecutorOrchestrator.generate_performance_report``: finished
executors are folded into running totals once (a report never walks the history), active
executors add their unrealized PnL and filled volume, and every ``*_pct`` is a percentage of the
volume traded.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from tradeagent.backtest import CloseType

BUY = 1
SELL = -1
RECENT = 200  # finished executors kept for history replies


@dataclass(frozen=True)
class Trade:
    """One executor: its entry fill (if any) and, once finished, how it ended."""

    key: str
    side: int  # BUY or SELL
    open_ts: int
    fill_ts: int | None
    fill_price: float | None
    amount: float  # base units
    close_ts: int
    close_type: int
    close_price: float
    net_pnl_quote: float
    filled_quote: float
    fees_quote: float

    @property
    def filled(self) -> bool:
        return self.fill_price is not None

    def unrealized(self, mark: float, fee: float) -> float:
        """PnL if closed at ``mark`` now, both legs' fees included."""
        if self.fill_price is None:
            return 0.0
        gross = self.side * (mark - self.fill_price) * self.amount
        return gross - fee * self.amount * (self.fill_price + mark)

    def cashed_out(self, mark: float, timestamp: int, fee: float) -> Trade:
        """This active executor stopped early at ``mark`` (kill switch, stop, drawdown)."""
        if self.fill_price is None:
            return replace(
                self, close_ts=timestamp, close_type=CloseType.EARLY_STOP, net_pnl_quote=0.0
            )
        entry = self.amount * self.fill_price
        exit_quote = self.amount * mark
        return replace(
            self,
            close_ts=timestamp,
            close_type=CloseType.EARLY_STOP,
            close_price=mark,
            net_pnl_quote=self.unrealized(mark, fee),
            filled_quote=entry + exit_quote,
            fees_quote=fee * (entry + exit_quote),
        )


class Books:
    """Running totals of finished executors, plus the most recent ones."""

    def __init__(self) -> None:
        self.realized = 0.0
        self.volume = 0.0
        self.fees = 0.0
        self.counts: dict[int, int] = {}
        self.recent: deque[Trade] = deque(maxlen=RECENT)

    def add(self, trades: Iterable[Trade]) -> None:
        for trade in trades:
            self.realized += trade.net_pnl_quote
            self.volume += trade.filled_quote
            self.fees += trade.fees_quote
            self.counts[trade.close_type] = self.counts.get(trade.close_type, 0) + 1
            self.recent.append(trade)

    def to_state(self) -> dict[str, Any]:
        return {
            "realized": self.realized,
            "volume": self.volume,
            "fees": self.fees,
            "counts": {str(k): v for k, v in self.counts.items()},
            "recent": [asdict(t) for t in self.recent],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Books:
        books = cls()
        books.realized = state["realized"]
        books.volume = state["volume"]
        books.fees = state["fees"]
        books.counts = {int(k): v for k, v in state["counts"].items()}
        books.recent.extend(Trade(**t) for t in state["recent"])
        return books


class Report:
    """Builds a controller's serialized ``PerformanceReport`` (by hand: a status poll builds
    hundreds; each open position's fixed fields are encoded once, only its PnL per report)."""

    def __init__(self, connector_name: str, trading_pair: str, fee: float) -> None:
        self.connector_name = connector_name
        self.trading_pair = trading_pair
        self.fee = fee
        self._prefixes: dict[str, bytes] = {}

    def json(self, books: Books, finished: list[Trade], active: list[Trade], mark: float) -> bytes:
        realized = books.realized + sum(t.net_pnl_quote for t in finished)
        volume = books.volume + sum(t.filled_quote for t in finished)
        counts = dict(books.counts)
        for trade in finished:
            counts[trade.close_type] = counts.get(trade.close_type, 0) + 1
        unrealized = 0.0
        positions = []
        for trade in active:
            if trade.fill_price is None:
                continue
            pnl = trade.unrealized(mark, self.fee)
            unrealized += pnl
            volume += trade.amount * trade.fill_price
            positions.append(self._prefix(trade) + _num(pnl) + b"}")
        self._prefixes = {t.key: self._prefixes[t.key] for t in active if t.key in self._prefixes}
        global_pnl = realized + unrealized
        close_types = {
            f"CloseType.{CloseType(code).name}": count for code, count in sorted(counts.items())
        }
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
                dumps(close_types),
                b"}",
            )
        )

    def _prefix(self, trade: Trade) -> bytes:
        prefix = self._prefixes.get(trade.key)
        if prefix is None:
            assert trade.fill_price is not None
            entry = trade.amount * trade.fill_price
            fixed = dumps(
                {
                    "connector_name": self.connector_name,
                    "trading_pair": self.trading_pair,
                    "volume_traded_quote": entry,
                    "side": "TradeType.BUY" if trade.side == BUY else "TradeType.SELL",
                    "amount": trade.amount,
                    "breakeven_price": trade.fill_price,
                    "realized_pnl_quote": 0.0,
                    "cum_fees_quote": entry * self.fee,
                }
            )
            prefix = fixed[:-1] + b',"unrealized_pnl_quote":'
            self._prefixes[trade.key] = prefix
        return prefix


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _num(value: float) -> bytes:
    if not math.isfinite(value):
        raise ValueError(f"a performance figure is not finite: {value}")
    return repr(float(value)).encode()


def _pct(pnl: float, volume: float) -> float:
    return pnl / volume * 100 if volume else 0.0
