"""Replies of the real Hummingbot API 1.0.1, as recorded in shared/hummingbot-api/CONTRACT.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BOT = "ta-bb-20261124-090241"

ROOT = {"name": "Hummingbot API", "version": "1.0.1", "status": "running"}

MQTT = {
    "status": "success",
    "data": {
        "mqtt_connected": True,
        "discovered_bots": [BOT],
        "active_bots": [BOT],
        "broker_host": "127.0.0.1",
        "broker_port": 18830,
        "broker_username": "admin",
        "client_state": "connected",
    },
}


def controller(realized: float = 3.41, volume: float = 1240.55) -> dict[str, Any]:
    return {
        "status": "running",
        "performance": {
            "realized_pnl_quote": realized,
            "unrealized_pnl_quote": -0.87,
            "unrealized_pnl_pct": -0.0043,
            "realized_pnl_pct": 0.0171,
            "global_pnl_quote": realized - 0.87,
            "global_pnl_pct": 0.0127,
            "volume_traded": volume,
            "positions_summary": [
                {
                    "connector_name": "hyperliquid_perpetual",
                    "trading_pair": "BTC-USD",
                    "side": "TradeType.BUY",
                    "amount": 0.002,
                    "breakeven_price": 97012.5,
                    "unrealized_pnl_quote": -0.87,
                    "realized_pnl_quote": 0.0,
                    "cum_fees_quote": 0.05,
                    "volume_traded_quote": 194.02,
                }
            ],
            "close_type_counts": {"CloseType.TAKE_PROFIT": 3, "CloseType.STOP_LOSS": 1},
        },
        "custom_info": {},
    }


def bot(status: str = "running", **controllers: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": status,
        "performance": controllers,
        "error_logs": [],
        "general_logs": [
            {
                "level_name": "INFO",
                "msg": "Controller bb_btc_hl signal: 0",
                "timestamp": 1795511001.46,
                "logger_name": "hummingbot.strategy_v2",
            }
        ],
        "recently_active": True,
        "source": "mqtt",
    }


def fleet(**bots: dict[str, Any]) -> dict[str, Any]:
    return {"status": "success", "data": bots}


STATUS = fleet(**{BOT: bot(bb_btc_hl=controller())})

BOT_NOT_FOUND = {"status": "success", "data": {"status": "not_found", "error": "Bot x not found"}}

DEPLOYED = {
    "success": True,
    "message": f"Instance {BOT} created successfully.",
    "script_config_generated": f"{BOT}.yml",
    "controllers_deployed": ["bb_btc_hl"],
    "unique_instance_name": BOT,
}
DEPLOY_DOCKER_FAILED = {
    "success": False,
    "message": f"500 Server Error for http://docker/containers/create?name={BOT}: boom",
}
DEPLOY_NO_PASSWORD = {
    "success": False,
    "message": "Password not provided. We cannot start the bot without a password.",
}
DEPLOY_NO_ACCOUNT = {
    "detail": "[Errno 2] No such file or directory: 'bots/credentials/nope_account'"
}

COMMAND_OK = {"status": "success", "response": {"success": True}}
COMMAND_NOT_FOUND = {
    "status": "success",
    "response": {"success": False, "message": "Bot x not found"},
}
HISTORY_TIMEOUT = {
    "status": "success",
    "response": {
        "success": False,
        "message": "No response received from x within 3.0 seconds",
        "timeout": True,
    },
}
ARCHIVE_STARTED = {
    "status": "success",
    "message": f"Stop and archive process started for bot {BOT}",
    "details": {"input_name": BOT, "actual_bot_name": BOT, "container_name": BOT},
}
ARCHIVE_NOT_ACTIVE = {
    "status": "error",
    "message": "Bot 'x' not found in active bots. Active bots: []. Cannot perform graceful "
    "shutdown.",
    "details": {"reason": "Bot must be actively managed via MQTT for graceful shutdown"},
}

BOT_RUNS = {
    "status": "success",
    "data": [
        {
            "id": 7,
            "bot_name": BOT,
            "instance_name": "ta-bb",
            "deployed_at": "2026-11-24T09:02:41.123456",
            "stopped_at": None,
            "strategy_type": "controller",
            "strategy_name": "v2_with_controllers",
            "config_name": "bb_btc_hl",
            "account_name": "master_account",
            "image_version": "hummingbot/hummingbot:latest",
            "deployment_status": "DEPLOYED",
            "run_status": "RUNNING",
            "deployment_config": {"instance_name": "ta-bb"},
            "final_status": None,
            "error_message": None,
        }
    ],
    "total": 1,
    "limit": 100,
    "offset": 0,
}

CONTROLLER_TYPES = {
    "directional_trading": ["bollinger_v1", "dman_v3", "macd_bb_v1", "supertrend_v1"],
    "market_making": ["dman_maker_v2", "pmm_dynamic", "pmm_simple"],
    "generic": ["grid_strike", "stat_arb"],
}

BB_CONFIG = {
    "id": "bb_btc_hl",
    "controller_name": "bollinger_v1",
    "controller_type": "directional_trading",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
    "total_amount_quote": 500,
    "leverage": 1,
    "position_mode": "ONEWAY",
    "stop_loss": 0.02,
    "manual_kill_switch": False,
}

CONFIG_NOT_FOUND = {"detail": "Configuration 'nope' not found"}

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

TRADING_RULES = {
    "BTC-USD": {
        "min_order_size": 0.00001,
        "max_order_size": None,
        "min_price_increment": 1.0,
        "min_base_amount_increment": 0.00001,
        "min_notional_size": 10.0,
        "max_price_significant_digits": 5,
        "supports_limit_orders": True,
        "supports_market_orders": True,
    }
}

CANDLES = [
    {
        "timestamp": 1767225600 + 60 * i,
        "open": 97000.0 + i,
        "high": 97010.0 + i,
        "low": 96990.0 + i,
        "close": 97005.0 + i,
        "volume": 12.5,
        "quote_asset_volume": 1212500.0,
        "n_trades": 340,
        "taker_buy_base_volume": 6.1,
        "taker_buy_quote_volume": 591700.0,
    }
    for i in range(3)
]

PRICES = {"connector": "hyperliquid_perpetual", "prices": {"BTC-USD": 97012.5}, "timestamp": 1.0}

PORTFOLIO = {
    "master_account": {
        "hyperliquid_perpetual": [
            {
                "token": "USD",
                "units": 1523.4,
                "price": 1.0,
                "value": 1523.4,
                "available_units": 1210.0,
            }
        ]
    }
}

POSITIONS = {
    "data": [
        {
            "account_name": "master_account",
            "connector_name": "hyperliquid_perpetual",
            "trading_pair": "BTC-USD",
            "side": "LONG",
            "amount": 0.002,
            "entry_price": 97012.5,
            "unrealized_pnl": -0.87,
            "leverage": 5,
        }
    ],
    "pagination": {"limit": 100, "has_more": False, "next_cursor": None, "total_count": 1},
}

NO_AUTH = {"detail": "Not authenticated"}
BAD_AUTH = {"detail": "Incorrect username or password"}
MISSING_FIELD = {
    "detail": [
        {
            "type": "missing",
            "loc": ["body", "instance_name"],
            "msg": "Field required",
            "input": {"credentials_profile": "master_account"},
        }
    ]
}


def backtest_example() -> dict[str, Any]:
    """The recorded POST /backtesting/run request and (trimmed) reply."""
    path = Path(__file__).parent.parent / "data" / "hb" / "backtest-example.json"
    example: dict[str, Any] = json.loads(path.read_text())
    return example
