"""Templates: every template on every common exchange gives a valid config that the exchange
rules accept, with the exchange-aware defaults a trader expects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradeagent.strategy import (
    COMMON_CONNECTORS,
    RISK_LEVELS,
    TEMPLATES,
    ConfigError,
    DrawdownCaps,
    PositionMode,
    RiskPolicy,
    TemplateInputs,
    build_template,
    check_config,
    dump_yaml,
    load_yaml,
    money_at_risk,
)
from tradeagent.strategy.exchanges import facts_for

CAPS = DrawdownCaps(Decimal(50), Decimal(25))


def inputs(connector: str, pair: str, **kwargs: object) -> TemplateInputs:
    values: dict[str, object] = {"amount": Decimal(500), "price": Decimal(3000)} | kwargs
    return TemplateInputs(connector, pair, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", list(TEMPLATES))
@pytest.mark.parametrize(("connector", "pair"), COMMON_CONNECTORS)
def test_template_is_valid_and_passes_the_default_policy(
    key: str, connector: str, pair: str
) -> None:
    for risk in RISK_LEVELS:
        config = build_template(key, inputs(connector, pair, risk=risk))
        assert config.controller_name == TEMPLATES[key].controller_name
        assert load_yaml(dump_yaml(config)) == config
        report = check_config(config, RiskPolicy(), drawdown_caps=CAPS)
        assert report.blocking == (), [f.message for f in report.blocking]


def test_seed_templates_are_there_and_rsi_is_labelled_honestly() -> None:
    assert {"rsi_style", "market_making", "conservative", "scalping"} <= set(TEMPLATES)
    rsi = TEMPLATES["rsi_style"]
    assert rsi.controller_name == "bollinger_v1"
    assert rsi.note is not None and "No stock Hummingbot controller computes RSI" in rsi.note
    assert "bollinger_v1" in rsi.title
    stock = {t.controller_name for t in TEMPLATES.values()}
    assert len(stock) == 11


def test_hyperliquid_perp_defaults() -> None:
    config = build_template("bollinger_v1", inputs("hyperliquid_perpetual", "BTC-USD", leverage=80))
    assert config.position_mode is PositionMode.ONEWAY
    assert config.leverage == 40  # BTC's cap on Hyperliquid
    assert config.candles_connector == "hyperliquid_perpetual"
    assert config.id == "bollinger_v1_btc_hyperliquid"


def test_spot_gets_leverage_one_and_testnet_gets_mainnet_candles() -> None:
    spot = build_template("bollinger_v1", inputs("hyperliquid", "HYPE-USDC", leverage=5))
    assert spot.leverage == 1
    testnet = build_template("macd_bb_v1", inputs("hyperliquid_perpetual_testnet", "ETH-USD"))
    assert testnet.candles_connector == "hyperliquid_perpetual"


def test_interval_moves_to_one_the_venue_serves() -> None:
    # bollinger_v1's template uses 5m; every venue here serves it. Force one that is not served.
    facts = facts_for("hyperliquid_perpetual")
    assert facts is not None and "6h" not in facts.candle_intervals
    config = build_template("conservative", inputs("hyperliquid_perpetual", "ETH-USD"))
    assert config.interval in facts.candle_intervals


def test_small_amounts_use_fewer_orders_to_clear_the_minimum() -> None:
    config = build_template(
        "bollinger_v1", inputs("hyperliquid_perpetual", "ETH-USD", amount=Decimal(30), risk="high")
    )
    assert config.max_executors_per_side == 2  # $15 each; three would be $10 < $10.50
    mm = build_template(
        "pmm_simple", inputs("hyperliquid_perpetual", "ETH-USD", amount=Decimal(30))
    )
    assert money_at_risk(mm).smallest_order >= Decimal("10.5")


def test_risk_level_widens_stops() -> None:
    stops = [
        build_template("bollinger_v1", inputs("binance_perpetual", "BTC-USDT", risk=r)).stop_loss
        for r in RISK_LEVELS
    ]
    assert stops == sorted(stops)


def test_grid_template_needs_a_price_and_places_the_grid_around_it() -> None:
    with pytest.raises(ConfigError, match="needs the current price"):
        build_template("grid_strike", inputs("hyperliquid_perpetual", "ETH-USD", price=None))
    grid = build_template("grid_strike", inputs("hyperliquid_perpetual", "ETH-USD", risk="low"))
    assert grid.start_price == Decimal(2910)
    assert grid.end_price == Decimal(3090)
    assert grid.limit_price < grid.start_price


def test_bad_inputs_are_clear() -> None:
    with pytest.raises(ConfigError, match="unknown template"):
        build_template("nope", inputs("binance", "ETH-USDT"))
    with pytest.raises(ConfigError, match="trading_pair"):
        build_template("pmm_simple", inputs("binance", "ETHUSDT"))
    with pytest.raises(ConfigError, match="amount"):
        build_template("pmm_simple", inputs("binance", "ETH-USDT", amount=Decimal(0)))
