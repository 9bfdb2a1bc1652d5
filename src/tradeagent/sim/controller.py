"""One controller inside a simulated bot: its config file, its trader, its kill switch."""

from __future__ import annotations

from typing import Any

from tradeagent.sim.market import SimMarket, last_closed_open
from tradeagent.sim.performance import Books, Report, Trade
from tradeagent.sim.trader import DEFAULT_FEE, ControllerTrader, Unsupported
from tradeagent.sim.validation import load_controller
from tradeagent.strategy import ControllerConfig


class SimController:
    """A controller as the bot runs it: the config copy in the bot's folder, the trader that
    simulates it, and whether it is stopped (kill switch or drawdown)."""

    def __init__(self, config_name: str, config: dict[str, Any], fee: float = DEFAULT_FEE) -> None:
        self.config_name = config_name
        self.config = config
        self.fee = fee
        self.model: ControllerConfig | None
        self.model, self.problem = load_controller(config)
        self.trader: ControllerTrader | None = None
        self.unsupported: str | None = None
        self.stopped = False
        self.peak_pnl = 0.0
        self._marked = -1

    @property
    def controller_id(self) -> str:
        return str(self.config.get("id") or self.config_name)

    @property
    def loaded(self) -> bool:
        """The bot accepted the config (it reports on it, even if it cannot trade it here)."""
        return self.model is not None

    @property
    def trading_pair(self) -> str:
        return str(self.config.get("trading_pair") or "")

    @property
    def connector_name(self) -> str:
        return str(self.config.get("connector_name") or "")

    @property
    def kill_switch(self) -> bool:
        return self.config.get("manual_kill_switch") is True

    def start(self, market: SimMarket, market_now: float) -> str | None:
        """(Re)start trading from the current candle; returns why it cannot trade, if so."""
        if self.model is None:
            return None
        self.stopped = self.kill_switch
        if self.trader is None and self.unsupported is None:
            try:
                self.trader = ControllerTrader(self.controller_id, self.model, 0, self.fee)
            except Unsupported as exc:
                self.unsupported = str(exc)
                return self.unsupported
        if self.trader is not None:
            self.trader.resume(market_now)
            self._marked = -1
            self.mark(market, market_now)
        return None

    def stale(self, market_now: float) -> bool:
        return self.trader is not None and not self.stopped and self.trader.stale(market_now)

    def run(self, market: SimMarket, market_now: float) -> list[Trade]:
        assert self.trader is not None
        return self.trader.run(market, market_now)

    def mark(self, market: SimMarket, market_now: float) -> None:
        """Mark open positions to the last close (once per new candle)."""
        if self.trader is None or self.stopped:
            return
        candle = last_closed_open(market_now)
        if candle != self._marked:
            self._marked = candle
            self.trader.mark_to(market.price(self.trader.trading_pair, market_now))

    def cash_out(self, market_now: float) -> int:
        """Stop the controller and its executors at the current price."""
        self.stopped = True
        return self.trader.cash_out(market_now) if self.trader is not None else 0

    def update(self, partial: dict[str, Any]) -> str | None:
        """Merge ``partial`` into the config file; returns why the bot cannot reload it."""
        self.config = {**self.config, **partial}
        model, problem = load_controller(self.config)
        if model is None:
            return problem
        self.model = model
        if self.trader is not None:
            try:
                self.trader.reconfigure(model)
            except Unsupported as exc:
                return str(exc)
        return None

    def pnl(self) -> float:
        return self.trader.pnl() if self.trader is not None else 0.0

    def report_json(self) -> bytes:
        if self.trader is not None:
            return self.trader.report_json()
        return Report(self.connector_name, self.trading_pair, self.fee).json(Books(), [], [], 0.0)

    def trades(self) -> list[Trade]:
        return self.trader.trades() if self.trader is not None else []

    def to_state(self) -> dict[str, Any]:
        return {
            "config_name": self.config_name,
            "config": self.config,
            "trader": self.trader.to_state() if self.trader is not None else None,
            "unsupported": self.unsupported,
            "stopped": self.stopped,
            "peak_pnl": self.peak_pnl,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], fee: float = DEFAULT_FEE) -> SimController:
        controller = cls(state["config_name"], state["config"], fee)
        if state["trader"] is not None and controller.model is not None:
            controller.trader = ControllerTrader.from_state(
                controller.controller_id, controller.model, state["trader"], fee
            )
        controller.unsupported = state["unsupported"]
        controller.stopped = state["stopped"]
        controller.peak_pnl = state["peak_pnl"]
        return controller
