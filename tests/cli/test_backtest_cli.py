"""`tradeagent backtest`: golden numbers end to end, outputs, clean failures, and the
Hummingbot API source and server engine against a loopback fake of the API."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner, Result

from tradeagent.backtest.sources import read_csv_candles
from tradeagent.cli import cli
from tradeagent.strategy import dump_yaml, parse_config

GOLDEN = Path(__file__).parent.parent / "data" / "backtest_golden"
CANDLES = GOLDEN / "candles_seed7_1m_30d.csv.gz"
START, END_1D, END_30D = 1735689600, 1735775940, 1738281540


def golden(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.json").read_text())  # type: ignore[no-any-return]


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "bb.yml"
    path.write_text(dump_yaml(parse_config(golden("bollinger_v1")["config"])))
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["backtest", *args], catch_exceptions=False)


def test_json_on_the_golden_candles_matches_hummingbot(config_file: Path) -> None:
    result = invoke(
        str(config_file),
        "--source",
        f"file:{CANDLES}",
        "--start",
        str(START),
        "--end",
        str(END_30D),
        "--trade-cost",
        "0.0002",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = golden("bollinger_v1")["runs"][2]["results"]
    assert data["results"]["total_executors"] == expected["total_executors"] == 1094
    assert data["results"]["close_types"] == expected["close_types"]
    assert data["results"]["net_pnl_quote"] == pytest.approx(expected["net_pnl_quote"], rel=1e-9)
    assert data["results"]["sharpe_ratio"] == pytest.approx(expected["sharpe_ratio"], rel=1e-9)
    assert len(data["executors"]) == 1094
    assert data["executors"][0]["close_type"] == "TRAILING_STOP"
    assert data["mode"] == "hummingbot"
    assert data["rows_simulated"] == 43101
    assert data["window"]["source"] == "file"
    assert data["window"]["candles"] == 43200
    assert data["window"]["start"] == START and data["window"]["end"] == END_30D
    assert len(data["pnl_timeseries"]["total_pnl"]) == 1000


def test_human_table_names_mode_source_and_window(config_file: Path) -> None:
    result = invoke(str(config_file), "--days", "2", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "Backtest · bollinger_v1 · SYN-USDT · hummingbot mode" in result.output
    assert "synthetic (seed 3) · 1m" in result.output
    assert "2,880 candles" in result.output
    assert "Sharpe" in result.output and "Closes" in result.output


def test_realistic_mode_is_labelled_not_comparable(config_file: Path) -> None:
    result = invoke(str(config_file), "--days", "1", "--mode", "realistic")
    assert result.exit_code == 0, result.output
    assert "realistic mode" in result.output
    assert "Not comparable with Hummingbot" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "3", "--start", "2025-01-01"], "either --days or --start/--end"),
        (["--source", "binance"], "unknown candle source 'binance'"),
        (["--start", "2025-01-05", "--end", "2025-01-01"], "--end must be after --start"),
        (["--start", "yesterday"], "neither unix seconds nor an ISO date"),
        (["--resolution", "7x"], "--resolution"),
        (["--trade-cost", "0.5"], "fraction per fill"),
        (["--source", "hummingbot"], "hummingbot.url"),
        (["--engine", "server"], "use it with --source hummingbot"),
        (["--source", "file:/nonexistent/candles.csv"], "cannot read /nonexistent/candles.csv"),
    ],
)
def test_invalid_input_exits_2_with_a_clear_message(
    config_file: Path, args: list[str], message: str
) -> None:
    result = invoke(str(config_file), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_invalid_config_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("id: x\ncontroller_name: bollinger_v1\nbb_length: -3\n")
    result = invoke(str(path), "--days", "1")
    assert result.exit_code == 2
    assert "bb_length" in result.output


def test_missing_config_file(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "nope.yml"))
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_a_controller_the_engine_cannot_run_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "grid.yml"
    path.write_text("id: g\ncontroller_name: grid_strike\ncontroller_type: generic\n")
    result = invoke(str(path), "--days", "1")
    assert result.exit_code == 2
    assert "grid_strike cannot be backtested" in result.output


def test_a_candle_file_in_milliseconds_is_refused(config_file: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "ms.csv"
    csv_path.write_text(
        "timestamp,open,high,low,close,volume\n"
        "1735689600000,1,2,0.5,1.5,10\n1735689660000,1.5,2,1,1.2,10\n"
    )
    result = invoke(str(config_file), "--source", f"file:{csv_path}", "--days", "1")
    assert result.exit_code == 2
    assert "milliseconds" in result.output


class FakeHummingbotApi:
    """The two routes the backtest command uses, with the golden candles and results."""

    def __init__(self, results: dict[str, Any]) -> None:
        candles = read_csv_candles(CANDLES)
        self.rows = [
            {
                "timestamp": float(candles.timestamp[i]),
                "open": float(candles.open[i]),
                "high": float(candles.high[i]),
                "low": float(candles.low[i]),
                "close": float(candles.close[i]),
                "volume": float(candles.volume[i]),
            }
            for i in range(1440)
        ]
        self.results = results
        self.bodies: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        body = json.loads(raw or b"{}")
        self.bodies.append((scope["path"], body))
        status = 200
        if scope["path"] == "/market-data/historical-candles":
            answer: Any = [
                row
                for row in self.rows
                if body["start_time"] <= row["timestamp"] <= body["end_time"]
            ]
        elif scope["path"] == "/backtesting/run":
            answer = {"executors": [], "results": self.results, "pnl_timeseries": []}
        else:
            status, answer = 404, {"detail": "Not Found"}
        payload = json.dumps(answer).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})


@pytest.fixture
def api_config(tmp_path: Path) -> Iterator[tuple[Path, FakeHummingbotApi]]:
    results = dict(golden("bollinger_v1")["runs"][0]["results"])
    app = FakeHummingbotApi(results)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    settings = tmp_path / "tradeagent.toml"
    settings.write_text(f'[hummingbot]\nurl = "http://127.0.0.1:{port}"\n')
    try:
        yield settings, app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_server_engine_runs_both_and_reports_agreement(
    config_file: Path, api_config: tuple[Path, FakeHummingbotApi]
) -> None:
    settings, app = api_config
    args = ["--config", str(settings), "backtest", str(config_file), "--source", "hummingbot"]
    args += ["--engine", "server", "--start", str(START), "--end", str(END_1D)]
    args += ["--trade-cost", "0.0002"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "local and server agree" in result.output
    assert "hummingbot (http://127.0.0.1:" in result.output
    paths = [path for path, _ in app.bodies]
    assert paths == ["/market-data/historical-candles", "/backtesting/run"]
    run_body = app.bodies[1][1]
    assert run_body["start_time"] == START and run_body["end_time"] == END_1D
    assert run_body["trade_cost"] == 0.0002
    assert run_body["config"]["controller_name"] == "bollinger_v1"


def test_server_engine_reports_differences_instead_of_hiding_them(
    config_file: Path, api_config: tuple[Path, FakeHummingbotApi]
) -> None:
    settings, app = api_config
    app.results["net_pnl_quote"] += 1.0
    app.results["total_executors"] += 2
    args = ["--config", str(settings), "backtest", str(config_file), "--source", "hummingbot"]
    args += ["--engine", "server", "--start", str(START), "--end", str(END_1D)]
    args += ["--trade-cost", "0.0002", "--json"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    keys = {difference["key"] for difference in data["server"]["differences"]}
    assert keys == {"net_pnl_quote", "total_executors"}
