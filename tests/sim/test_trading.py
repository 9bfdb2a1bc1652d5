"""Bots trade on the simulated market: PnL moves with simulated time, reports have the real
shape and arithmetic, the kill switch and drawdown caps stop what they should."""

from __future__ import annotations

from typing import Any

import httpx
import numpy as np
import pytest

from tradeagent.sim import ManualClock, SimOptions, Simulator
from tradeagent.sim.ledger import BUY, SELL, CloseType, Executor, Ledger
from tradeagent.sim.market import EPOCH, SyntheticMarket, candle_index, resample

from .helpers import BB_CONFIG, PMM_CONFIG, config, deploy, running_bot, status

ORCH = "/bot-orchestration"


def performance(bot_status: dict[str, Any], controller: str) -> dict[str, Any]:
    report: dict[str, Any] = bot_status["performance"][controller]["performance"]
    return report


async def test_pnl_moves_as_simulated_time_passes(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG, PMM_CONFIG)
    seen = []
    for _ in range(8):
        clock.advance(3 * 3600)
        current = await status(client, bot)
        seen.append(
            tuple(performance(current, c)["global_pnl_quote"] for c in ("bb_btc", "pmm_eth"))
        )
    assert len(set(seen)) > 4
    final = await status(client, bot)
    for controller in ("bb_btc", "pmm_eth"):
        report = performance(final, controller)
        assert report["volume_traded"] > 0
        assert sum(report["close_type_counts"].values()) > 0
        assert all(key.startswith("CloseType.") for key in report["close_type_counts"])
    assert any("closed by" in log["msg"] for log in final["general_logs"])
    assert final["general_logs"] == sorted(final["general_logs"], key=lambda g: g["timestamp"])


async def test_report_percentages_are_percent_of_volume(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, PMM_CONFIG)
    clock.advance(24 * 3600)
    report = performance(await status(client, bot), "pmm_eth")
    volume = report["volume_traded"]
    assert report["global_pnl_quote"] == pytest.approx(
        report["realized_pnl_quote"] + report["unrealized_pnl_quote"]
    )
    for kind in ("realized", "unrealized", "global"):
        assert report[f"{kind}_pnl_pct"] == pytest.approx(
            report[f"{kind}_pnl_quote"] / volume * 100
        )


async def test_open_positions_are_summarised_with_stringified_sides(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, PMM_CONFIG)
    for _ in range(200):
        clock.advance(300)
        report = performance(await status(client, bot), "pmm_eth")
        if report["positions_summary"]:
            break
    position = report["positions_summary"][0]
    assert position["side"] in {"TradeType.BUY", "TradeType.SELL"}
    assert position["connector_name"] == "hyperliquid_perpetual"
    assert position["trading_pair"] == "ETH-USD"
    assert position["amount"] > 0
    assert report["unrealized_pnl_quote"] == pytest.approx(
        sum(p["unrealized_pnl_quote"] for p in report["positions_summary"])
    )


async def test_the_kill_switch_stops_and_restarts_one_controller(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG, PMM_CONFIG)
    clock.advance(6 * 3600)
    reply = await client.post(
        f"/controllers/bots/{bot}/pmm_eth/config", json={"manual_kill_switch": True}
    )
    assert reply.json() == {
        "message": f"Controller configuration for bot '{bot}' updated successfully"
    }
    killed = performance(await status(client, bot), "pmm_eth")
    assert killed["unrealized_pnl_quote"] == 0
    bb_before = performance(await status(client, bot), "bb_btc")
    clock.advance(6 * 3600)
    current = await status(client, bot)
    assert performance(current, "pmm_eth") == killed
    assert performance(current, "bb_btc") != bb_before
    assert current["status"] == "running"
    assert any(
        "Manual cash out for controller pmm_eth" in g["msg"] for g in current["general_logs"]
    )
    configs = (await client.get(f"/controllers/bots/{bot}/configs")).json()
    pmm = next(c for c in configs if c["_config_name"] == "pmm_eth")
    assert pmm["manual_kill_switch"] is True
    await client.post(f"/controllers/bots/{bot}/pmm_eth/config", json={"manual_kill_switch": False})
    clock.advance(6 * 3600)
    revived = await status(client, bot)
    assert performance(revived, "pmm_eth")["volume_traded"] > killed["volume_traded"]
    assert any("Restarting controller pmm_eth." in g["msg"] for g in revived["general_logs"])


async def test_updating_a_missing_controller_or_bot_is_404(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG)
    missing = await client.post(f"/controllers/bots/{bot}/nope/config", json={"x": 1})
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": f"Controller configuration 'nope' not found for bot '{bot}'"
    }
    ghost = await client.post("/controllers/bots/ghost/bb_btc/config", json={"x": 1})
    assert ghost.json() == {"detail": "Bot 'ghost' not found"}


async def test_hot_updates_change_how_a_controller_trades(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, PMM_CONFIG)
    await client.post(f"/controllers/bots/{bot}/pmm_eth/config", json={"total_amount_quote": 3000})
    clock.advance(24 * 3600)
    big = performance(await status(client, bot), "pmm_eth")
    configs = (await client.get(f"/controllers/bots/{bot}/configs")).json()
    assert configs[0]["total_amount_quote"] == 3000
    assert configs[0]["_config_name"] == "pmm_eth"
    small_bot = await running_bot(client, clock, PMM_CONFIG, name="ta-small")
    clock.advance(24 * 3600)
    small = performance(await status(client, small_bot), "pmm_eth")
    assert big["volume_traded"] > 3 * small["volume_traded"]


