"""The one-line brief of a deployed controller's config, stock or custom."""

from __future__ import annotations

from tradeagent.desk.controller_brief import brief, config_id, kill_switch_on, pair_of

STOCK = {
    "id": "bb_btc",
    "_config_name": "bb_btc",  # added by the server
    "controller_name": "bollinger_v1",
    "controller_type": "directional_trading",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
    "total_amount_quote": 500,
    "leverage": 5,
    "stop_loss": 0.02,
    "take_profit": 0.03,
    "time_limit": 2700,
}


def test_a_stock_config_is_described_in_the_strategys_words() -> None:
    assert brief(STOCK) == (
        "Bollinger mean-reversion on BTC-USD perpetual (Hyperliquid) · $500 over ≤ 2 positions "
        "per side · 5x · stop 2% · take profit 3% · 45 min limit"
    )
    assert brief({**STOCK, "manual_kill_switch": True}).endswith(" · kill switch ON")


def test_custom_or_broken_configs_get_their_key_fields() -> None:
    custom = {
        "id": "mine",
        "controller_name": "my_grid",
        "connector_name": "binance",
        "trading_pair": "ETH-USDT",
        "total_amount_quote": "50",
        "stop_loss": 0.05,
        "manual_kill_switch": True,
    }
    assert brief(custom) == "my_grid · ETH-USDT on binance · $50.00 · SL 5% · kill switch ON"
    assert brief({**STOCK, "leverage": "lots"}) == (
        "bollinger_v1 · BTC-USD on hyperliquid_perpetual · $500 · SL 2% · TP 3% · 45 min"
    )
    assert brief({}) == ""


def test_ids_pairs_and_the_kill_switch_are_read_safely() -> None:
    assert config_id({"_config_name": "a.yml"}) == "a"
    assert config_id({"id": "b", "_config_name": "c"}) == "b"
    assert pair_of({"trading_pair": 3}) == ""
    assert not kill_switch_on({"manual_kill_switch": "true"})  # only a real boolean counts
