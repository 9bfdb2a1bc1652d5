"""The command line: version, help, config display and template, and clean failures."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes.keys import anthropic_key
from tradeagent import __version__
from tradeagent.cli import cli


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "tradeagent", *args],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
    )


def test_version_and_help() -> None:
    version = run("--version")
    assert version.returncode == 0
    assert __version__ in version.stdout
    helped = run("--help")
    assert helped.returncode == 0
    assert "config" in helped.stdout
    assert "Usage: tradeagent" in helped.stdout


def test_version_and_help_do_not_import_heavy_modules() -> None:
    probe = (
        "import sys\n"
        "from tradeagent.cli import cli\n"
        "for args in (['--version'], ['--help']):\n"
        "    try:\n"
        "        cli(args, prog_name='tradeagent')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('textual', 'anthropic', 'numpy', 'fastapi', 'httpx', 'pydantic')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "HEAVY=\n" in result.stdout, result.stdout


def test_config_shows_values_sources_and_masks_secrets(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[hummingbot]\nurl = "http://127.0.0.1:8000"\npassword = "s3cret-pw"\n')
    config.chmod(0o600)
    env = {"TRADEAGENT_UI__POLL_INTERVAL_S": "3", "ANTHROPIC_API_KEY": anthropic_key("zzz")}
    result = CliRunner().invoke(cli, ["--config", str(config), "config"], env=env)
    assert result.exit_code == 0, result.output
    assert "s3cret-pw" not in result.output
    assert anthropic_key("zzz") not in result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "http://127.0.0.1:8000" in lines["hummingbot.url"]
    assert f"file {config}" in lines["hummingbot.url"]
    assert "****" in lines["hummingbot.password"]
    assert "env TRADEAGENT_UI__POLL_INTERVAL_S" in lines["ui.poll_interval_s"]
    assert "env ANTHROPIC_API_KEY" in lines["ai.api_key"]
    assert "mode: LIVE" in result.output


def test_config_warns_about_a_readable_secrets_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[ui]\ntheme = 'nord'\n")
    config.chmod(0o644)
    result = CliRunner().invoke(cli, ["--config", str(config), "config"])
    assert result.exit_code == 0
    assert f"chmod 600 {config}" in result.output


def test_config_init_writes_private_template_once(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    result = CliRunner().invoke(cli, ["--config", str(target), "config", "init"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "[hummingbot]" in target.read_text()
    again = CliRunner().invoke(cli, ["--config", str(target), "config", "init"])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_malformed_config_exits_2_without_traceback(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[ui\npoll_interval_s = 1\n")
    result = run("--config", str(config), "config")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(config) in result.stderr
    assert "config init" in result.stderr


def test_bad_env_value_exits_2_naming_the_variable() -> None:
    env = {"TRADEAGENT_AI__MAX_TOKENS": "lots"}
    result = CliRunner().invoke(cli, ["config"], env=env)
    assert result.exit_code == 2
    assert "TRADEAGENT_AI__MAX_TOKENS" in result.output
    assert "Traceback" not in result.output


def test_bare_path_opens_the_tui_with_that_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tradeagent FILE` is routed to the TUI with the file as its draft."""
    import tradeagent.tui.app as tui_app

    opened: list[Path | None] = []

    class Recorder:
        return_code = 0

        def __init__(self, draft_path: Path | None) -> None:
            opened.append(draft_path)

        def run(self) -> None:
            pass

    monkeypatch.setattr(
        tui_app, "make_app", lambda settings, draft_path=None, **_: Recorder(draft_path)
    )
    draft = tmp_path / "draft.yml"
    result = CliRunner().invoke(cli, [str(draft)])
    assert result.exit_code == 0, result.output
    assert opened == [draft]
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "c.toml"), str(draft)])
    assert result.exit_code == 0, result.output
    assert opened == [draft, draft]
