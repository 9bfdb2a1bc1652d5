"""A simulated Hummingbot bot: a container running ``v2_with_controllers`` with N controllers.

It reproduces what the API can see of a real bot over MQTT: heartbeats, performance reports
every second, general and error logs, and how those change around start, stop, the kill switch,
drawdown limits, a container that dies, and a process that hangs.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from typing import Any

from tradeagent.sim.engine import ControllerEngine, create_engine, restore_engine
from tradeagent.sim.ledger import BUY, SELL, CloseType, Executor
from tradeagent.sim.market import SyntheticMarket, candle_index
from tradeagent.sim.validation import config_problem

HEARTBEAT_WINDOW = 30.0  # the API calls a bot "recently active" for 30 s after a message
REPORT_DELAY = 1.0  # a bot publishes its performance every second
MAX_LOGS = 100  # the API keeps the last 100 general and 100 error logs per bot
ERROR_LOG_INTERVAL = 5.0
WARMUP = 200
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


class SimController:
    """One controller inside a bot: its config copy, its engine and its kill-switch state."""

    def __init__(self, config_name: str, config: dict[str, Any]) -> None:
        self.config_name = config_name
        self.config = config
        self.problem = config_problem(config)
        self.engine: ControllerEngine | None = None
        self.stopped = False
        self.next_index = 0
        self.mark = 0.0
        self.peak_pnl = 0.0
        self._report_json: bytes | None = None

    @property
    def controller_id(self) -> str:
        return str(self.config.get("id") or self.config_name)

    @property
    def trading_pair(self) -> str:
        return str(self.config.get("trading_pair") or "UNKNOWN-USD")

    def report_json(self) -> bytes:
        """The serialized performance report, rebuilt only after the ledger or price moved."""
        if self._report_json is None:
            assert self.engine is not None
            self._report_json = self.engine.ledger.report_json(self.mark)
        return self._report_json

    def pnl(self) -> float:
        return self.engine.ledger.global_pnl(self.mark) if self.engine else 0.0

    def start(self, market: SyntheticMarket, market_now: float) -> None:
        """Load the engine (first start) and resume trading from the current candle."""
        index = candle_index(market_now)
        if self.engine is None and self.problem is None:
            history = market.candles(self.trading_pair, index - WARMUP, index)
            self.engine = create_engine(self.controller_id, self.config, history)
        self.next_index = index
        last = market.candles(self.trading_pair, index - 1, index)
        if len(last):
            self.mark = float(last.close[-1])
        self._report_json = None

    def advance(self, market: SyntheticMarket, market_now: float) -> list[str] | None:
        """Trade the candles closed since the last call; None when there were none."""
        stop = candle_index(market_now)
        if self.engine is None or self.stopped or stop <= self.next_index:
            return None
        candles = market.candles(self.trading_pair, self.next_index, stop)
        self.next_index = stop
        if not len(candles):
            return None
        lines = self.engine.on_candles(candles)
        self.mark = float(candles.close[-1])
        if lines or self.engine.ledger.active:  # otherwise the report cannot have changed
            self._report_json = None
        return lines

    def cash_out(self, timestamp: float) -> int:
        """Stop the controller and close its executors at the current price."""
        self.stopped = True
        self._report_json = None
        if self.engine is None:
            return 0
        return self.engine.ledger.close_all(self.mark, timestamp, CloseType.EARLY_STOP)

    def update(self, partial: dict[str, Any]) -> None:
        self.config.update(partial)
        if self.engine is not None:
            self.engine.apply_config(self.config)
        self._report_json = None

    def to_state(self) -> dict[str, Any]:
        return {
            "config_name": self.config_name,
            "config": self.config,
            "engine": self.engine.to_state() if self.engine else None,
            "stopped": self.stopped,
            "next_index": self.next_index,
            "mark": self.mark,
            "peak_pnl": self.peak_pnl,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SimController:
        controller = cls(state["config_name"], state["config"])
        if state["engine"] is not None:
            controller.engine = restore_engine(
                controller.controller_id, controller.config, state["engine"]
            )
        controller.stopped = state["stopped"]
        controller.next_index = state["next_index"]
        controller.mark = state["mark"]
        controller.peak_pnl = state["peak_pnl"]
        return controller


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

    # --- what the API sees -------------------------------------------------------------
    def is_listed(self, wall_now: float) -> bool:
        """In the API's active list: a running container, or MQTT messages in the last 30 s."""
        if self.container == "running":
            return True
        return self.container == "vanished" and self.recently_active(wall_now)

    def recently_active(self, wall_now: float) -> bool:
        return self.last_message is not None and wall_now - self.last_message <= HEARTBEAT_WINDOW

    def _loaded(self) -> list[SimController]:
        return [c for c in self.controllers.values() if c.engine is not None]

    def performance_json(self) -> bytes:
        """The controllers' reports as the API holds them, serialized."""
        loaded = self._loaded()
        if self.reports == "none" or not loaded:
            return b"{}"
        entries = []
        for controller in loaded:
            report = b"{}" if self.reports == "empty" else controller.report_json()
            entries.append(
                dumps(controller.controller_id)
                + b':{"status":"running","performance":'
                + report
                + b',"custom_info":{}}'
            )
        return b"{" + b",".join(entries) + b"}"

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
        market: SyntheticMarket,
        market_now: float,
        faults: frozenset[str],
    ) -> None:
        if self.container == "running" and VANISH in faults:
            self.container = "vanished"
        if self.container != "running" or SILENT in faults:
            return  # a dead container or a hung process publishes nothing
        if self.strategy == "booting" and wall_now >= self.starts_at:
            self._start_strategy(wall_now, market, market_now)
        if self.reports_resume_at is not None and wall_now >= self.reports_resume_at:
            self.reports_resume_at = None
            self.reports = "live" if self.strategy == "running" else "empty"
        if self.strategy == "running":
            self._trade(wall_now, market, market_now)
        if LOG_ERRORS in faults and wall_now - self.last_error_log >= ERROR_LOG_INTERVAL:
            self.last_error_log = wall_now
            self.log_error(
                wall_now,
                "Error placing order: Order amount exceeds available balance "
                "(simulated fault). Check the account balance on the exchange.",
            )
        if self.strategy != "booting" or self.last_message is not None:
            self.last_message = wall_now

    def _start_strategy(self, wall_now: float, market: SyntheticMarket, market_now: float) -> None:
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
            controller.start(market, market_now)
            controller.stopped = controller.config.get("manual_kill_switch") is True
        self.peak_pnl = sum(c.pnl() for c in self.controllers.values())

    def _trade(self, wall_now: float, market: SyntheticMarket, market_now: float) -> None:
        moved = False
        for controller in self.controllers.values():
            lines = controller.advance(market, market_now)
            if lines is None:
                continue
            moved = True
            for line in lines:
                self.log(wall_now, line)
            pnl = controller.pnl()
            controller.peak_pnl = max(controller.peak_pnl, pnl)
            limit = self.max_controller_drawdown
            if limit is not None and controller.peak_pnl - pnl > float(limit):
                controller.cash_out(market_now)
                self.log(
                    wall_now,
                    f"Controller {controller.controller_id} reached max drawdown. "
                    "Stopping the controller.",
                )
        if not moved:
            return
        total = sum(c.pnl() for c in self.controllers.values())
        self.peak_pnl = max(self.peak_pnl, total)
        limit = self.max_global_drawdown
        if limit is not None and self.peak_pnl - total > float(limit):
            self.log(wall_now, "Global drawdown reached. Stopping the strategy.")
            self._stop_strategy(wall_now, market_now)
            self.reports_resume_at = wall_now + REPORT_DELAY

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
        config_name: str,
        partial: dict[str, Any],
        wall_now: float,
        market: SyntheticMarket,
        market_now: float,
    ) -> bool:
        controller = self.controllers.get(config_name)
        if controller is None:
            return False
        controller.update(partial)
        if self.strategy == "running" and controller.engine is not None:
            kill = controller.config.get("manual_kill_switch") is True
            if kill and not controller.stopped:
                closed = controller.cash_out(market_now)
                self.log(
                    wall_now,
                    f"Manual cash out for controller {controller.controller_id} "
                    f"({closed} executors stopped).",
                )
            elif not kill and controller.stopped:
                controller.stopped = False
                controller.start(market, market_now)
                self.log(wall_now, f"Restarting controller {controller.controller_id}.")
        return True

    def _stop_strategy(self, wall_now: float, market_now: float) -> None:
        if self.strategy == "running":
            closed = sum(c.cash_out(market_now) for c in self.controllers.values())
            self.log(
                wall_now,
                f"Stopping the strategy; {closed} active executors closed.",
                APP_LOGGER,
            )
        self.strategy = "stopped"

    # --- logs and reports --------------------------------------------------------------
    def log(self, wall_now: float, message: str, logger: str = STRATEGY_LOGGER) -> None:
        self.general_logs.append(
            {"level_name": "INFO", "msg": message, "timestamp": wall_now, "logger_name": logger}
        )

    def log_error(self, wall_now: float, message: str) -> None:
        entry = {
            "level_name": "ERROR",
            "msg": message,
            "timestamp": wall_now,
            "logger_name": STRATEGY_LOGGER,
        }
        self.error_logs.append(entry)

    def executors(self) -> Iterable[tuple[SimController, Executor]]:
        for controller in self.controllers.values():
            if controller.engine is None:
                continue
            ledger = controller.engine.ledger
            for executor in [*ledger.recent, *ledger.active]:
                yield controller, executor

    def trades(self, since: float) -> list[dict[str, Any]]:
        """Fills of recent executors, oldest first, as the bot's ``history`` reply lists them."""
        fills = []
        for controller, executor in self.executors():
            connector = str(controller.config.get("connector_name") or "")
            legs = [(executor.open_ts, executor.entry_price, executor.side)]
            if executor.close_price is not None and executor.close_ts is not None:
                exit_side = SELL if executor.side == BUY else BUY
                legs.append((executor.close_ts, executor.close_price, exit_side))
            for number, (timestamp, price, side) in enumerate(legs):
                if timestamp < since:
                    continue
                fills.append(
                    {
                        "trade_id": f"{executor.id}-{number}",
                        "market": connector,
                        "trading_pair": controller.trading_pair,
                        "trade_type": "BUY" if side == BUY else "SELL",
                        "price": price,
                        "amount": executor.amount,
                        "trade_fee_in_quote": executor.amount * price * executor.fee_rate,
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


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()
