"""The simulated Hummingbot API server's state and behaviour, independent of HTTP.

Routes (``tradeagent.sim.routes``) are thin: they parse a request, call one method here and
shape the reply. Time advances lazily: every request first calls :meth:`Simulator.tick`, which
moves each bot forward to the current market time, so no background task is needed and an
in-process transport (which runs no ASGI lifespan) works the same as a real server.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tradeagent.sim import catalog
from tradeagent.sim.bot import DOCKER_REFUSE, SILENT, SimBot
from tradeagent.sim.chaos import Chaos
from tradeagent.sim.clock import Clock, MarketClock, SystemClock
from tradeagent.sim.controller import SimController
from tradeagent.sim.market import SimMarket
from tradeagent.sim.performance import dumps
from tradeagent.sim.persist import StateLock, load_state, save_state
from tradeagent.sim.runs import BotRuns, NoSuchRun

MASTER_ACCOUNT = "master_account"
BROKER = {"broker_host": "localhost", "broker_port": 1883, "broker_username": "admin"}


class ApiError(Exception):
    """An error the real server answers with ``{"detail": ...}`` and a status code."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class PlainServerError(Exception):
    """A failure the real server answers with a plain-text ``Internal Server Error``."""


@dataclass
class SimOptions:
    """How a simulator behaves. Defaults match a fresh real server (admin/admin)."""

    username: str = "admin"
    password: str = "admin"
    speed: float = 1.0
    seed: int = 7
    state_file: Path | None = None
    boot_s: float = 3.0  # container start to the bot's first report
    archive_s: float = 20.0  # stop-and-archive: 15 s grace, docker stop, move, rm
    config_password: str = "admin"
    starting_balance: float = 10_000.0
    # Engine work allowed per request, so a status poll stays fast however many controllers
    # trade: the most out-of-date controllers run first, the rest catch up on later requests
    # (their open positions are still marked to the market meanwhile). None: no limit.
    trade_budget_s: float | None = 0.005
    # A fresh simulator (no saved state) starts with a couple of demo bots already trading.
    demo: bool = False


