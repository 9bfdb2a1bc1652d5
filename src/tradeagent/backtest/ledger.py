"""The executor ledger: one row per executor, stored as columns."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.closes import CloseType, side_name

NOT_FILLED = -1


@dataclass(frozen=True)
class Ledger:
    """Executors in creation order (row, then creation order within the row).

    `terminated_row` is the simulated row whose first step booked the executor's PnL into the
    PnL series; executors left for the closing pass after the last row have `n_rows` there.
    """

    timestamp: IntArray
    side: npt.NDArray[np.int8]  # +1 BUY, −1 SELL
    close_timestamp: IntArray
    close_type: npt.NDArray[np.int16]
    net_pnl_pct: FloatArray
    net_pnl_quote: FloatArray
    filled_amount_quote: FloatArray
    cum_fees_quote: FloatArray
    fill_timestamp: IntArray  # NOT_FILLED when the entry never filled
    fill_price: FloatArray  # NaN when never filled
    close_price: FloatArray
    order_price: list[str]  # exact decimals given to the executor
    amount_base: list[str]
    level_id: list[str]  # "" for directional executors
    terminated_row: IntArray
    executor_type: str = "position_executor"

    def __len__(self) -> int:
        return len(self.timestamp)

    @classmethod
    def empty(cls, executor_type: str = "position_executor") -> Ledger:
        return cls.concat([], executor_type)

    @classmethod
    def concat(cls, parts: list[Ledger], executor_type: str = "position_executor") -> Ledger:
        """Ledgers merged and sorted by creation time (stable: creation order within a row)."""
        if not parts:
            ints = np.zeros(0, dtype=np.int64)
            floats = np.zeros(0)
            return cls(
                ints,
                np.zeros(0, dtype=np.int8),
                ints,
                np.zeros(0, dtype=np.int16),
                floats,
                floats,
                floats,
                floats,
                ints,
                floats,
                floats,
                [],
                [],
                [],
                ints,
                executor_type,
            )
        columns: dict[str, Any] = {}
        for field in fields(cls):
            if field.name == "executor_type":
                continue
            values = [getattr(part, field.name) for part in parts]
            if isinstance(values[0], list):
                columns[field.name] = [item for value in values for item in value]
            else:
                columns[field.name] = np.concatenate(values)
        order = np.argsort(columns["timestamp"], kind="stable")
        for name, column in columns.items():
            if isinstance(column, list):
                columns[name] = [column[i] for i in order.tolist()]
            else:
                columns[name] = column[order]
        return cls(**columns, executor_type=parts[0].executor_type)

    def records(self) -> list[dict[str, Any]]:
        """JSON-ready rows with the golden ledger's column names."""
        close_names = {member.value: member.name for member in CloseType}
        rows: list[dict[str, Any]] = []
        for i in range(len(self)):
            filled = int(self.fill_timestamp[i]) != NOT_FILLED
            rows.append(
                {
                    "timestamp": int(self.timestamp[i]),
                    "side": side_name(int(self.side[i])),
                    "close_timestamp": int(self.close_timestamp[i]),
                    "close_type": close_names[int(self.close_type[i])],
                    "net_pnl_pct": float(self.net_pnl_pct[i]),
                    "net_pnl_quote": float(self.net_pnl_quote[i]),
                    "filled_amount_quote": float(self.filled_amount_quote[i]),
                    "cum_fees_quote": float(self.cum_fees_quote[i]),
                    "fill_timestamp": int(self.fill_timestamp[i]) if filled else None,
                    "fill_price": float(self.fill_price[i]) if filled else None,
                    "close_price": float(self.close_price[i]),
                    "order_price": self.order_price[i],
                    "amount_base": self.amount_base[i],
                    "level_id": self.level_id[i] or None,
                    "executor_type": self.executor_type,
                }
            )
        return rows