async def test_a_controller_drawdown_cap_stops_only_that_controller(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(
        client, clock, config(BB_CONFIG, total_amount_quote=5000), max_controller_drawdown_quote=5
    )
    for _ in range(60):
        clock.advance(3600)
        current = await status(client, bot)
        if any("reached max drawdown" in g["msg"] for g in current["general_logs"]):
            break
    assert "Controller bb_btc reached max drawdown. Stopping the controller." in [
        g["msg"] for g in current["general_logs"]
    ]
    frozen = performance(current, "bb_btc")
    clock.advance(12 * 3600)
    after = await status(client, bot)
    assert performance(after, "bb_btc") == frozen
    assert after["status"] == "running"


async def test_a_global_drawdown_cap_stops_the_strategy(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(
        client, clock, config(BB_CONFIG, total_amount_quote=5000), max_global_drawdown_quote=5
    )
    for _ in range(60):
        clock.advance(3600)
        current = await status(client, bot)
        if current["performance"]["bb_btc"]["performance"] == {}:
            break
    messages = [g["msg"] for g in current["general_logs"]]
    assert "Global drawdown reached. Stopping the strategy." in messages
    assert current["performance"] == {
        "bb_btc": {"status": "running", "performance": {}, "custom_info": {}}
    }


async def test_an_invalid_controller_config_is_reported_by_the_bot(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    broken = config(BB_CONFIG, id="broken", trading_pair="BTC-USDT")
    bot_name = await deploy(client, broken, BB_CONFIG)
    clock.advance(5)
    current = await status(client, bot_name)
    assert set(current["performance"]) == {"bb_btc"}
    assert len(current["error_logs"]) == 1
    error = current["error_logs"][0]
    assert error["level_name"] == "ERROR"
    assert "broken.yml" in error["msg"]
    assert "BTC-USDT" in error["msg"]


async def test_a_bot_whose_only_config_is_invalid_shows_stopped(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await deploy(client, config(BB_CONFIG, controller_name="rsi_magic"))
    clock.advance(5)
    current = await status(client, bot)
    assert current["status"] == "stopped"
    assert current["recently_active"] is True
    assert "rsi_magic" in current["error_logs"][0]["msg"]


def test_market_candles_are_deterministic_and_random_access() -> None:
    first = SyntheticMarket(seed=3)
    second = SyntheticMarket(seed=3)
    other = SyntheticMarket(seed=4)
    day = 800 * 1440
    window = first.candles("BTC-USD", day - 30, day + 30)
    piece = second.candles("BTC-USD", day + 10, day + 20)
    assert np.array_equal(window.close[40:50], piece.close)
    assert not np.array_equal(window.close, other.candles("BTC-USD", day - 30, day + 30).close)
    assert np.array_equal(window.open[1:], window.close[:-1])  # continuous across midnight
    assert np.all(window.high >= np.maximum(window.open, window.close))
    assert np.all(window.low <= np.minimum(window.open, window.close))
    assert np.array_equal(
        first.candles("BTC-USDT", day, day + 5).close, first.candles("BTC-USD", day, day + 5).close
    )


def test_market_time_windows_and_resampling() -> None:
    market = SyntheticMarket()
    start = EPOCH + 1000 * 60
    candles = market.candles_between("ETH-USD", start + 30, start + 10 * 60 + 30)
    assert candles.timestamp[0] == start + 60  # only whole candles that closed in time
    assert candles.timestamp[-1] == start + 9 * 60
    first = candle_index(start)
    five = resample(market.candles("ETH-USD", first, first + 10), 5)
    assert len(five) == 2
    assert five.timestamp[0] % 300 == EPOCH % 300


def test_ledger_folds_closed_executors_into_totals() -> None:
    ledger = Ledger("hyperliquid_perpetual", "BTC-USD")
    winner = Executor("a", BUY, 0, 100.0, 2.0, 0.001)
    loser = Executor("b", SELL, 0, 100.0, 1.0, 0.001)
    ledger.open(winner)
    ledger.open(loser)
    winner.close(110.0, 60, CloseType.TAKE_PROFIT)
    ledger.settle(winner)
    report = ledger.report(mark=105.0)
    assert report["realized_pnl_quote"] == pytest.approx(20 - (200 + 220) * 0.001)
    assert report["unrealized_pnl_quote"] == pytest.approx(-5 - 100 * 0.001 - 105 * 0.001)
    assert report["volume_traded"] == pytest.approx(420 + 100)
    assert report["close_type_counts"] == {"CloseType.TAKE_PROFIT": 1}
    assert report["positions_summary"][0]["side"] == "TradeType.SELL"
    restored = Ledger.from_state(ledger.to_state())
    assert restored.report(105.0) == report


@pytest.mark.parametrize("options", [SimOptions(speed=60)])
async def test_speed_makes_market_time_run_faster(
    client: httpx.AsyncClient, clock: ManualClock, sim: Simulator
) -> None:
    start = sim.market_clock.now()
    clock.advance(10)
    assert sim.market_clock.now() - start == pytest.approx(600)
    sim.set_speed(1)
    clock.advance(10)
    assert sim.market_clock.now() - start == pytest.approx(610)
