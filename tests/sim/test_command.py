"""``tradeagent sim``: serves over HTTP, explains bad options, saves its state on Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from tradeagent.cli import cli


def test_a_bad_chaos_spec_is_explained() -> None:
    result = CliRunner().invoke(cli, ["sim", "--chaos", "error=3"])
    assert result.exit_code == 1
    assert "error is a probability between 0 and 1" in result.output
    assert "bot=GLOB,fault=KIND" in result.output


def test_a_busy_port_is_explained() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["sim", "--port", str(port)])
    assert result.exit_code == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.output
    assert "Choose another --port" in result.output


def test_a_broken_state_file_is_explained(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("[]")
    result = CliRunner().invoke(cli, ["sim", "--port", "0", "--state", str(state)])
    assert result.exit_code == 1
    assert "is not a tradeagent simulator state file" in result.output
    assert state.read_text() == "[]"


def test_the_command_serves_and_saves_on_interrupt(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "tradeagent", "sim", "--port", "0", "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", banner)
        assert match, banner
        url = match.group(0)
        with httpx.Client(base_url=url, auth=("admin", "admin")) as http:
            added = http.post("/accounts/add-account", params={"account_name": "from_cli"})
            assert added.status_code == 201
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert json.loads(state.read_text())["accounts"] == {"master_account": {}, "from_cli": {}}
    assert state.stat().st_mode & 0o777 == 0o600
