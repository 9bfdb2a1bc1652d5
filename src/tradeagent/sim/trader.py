"""One controller trading live on the simulated market, through the backtest engine.

The engine is a batch function, so a live controller re-runs it over a short sliding window:
from ``anchor`` (the open of its oldest still-active executor, or the first candle after it was
last flat) to the last closed candle, with the indicators' warm-up before it. Executors that
finished before the oldest active one are final and folded into the books; the window then
starts there. In realistic mode the engine does not look ahead, so a re-run extends the past
instead of rewriting it. Between re-runs, open positions are marked to the latest close.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tradeagent.backtest import (
    BacktestError,
    BacktestResult,
    Candles,
    CloseType,
    controller_params,
    run_backtest,
)
from tradeagent.backtest import Ledger as EngineLedger
from tradeagent.backtest.candles import interval_seconds
from tradeagent.backtest.params import (
    BollingerSignal,
    ControllerParams,
    DcaParams,
    DirectionalParams,
    MacdBollingerSignal,
)
from tradeagent.sim.market import CANDLE_S, SimMarket, last_closed_open
from tradeagent.sim.performance import Books, Report, Trade
from tradeagent.strategy import ControllerConfig

DEFAULT_FEE = 0.0006
MAX_WINDOW_S = 3 * 3600  # longest window a run re-simulates after the warm-up
_NOT_FILLED = -1


class Unsupported(Exception):
    """The engine cannot simulate this (valid) controller yet."""


class ControllerTrader:
    """The live state of one controller: books, the current window, open positions."""

    def __init__(
        self,
        controller_id: str,
        model: ControllerConfig,
        anchor: int,
        fee: float = DEFAULT_FEE,
        books: Books | None = None,
    ) -> None:
        try:
            self.params: ControllerParams = controller_params(model)
        except BacktestError as exc:
            raise Unsupported(str(exc)) from None
        self.controller_id = controller_id
        self.model = model
        self.fee = fee
        self.anchor = anchor
        self.books = books or Books()
        self.finished: list[Trade] = []  # final, but inside the window: recomputed each run
        self.active: list[Trade] = []
        self.mark = math.nan
        self.last_run = anchor - CANDLE_S  # open time of the last candle simulated
        self.report = Report(
            self.params.market.connector_name, self.params.market.trading_pair, fee
        )
        self._announced: set[str] = set()
        self._json: bytes | None = None
        self._warmup = self._estimated_warmup()

    @property
    def trading_pair(self) -> str:
        return self.params.market.trading_pair

    def reconfigure(self, model: ControllerConfig) -> None:
        """Take an edited config; the open window is re-simulated with it on the next run."""
        try:
            self.params = controller_params(model)
        except BacktestError as exc:
            raise Unsupported(str(exc)) from None
        self.model = model
        self.last_run = self.anchor - CANDLE_S
        self._warmup = self._estimated_warmup()

    def stale(self, market_now: float) -> bool:
        return last_closed_open(market_now) > self.last_run

    def run(self, market: SimMarket, market_now: float) -> list[Trade]:
        """Simulate up to the last closed candle; returns executors newly finished."""
        last = last_closed_open(market_now)
        if last < self.anchor:
            return []
        result, candles = self._simulate(market, last)
        # Executors opened on the last candle are left for the next run: at the end of the data
        # the engine frees every executor's slot, so the gating of that candle is not final.
        trades = [
            t for t in _trades(self.controller_id, result.ledger) if self.anchor <= t.open_ts < last
        ]
        finished = [t for t in trades if t.close_ts < last]
        active = [t for t in trades if t.close_ts >= last]
        anchor = _next_anchor(self.anchor, trades, active, last, self._cooldown())
        self.books.add(t for t in finished if t.open_ts < anchor)
        new = [t for t in finished if t.key not in self._announced]
        self.finished = [t for t in finished if t.open_ts >= anchor]
        self._announced = {t.key for t in self.finished}
        self.active = active
        self.anchor = anchor
        self.last_run = last
        self.mark = float(candles.close[-1])
        self._json = None
        return [t for t in new if t.filled]

    def _simulate(self, market: SimMarket, last: int) -> tuple[BacktestResult, Candles]:
        """The engine over the window, its first simulated candle exactly at the anchor (so no
        executor from before the anchor, unknown to this run, takes a slot)."""
        step = self._interval_s()
        for _ in range(2):
            start = (self.anchor - self._warmup) // step * step
            candles = market.candles(self.trading_pair, start, last)
            result = run_backtest(self.model, candles, mode="realistic", trade_cost=self.fee)
            first = result.first_simulated_timestamp
            if first is None or first == self.anchor or first - start == self._warmup:
                break
            self._warmup = first - start  # learnt from the engine; exact from now on
        return result, candles

    def mark_to(self, price: float) -> None:
        if price != self.mark:
            self.mark = price
            if any(t.filled for t in self.active):
                self._json = None

    def cash_out(self, market_now: float) -> int:
        """Stop every executor at the current mark (kill switch, stop, drawdown)."""
        now = int(market_now)
        stopped = [t.cashed_out(self.mark, now, self.fee) for t in self.active]
        self.books.add([*self.finished, *stopped])
        self.finished, self.active, self._announced = [], [], set()
        self._json = None
        return sum(1 for t in stopped if t.filled)

    def resume(self, market_now: float) -> None:
        """Trade again from the current candle (after a stop or the kill switch)."""
        self.anchor = last_closed_open(market_now) + CANDLE_S
        self.last_run = self.anchor - CANDLE_S

    def pnl(self) -> float:
        if math.isnan(self.mark):
            return self.books.realized
        realized = self.books.realized + sum(t.net_pnl_quote for t in self.finished)
        return realized + sum(t.unrealized(self.mark, self.fee) for t in self.active)

    def report_json(self) -> bytes:
        if self._json is None:
            mark = 0.0 if math.isnan(self.mark) else self.mark
            self._json = self.report.json(self.books, self.finished, self.active, mark)
        return self._json

    def trades(self) -> list[Trade]:
        return [*self.books.recent, *self.finished, *self.active]

    def _interval_s(self) -> int:
        if isinstance(self.params, DirectionalParams | DcaParams):
            return interval_seconds(self.params.interval)
        return CANDLE_S

    def _cooldown(self) -> int:
        # The engine ends a stop-loss cooldown after an hour at most; round up to a candle.
        return -(-min(self.params.cooldown_time, 3601) // CANDLE_S) * CANDLE_S

    def _estimated_warmup(self) -> int:
        """Candles the indicators need before the window (none for market making)."""
        if not isinstance(self.params, DirectionalParams | DcaParams):
            return 0
        spec = self.params.signal
        if isinstance(spec, BollingerSignal):
            lookback = spec.length
        elif isinstance(spec, MacdBollingerSignal):
            lookback = max(spec.bollinger.length, 3 * (spec.slow + spec.signal))
        else:
            lookback = 3 * spec.length
        return (lookback + 5) * self._interval_s()

    def to_state(self) -> dict[str, Any]:
        return {
            "anchor": self.anchor,
            "books": self.books.to_state(),
            "mark": self.mark,
            # The window is simulated again after a restart: what was already logged stays quiet.
            "announced": sorted(self._announced),
        }

    @classmethod
    def from_state(
        cls, controller_id: str, model: ControllerConfig, state: dict[str, Any], fee: float
    ) -> ControllerTrader:
        trader = cls(controller_id, model, state["anchor"], fee, Books.from_state(state["books"]))
        trader.mark = state["mark"]
        trader._announced = set(state.get("announced", ()))
        return trader


def _next_anchor(
    anchor: int, trades: list[Trade], active: list[Trade], last: int, cooldown: int
) -> int:
    """Where the next run starts: the latest time, up to the oldest active executor (or the last
    candle), when no executor held its slot, so a re-run from there rebuilds the same executors
    (gating, re-quotes and cooldowns included). A controller that is never free (market making,
    persistent signals) starts at its oldest active executor once the free point is
    :data:`MAX_WINDOW_S` old, which bounds the work; an executor that finished after that point
    then no longer holds its slot in later runs."""
    limit = min((t.open_ts for t in active), default=last)
    # A slot is busy until the candle after the close, and after a stop loss for the cooldown.
    busy = [
        (
            t.open_ts,
            last + CANDLE_S
            if t in active
            else t.close_ts + CANDLE_S + (cooldown if t.close_type == CloseType.STOP_LOSS else 0),
        )
        for t in trades
    ]
    candidates = {anchor, limit, *(until for _, until in busy)}
    free = max(c for c in candidates if c <= limit and not any(o < c < u for o, u in busy))
    return free if last - free <= MAX_WINDOW_S else limit


def _wire_close_type(code: int) -> int:
    # Realistic mode liquidates over-leveraged positions; Hummingbot has no such close type
    # and a real bot would see the exchange fail the position.
    return int(CloseType.FAILED) if code == CloseType.LIQUIDATION else code


def _trades(controller_id: str, ledger: EngineLedger) -> list[Trade]:
    trades = []
    filled_at = ledger.fill_timestamp.tolist()
    fill_price = ledger.fill_price.tolist()
    for i, opened in enumerate(ledger.timestamp.tolist()):
        filled = filled_at[i] != _NOT_FILLED
        side = int(ledger.side[i])
        trades.append(
            Trade(
                key=f"{controller_id}-{opened}-{side}-{ledger.level_id[i]}",
                side=side,
                open_ts=opened,
                fill_ts=filled_at[i] if filled else None,
                fill_price=fill_price[i] if filled and np.isfinite(fill_price[i]) else None,
                amount=float(ledger.amount_base[i]),
                close_ts=int(ledger.close_timestamp[i]),
                close_type=_wire_close_type(int(ledger.close_type[i])),
                close_price=float(ledger.close_price[i]),
                net_pnl_quote=float(ledger.net_pnl_quote[i]),
                filled_quote=float(ledger.filled_amount_quote[i]),
                fees_quote=float(ledger.cum_fees_quote[i]),
            )
        )
    return trades
