"""How one controller trades on the simulated market, candle by candle.

:class:`ControllerEngine` is the seam between the simulator's bots and the trading logic. The
implementation here is a deliberately small stand-in (triple-barrier position executors opened by
a Bollinger-style signal for directional controllers, or by price touching the first spread level
for market making) until the backtest engine can drive a controller incrementally.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any, Protocol

from tradeagent.sim.ledger import BUY, SELL, CloseType, Executor, Ledger
from tradeagent.sim.market import CANDLE_S, Candles, empty_candles

DEFAULT_FEE = 0.0006
WARMUP_CANDLES = 200
_DEFAULT_SPREAD = 0.005


class ControllerEngine(Protocol):
    """Trades one controller config; fed closed candles in order, never twice."""

    ledger: Ledger

    def on_candles(self, candles: Candles) -> list[str]:
        """Process newly closed candles; returns a log line per executor closed."""
        ...

    def apply_config(self, config: dict[str, Any]) -> None:
        """Take hot-updatable fields of an edited config (amounts, barriers, spreads)."""
        ...

    def to_state(self) -> dict[str, Any]: ...


def _f(config: dict[str, Any], key: str, default: float) -> float:
    value = config.get(key)
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def _spread(config: dict[str, Any], key: str) -> float:
    value = config.get(key)
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, list) and value:
        try:
            return abs(float(value[0]))
        except (TypeError, ValueError):
            return _DEFAULT_SPREAD
    return _DEFAULT_SPREAD


class StandInEngine:
    """Triple-barrier executors on 1-minute candles with simple entry rules."""

    def __init__(
        self,
        controller_id: str,
        config: dict[str, Any],
        history: Candles,
        ledger: Ledger | None = None,
        state: dict[str, Any] | None = None,
        fee_rate: float = DEFAULT_FEE,
    ) -> None:
        self.controller_id = controller_id
        self.fee_rate = fee_rate
        self.ledger = ledger or Ledger(
            str(config.get("connector_name") or "unknown"),
            str(config.get("trading_pair") or "UNKNOWN-USD"),
        )
        self.directional = config.get("controller_type") == "directional_trading"
        self._closes: deque[float] = deque(maxlen=WARMUP_CANDLES)
        self._last_open: dict[int, float] = {BUY: -math.inf, SELL: -math.inf}
        self._serial = self.ledger.executor_count
        self.apply_config(config)
        if state is not None:
            self._closes.extend(state["closes"])
            self._last_open = {BUY: state["last_open"][0], SELL: state["last_open"][1]}
        else:
            self._closes.extend(float(c) for c in history.close[-WARMUP_CANDLES:])

    def apply_config(self, config: dict[str, Any]) -> None:
        self.total_quote = _f(config, "total_amount_quote", 100.0)
        self.stop_loss = _f(config, "stop_loss", 0.03)
        self.take_profit = _f(config, "take_profit", 0.02)
        self.time_limit = _f(config, "time_limit", 2700.0)
        self.cooldown = _f(config, "cooldown_time", 300.0)
        self.per_side = max(int(_f(config, "max_executors_per_side", 2)), 1)
        self.window = min(max(int(_f(config, "bb_length", 100)), 5), WARMUP_CANDLES - 1)
        self.band = _f(config, "bb_std", 2.0)
        self._window_sums: list[float] | None = None  # running sum and sum of squares
        self.buy_spread = _spread(config, "buy_spreads")
        self.sell_spread = _spread(config, "sell_spreads")

    def on_candles(self, candles: Candles) -> list[str]:
        logs: list[str] = []
        rows = zip(
            candles.timestamp.tolist(),
            candles.high.tolist(),
            candles.low.tolist(),
            candles.close.tolist(),
            strict=True,
        )
        for opened, high, low, close in rows:
            closed_at = opened + CANDLE_S
            for executor in list(self.ledger.active):
                if self._barrier(executor, high, low, close, closed_at):
                    self.ledger.settle(executor)
                    logs.append(_closed_line(self.controller_id, executor))
            previous = self._closes[-1] if self._closes else close
            self._closes.append(close)
            for executor in self._entries(previous, high, low, close, closed_at):
                self.ledger.open(executor)
        return logs

    def _barrier(
        self, executor: Executor, high: float, low: float, close: float, now: float
    ) -> bool:
        entry = executor.entry_price
        if executor.side == BUY:
            stop, target = entry * (1 - self.stop_loss), entry * (1 + self.take_profit)
            hit_stop, hit_target = low <= stop, high >= target
        else:
            stop, target = entry * (1 + self.stop_loss), entry * (1 - self.take_profit)
            hit_stop, hit_target = high >= stop, low <= target
        if self.stop_loss > 0 and hit_stop:
            executor.close(stop, now, CloseType.STOP_LOSS)
        elif self.take_profit > 0 and hit_target:
            executor.close(target, now, CloseType.TAKE_PROFIT)
        elif self.time_limit > 0 and now - executor.open_ts >= self.time_limit:
            executor.close(close, now, CloseType.TIME_LIMIT)
        else:
            return False
        return True

    def _entries(
        self, previous: float, high: float, low: float, close: float, now: float
    ) -> list[Executor]:
        wanted: list[tuple[int, float]] = []
        if self.directional:
            signal = self._signal()
            if signal:
                wanted.append((BUY if signal > 0 else SELL, close))
        else:
            if low <= previous * (1 - self.buy_spread):
                wanted.append((BUY, previous * (1 - self.buy_spread)))
            if high >= previous * (1 + self.sell_spread):
                wanted.append((SELL, previous * (1 + self.sell_spread)))
        opened = []
        for side, price in wanted:
            if now - self._last_open[side] < self.cooldown:
                continue
            if sum(1 for e in self.ledger.active if e.side == side) >= self.per_side:
                continue
            self._serial += 1
            self._last_open[side] = now
            amount = self.total_quote / self.per_side / (1 if self.directional else 2) / price
            executor_id = f"{self.controller_id}-{self._serial}"
            opened.append(Executor(executor_id, side, now, price, amount, self.fee_rate))
        return opened

    def _signal(self) -> int:
        """+1 below the lower band (expect a rebound), -1 above the upper band, else 0."""
        if len(self._closes) < self.window:
            return 0
        last = self._closes[-1]
        if self._window_sums is None:
            recent = list(self._closes)[-self.window :]
            self._window_sums = [sum(recent), sum(c * c for c in recent)]
        else:
            leaving = self._closes[-self.window - 1]
            self._window_sums[0] += last - leaving
            self._window_sums[1] += last * last - leaving * leaving
        mean = self._window_sums[0] / self.window
        variance = self._window_sums[1] / self.window - mean * mean
        if variance <= mean * mean * 1e-12:
            return 0
        score = (last - mean) / math.sqrt(variance)
        return 1 if score < -self.band else -1 if score > self.band else 0

    def to_state(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger.to_state(),
            "closes": list(self._closes),
            "last_open": [self._last_open[BUY], self._last_open[SELL]],
        }

    @classmethod
    def from_state(
        cls, controller_id: str, config: dict[str, Any], state: dict[str, Any]
    ) -> StandInEngine:
        ledger = Ledger.from_state(state["ledger"])
        return cls(controller_id, config, empty_candles(), ledger=ledger, state=state)


def _closed_line(controller_id: str, executor: Executor) -> str:
    close_type = CloseType(executor.close_type or CloseType.COMPLETED).name
    pnl = executor.net_pnl_quote(executor.close_price or executor.entry_price)
    return (
        f"Controller {controller_id}: executor {executor.id} closed by {close_type} "
        f"@ {executor.close_price:.6g}, net PnL {pnl:+.4f}"
    )


def create_engine(
    controller_id: str,
    config: dict[str, Any],
    history: Candles,
    ledger: Ledger | None = None,
    fee_rate: float = DEFAULT_FEE,
) -> ControllerEngine:
    """The engine a freshly started controller trades with, warmed up on ``history``."""
    return StandInEngine(controller_id, config, history, ledger=ledger, fee_rate=fee_rate)


def restore_engine(
    controller_id: str, config: dict[str, Any], state: dict[str, Any]
) -> ControllerEngine:
    return StandInEngine.from_state(controller_id, config, state)
