"""``POST /backtesting/run``: the real result shape, and ``{"error": ...}`` on any failure."""

from __future__ import annotations

import httpx
import pytest

from .helpers import BB_CONFIG, PMM_CONFIG, save_config

DAY = 86_400
START = 1_767_225_600 - 7 * DAY  # a week before the manual clock's start


async def test_a_backtest_returns_the_real_result_shape(client: httpx.AsyncClient) -> None:
    body = {"start_time": START, "end_time": START + 3 * DAY, "config": PMM_CONFIG}
    result = (await client.post("/backtesting/run", json=body)).json()
    assert set(result) == {
        "executors",
        "processed_data",
        "results",
        "position_holds",
        "position_held_timeseries",
        "pnl_timeseries",
    }
    summary = result["results"]
    assert summary["total_executors"] == len(result["executors"]) > 0
    assert summary["total_long"] + summary["total_short"] == summary["total_positions"] > 0
    assert summary["total_executors_with_position"] == summary["total_positions"]
    assert summary["max_drawdown_usd"] <= 0
    assert summary["net_pnl"] == pytest.approx(summary["net_pnl_quote"] / 300)
    assert set(summary["close_types"]) <= {"TAKE_PROFIT", "STOP_LOSS", "TIME_LIMIT", "EARLY_STOP"}
    executor = result["executors"][0]
    assert executor["side"] in (1, 2)
    assert executor["config"]["triple_barrier_config"]["open_order_type"] == 2  # LIMIT entries
    assert executor["controller_id"] == "pmm_eth"
    again = (await client.post("/backtesting/run", json=body)).json()
    assert again["results"] == summary


async def test_a_saved_config_can_be_backtested_by_file_name(client: httpx.AsyncClient) -> None:
    await save_config(client, BB_CONFIG)
    body = {"start_time": START, "end_time": START + 2 * DAY, "config": "bb_btc.yml"}
    result = (await client.post("/backtesting/run", json=body)).json()
    assert "results" in result
    assert result["results"]["total_executors"] == len(result["executors"])


@pytest.mark.parametrize(
    ("config", "window", "words"),
    [
        ("missing.yml", (START, START + DAY), "No such file or directory"),
        ({**BB_CONFIG, "controller_type": None}, (START, START + DAY), "controller_type"),
        ({**BB_CONFIG, "trading_pair": "BTC-EUR"}, (START, START + DAY), "BTC-EUR"),
        (BB_CONFIG, (START + DAY, START), "must be after"),
    ],
)
async def test_failures_are_http_200_with_an_error(
    client: httpx.AsyncClient, config: object, window: tuple[int, int], words: str
) -> None:
    body = {"start_time": window[0], "end_time": window[1], "config": config}
    reply = await client.post("/backtesting/run", json=body)
    assert reply.status_code == 200
    assert set(reply.json()) == {"error"}
    assert words in reply.json()["error"]


async def test_a_missing_config_is_a_422(client: httpx.AsyncClient) -> None:
    assert (await client.post("/backtesting/run", json={})).status_code == 422
