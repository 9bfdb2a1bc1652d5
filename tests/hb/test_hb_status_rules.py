"""How a bot's status is read: the stopped-but-heartbeating rule, fleet totals, names."""

from __future__ import annotations

import pytest
from hb_contract import bot, controller

from tradeagent.hb import BotStatus, InvalidRequest, check_name


def status(state: str, **controllers: dict[str, object]) -> BotStatus:
    return BotStatus.model_validate(bot(state, **controllers))


def test_running_with_every_controller_report_empty_is_stopped() -> None:
    after_stop = status("running", a={}, b={"status": "stopped", "performance": {}})
    assert after_stop.status == "running"
    assert after_stop.effective_status == "stopped"
    assert not after_stop.is_running


def test_one_live_controller_keeps_the_bot_running() -> None:
    mixed = status("running", a={}, b=controller())
    assert mixed.effective_status == "running"
    assert mixed.is_running
    assert mixed.performance["a"].is_empty and not mixed.performance["b"].is_empty


@pytest.mark.parametrize("state", ["stopped", "idle", "error", "not_found"])
def test_other_states_are_taken_as_sent(state: str) -> None:
    assert status(state, a=controller()).effective_status == state


def test_a_running_bot_without_controllers_reports_nothing_and_counts_as_stopped() -> None:
    assert status("running").effective_status == "stopped"


def test_totals_sum_live_controllers_only() -> None:
    fleet_bot = status(
        "running", a=controller(realized=2.0, volume=100.0), b=controller(realized=1.0), c={}
    )
    assert fleet_bot.realized_pnl_quote == pytest.approx(3.0)
    assert fleet_bot.unrealized_pnl_quote == pytest.approx(-1.74)
    assert fleet_bot.global_pnl_quote == pytest.approx(3.0 - 1.74)
    assert fleet_bot.volume_traded == pytest.approx(100.0 + 1240.55)


def test_short_sides_are_not_long() -> None:
    report = controller()
    report["performance"]["positions_summary"][0]["side"] = "TradeType.SELL"
    position = status("running", a=report).performance["a"].performance
    assert position is not None and not position.positions_summary[0].is_long


@pytest.mark.parametrize("name", ["ta-bb", "BTC_bb-20261124-090241", "a", "0"])
def test_valid_names_pass(name: str) -> None:
    assert check_name(name, "Bot name", "bot_name") == name


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("café", "contains 'é'"),
        ("a.b", "contains '.'"),
        ("x\ty", "has a whitespace character"),
        ("../etc", "contains '.' '/'"),
    ],
)
def test_invalid_names_say_which_characters(name: str, problem: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_name(name, "Account name", "account_name")
    assert str(caught.value) == f"Account name '{name}' {problem}. Use letters, digits, - and _."


def test_long_names_are_cut_in_messages() -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_name("x" * 200 + " ", "Bot name", "bot_name")
    assert len(str(caught.value)) < 130