class Simulator:
    """Accounts, controller configs, bots, bot runs and archives of one simulated server."""

    def __init__(
        self,
        options: SimOptions | None = None,
        *,
        clock: Clock | None = None,
        chaos: Chaos | None = None,
    ) -> None:
        self.options = options or SimOptions()
        self.wall: Clock = clock or SystemClock()
        self.chaos = chaos or Chaos()
        self.market = SimMarket(self.options.seed)
        self.accounts: dict[str, dict[str, dict[str, Any]]] = {MASTER_ACCOUNT: {}}
        self.configs: dict[str, dict[str, Any]] = {}
        self.bots: dict[str, SimBot] = {}
        self.runs = BotRuns()
        self.archived: dict[str, dict[str, Any]] = {}
        self.settled_pnl: dict[str, dict[str, float]] = {}  # account -> connector -> PnL
        state_file = self.options.state_file
        self._lock = StateLock.claim(state_file) if state_file else None
        try:
            saved = load_state(state_file) if state_file else None
        except BaseException:
            self.release()
            raise
        market_start = saved["market_time"] if saved else None
        self.market_clock = MarketClock(self.wall, self.options.speed, market_start)
        if saved:
            self._restore(saved)
        elif self.options.demo:
            from tradeagent.sim.demo import seed_demo_bots

            seed_demo_bots(self)

    # --- time --------------------------------------------------------------------------
    def tick(self) -> None:
        """Bring lifecycle timers and open positions up to now, then trade the controllers
        that are behind the market, most out-of-date first, within the trade budget."""
        wall = self.wall.now()
        market_now = self.market_clock.now()
        behind: list[tuple[int, SimBot, SimController]] = []
        for bot in list(self.bots.values()):
            if bot.container == "archiving":
                if bot.archive_done_at is not None and wall >= bot.archive_done_at:
                    self._finish_archive(bot, wall)
                continue
            faults = self.chaos.faults_for(bot.name)
            bot.tick(wall, self.market, market_now, faults)
            if bot.alive(faults):
                for controller in bot.stale(market_now):
                    assert controller.trader is not None
                    behind.append((controller.trader.last_run, bot, controller))
        behind.sort(key=lambda item: item[0])
        budget = self.options.trade_budget_s
        deadline = time.perf_counter() + budget if budget is not None else None
        for _, bot, controller in behind:
            bot.trade(controller, wall, self.market, market_now)
            if deadline is not None and time.perf_counter() >= deadline:
                break

    def set_speed(self, speed: float) -> None:
        self.market_clock.set_speed(speed)
        self.options.speed = speed

    def listed_bots(self) -> list[SimBot]:
        wall = self.wall.now()
        return [bot for bot in self.bots.values() if bot.is_listed(wall)]

    def find_listed(self, name: str) -> SimBot | None:
        bot = self.bots.get(name)
        return bot if bot is not None and bot.is_listed(self.wall.now()) else None

    # --- status ------------------------------------------------------------------------
    def status_all_json(self) -> bytes:
        """``GET /bot-orchestration/status``, assembled from each bot's cached pieces."""
        wall = self.wall.now()
        entries = [
            dumps(name) + b":" + bot.status_json(wall, with_source=True)
            for name, bot in self.bots.items()
            if bot.is_listed(wall)
        ]
        return b'{"status":"success","data":{' + b",".join(entries) + b"}}"

    def status_one_json(self, name: str) -> bytes:
        bot = self.find_listed(name)
        if bot is None:
            data = dumps({"status": "not_found", "error": f"Bot {name} not found"})
        else:
            data = bot.status_json(self.wall.now())
        return b'{"status":"success","data":' + data + b"}"

    def mqtt(self) -> dict[str, Any]:
        names = [bot.name for bot in self.listed_bots()]
        wall = self.wall.now()
        discovered = [bot.name for bot in self.bots.values() if bot.recently_active(wall)]
        return {
            "mqtt_connected": True,
            "discovered_bots": discovered,
            "active_bots": names,
            **BROKER,
            "client_state": "connected",
        }

    # --- deploy, stop, start, archive --------------------------------------------------
    def deploy(self, body: dict[str, Any], *, at: float | None = None) -> dict[str, Any]:
        """``deploy-v2-controllers`` for an already validated body. ``at``: as if deployed at
        that earlier wall time (demo bots), the strategy trading from then on."""
        if not self.options.config_password:
            return {
                "success": False,
                "message": "Password not provided. We cannot start the bot without a password.",
            }
        profile = body["credentials_profile"]
        if profile not in self.accounts:
            raise ApiError(
                500, f"[Errno 2] No such file or directory: 'bots/credentials/{profile}'"
            )
        wall = self.wall.now() if at is None else at
        stamp = datetime.fromtimestamp(wall, UTC).strftime("%Y%m%d-%H%M%S")
        name = f"{body['instance_name']}-{stamp}"
        body = {**body, "instance_name": name, "script_config": f"{name}.yml"}
        docker_url = f"http+docker://localhost/v1.47/containers/create?name={name}"
        if DOCKER_REFUSE in self.chaos.faults_for(name):
            return {
                "success": False,
                "message": f"500 Server Error for {docker_url}: Internal Server Error "
                '("failed to create container: simulated Docker failure")',
            }
        existing = self.bots.get(name)
        if existing is not None and existing.container != "vanished":
            return {
                "success": False,
                "message": f"409 Client Error for {docker_url}: Conflict "
                f'("Conflict. The container name "/{name}" is already in use. You have to '
                'remove (or rename) that container to be able to reuse that name.")',
            }
        controllers = []
        for entry in body["controllers_config"]:
            config_name = entry.removesuffix(".yml")
            saved = self.configs.get(config_name)
            if saved is not None:  # the real server only logs a missing controller YAML
                controllers.append(SimController(config_name, json.loads(json.dumps(saved))))
        bot = SimBot(name, body, controllers, wall, self.options.boot_s)
        self.bots[name] = bot
        self.runs.deployed(name, profile, body, wall)
        if at is not None:  # boot it back then; the next tick trades the time since
            booted = bot.starts_at
            bot.tick(booted, self.market, self.market_clock.at(booted), frozenset())
        self.save()
        return {
            "success": True,
            "message": f"Instance {name} created successfully.",
            "script_config_generated": f"{name}.yml",
            "controllers_deployed": body["controllers_config"],
            "unique_instance_name": name,
        }

    def stop_bot(self, name: str) -> dict[str, Any]:
        bot = self.find_listed(name)
        if bot is None:
            return {"success": False, "message": f"Bot {name} not found"}
        wall = self.wall.now()
        final_status = bot.status(wall)
        bot.stop(wall, self.market_clock.now(), self.chaos.faults_for(name))
        self.runs.stopped(name, final_status, wall)
        self.save()
        return {"success": True}

    def start_bot(self, name: str) -> dict[str, Any]:
        bot = self.find_listed(name)
        if bot is None:
            return {"success": False, "message": f"Bot {name} not found"}
        bot.start(self.wall.now(), self.chaos.faults_for(name))
        self.save()
        return {"success": True}

    def stop_and_archive(self, name: str) -> dict[str, Any]:
        active = [bot.name for bot in self.listed_bots()]
        if name not in active:
            return {
                "status": "error",
                "message": f"Bot '{name}' not found in active bots. Active bots: {active}. "
                "Cannot perform graceful shutdown.",
                "details": {
                    "input_name": name,
                    "actual_bot_name": name,
                    "container_name": name,
                    "active_bots": active,
                    "reason": "Bot must be actively managed via MQTT for graceful shutdown",
                },
            }
        bot = self.bots[name]
        wall = self.wall.now()
        final_status = bot.status(wall)
        self.runs.stopped(name, final_status, wall)
        if SILENT in self.chaos.faults_for(name):
            # A hung bot ignores the stop command; docker stop kills it with positions open.
            bot.container = "archiving"
            bot.archive_done_at = wall + self.options.archive_s
        else:
            bot.begin_archive(wall, self.market_clock.now(), self.options.archive_s)
        self.save()
        return {
            "status": "success",
            "message": f"Stop and archive process started for bot {name}",
            "details": {
                "input_name": name,
                "actual_bot_name": name,
                "container_name": name,
                "process": "The bot will be gracefully stopped, archived, and removed in the "
                "background. This process typically takes 20-30 seconds.",
            },
        }

    def _finish_archive(self, bot: SimBot, wall: float) -> None:
        del self.bots[bot.name]
        self.archived[bot.name] = {
            "bot_name": bot.name,
            "db_path": archive_db_path(bot.name),
            "archived_at": wall,
            "deployment": bot.deployment,
            "controllers": [c.to_state() for c in bot.controllers.values()],
        }
        settled = self.settled_pnl.setdefault(bot.account, {})
        for controller in bot.controllers.values():  # what it made stays in the account
            connector = controller.connector_name
            settled[connector] = settled.get(connector, 0.0) + controller.pnl()
        self.runs.archived(bot.name)
        self.save()

    async def history(self, name: str, days: int, wait_s: float) -> dict[str, Any]:
        bot = self.find_listed(name)
        if bot is None:
            return {"success": False, "message": f"Bot {name} not found"}
        if bot.container != "running" or SILENT in self.chaos.faults_for(name):
            await asyncio.sleep(wait_s)
            return {
                "success": False,
                "message": f"No response received from {name} within {wait_s} seconds",
                "timeout": True,
            }
        since = self.market_clock.now() - days * 86_400 if days > 0 else float("-inf")
        return {"success": True, "data": {"status": 200, "msg": "", "trades": bot.trades(since)}}

    # --- bot runs ----------------------------------------------------------------------
    def bot_run(self, run_id: int) -> dict[str, Any]:
        try:
            return self.runs.get(run_id)
        except NoSuchRun:
            raise ApiError(404, f"Bot run {run_id} not found") from None

    def delete_bot_run(self, run_id: int) -> dict[str, Any]:
        self.bot_run(run_id)
        run = self.runs.delete(run_id)
        folder = self.archived.pop(run["bot_name"], None)
        self.save()
        return {
            "status": "success",
            "message": f"Bot run {run_id} deleted successfully",
            "bot_name": run["bot_name"],
            "archived_folder_deleted": folder is not None,
        }

    # --- controller configs ------------------------------------------------------------
    def bot_configs(self, name: str) -> list[dict[str, Any]]:
        bot = self._bot_with_files(name)
        return [{**c.config, "_config_name": c.config_name} for c in bot.controllers.values()]

    def update_bot_config(self, name: str, config_name: str, partial: dict[str, Any]) -> str:
        bot = self._bot_with_files(name)
        wall, market_now = self.wall.now(), self.market_clock.now()
        faults = self.chaos.faults_for(name)
        controller = bot.controllers.get(config_name)
        if controller is None:
            raise ApiError(
                404, f"Controller configuration '{config_name}' not found for bot '{name}'"
            )
        if SILENT in faults or bot.container != "running":
            # The file changes; a hung or dead bot never reloads it.
            controller.config = {**controller.config, **partial}
        else:
            bot.update_controller(controller, partial, wall, self.market, market_now)
        self.save()
        return f"Controller configuration for bot '{name}' updated successfully"

    def _bot_with_files(self, name: str) -> SimBot:
        """A bot whose instance folder exists: deployed and not yet archived."""
        bot = self.bots.get(name)
        if bot is None:
            raise ApiError(404, f"Bot '{name}' not found")
        return bot

    # --- accounts ----------------------------------------------------------------------
    def add_account(self, name: str) -> None:
        if name in self.accounts:
            raise ApiError(400, "Account already exists.")
        self.accounts[name] = {}
        self.save()

    def delete_account(self, name: str) -> None:
        if name == MASTER_ACCOUNT:
            raise ApiError(400, "Cannot delete master account.")
        if name not in self.accounts:
            raise ApiError(404, f"[Errno 2] No such file or directory: 'bots/credentials/{name}'")
        del self.accounts[name]
        self.save()

    def credentials(self, account: str) -> list[str]:
        if account not in self.accounts:
            raise ApiError(
                404, f"[Errno 2] No such file or directory: 'bots/credentials/{account}/connectors'"
            )
        return list(self.accounts[account])

    def add_credential(self, account: str, connector: str, values: dict[str, Any]) -> None:
        if account not in self.accounts:
            raise ApiError(400, f"Account '{account}' does not exist.")
        if not catalog.is_known(connector):
            raise ApiError(400, f"Connector '{connector}' not found.")
        fields = catalog.config_map(connector)
        missing = [
            key
            for key, spec in fields.items()
            if spec["required"] and not str(values.get(key) or "")
        ]
        if missing:
            raise ApiError(400, f"Missing required credential field(s): {', '.join(missing)}")
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise ApiError(
                400, f"Unknown credential field(s) for {connector}: {', '.join(unknown)}"
            )
        self.accounts[account][connector] = dict(values)
        self.save()

    def delete_credential(self, account: str, connector: str) -> None:
        if connector not in self.accounts.get(account, {}):
            raise ApiError(
                404,
                "[Errno 2] No such file or directory: "
                f"'bots/credentials/{account}/connectors/{connector}.yml'",
            )
        del self.accounts[account][connector]
        self.save()

    # --- persistence -------------------------------------------------------------------
    def close(self) -> None:
        """Save the state file and let another simulator use it."""
        try:
            self.save()
        finally:
            self.release()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def save(self) -> None:
        path = self.options.state_file
        if path is None:
            return
        save_state(
            path,
            {
                "saved_at": self.wall.now(),
                "market_time": self.market_clock.now(),
                "speed": self.market_clock.speed,
                "accounts": self.accounts,
                "configs": self.configs,
                "bots": [bot.to_state() for bot in self.bots.values()],
                "runs": self.runs.rows,
                "archived": self.archived,
                "settled_pnl": self.settled_pnl,
                "next_run_id": self.runs.next_id,
            },
        )

    def _restore(self, saved: dict[str, Any]) -> None:
        wall = self.wall.now()
        self.accounts = saved["accounts"]
        self.configs = saved["configs"]
        self.bots = {b["name"]: SimBot.from_state(b, wall) for b in saved["bots"]}
        self.runs = BotRuns(saved["runs"], saved["next_run_id"])
        self.archived = saved["archived"]
        self.settled_pnl = saved["settled_pnl"]


def archive_db_path(bot_name: str) -> str:
    return f"bots/archived/{bot_name}/data/{bot_name}.sqlite"
