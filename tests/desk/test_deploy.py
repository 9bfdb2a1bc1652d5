"""Deploy end to end against the simulator: review, confirmation, save + deploy, journal."""

from __future__ import annotations

import pytest
from desk_harness import BB, PMM, Bench, config

from tradeagent.desk import (
    ConfirmationRefused,
    DeployState,
    GateMode,
    Verdict,
    record_backtest,
)
from tradeagent.desk.review import ConfirmedDeploy
from tradeagent.desk.watch import WatchOptions

BACKTEST = {
    "mode": "hummingbot",
    "results": {"net_pnl": 0.031, "net_pnl_quote": 15.4, "total_positions": 1094},
    "window": {"source": "synthetic", "start": 1_700_000_000, "end": 1_702_592_000},
    "warnings": [],
}


async def test_review_confirm_deploy_and_watch_a_sim_bot(bench: Bench) -> None:
    desk = bench.desk(watch=WatchOptions(duration_s=120, appear_s=30, poll_s=5))
    btc = config(BB)
    record_backtest(bench.journal, desk.plan([btc]).controllers[0].config_hash, BACKTEST)
    review = await desk.review(desk.plan([btc]))
    assert review.can_confirm, [c.line for c in review.checks.failures]
    assert bench.log.writes == []  # reviewing sends nothing that changes the server
    ids = {c.id for c in review.checks.checks if c.verdict is Verdict.PASS}
    assert {"server", "docker", "mqtt", "account", "connector", "pair"} <= ids
    assert {"min_notional", "leverage", "position_mode", "candles", "drawdown_caps"} <= ids
    assert {"same_name", "backtest"} <= ids
    # SIM: master_account has no Hyperliquid keys; the simulator trades without them.
    (keys,) = review.checks.get("credentials")
    assert keys.verdict is Verdict.ADVISORY
    (ctl,) = review.controllers
    assert ctl.money.worst_case_loss is not None and ctl.money.worst_case_loss > 0
    assert ctl.diff.baseline == "new"
    assert ctl.backtest is not None and "+3.1%" in ctl.backtest.headline
    assert review.plan.max_global_drawdown_quote == 50  # 10% of $500
    assert review.plan.max_controller_drawdown_quote == 25
    assert review.confirm_word == "y"

    outcome = await desk.deploy(review.confirm("y"))
    assert outcome.state is DeployState.DEPLOYED, outcome.message
    assert outcome.bot is not None and outcome.bot.startswith("btc_bb-")
    (saved,) = bench.log.sent("POST", "/controllers/configs/btc_bb")
    assert saved.body["id"] == "btc_bb" and saved.body["position_mode"] == "ONEWAY"
    (sent,) = bench.log.sent("POST", "/bot-orchestration/deploy-v2-controllers")
    assert sent.body["instance_name"] == "btc_bb"
    assert sent.body["controllers_config"] == ["btc_bb"]
    assert sent.body["max_global_drawdown_quote"] == 50
    assert sent.body["max_controller_drawdown_quote"] == 25
    assert sent.body["credentials_profile"] == "master_account"

    begun = bench.journal.entries(kind="deploy.begin")[-1]
    assert begun.payload["review_id"] == review.review_id
    assert begun.payload["confirmation"] == "key y"
    assert begun.payload["controllers"][0]["config_hash"] == ctl.controller.config_hash
    assert begun.config_hash == ctl.controller.config_hash
    done = bench.journal.entries(kind="deploy.outcome")[-1]
    assert done.ref == str(begun.id)
    assert done.payload["outcome"] == "ok" and done.payload["bot"] == outcome.bot

    verdict = await desk.watch_deploy(review, outcome).run()
    assert verdict.verdict in {"passed", "warnings"}, verdict.summary
    assert (await bench.client.bot_status(outcome.bot)).is_running


async def test_a_second_deploy_shows_the_diff_against_the_first(bench: Bench) -> None:
    desk = bench.desk(gate=GateMode.OFF)
    first = await desk.review(desk.plan([config(BB)]))
    outcome = await desk.deploy(first.confirm("y"))
    assert outcome.bot is not None
    await desk.stop(outcome.bot)
    changed = config(BB, stop_loss=0.015)
    second = await desk.review(desk.plan([changed]))
    (ctl,) = second.controllers
    assert ctl.diff.baseline == "deployed"
    assert [c.line for c in ctl.diff.changes] == ["stop_loss 0.02 → 0.015"]
    assert "stop_loss 0.02 → 0.015" in ctl.diff.summary


async def test_the_server_copy_is_the_baseline_when_never_deployed_from_here(
    bench: Bench,
) -> None:
    await bench.client.save_controller_config("btc_bb", {**BB, "take_profit": 0.05})
    desk = bench.desk(gate=GateMode.OFF)
    review = await desk.review(desk.plan([config(BB)]))
    diff = review.controllers[0].diff
    assert diff.baseline == "server"
    assert "take_profit 0.05 → 0.03" in diff.summary


async def test_live_needs_the_trading_pair_typed(bench: Bench) -> None:
    await bench.client.add_credential("master_account", "hyperliquid_perpetual", _keys())
    desk = bench.desk(mode="LIVE", gate=GateMode.OFF)
    review = await desk.review(desk.plan([config(BB)]))
    assert review.can_confirm, [c.line for c in review.checks.failures]
    assert review.confirm_word == "BTC-USD"
    for wrong in ("y", "btc-usd", "BTC", ""):
        with pytest.raises(ConfirmationRefused, match="type BTC-USD exactly"):
            review.confirm(wrong)
    assert bench.log.sent("POST", "/bot-orchestration/deploy-v2-controllers") == []
    confirmed = review.confirm("BTC-USD")
    assert confirmed.how == "typed BTC-USD"
    outcome = await desk.deploy(confirmed)
    assert outcome.ok


async def test_live_word_from_settings(bench: Bench) -> None:
    await bench.client.add_credential("master_account", "hyperliquid_perpetual", _keys())
    desk = bench.desk(mode="LIVE", gate=GateMode.OFF, confirm_word="SEND-IT")
    review = await desk.review(desk.plan([config(BB), config(PMM)]))
    assert review.confirm_word == "SEND-IT"
    with pytest.raises(ConfirmationRefused):
        review.confirm("BTC-USD")
    assert review.confirm("SEND-IT").review is review


async def test_a_failed_check_disables_the_confirmation(bench: Bench) -> None:
    desk = bench.desk(mode="LIVE")  # no keys, no backtest: two failures
    review = await desk.review(desk.plan([config(BB)]))
    assert not review.can_confirm
    failed = {c.id for c in review.checks.failures}
    assert failed == {"credentials", "backtest"}
    with pytest.raises(ConfirmationRefused, match="2 check"):
        review.confirm("BTC-USD")


def test_a_confirmation_cannot_be_forged() -> None:
    with pytest.raises(ConfirmationRefused):
        ConfirmedDeploy(object(), "typed", object())  # type: ignore[arg-type]


async def test_cancel_at_the_confirmation_sends_nothing(bench: Bench) -> None:
    desk = bench.desk()
    review = await desk.review(desk.plan([config(BB)]))
    desk.cancel(review)
    assert bench.log.writes == []
    (entry,) = bench.journal.entries(kind="deploy.cancelled")
    assert entry.payload["review_id"] == review.review_id
    assert bench.journal.entries(kind="deploy.begin") == []


def _keys() -> dict[str, object]:
    from desk_harness import HL_KEYS

    return dict(HL_KEYS)
