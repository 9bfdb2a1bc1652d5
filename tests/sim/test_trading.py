"""Bots trade on the simulated market: PnL moves with simulated time, reports have the real
shape and arithmetic, the kill switch and drawdown caps stop what they should."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tradeagent.backtest import SUPPORTED, BacktestError, CloseType, run_backtest
from tradeagent.backtest.sources.base import CandleRequest
from tradeagent.backtest.sources.synthetic import SyntheticSource
from tradeagent.sim import ManualClock, SimOptions, Simulator
from tradeagent.sim.market import REFERENCE_TIME, SimMarket
from tradeagent.sim.performance import BUY, SELL, Books, Report, Trade
from tradeagent.sim.trader import ControllerTrader
from tradeagent.sim.trader import _trades as trades_of
from tradeagent.strategy import parse_config

from .helpers import BB_CONFIG, PMM_CONFIG, config, deploy, running_bot, status

ORCH = "/bot-orchestration"
SCHEMAS = Path(__file__).parents[1] / "data" / "controller-schemas.json"


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


def test_the_market_is_the_backtest_synthetic_market_at_plausible_levels() -> None:
    first, second, other = SimMarket(seed=3), SimMarket(seed=3), SimMarket(seed=4)
    start = REFERENCE_TIME - 600
    window = first.candles("BTC-USD", start - 1800, start + 1800)
    piece = second.candles("BTC-USD", start, start + 300)
    assert np.array_equal(window.close[30:36], piece.close)
    assert not np.array_equal(
        window.close, other.candles("BTC-USD", start - 1800, start + 1800).close
    )
    assert np.all(window.high >= np.maximum(window.open, window.close))
    assert np.all(window.low <= np.minimum(window.open, window.close))
    raw = SyntheticSource(3).candles(
        CandleRequest("synthetic", "BTC-USD", "1m", start - 1800, start + 1800)
    )
    returns = np.diff(np.log(window.close))
    assert np.allclose(returns, np.diff(np.log(raw.close)))  # same walk, only rescaled
    assert first.price("BTC-USD", REFERENCE_TIME) == pytest.approx(97_000)
    midnight = first.candles("ETH-USD", REFERENCE_TIME - 120, REFERENCE_TIME + 60)
    assert np.allclose(midnight.open[1:], midnight.close[:-1])  # continuous across days


@pytest.mark.parametrize("base", [BB_CONFIG, config(PMM_CONFIG, time_limit=1200)])
def test_live_trading_matches_one_backtest_of_the_same_period(base: dict[str, Any]) -> None:
    """Re-running the engine on a sliding window, minute by minute, finds exactly the
    executors one backtest over the whole period finds."""
    model = parse_config(base)
    market = SimMarket()
    start = REFERENCE_TIME
    trader = ControllerTrader(base["id"], model, 0)
    trader.resume(start)
    for minute in range(1, 150):
        trader.run(market, start + minute * 60 + 5)
    last = trader.last_run
    whole = run_backtest(
        model, market.candles(base["trading_pair"], start - trader._warmup, last), mode="realistic"
    )
    expected = {t.key: t for t in trades_of(base["id"], whole.ledger) if start <= t.open_ts < last}
    live = {t.key: t for t in trader.trades()}
    assert expected
    assert set(live) == set(expected)
    for key, trade in expected.items():
        if trade.close_ts < last:
            assert live[key] == trade


def test_reports_fold_finished_executors_and_mark_open_ones() -> None:
    fee = 0.001
    report = Report("hyperliquid_perpetual", "BTC-USD", fee)
    books = Books()
    won = Trade("a", BUY, 0, 0, 100.0, 2.0, 60, CloseType.TAKE_PROFIT, 110.0, 19.58, 420.0, 0.42)
    books.add([won])
    short = Trade("b", SELL, 0, 0, 100.0, 1.0, 0, 0, 0.0, 0.0, 0.0, 0.0)
    unfilled = Trade("c", BUY, 0, None, None, 1.0, 0, 0, 0.0, 0.0, 0.0, 0.0)
    parsed = json.loads(report.json(books, [], [short, unfilled], mark=105.0))
    assert parsed["realized_pnl_quote"] == pytest.approx(19.58)
    assert parsed["unrealized_pnl_quote"] == pytest.approx(-5 - fee * (100 + 105))
    assert parsed["volume_traded"] == pytest.approx(420 + 100)
    assert parsed["close_type_counts"] == {"CloseType.TAKE_PROFIT": 1}
    assert [p["side"] for p in parsed["positions_summary"]] == ["TradeType.SELL"]
    assert parsed["global_pnl_pct"] == pytest.approx(parsed["global_pnl_quote"] / 520 * 100)
    stopped = short.cashed_out(105.0, 120, fee)
    assert stopped.close_type == CloseType.EARLY_STOP
    assert stopped.net_pnl_quote == pytest.approx(-5 - fee * 205)
    assert Books.from_state(books.to_state()).recent[0] == won


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


@pytest.mark.parametrize("options", [SimOptions(trade_budget_s=0.0)])
async def test_the_trade_budget_runs_the_most_out_of_date_controller_first(
    client: httpx.AsyncClient, clock: ManualClock, sim: Simulator
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG, PMM_CONFIG)
    controllers = sim.bots[bot].controllers
    clock.advance(3600)
    await status(client, bot)  # one request: exactly one controller trades
    runs = {name: c.trader.last_run for name, c in controllers.items() if c.trader}
    assert sorted(runs.values())[0] < sorted(runs.values())[1]
    behind = min(runs, key=lambda name: runs[name])
    await status(client, bot)
    assert controllers[behind].trader is not None
    assert controllers[behind].trader.last_run == max(runs.values())  # it caught up next


async def test_a_controller_the_engine_cannot_run_reports_zeros_and_says_why(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    grid = {
        "id": "grid_btc",
        "controller_name": "grid_strike",
        "controller_type": "generic",
        "connector_name": "hyperliquid_perpetual",
        "trading_pair": "BTC-USD",
        "total_amount_quote": 300,
        "start_price": 90_000,
        "end_price": 100_000,
        "limit_price": 88_000,
    }
    bot = await running_bot(client, clock, grid)
    clock.advance(6 * 3600)
    current = await status(client, bot)
    report = performance(current, "grid_btc")
    assert report["volume_traded"] == 0
    assert report["close_type_counts"] == {}
    warning = next(g for g in current["general_logs"] if g["level_name"] == "WARNING")
    assert "grid_btc runs without trading in the simulator" in warning["msg"]


async def test_an_invalid_config_update_is_refused_by_the_bot(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG)
    reply = await client.post(f"/controllers/bots/{bot}/bb_btc/config", json={"stop_loss": "x"})
    assert reply.status_code == 200  # the file is written; the bot complains when it reloads
    current = await status(client, bot)
    assert "stop_loss" in current["error_logs"][-1]["msg"]
    clock.advance(6 * 3600)
    assert performance(await status(client, bot), "bb_btc")["volume_traded"] > 0


async def test_every_stock_controller_example_runs_in_a_bot(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    schemas = json.loads(SCHEMAS.read_text())["controllers"]
    names = list(schemas)
    configs = [schemas[name]["example_config"] for name in names]
    bot = await running_bot(client, clock, *configs)
    started = await status(client, bot)
    idle = {
        log["msg"].split()[1]
        for log in started["general_logs"]
        if log["level_name"] == "WARNING" and "runs without trading" in log["msg"]
    }
    by_id = {c["id"]: c["controller_name"] for c in configs}
    assert {by_id[i] for i in idle} == set(names) - set(SUPPORTED)
    clock.advance(2 * 86_400)
    current = await status(client, bot)
    assert current["status"] == "running"
    assert current["error_logs"] == []
    assert set(current["performance"]) == set(by_id)
    traded = {by_id[i] for i in by_id if performance(current, i)["volume_traded"] > 0}
    assert traded == set(SUPPORTED)


async def test_an_engine_failure_stops_only_that_controller(
    client: httpx.AsyncClient, clock: ManualClock, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await running_bot(client, clock, BB_CONFIG, PMM_CONFIG)
    trader = sim.bots[bot].controllers["bb_btc"].trader
    assert trader is not None

    def broken(*args: object, **kwargs: object) -> None:
        raise BacktestError("candles went missing")

    monkeypatch.setattr(trader, "run", broken)
    clock.advance(3 * 3600)
    current = await status(client, bot)
    assert current["status"] == "running"
    assert current["error_logs"][-1]["msg"] == (
        "Controller bb_btc stopped on an error: candles went missing"
    )
    assert performance(current, "pmm_eth")["volume_traded"] > 0
