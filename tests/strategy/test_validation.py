"""Bad configs give every problem with its field, value, reason and allowed range."""

from __future__ import annotations

from typing import Any

import pytest
from strategy_examples import example

from tradeagent.strategy import ConfigError, Problem, load_yaml, parse_config, with_changes


def problems(data: Any) -> dict[str, Problem]:
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    return {problem.field: problem for problem in info.value.problems}


def test_every_problem_is_reported_with_range() -> None:
    found = problems(
        {
            **example("bollinger_v1"),
            "stop_loss": -0.02,
            "leverage": True,
            "interval": "7m",
            "trading_pair": "BTCUSD",
        }
    )
    assert set(found) == {"stop_loss", "leverage", "interval", "trading_pair"}
    assert found["stop_loss"].value == "-0.02"
    assert found["stop_loss"].allowed == "> 0"
    assert "true/false" in found["leverage"].why
    assert "15m" in found["interval"].why
    assert "BASE-QUOTE" in found["trading_pair"].why


def test_unknown_key_is_refused_with_suggestion() -> None:
    found = problems({**example("pmm_simple"), "stop_los": 0.01})
    assert "did you mean stop_loss" in found["stop_los"].why
    assert "refuses to start" in found["stop_los"].why
    assert found["stop_los"].allowed is None  # the suggestion is enough
    unrelated = problems({**example("pmm_simple"), "colour": "red"})
    assert unrelated["colour"].allowed is not None and "stop_loss" in unrelated["colour"].allowed


def test_unknown_nested_key_is_refused() -> None:
    data = example("grid_strike")
    data["triple_barrier_config"]["take_proft"] = 0.01
    found = problems(data)
    assert "did you mean take_profit" in found["triple_barrier_config.take_proft"].why


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("side", "BUY", "number 1"),
        ("position_mode", "oneway", "capitals"),
    ],
)
def test_grid_strike_encodings(field: str, value: str, needle: str) -> None:
    found = problems({**example("grid_strike"), field: value})
    assert needle in found[field].why


def test_grid_prices_must_make_a_grid() -> None:
    found = problems({**example("grid_strike"), "limit_price": 2900})
    assert found["limit_price"].allowed == "< start_price (2800)"
    assert found["limit_price"].value == "2900"
    sell = problems({**example("grid_strike"), "side": 2})
    assert "above its end" in sell["limit_price"].why


def test_amounts_must_match_levels() -> None:
    found = problems({**example("pmm_simple"), "sell_amounts_pct": [1, 2, 3]})
    assert found["sell_amounts_pct"].allowed == "exactly 2 values, or null to split equally"
    dca = problems({**example("dman_v3"), "dca_amounts_pct": [1, 2]})
    assert "4 levels" in dca["dca_amounts_pct"].why


def test_wrong_controller_type_explains_the_import_path() -> None:
    found = problems({**example("bollinger_v1"), "controller_type": "generic"})
    assert found["controller_type"].allowed == "directional_trading"
    assert "controllers/<type>/<name>.py" in found["controller_type"].why


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([1, 2], "mapping"),
        ({"id": "x"}, "controller_name"),
        ({"id": "x", "controller_name": "bolinger_v1"}, "did you mean bollinger_v1"),
        ({1: "x"}, "keys must be text"),
    ],
)
def test_document_level_problems(data: Any, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    assert needle in str(info.value)


def test_missing_id_is_required() -> None:
    found = problems({"controller_name": "pmm_simple"})
    assert found["id"].why == "is required"
    assert found["id"].value is None


def test_problem_lines_point_into_the_yaml() -> None:
    text = "id: ok\ncontroller_name: bollinger_v1\n\nstop_loss: 0\nbuy_spreads: [1]\n"
    with pytest.raises(ConfigError) as info:
        load_yaml(text)
    lines = {problem.field: problem.line for problem in info.value.problems}
    assert lines == {"stop_loss": 4, "buy_spreads": 5}
    assert str(info.value).splitlines()[1].startswith("  • line 4: stop_loss = 0")


def test_with_changes_validates() -> None:
    config = parse_config(example("bollinger_v1"))
    changed = with_changes(config, {"stop_loss": "0.01"})
    assert str(changed.stop_loss) == "0.01"
    assert config.stop_loss != changed.stop_loss
    with pytest.raises(ConfigError, match="stop_loss"):
        with_changes(config, {"stop_loss": 0})


def test_problem_as_dict_is_plain_data() -> None:
    found = problems({**example("bollinger_v1"), "leverage": 0})
    assert found["leverage"].as_dict() == {
        "field": "leverage",
        "value": "0",
        "why": "must be >= 1",
        "allowed": ">= 1",
        "line": None,
    }
