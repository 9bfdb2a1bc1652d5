"""Each risk rule, on its own: what it flags, how severe, and the fix it suggests."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from strategy_examples import example

from tradeagent.settings import TEMPLATE, load_settings
from tradeagent.strategy import (
    DrawdownCaps,
    Finding,
    RiskPolicy,
    check_config,
    parse_config,
)
from tradeagent.strategy.risk import Mode

LOOSE = RiskPolicy(max_leverage=100, max_amount_per_controller=Decimal(10**6))
"""Policy limits out of the way, to test exchange rules alone."""
CAPS = DrawdownCaps(bot=Decimal(50), controller=Decimal(25))


def config(name: str = "bollinger_v1", **changes: Any) -> Any:
    return parse_config({**example(name), **changes})


def findings(
    cfg: Any, policy: RiskPolicy = LOOSE, mode: Mode = "SIM", **kwargs: Any
) -> dict[str, Finding]:
    report = check_config(cfg, policy, mode=mode, drawdown_caps=kwargs.pop("caps", CAPS), **kwargs)
    return {finding.rule: finding for finding in report.findings}


def test_every_example_passes_a_loose_policy_except_known_exchange_problems() -> None:
    from strategy_examples import NAMES

    for name in NAMES:
        rules = set(findings(config(name)))
        if name == "dman_maker_v2":
            # Its smallest DCA order ($8.33) is under Hyperliquid's $10 minimum: a real catch.
            assert rules == {"exchange.min_order"}
        elif name == "arbitrage_controller":
            assert rules == {"exchange.unknown"}  # okx spot is not in the facts table
        else:
            assert rules == set(), name


@pytest.mark.parametrize(
    ("mode", "allow", "severity"),
    [("SIM", False, "warning"), ("LIVE", False, "blocking"), ("LIVE", True, "warning")],
)
def test_policy_switched_off(mode: Mode, allow: bool, severity: str) -> None:
    policy = RiskPolicy(enabled=False, allow_live_without_policy=allow, max_leverage=1)
    found = findings(config(leverage=5), policy, mode)
    assert found["policy.disabled"].severity == severity
    assert "policy.leverage" not in found  # limits are off...
    assert set(found) == {"policy.disabled"}  # ...exchange rules still ran and passed


def test_allowed_connectors_and_pairs() -> None:
    policy = LOOSE.model_copy(
        update={"allowed_connectors": ["binance_perpetual"], "allowed_pairs": ["ETH-USD"]}
    )
    found = findings(config(), policy)
    assert found["policy.connector"].field == "connector_name"
    assert "binance_perpetual" in found["policy.connector"].fix
    assert found["policy.pair"].blocking


def test_amount_limits_per_controller_and_bot() -> None:
    policy = RiskPolicy(max_amount_per_controller=Decimal(150), max_amount_per_bot=Decimal(300))
    found = findings(config(), policy)
    assert found["policy.amount_per_controller"].message.startswith("$200 is above")
    others = [config(total_amount_quote=150)]
    found = findings(config(total_amount_quote=100), policy, others_in_bot=others)
    assert "policy.amount_per_controller" not in found
    assert "policy.amount_per_bot" not in found  # $250 <= $300
    found = findings(config(total_amount_quote=150), policy, others_in_bot=others * 2)
    assert "$450" in found["policy.amount_per_bot"].message


def test_leverage_policy() -> None:
    found = findings(config(leverage=6), RiskPolicy())
    assert found["policy.leverage"].fix == "set leverage to 5 or less"
    assert "policy.leverage" not in findings(config(leverage=5), RiskPolicy())


def test_stop_loss_required_for_directional_only() -> None:
    found = findings(config(stop_loss=None), RiskPolicy())
    assert found["policy.stop_loss_required"].blocking
    mm = findings(config("pmm_simple", stop_loss=None), RiskPolicy())
    assert mm["policy.stop_loss_required"].severity == "warning"
    relaxed = RiskPolicy(require_stop_loss=False)
    assert not findings(config(stop_loss=None), relaxed)["policy.stop_loss_required"].blocking


def test_max_stop_loss() -> None:
    found = findings(config(stop_loss=0.15), RiskPolicy())
    assert found["policy.max_stop_loss"].message.startswith("stop loss 15% is wider")
    grid = findings(config("grid_strike", limit_price=2500), LOOSE)
    assert grid["policy.max_stop_loss"].field == "limit_price"
    assert "16.7%" in grid["policy.max_stop_loss"].message


def test_dynamic_target_and_kept_grid_inventory_warn() -> None:
    assert findings(config("dman_v3", dynamic_target=True))["policy.dynamic_stop"].field == (
        "dynamic_target"
    )
    kept = findings(config("grid_strike", keep_position=True))
    assert kept["policy.grid_keeps_position"].severity == "warning"


def test_drawdown_caps() -> None:
    assert findings(config(), caps=None)["policy.drawdown_caps"].severity == "warning"
    missing = findings(config(), caps=DrawdownCaps(bot=Decimal(10), controller=None))
    assert missing["policy.drawdown_caps"].message == "no controller drawdown cap"
    assert missing["policy.drawdown_caps"].blocking
    relaxed = RiskPolicy(require_drawdown_caps=False, max_leverage=10)
    assert "policy.drawdown_caps" not in findings(config(), relaxed, caps=None)


@pytest.mark.parametrize(
    ("connector", "pair", "needle"),
    [
        ("hyperliquid_perpetual", "BTC-USDT", "BTC-USD"),
        ("hyperliquid_perpetual", "PEPE-USD", "kPEPE-USD"),
        ("hyperliquid", "BTC-USDC", "UBTC-USDC"),
        ("hyperliquid", "HYPE-USDT", "HYPE-USDC"),
    ],
)
def test_pair_format(connector: str, pair: str, needle: str) -> None:
    cfg = config(
        connector_name=connector,
        trading_pair=pair,
        leverage=1,
        candles_connector="",
        candles_trading_pair="",
    )
    assert needle in findings(cfg)["exchange.pair"].message


def test_hyperliquid_needs_oneway_binance_does_not() -> None:
    found = findings(config(position_mode="HEDGE"))
    assert found["exchange.position_mode"].fix == "set position_mode: ONEWAY"
    binance = config(
        connector_name="binance_perpetual",
        trading_pair="BTC-USDT",
        position_mode="HEDGE",
        candles_connector="binance_perpetual",
        candles_trading_pair="BTC-USDT",
    )
    assert "exchange.position_mode" not in findings(binance)


def test_exchange_leverage_cap_and_spot() -> None:
    found = findings(config(leverage=45, stop_loss=0.005))
    assert found["exchange.max_leverage"].fix == "set leverage to 40 or less"
    spot = config(
        connector_name="hyperliquid",
        trading_pair="HYPE-USDC",
        candles_connector="hyperliquid",
        candles_trading_pair="HYPE-USDC",
    )
    assert findings(spot)["exchange.spot_leverage"].fix == "set leverage: 1"


def test_stop_near_liquidation_warns() -> None:
    found = findings(config(leverage=20, stop_loss=0.04))
    assert found["exchange.liquidation"].severity == "warning"
    assert "5%" in found["exchange.liquidation"].message
    assert "exchange.liquidation" not in findings(config(leverage=5, stop_loss=0.02))


def test_minimum_order_size() -> None:
    found = findings(config(total_amount_quote=30, max_executors_per_side=3))
    finding = found["exchange.min_order"]
    assert finding.message.startswith("the smallest order is $10.00; hyperliquid_perpetual needs")
    assert "max_executors_per_side" in finding.fix
    override = LOOSE.model_copy(
        update={"min_order_notional": {"hyperliquid_perpetual": Decimal(5)}}
    )
    assert "exchange.min_order" not in findings(config(total_amount_quote=30), override)


def test_candles_rules() -> None:
    testnet = findings(config(candles_connector="hyperliquid_perpetual_testnet"))
    assert testnet["exchange.candles_testnet"].fix.startswith(
        "set candles_connector: hyperliquid_perpetual"
    )
    interval = findings(config(interval="6h"))
    assert "8h" not in interval["exchange.candles_interval"].fix
    assert "12h" in interval["exchange.candles_interval"].fix
    elsewhere = findings(config(candles_trading_pair="ETH-USD"))
    assert elsewhere["strategy.candles_elsewhere"].severity == "warning"


def test_exit_sanity_warnings() -> None:
    found = findings(config(take_profit=0.0005))
    assert "round-trip fees" in found["strategy.take_profit_below_fees"].message
    trailing = findings(config(trailing_stop={"activation_price": 0.01, "trailing_delta": 0.02}))
    assert trailing["strategy.trailing_stop"].field == "trailing_stop.trailing_delta"


def test_unknown_connector_warns_and_skips_exchange_rules() -> None:
    cfg = config(
        connector_name="kraken",
        trading_pair="BTC-USD",
        candles_connector="kraken",
        candles_trading_pair="BTC-USD",
        leverage=1,
    )
    assert set(findings(cfg)) == {"exchange.unknown"}


def test_report_counts_and_order() -> None:
    report = check_config(config(leverage=9, stop_loss=None), RiskPolicy())
    assert report.findings[0].blocking
    assert [f.severity for f in report.findings] == sorted(
        (f.severity for f in report.findings), key=lambda s: s != "blocking"
    )
    assert not report.ok
    assert report.passed == report.checks_run - len({f.rule for f in report.findings})
    assert report.money.gross_notional == Decimal(400)


def test_settings_risk_section_is_the_policy(tmp_path: Any) -> None:
    template_keys = set(
        re.findall(r"^# (\w+) =", TEMPLATE.split("[risk]")[1].split("[ui]")[0], re.MULTILINE)
    )
    assert template_keys == set(RiskPolicy.model_fields)
    path = tmp_path / "c.toml"
    path.write_text("[risk]\nmax_leverage = 3\nallowed_pairs = ['BTC-USD']\n", encoding="utf-8")
    policy = load_settings(path).settings.risk
    assert isinstance(policy, RiskPolicy)
    assert policy.max_leverage == 3
    assert "policy.pair" in findings(config("bollinger_v2"), policy)
