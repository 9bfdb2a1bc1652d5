"""The two execution models: Hummingbot's backtester, quirks included, and a realistic one.

Both answer the same questions for the controllers: how a batch of position executors ends, and
which of Hummingbot's behaviours (look-ahead join, short-side gating, dropped NaN rows) apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from tradeagent.backtest.barriers import scan_hummingbot
from tradeagent.backtest.candles import FloatArray, IntArray
from tradeagent.backtest.limit_orders import LimitPrices, first_close_crossing
from tradeagent.backtest.outcomes import (
    Outcomes,
    hit_types,
    hummingbot_limit_outcomes,
    hummingbot_outcomes,
    settle_hummingbot_pnl,
)
from tradeagent.backtest.params import TripleBarrier
from tradeagent.backtest.tape import Tape

Mode = Literal["hummingbot", "realistic"]
MODES: tuple[Mode, ...] = ("hummingbot", "realistic")


class Execution(Protocol):
    @property
    def mode(self) -> Mode: ...

    @property
    def trade_cost(self) -> float: ...

    @property
    def look_ahead_join(self) -> bool:
        """Rows read the controller candle that contains them (its close is in their future)."""
        ...

    @property
    def drops_undefined_rows(self) -> bool:
        """Rows where an indicator is NaN vanish from the simulation."""
        ...

    @property
    def shorts_count_longs(self) -> bool:
        """Short signals are capped and cooled down by open longs too."""
        ...

    def market_entries(self, tape: Tape, starts: IntArray, side: int) -> Outcomes:
        """Executors that enter at market on the close of `starts`."""
        ...

    def limit_entries(self, tape: Tape, side: int, levels: list[LimitPrices]) -> list[Outcomes]:
        """For each level, executors created at every row with a limit entry at its price,
        as they would end without a refresh."""
        ...

    def settle(self, tape: Tape, outcomes: Outcomes, chosen: IntArray, side: int) -> FloatArray:
        """Final net PnL fractions of the executors `chosen` among `outcomes`."""
        ...


@dataclass(frozen=True)
class HummingbotExecution:
    """Hummingbot's BacktestingEngineBase semantics (see the golden data's README)."""

    barrier: TripleBarrier
    trade_cost: float
    mode: Mode = "hummingbot"
    look_ahead_join: bool = True
    drops_undefined_rows: bool = True
    shorts_count_longs: bool = True

    def market_entries(self, tape: Tape, starts: IntArray, side: int) -> Outcomes:
        hits = scan_hummingbot(tape, starts, side, self.barrier, self.trade_cost)
        return hummingbot_outcomes(tape, starts, hits, self.barrier.time_limit, self.trade_cost)

    def limit_entries(self, tape: Tape, side: int, levels: list[LimitPrices]) -> list[Outcomes]:
        created = np.arange(tape.n, dtype=np.int64)
        hits = scan_hummingbot(tape, created, side, self.barrier, self.trade_cost)
        kinds = hit_types(hits)
        return [
            hummingbot_limit_outcomes(
                tape,
                created,
                first_close_crossing(tape, prices, created, tape.window_end),
                side,
                hits,
                kinds,
                self.barrier,
                self.trade_cost,
            )
            for prices in levels
        ]

    def settle(self, tape: Tape, outcomes: Outcomes, chosen: IntArray, side: int) -> FloatArray:
        return settle_hummingbot_pnl(tape, outcomes, chosen, side, self.trade_cost)
