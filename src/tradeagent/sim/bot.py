"""A simulated Hummingbot bot: a container running ``v2_with_controllers`` with N controllers.

It reproduces what the API can see of a real bot over MQTT: heartbeats, performance reports
every second, general and error logs, and how those change around start, stop, the kill switch,
drawdown limits, a container that dies, and a process that hangs.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from typing import Any

from tradeagent.backtest import BacktestError, CloseType
from tradeagent.sim.controller import SimController
from tradeagent.sim.market import SimMarket
from tradeagent.sim.performance import BUY, Trade, dumps

HEARTBEAT_WINDOW = 30.0  # the API calls a bot "recently active" for 30 s after a message
REPORT_DELAY = 1.0  # a bot publishes its performance every second
MAX_LOGS = 100  # the API keeps the last 100 general and 100 error logs per bot
ERROR_LOG_INTERVAL = 5.0
STRATEGY_LOGGER = "hummingbot.strategy.strategy_v2_base"
APP_LOGGER = "hummingbot.client.hummingbot_application"

# Faults a test (or --chaos) can inflict on a bot; see tradeagent.sim.chaos.
REFUSE_STOP = "refuse_stop"
LOG_ERRORS = "log_errors"
SILENT = "silent"
VANISH = "vanish"
DOCKER_REFUSE = "docker_refuse"  # matched against the new bot's name at deploy
BOT_FAULTS = frozenset({REFUSE_STOP, LOG_ERRORS, SILENT, VANISH, DOCKER_REFUSE})


class LogBuffer:
    """The last :data:`MAX_LOGS` log entries, each serialized once, newest last."""

    def __init__(self) -> None:
        self.entries: deque[dict[str, Any]] = deque(maxlen=MAX_LOGS)
        self._encoded: deque[bytes] = deque(maxlen=MAX_LOGS)
        self._json: bytes | None = b"[]"

    def append(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)
        self._encoded.append(dumps(entry))
        self._json = None

    def json(self) -> bytes:
        if self._json is None:
            self._json = b"[" + b",".join(self._encoded) + b"]"
        return self._json

    def __len__(self) -> int:
        return len(self.entries)


class SimBot:
    """What the API knows of one bot container, and the strategy running inside it."""

    def __init__(
        self,
        name: str,
        deployment: dict[str, Any],
        controllers: list[SimController],
        wall_now: float,
        boot_s: float,
    ) -> None:
        self.name = name
        self.deployment = deployment
        self.account = str(deployment["credentials_profile"])
        self.controllers = {c.config_name: c for c in controllers}
        self.max_global_drawdown = deployment.get("max_global_drawdown_quote")
        self.max_controller_drawdown = deployment.get("max_controller_drawdown_quote")
        self.deployed_at = wall_now
        # container: running | archiving | vanished; strategy: booting | running | stopped
        self.container = "running"
        self.strategy = "booting"
        self.starts_at = wall_now + boot_s
        # What the API holds of the bot's reports: none (cleared or never sent), live, or
        # empty (the final report a stopped strategy sends).
        self.reports = "none"
        self.reports_resume_at: float | None = None
        self.last_message: float | None = None
        self.last_error_log = -1e18
        self.peak_pnl = 0.0
        self.archive_done_at: float | None = None
        self.general_logs = LogBuffer()
        self.error_logs = LogBuffer()
        # (identities of the reports, their serialized map, the reports kept alive so their
        # identities cannot be reused)
        self._performance: tuple[tuple[int, ...], bytes, list[bytes]] | None = None

    # --- what the API sees -------------------------------------------------------------
    def is_listed(self, wall_now: float) -> bool:
        """In the API's active list: a running container, or MQTT messages in the last 30 s."""
        if self.container == "running":
            return True
        return self.container == "vanished" and self.recently_active(wall_now)

    def recently_active(self, wall_now: float) -> bool:
        return self.last_message is not None and wall_now - self.last_message <= HEARTBEAT_WINDOW

    def performance_json(self) -> bytes:
        """The controllers' reports as the API holds them, serialized."""
        loaded = [c for c in self.controllers.values() if c.loaded]
        if self.reports == "none" or not loaded:
            return b"{}"
        reports = [b"{}" if self.reports == "empty" else c.report_json() for c in loaded]
        key = tuple(map(id, reports))  # each report's bytes are rebuilt only when it changes
        if self._performance is None or self._performance[0] != key:
            entries = [
                dumps(c.controller_id)
                + b':{"status":"running","performance":'
                + report
                + b',"custom_info":{}}'
                for c, report in zip(loaded, reports, strict=True)
            ]
            self._performance = (key, b"{" + b",".join(entries) + b"}", reports)
        return self._performance[1]

    def status_json(self, wall_now: float, with_source: bool = False) -> bytes:
        """The bot's entry in ``/bot-orchestration/status``, built from cached pieces."""
        performance = self.performance_json()
        recent = self.recently_active(wall_now)
        reporting = performance != b"{}"
        state = (b"running" if recent else b"idle") if reporting else b"stopped"
        return b"".join(
            (
                b'{"status":"',
                state,
                b'","performance":',
                performance,
                b',"error_logs":',
                self.error_logs.json(),
                b',"general_logs":',
                self.general_logs.json(),
                b',"recently_active":',
                b"true" if recent else b"false",
                b',"source":"docker"}' if with_source else b"}",
            )
        )

    def status(self, wall_now: float) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.status_json(wall_now))
        return result

    # --- time passing ---------------------------------------------------------------------
    def tick(
        self,
        wall_now: float,
        market: SimMarket,
        market_now: float,
        faults: frozenset[str],
    ) -> None:
        """Lifecycle timers, heartbeats, and open positions marked to the market."""
        if self.container == "running" and VANISH in faults:
            self.container = "vanished"
        if not self.alive(faults):
            return  # a dead container or a hung process publishes nothing
        if self.strategy == "booting" and wall_now >= self.starts_at:
            self._start_strategy(wall_now, market, market_now)
        if self.reports_resume_at is not None and wall_now >= self.reports_resume_at:
            self.reports_resume_at = None
            self.reports = "live" if self.strategy == "running" else "empty"
        if self.strategy == "running":
            for controller in self.controllers.values():
                controller.mark(market, market_now)
            self._check_drawdowns(wall_now, market_now)
        if LOG_ERRORS in faults and wall_now - self.last_error_log >= ERROR_LOG_INTERVAL:
            self.last_error_log = wall_now
            self.log_error(
                wall_now,
                "Error placing order: Order amount exceeds available balance "
                "(simulated fault). Check the account balance on the exchange.",
            )
        if self.strategy != "booting" or self.last_message is not None:
            self.last_message = wall_now

    def alive(self, faults: frozenset[str]) -> bool:
        return self.container == "running" and SILENT not in faults

    def stale(self, market_now: float) -> list[SimController]:
        """Controllers with closed candles they have not traded yet."""
        if self.strategy != "running":
            return []
        return [c for c in self.controllers.values() if c.stale(market_now)]

    def trade(
        self, controller: SimController, wall_now: float, market: SimMarket, market_now: float
    ) -> None:
        """Run one controller through the engine up to now and publish what happened."""
        quote = controller.trading_pair.partition("-")[2]
        try:
            finished = controller.run(market, market_now)
        except BacktestError as exc:
            controller.stopped = True  # a real controller that raises stops the same way
            self.log_error(
                wall_now,
                f"Controller {controller.controller_id} stopped on an error: {exc}",
            )
            return
        for trade in finished:
            side = "BUY" if trade.side == BUY else "SELL"
            self.log(
                wall_now,
                f"Controller {controller.controller_id}: {side} executor closed by "
                f"{CloseType(trade.close_type).name} at {trade.close_price:.6g}, "
                f"net PnL {trade.net_pnl_quote:+.4f} {quote}",
            )
        self._check_drawdowns(wall_now, market_now)

    def _check_drawdowns(self, wall_now: float, market_now: float) -> None:
        if self.max_controller_drawdown is None and self.max_global_drawdown is None:
            return
        limit = self.max_controller_drawdown
        for controller in self.controllers.values():
            if controller.stopped or controller.trader is None:
                continue
            pnl = controller.pnl()
            controller.peak_pnl = max(controller.peak_pnl, pnl)
            if limit is not None and controller.peak_pnl - pnl > float(limit):
                controller.cash_out(market_now)
                self.log(
                    wall_now,
                    f"Controller {controller.controller_id} reached max drawdown. "
                    "Stopping the controller.",
                )
        total = sum(c.pnl() for c in self.controllers.values())
        self.peak_pnl = max(self.peak_pnl, total)
        limit = self.max_global_drawdown
        if limit is not None and self.peak_pnl - total > float(limit):
            self.log(wall_now, "Global drawdown reached. Stopping the strategy.")
            self._stop_strategy(wall_now, market_now)
            self.reports_resume_at = wall_now + REPORT_DELAY

    def _start_strategy(self, wall_now: float, market: SimMarket, market_now: float) -> None:
        self.strategy = "running"
        self.reports = "live"
        self.last_message = wall_now
        self.log(wall_now, "Strategy v2_with_controllers started.", APP_LOGGER)
        for controller in self.controllers.values():
            if controller.problem is not None:
                self.log_error(
                    wall_now,
                    f"Error loading controller config {controller.config_name}.yml: "
                    f"{controller.problem}. The controller was not started.",
                )
                continue
            cannot = controller.start(market, market_now)
            if cannot is not None:
                self.log(
                    wall_now,
                    f"Controller {controller.controller_id} runs without trading in the "
                    f"simulator: {cannot}",
                    level="WARNING",
                )
        self.peak_pnl = sum(c.pnl() for c in self.controllers.values())

    # --- commands ----------------------------------------------------------------------
    def stop(self, wall_now: float, market_now: float, faults: frozenset[str]) -> None:
        """``stop-bot``: the API clears the reports; the bot stops unless it refuses or hangs."""
        self.reports = "none"
        self.reports_resume_at = wall_now + REPORT_DELAY
        if SILENT in faults or REFUSE_STOP in faults:
            return
        self._stop_strategy(wall_now, market_now)

    def start(self, wall_now: float, faults: frozenset[str]) -> None:
        if SILENT in faults or self.strategy != "stopped":
            return
        self.strategy = "booting"
        self.starts_at = wall_now + REPORT_DELAY
        self.reports_resume_at = None

    def begin_archive(self, wall_now: float, market_now: float, archive_s: float) -> None:
        """``stop-and-archive-bot``: leave the active list now, archived ``archive_s`` later."""
        if self.strategy != "stopped":
            self._stop_strategy(wall_now, market_now)
        self.container = "archiving"
        self.archive_done_at = wall_now + archive_s

    def update_controller(
        self,
        controller: SimController,
        partial: dict[str, Any],
        wall_now: float,
        market: SimMarket,
        market_now: float,
    ) -> None:
        """The bot reloads an edited config file: hot fields apply, the kill switch acts."""
        problem = controller.update(partial)
        if problem is not None:
            self.log_error(
                wall_now,
                f"Error updating controller config {controller.config_name}.yml: {problem}. "
                "The previous settings stay in force.",
            )
            return
        if self.strategy != "running" or controller.trader is None:
            return
        if controller.kill_switch and not controller.stopped:
            stopped = controller.cash_out(market_now)
            self.log(
                wall_now,
                f"Manual cash out for controller {controller.controller_id} "
                f"({stopped} executors stopped).",
            )
        elif not controller.kill_switch and controller.stopped:
            controller.start(market, market_now)
            self.log(wall_now, f"Restarting controller {controller.controller_id}.")

    def _stop_strategy(self, wall_now: float, market_now: float) -> None:
        if self.strategy == "running":
            stopped = sum(c.cash_out(market_now) for c in self.controllers.values())
            self.log(
                wall_now,
                f"Stopping the strategy; {stopped} active executors stopped.",
                APP_LOGGER,
            )
        self.strategy = "stopped"

    # --- logs and reports --------------------------------------------------------------
    def log(
        self, wall_now: float, message: str, logger: str = STRATEGY_LOGGER, level: str = "INFO"
    ) -> None:
        self.general_logs.append(
            {"level_name": level, "msg": message, "timestamp": wall_now, "logger_name": logger}
        )

    def log_error(self, wall_now: float, message: str) -> None:
        entry = {
            "level_name": "ERROR",
            "msg": message,
            "timestamp": wall_now,
            "logger_name": STRATEGY_LOGGER,
        }
        self.error_logs.append(entry)

    def executors(self) -> Iterator[tuple[SimController, Trade]]:
        """Every executor the bot still remembers, finished or active, per controller."""
        for controller in self.controllers.values():
            for trade in controller.trades():
                yield controller, trade

    def active_positions(self) -> Iterator[tuple[SimController, Trade]]:
        for controller in self.controllers.values():
            if controller.trader is not None:
                for trade in controller.trader.active:
                    if trade.filled:
                        yield controller, trade

    def trades(self, since: float) -> list[dict[str, Any]]:
        """Fills of recent executors, oldest first, as the bot's ``history`` reply lists them."""
        fills = []
        for controller, trade in self.executors():
            if trade.fill_price is None or trade.fill_ts is None:
                continue
            legs = [(trade.fill_ts, trade.fill_price, trade.side)]
            active = controller.trader is not None and trade in controller.trader.active
            if not active:
                legs.append((trade.close_ts, trade.close_price, -trade.side))
            for number, (timestamp, price, side) in enumerate(legs):
                if timestamp < since:
                    continue
                fills.append(
                    {
                        "trade_id": f"{trade.key}-{number}",
                        "market": controller.connector_name,
                        "trading_pair": controller.trading_pair,
                        "trade_type": "BUY" if side == BUY else "SELL",
                        "price": price,
                        "amount": trade.amount,
                        "trade_fee_in_quote": trade.amount * price * controller.fee,
                        "timestamp": timestamp,
                        "controller_id": controller.controller_id,
                    }
                )
        return sorted(fills, key=lambda fill: fill["timestamp"])

    # --- persistence -------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "deployment": self.deployment,
            "controllers": [c.to_state() for c in self.controllers.values()],
            "deployed_at": self.deployed_at,
            "container": self.container,
            "strategy": self.strategy,
            "starts_at": self.starts_at,
            "reports": self.reports,
            "reports_resume_at": self.reports_resume_at,
            "last_message": self.last_message,
            "peak_pnl": self.peak_pnl,
            "archive_done_at": self.archive_done_at,
            "general_logs": list(self.general_logs.entries),
            "error_logs": list(self.error_logs.entries),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], wall_now: float) -> SimBot:
        """Restore a bot saved by an earlier run; its process resumes where it was."""
        controllers = [SimController.from_state(c) for c in state["controllers"]]
        bot = cls(state["name"], state["deployment"], controllers, state["deployed_at"], 0.0)
        bot.container = state["container"]
        bot.strategy = state["strategy"]
        bot.starts_at = min(state["starts_at"], wall_now)
        bot.reports = state["reports"]
        bot.reports_resume_at = state["reports_resume_at"]
        bot.last_message = state["last_message"]
        bot.peak_pnl = state["peak_pnl"]
        bot.archive_done_at = state["archive_done_at"]
        for entry in state["general_logs"]:
            bot.general_logs.append(entry)
        for entry in state["error_logs"]:
            bot.error_logs.append(entry)
        return bot
