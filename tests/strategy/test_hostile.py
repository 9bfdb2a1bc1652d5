"""Random and hostile input never crashes the parser: it yields a config or a clear ConfigError."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategy_examples import NAMES, example

from tradeagent.strategy import (
    CONTROLLER_CLASSES,
    MAX_YAML_BYTES,
    ConfigError,
    config_hash,
    dump_yaml,
    load_yaml,
    parse_config,
    to_mapping,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.sampled_from(
        [
            "",
            "nan",
            "inf",
            "-Infinity",
            "1e999",
            "0x10",
            "LIMIT",
            "BUY",
            "ONEWAY",
            "0.1,0.2",
            ",",
            "1,",
            "💣",
            "\x00",
            "a" * 5000,
        ]
    ),
)
json_values = st.recursive(
    hostile_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def assert_clear(error: ConfigError) -> None:
    assert error.problems, "a ConfigError must say what is wrong"
    for problem in error.problems:
        assert problem.why.strip()
        assert problem.value is None or len(problem.value) <= 60
    assert str(error).startswith("Invalid controller config")


def parse_or_explain(data: Any) -> Any:
    try:
        config = parse_config(data)
    except ConfigError as error:
        assert_clear(error)
        return None
    # Whatever we accept must serialise and read back identically.
    assert load_yaml(dump_yaml(config)) == config
    return config


@FAST
@given(data=st.dictionaries(st.text(max_size=20), json_values, max_size=8))
def test_random_mappings(data: dict[str, Any]) -> None:
    parse_or_explain(data)


@FAST
@given(name=st.sampled_from(NAMES), data=st.data())
def test_one_field_replaced_with_hostile_values(name: str, data: st.DataObject) -> None:
    config = example(name)
    field = data.draw(st.sampled_from(sorted(config)))
    config[field] = data.draw(json_values)
    parse_or_explain(config)


@FAST
@given(name=st.sampled_from(NAMES), data=st.data())
def test_missing_fields_fall_back_to_defaults(name: str, data: st.DataObject) -> None:
    config = example(name)
    dropped = data.draw(st.sets(st.sampled_from(sorted(config))))
    for field in dropped:
        del config[field]
    try:
        result = parse_config(config)
    except ConfigError as error:
        assert_clear(error)
        required = dropped & {"id", "controller_name"}
        # grid_strike's default prices (a WLD grid) cannot mix with an ETH grid's prices.
        assert required or (
            name == "grid_strike" and dropped & {"start_price", "end_price", "limit_price", "side"}
        )
        return
    assert type(result) is CONTROLLER_CLASSES[name]


@FAST
@given(name=st.sampled_from(NAMES), extra=st.text(min_size=1, max_size=30))
def test_extra_fields_are_refused(name: str, extra: str) -> None:
    config = example(name)
    if extra in CONTROLLER_CLASSES[name].model_fields:
        return
    config[extra] = 1
    with pytest.raises(ConfigError) as info:
        parse_config(config)
    assert any("unknown key" in p.why for p in info.value.problems)


@FAST
@given(config_id=st.text(max_size=120))
def test_unicode_and_odd_ids(config_id: str) -> None:
    result = parse_or_explain({**example("pmm_simple"), "id": config_id})
    if result is not None:
        assert result.id.isascii()


@FAST
@given(text=st.text(max_size=400))
def test_random_yaml_text(text: str) -> None:
    try:
        load_yaml(text)
    except ConfigError as error:
        assert_clear(error)


@FAST
@given(blob=st.binary(max_size=400))
def test_random_bytes(blob: bytes) -> None:
    try:
        load_yaml(blob)
    except ConfigError as error:
        assert_clear(error)


finite = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**6), places=4)


@FAST
@given(
    amount=finite,
    stop=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("0.5"), places=3),
    leverage=st.integers(min_value=1, max_value=100),
    bb_std=st.floats(min_value=0.1, max_value=5, allow_nan=False).filter(math.isfinite),
)
def test_valid_configs_round_trip_with_stable_hash(
    amount: Decimal, stop: Decimal, leverage: int, bb_std: float
) -> None:
    config = parse_config(
        {
            **example("bollinger_v1"),
            "total_amount_quote": amount,
            "stop_loss": stop,
            "leverage": leverage,
            "bb_std": bb_std,
        }
    )
    again = load_yaml(dump_yaml(config))
    assert again == config
    assert config_hash(again) == config_hash(config)
    assert to_mapping(again) == to_mapping(config)


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    for level in range(1, 10):
        bomb += (
            f"{chr(97 + level)}: &{chr(97 + level)} ["
            + ",".join([f"*{chr(96 + level)}"] * 9)
            + "]\n"
        )
    with pytest.raises(ConfigError, match="aliases"):
        load_yaml(bomb)


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(ConfigError, match="nesting deeper"):
        load_yaml("a: " + "[" * 5000 + "]" * 5000)


def test_ten_megabyte_file_is_refused_without_parsing() -> None:
    text = "id: x\n" + "# padding\n" * (10 * 1024 * 1024 // 10)
    with pytest.raises(ConfigError) as info:
        load_yaml(text)
    assert "KB" in str(info.value)
    assert str(MAX_YAML_BYTES // 1024) in str(info.value)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("!!python/object/apply:os.system ['true']", "custom YAML tags"),
        ("id: x\ncontroller_name: pmm_simple\n---\nid: y\n", "single document"),
        ("", "empty"),
        ("id: [unclosed\n", "YAML"),
        ("id: x\n\tcontroller_name: pmm_simple\n", "YAML"),
        ("n: " + "9" * 5000, "cannot be read"),
        ("- id: x\n", "mapping"),
    ],
)
def test_bad_documents(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_yaml(text)
    assert needle in str(info.value)
    assert_clear(info.value)


def test_non_utf8_bytes() -> None:
    with pytest.raises(ConfigError, match="UTF-8"):
        load_yaml(b"id: \xff\xfe\n")
