"""`tradeagent deploy`, `stop` and `journal` as a script runs them: no terminal, real sockets
to the simulator (LIVE mode) or the in-process simulator (SIM)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner, Result

from tradeagent.cli import cli
from tradeagent.desk.journal import Journal, journal_path
from tradeagent.sim import EmbeddedSimulator, SimOptions, create_app, serve_in_thread

BB = {
    "id": "btc_bb",
    "controller_name": "bollinger_v1",
    "controller_type": "directional_trading",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
    "total_amount_quote": 500,
    "leverage": 1,
    "position_mode": "ONEWAY",
    "stop_loss": 0.02,
    "take_profit": 0.03,
    "max_executors_per_side": 2,
    "candles_connector": "hyperliquid_perpetual",
    "candles_trading_pair": "BTC-USD",
    "interval": "1m",
}
PMM = {
    "id": "eth_mm",
    "controller_name": "pmm_simple",
    "controller_type": "market_making",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "ETH-USD",
    "total_amount_quote": 300,
    "leverage": 1,
    "position_mode": "ONEWAY",
    "buy_spreads": [0.002],
    "sell_spreads": [0.002],
    "stop_loss": 0.03,
    "take_profit": 0.01,
}
KEYS = {
    "hyperliquid_perpetual_mode": "api_wallet",
    "hyperliquid_perpetual_address": "0x" + "ab" * 20,
    "hyperliquid_perpetual_secret_key": "0x" + "cd" * 32,
}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for body in (BB, PMM):
        path = tmp_path / f"{body['id']}.yml"
        path.write_text(yaml.safe_dump(body))
        paths[str(body["id"])] = path
    return paths


@pytest.fixture
def server() -> Iterator[str]:
    """A simulated Hummingbot API on a real loopback socket; tradeagent in LIVE mode on it."""
    app = create_app(SimOptions(boot_s=0.2, archive_s=0.5))
    with serve_in_thread(app) as url:
        os.environ["TRADEAGENT_HUMMINGBOT__URL"] = url
        os.environ["TRADEAGENT_DESK__BACKTEST_GATE"] = "off"
        os.environ["TRADEAGENT_DESK__STOP_TIMEOUT_S"] = "15"
        with httpx.Client(base_url=url, auth=("admin", "admin")) as http:
            reply = http.post(
                "/accounts/add-credential/master_account/hyperliquid_perpetual", json=KEYS
            )
            assert reply.status_code == 201, reply.text
        yield url


def running(url: str, body: dict[str, object], name: str) -> str:
    with httpx.Client(base_url=url, auth=("admin", "admin")) as http:
        http.post(f"/controllers/configs/{body['id']}", json=body)
        reply = http.post(
            "/bot-orchestration/deploy-v2-controllers",
            json={
                "instance_name": name,
                "credentials_profile": "master_account",
                "controllers_config": [body["id"]],
            },
        ).json()
        bot = str(reply["unique_instance_name"])
        deadline = time.monotonic() + 10
        while http.get(f"/bot-orchestration/{bot}/status").json()["data"]["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
    return bot


def journal_kinds() -> list[str]:
    listed = invoke("journal", "--json")
    return [entry["kind"] for entry in json.loads(listed.output)]


def test_sim_deploy_without_a_terminal_needs_yes(files: dict[str, Path]) -> None:
    result = invoke("deploy", str(files["btc_bb"]))
    assert result.exit_code == 2
    assert "pass --yes" in result.output
    assert "deploy.begin" not in journal_kinds()  # reviewed (journalled), nothing sent


def test_sim_deploy_with_yes(files: dict[str, Path]) -> None:
    result = invoke("deploy", str(files["btc_bb"]), "--yes", "--watch", "0")
    assert result.exit_code == 0, result.output
    assert "Deploy to SIM" in result.output
    assert "Deployed btc_bb-" in result.output
    assert journal_kinds()[-2:] == ["deploy.begin", "deploy.outcome"]


def test_live_deploy_needs_the_pair(server: str, files: dict[str, Path]) -> None:
    path = str(files["btc_bb"])
    missing = invoke("deploy", path)
    assert missing.exit_code == 2 and "--confirm BTC-USD" in missing.output
    yes = invoke("deploy", path, "--yes")
    assert yes.exit_code == 2 and "--yes does not confirm a LIVE deploy" in yes.output
    wrong = invoke("deploy", path, "--confirm", "ETH-USD")
    assert wrong.exit_code == 1 and "type BTC-USD exactly" in wrong.output
    assert "deploy.cancelled" in journal_kinds()
    right = invoke("deploy", path, "--confirm", "BTC-USD", "--watch", "2")
    assert right.exit_code == 0, right.output
    assert f"Deploy to LIVE · {server}" in right.output
    assert "Watch:" in right.output


def test_a_failed_check_exits_1_with_the_fix(server: str, files: dict[str, Path]) -> None:
    result = invoke("deploy", str(files["btc_bb"]), "--account", "nope", "--confirm", "BTC-USD")
    assert result.exit_code == 1
    assert "✘ account: no account 'nope' on the server" in result.output
    assert "Not deployed: " in result.output


def test_a_bad_config_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("id: x\ncontroller_name: bollinger_v1\nleverage: lots\n")
    result = invoke("deploy", str(path), "--yes")
    assert result.exit_code == 2
    assert "bad.yml" in result.output and "Fix the file" in result.output


def test_stop_by_base_name_verifies(server: str) -> None:
    bot = running(server, PMM, "mm")
    result = invoke("stop", "mm")
    assert result.exit_code == 0, result.output
    assert f"{bot} stopped and confirmed it" in result.output


def test_stop_one_controller_and_archive(server: str) -> None:
    bot = running(server, PMM, "mm")
    one = invoke("stop", bot, "--controller", "eth_mm")
    assert one.exit_code == 0, one.output
    assert "Controller eth_mm" in one.output
    archived = invoke("stop", bot, "--archive")
    assert archived.exit_code == 0, archived.output
    assert "archived" in archived.output


def test_kill_switch_needs_the_typed_word_in_live(server: str) -> None:
    bots = [running(server, PMM, "mm-a"), running(server, BB, "bb-b")]
    refused = invoke("stop", "--all", "--yes")
    assert refused.exit_code == 2 and "--confirm STOP" in refused.output
    wrong = invoke("stop", "--all", "--confirm", "stop")
    assert wrong.exit_code == 1 and "Nothing stopped" in wrong.output
    done = invoke("stop", "--all", "--confirm", "STOP")
    assert done.exit_code == 0, done.output
    assert "2 of 2 bots stopped and verified" in done.output
    for bot in bots:
        assert f"✔ {bot}: stopped" in done.output


def test_stop_usage_errors() -> None:
    assert invoke("stop").exit_code == 2
    assert "name one bot" in invoke("stop").output
    both = invoke("stop", "x", "--archive", "--controller", "c")
    assert both.exit_code == 2 and "--archive stops the whole bot" in both.output


def test_journal_filters_and_json(files: dict[str, Path]) -> None:
    assert invoke("deploy", str(files["btc_bb"]), "--yes", "--watch", "0").exit_code == 0
    table = invoke("journal", "--kind", "deploy")
    assert table.exit_code == 0
    lines = table.output.strip().splitlines()
    assert [line.split()[2] for line in lines] == ["deploy.begin", "deploy.outcome"]
    assert "ok" in lines[1]
    recent = json.loads(invoke("journal", "--since", "1h", "--json").output)
    assert {"preflight", "deploy.begin", "deploy.outcome"} <= {e["kind"] for e in recent}
    assert all(e["server"] == "sim" and e["mode"] == "SIM" for e in recent)
    assert json.loads(invoke("journal", "--since", "2999-01-01", "--json").output) == []
    bad = invoke("journal", "--since", "yesterday")
    assert bad.exit_code == 2 and "30m, 2h, 7d" in bad.output


def test_empty_journal() -> None:
    result = invoke("journal")
    assert result.exit_code == 0 and "empty" in result.output


def test_a_backtest_from_the_shell_opens_the_live_gate(server: str, files: dict[str, Path]) -> None:
    os.environ["TRADEAGENT_DESK__BACKTEST_GATE"] = "auto"
    path = str(files["btc_bb"])
    blocked = invoke("deploy", path, "--confirm", "BTC-USD")
    assert blocked.exit_code == 1
    assert "✘ [btc_bb] backtest: no backtest of this exact config (required in LIVE)" in (
        blocked.output
    )
    assert invoke("backtest", path, "--days", "2").exit_code == 0
    passed = invoke("deploy", path, "--confirm", "BTC-USD", "--watch", "0")
    assert passed.exit_code == 0, passed.output
    assert "Backtest    ✔ this exact config" in passed.output
    assert "synthetic candles" in passed.output


def test_the_cli_and_the_app_journal_the_same_server_name() -> None:
    from tradeagent.desk_setup import SIM_SERVER, open_journal
    from tradeagent.settings import load_settings
    from tradeagent.tui.app import make_app

    settings = load_settings().settings
    app = make_app(settings)
    assert app.journal is not None and app.journal.server == SIM_SERVER
    assert open_journal(settings).server == SIM_SERVER


def test_no_journal_no_deploy(files: dict[str, Path], tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the data dir should be")
    os.environ["TRADEAGENT_PATHS__DATA_DIR"] = str(blocked)
    result = invoke("deploy", str(files["btc_bb"]), "--yes")
    assert result.exit_code == 2
    assert "Cannot open the journal" in result.output and "Nothing is sent" in result.output


def test_the_sim_keeps_bots_between_commands(tmp_path: Path) -> None:
    path = tmp_path / "btc_bb.yml"
    path.write_text(yaml.safe_dump(BB))
    deployed = invoke("deploy", str(path), "--yes", "--watch", "0")
    assert deployed.exit_code == 0, deployed.output
    state = Path(os.environ["TRADEAGENT_PATHS__DATA_DIR"]) / "sim-state.json"
    assert state.stat().st_mode & 0o777 == 0o600  # it holds the accounts' credentials
    stopped = invoke("stop", "btc_bb")
    assert stopped.exit_code == 0, stopped.output
    assert "btc_bb-" in stopped.output and "not on the server" not in stopped.output


def test_a_simulator_in_use_elsewhere_is_explained(tmp_path: Path) -> None:
    state = Path(os.environ["TRADEAGENT_PATHS__DATA_DIR"]) / "sim-state.json"
    holder = EmbeddedSimulator(SimOptions(state_file=state))  # as an open tradeagent would
    try:
        result = invoke("status")
        assert result.exit_code == 2
        assert "in use by another tradeagent" in result.output
        assert "Traceback" not in result.output
    finally:
        holder.sim.close()
    assert invoke("status").exit_code == 0


def test_journal_leaves_background_rows_out_unless_asked() -> None:
    journal = Journal(
        journal_path(Path(os.environ["TRADEAGENT_PATHS__DATA_DIR"])), server="sim", mode="SIM"
    )
    journal.append("bots.pnl", {"pnl": {"btc_bb-1": -0.5, "eth_mm-2": 1.25}})
    journal.append("chat.partial", {"turn": 0, "offset": 0, "text": "half a repl"})
    journal.append("chat.prompt", {"turn": 0, "text": "mean reversion on BTC"})
    journal.close()
    listed = invoke("journal").output
    assert "chat.prompt" in listed and "you: mean reversion on BTC" in listed
    assert "bots.pnl" not in listed and "chat.partial" not in listed
    everything = invoke("journal", "--all").output
    assert "net PnL of 2 bot(s): btc_bb-1 -0.50 · eth_mm-2 +1.25" in everything
    assert "chat.partial" in everything
    asked = invoke("journal", "--kind", "bots").output  # asking by kind is asking
    assert "bots.pnl" in asked and "chat.prompt" not in asked
