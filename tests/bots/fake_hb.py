"""A stateful stand-in for the Hummingbot API routes the bots pane and the accounts screen use,
speaking the contract's payloads (shared/hummingbot-api/CONTRACT.md §3, §4, §6) through httpx.

Tests change its state between refreshes (PnL moves, a bot stops, garbage for one bot, the
server goes down or hangs) and read back every request it received.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tradeagent.hb import HummingbotClient
from tradeagent.hb_setup import HbConnection

URL = "http://hb.test:8000"
PASSWORD = "api-pass-9f2c"
T0 = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)

HL_CONFIG_MAP = {
    "hyperliquid_perpetual_mode": {
        "type": "Literal",
        "required": False,
        "allowed_values": ["arb_wallet", "api_wallet"],
    },
    "use_vault": {"type": "bool", "required": False},
    "hyperliquid_perpetual_address": {"type": "SecretStr", "required": True},
    "hyperliquid_perpetual_secret_key": {"type": "SecretStr", "required": True},
}


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S")


def position(
    side: str = "BUY", amount: float = 0.002, unrealized: float = -0.87, pair: str = "BTC-USD"
) -> dict[str, Any]:
    return {
        "connector_name": "hyperliquid_perpetual",
        "trading_pair": pair,
        "side": f"TradeType.{side}",
        "amount": amount,
        "breakeven_price": 97012.5,
        "unrealized_pnl_quote": unrealized,
        "realized_pnl_quote": 0.0,
        "cum_fees_quote": 0.05,
        "volume_traded_quote": 194.02,
    }


def controller(
    realized: float = 3.41,
    unrealized: float = -0.87,
    volume: float = 1240.55,
    positions: list[dict[str, Any]] | None = None,
    closes: dict[str, int] | None = None,
) -> dict[str, Any]:
    return {
        "status": "running",
        "performance": {
            "realized_pnl_quote": realized,
            "unrealized_pnl_quote": unrealized,
            "unrealized_pnl_pct": -0.0043,
            "realized_pnl_pct": 0.0171,
            "global_pnl_quote": realized + unrealized,
            "global_pnl_pct": 0.0127,
            "volume_traded": volume,
            "positions_summary": [position()] if positions is None else positions,
            "close_type_counts": (
                {"CloseType.TAKE_PROFIT": 3, "CloseType.STOP_LOSS": 1} if closes is None else closes
            ),
        },
        "custom_info": {},
    }


def log(message: str, at: float, level: str = "INFO") -> dict[str, Any]:
    return {
        "level_name": level,
        "msg": message,
        "timestamp": at,
        "logger_name": "hummingbot.strategy_v2",
    }


def bot(
    status: str = "running",
    controllers: dict[str, Any] | None = None,
    general: list[dict[str, Any]] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "status": status,
        "performance": {"ctl_a": controller()} if controllers is None else controllers,
        "error_logs": errors or [],
        "general_logs": general or [],
        "recently_active": status == "running",
        "source": "mqtt",
    }


@dataclass
class FakeHb:
    """The server's state, and the handler httpx calls for each request."""

    bots: dict[str, Any] = field(default_factory=dict)
    configs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    accounts: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {"master_account": {}}
    )
    connectors: list[str] = field(
        default_factory=lambda: ["binance", "hyperliquid", "hyperliquid_perpetual"]
    )
    credential_rejection: str | None = None
    down: bool = False
    hold: asyncio.Event | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0

    # -- helpers for tests --------------------------------------------------------------

    def add_bot(self, base: str, deployed: datetime, entry: dict[str, Any]) -> str:
        name = f"{base}-{stamp(deployed)}"
        self.bots[name] = entry
        controllers = entry.get("performance") if isinstance(entry, dict) else None
        self.configs[name] = [
            {
                "id": cid,
                "_config_name": cid,
                "controller_name": "bollinger_v1",
                "connector_name": "hyperliquid_perpetual",
                "trading_pair": "BTC-USD",
                "total_amount_quote": 500,
                "leverage": 5,
                "stop_loss": 0.02,
                "take_profit": 0.03,
                "time_limit": 2700,
                "manual_kill_switch": False,
            }
            for cid in (controllers or {})
        ]
        return name

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p == path)

    @property
    def status_requests(self) -> int:
        return self.count("GET", "/bot-orchestration/status")

    def client(self) -> HummingbotClient:
        return HummingbotClient(
            URL, "admin", PASSWORD, transport=httpx.MockTransport(self.handle), backoff=0.001
        )

    def opener(self) -> HbConnection:
        return HbConnection(self.client(), "LIVE", URL)

    # -- the server -----------------------------------------------------------------------

    async def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.requests.append((request.method, path))
        self.bodies.append(request.content)
        if self.down:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.hold is not None and path == "/bot-orchestration/status":
                await self.hold.wait()
            return self._route(request, path)
        finally:
            self.in_flight -= 1

    def _route(self, request: httpx.Request, path: str) -> httpx.Response:
        method = request.method
        parts = path.strip("/").split("/")
        if (method, path) == ("GET", "/bot-orchestration/status"):
            return _json({"status": "success", "data": self.bots})
        if method == "GET" and parts[:2] == ["controllers", "bots"] and parts[-1] == "configs":
            return _json(self.configs.get(parts[2], []))
        if method == "POST" and parts[:2] == ["controllers", "bots"] and parts[-1] == "config":
            return self._update_config(parts[2], parts[3], json.loads(request.content))
        if (method, path) == ("GET", "/accounts/"):
            return _json(list(self.accounts))
        if (method, path) == ("POST", "/accounts/add-account"):
            name = request.url.params["account_name"]
            if name in self.accounts:
                return _json({"detail": "Account already exists."}, 400)
            self.accounts[name] = {}
            return _json({"message": "Account added successfully."}, 201)
        if method == "GET" and parts[0] == "accounts" and parts[-1] == "credentials":
            if parts[1] not in self.accounts:
                return _json({"detail": "Account not found"}, 404)
            return _json(sorted(self.accounts[parts[1]]))
        if method == "POST" and parts[:2] == ["accounts", "add-credential"]:
            return self._add_credential(parts[2], parts[3], json.loads(request.content))
        if method == "POST" and parts[:2] == ["accounts", "delete-credential"]:
            self.accounts.get(parts[2], {}).pop(parts[3], None)
            return _json({"message": "Credential deleted successfully."})
        if (method, path) == ("GET", "/connectors/"):
            return _json(self.connectors)
        if method == "GET" and parts[0] == "connectors" and parts[-1] == "config-map":
            if parts[1].startswith("hyperliquid_perpetual"):
                return _json(HL_CONFIG_MAP)
            return _json(
                {
                    f"{parts[1]}_api_key": {"type": "SecretStr", "required": True},
                    f"{parts[1]}_api_secret": {"type": "SecretStr", "required": True},
                }
            )
        return _json({"detail": "Not Found"}, 404)

    def _update_config(self, bot_name: str, config: str, changes: dict[str, Any]) -> httpx.Response:
        for entry in self.configs.get(bot_name, []):
            if entry["id"] == config:
                entry.update(changes)
                if changes.get("manual_kill_switch") is True:
                    # What a bot does on its kill switch: it closes the controller's positions.
                    report = self.bots[bot_name]["performance"][config]["performance"]
                    report["positions_summary"] = []
                    report["unrealized_pnl_quote"] = 0.0
                return _json({"message": f"Controller configuration for bot '{bot_name}' updated"})
        return _json({"detail": f"Bot '{bot_name}' not found"}, 404)

    def _add_credential(
        self, account: str, connector: str, values: dict[str, Any]
    ) -> httpx.Response:
        if self.credential_rejection is not None:
            return _json({"detail": self.credential_rejection}, 400)
        self.accounts[account][connector] = values
        return _json({"message": "Connector credentials added successfully."}, 201)


def _json(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body)


class FakeClock:
    """An injectable clock that moves only when told to."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
