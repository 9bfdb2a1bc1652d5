"""Every example Hummingbot validated loads, and round-trips YAML -> model -> YAML unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from strategy_examples import NAMES, example, schema_fields

from tradeagent.strategy import (
    CONTROLLER_CLASSES,
    config_hash,
    dump_yaml,
    hot_updatable_fields,
    load_yaml,
    parse_config,
    to_mapping,
)


def test_all_eleven_controllers_are_modelled() -> None:
    assert sorted(NAMES) == sorted(CONTROLLER_CLASSES)
    assert len(NAMES) == 11


@pytest.mark.parametrize("name", NAMES)
def test_example_round_trips_exactly(name: str) -> None:
    original = example(name)
    config = parse_config(original)
    assert type(config) is CONTROLLER_CLASSES[name]
    # Same keys, same values, same encodings (names vs integers) as the example.
    assert to_mapping(config) == original
    text = dump_yaml(config)
    assert yaml.safe_load(text) == original
    again = load_yaml(text)
    assert again == config
    assert dump_yaml(again) == text
    assert config_hash(again) == config_hash(config)


@pytest.mark.parametrize("name", NAMES)
def test_field_names_match_hummingbot(name: str) -> None:
    ours = set(CONTROLLER_CLASSES[name].model_fields)
    assert ours == set(schema_fields(name))


# Hummingbot's defaults that cannot be written back as-is: a bool defaulting to null (dman_v3),
# candles fields that stay null when omitted (we always fill them).
_DEFAULTS_WE_NORMALISE = {
    "dynamic_order_spread",
    "dynamic_target",
    "candles_connector",
    "candles_trading_pair",
    "trailing_stop",
    "triple_barrier_config",
    "exchange_pair_1",
    "exchange_pair_2",
}


@pytest.mark.parametrize("name", NAMES)
def test_defaults_match_hummingbot(name: str) -> None:
    cls = CONTROLLER_CLASSES[name]
    minimal = parse_config({"id": "x", "controller_name": name})
    dumped = to_mapping(minimal)
    for field, spec in schema_fields(name).items():
        if field in {"id"} | _DEFAULTS_WE_NORMALISE or spec["required"]:
            continue
        default = spec["default"]
        if isinstance(default, str) and "," in default:  # Hummingbot's comma-string defaults
            default = [float(part) for part in default.split(",")]
        if field == "take_profit_order_type":
            default = {1: "MARKET", 2: "LIMIT", 3: "LIMIT_MAKER"}[default]
        assert dumped[field] == default, (cls.__name__, field)


def test_normalised_defaults_are_semantically_hummingbots() -> None:
    dman = parse_config({"id": "x", "controller_name": "dman_v3"})
    assert dman.dynamic_order_spread is False  # Hummingbot: None, read as false by the code
    assert to_mapping(dman)["trailing_stop"] == {"activation_price": 0.015, "trailing_delta": 0.005}
    grid = to_mapping(parse_config({"id": "x", "controller_name": "grid_strike"}))
    assert grid["triple_barrier_config"]["take_profit"] == 0.001
    assert grid["triple_barrier_config"]["open_order_type"] == 3


@pytest.mark.parametrize("name", NAMES)
def test_hot_updatable_flags_match_hummingbot(name: str) -> None:
    expected = {f for f, spec in schema_fields(name).items() if spec["hot_updatable"]}
    assert hot_updatable_fields(CONTROLLER_CLASSES[name]) == expected


def test_hummingbot_input_forms_are_accepted() -> None:
    config = parse_config(
        {
            "id": "forms",
            "controller_name": "pmm_simple",
            "buy_spreads": "0.01, 0.02",
            "sell_spreads": "0.03",
            "buy_amounts_pct": "1,3",
            "trailing_stop": "0.015,0.005",
            "take_profit_order_type": "OrderType.limit_maker",
            "position_mode": "oneway",
            "stop_loss": "",
            "total_amount_quote": "250.5",
            "time_limit": "600",
        }
    )
    assert config.buy_spreads == (0.01, 0.02)
    assert config.sell_spreads == (0.03,)
    assert config.buy_amounts_pct == (Decimal(1), Decimal(3))
    assert config.trailing_stop is not None
    assert config.trailing_stop.activation_price == Decimal("0.015")
    assert config.take_profit_order_type.name == "LIMIT_MAKER"
    assert config.position_mode.value == "ONEWAY"
    assert config.stop_loss is None
    assert config.total_amount_quote == Decimal("250.5")
    assert config.time_limit == 600


def test_candles_always_filled() -> None:
    for given in ({}, {"candles_connector": None, "candles_trading_pair": ""}):
        config = parse_config(
            {
                "id": "bb",
                "controller_name": "bollinger_v1",
                "connector_name": "hyperliquid_perpetual",
                "trading_pair": "BTC-USD",
                **given,
            }
        )
        mapping = to_mapping(config)
        assert mapping["candles_connector"] == "hyperliquid_perpetual"
        assert mapping["candles_trading_pair"] == "BTC-USD"


def test_controller_type_is_written_even_when_omitted() -> None:
    config = parse_config({"id": "x", "controller_name": "pmm_simple"})
    assert yaml.safe_load(dump_yaml(config))["controller_type"] == "market_making"


def test_hash_ignores_spelling_but_not_values() -> None:
    base = example("bollinger_v1")
    shuffled = dict(reversed(list(base.items())))
    respelled = {**base, "stop_loss": "0.020", "total_amount_quote": 200.0}
    digest = config_hash(parse_config(base))
    assert config_hash(parse_config(shuffled)) == digest
    assert config_hash(parse_config(respelled)) == digest
    assert config_hash(parse_config({**base, "stop_loss": 0.021})) != digest
    assert len(digest) == 64
