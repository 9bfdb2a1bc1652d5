"""Settings: precedence env > file > defaults, masking, errors that say what to do, 0600 files."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from fakes.keys import anthropic_key
from tradeagent.settings import (
    SettingsError,
    iter_effective,
    load_settings,
    write_template,
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_env(clean_env: Path) -> None:
    loaded = load_settings()
    settings = loaded.settings
    assert settings.hummingbot.url is None
    assert settings.mode == "SIM"
    assert settings.ai.model == "claude-sonnet-5-5"
    assert settings.ui.poll_interval_s == 2.0
    assert loaded.source_of("ui.poll_interval_s") == "default"
    assert loaded.config_path == clean_env / "config.toml"


def test_precedence_env_over_file_over_default(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[ui]\npoll_interval_s = 5\ntheme = 'nord'\n")
    loaded = load_settings(path)
    assert loaded.settings.ui.poll_interval_s == 5
    assert loaded.source_of("ui.poll_interval_s") == f"file {path}"
    os.environ["TRADEAGENT_UI__POLL_INTERVAL_S"] = "7.5"
    loaded = load_settings(path)
    assert loaded.settings.ui.poll_interval_s == 7.5
    assert loaded.source_of("ui.poll_interval_s") == "env TRADEAGENT_UI__POLL_INTERVAL_S"
    # Keys the env does not set still come from the file, the rest from defaults.
    assert loaded.settings.ui.theme == "nord"
    assert loaded.source_of("ui.theme") == f"file {path}"
    assert loaded.source_of("ai.model") == "default"


def test_url_set_means_live(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[hummingbot]\nurl = "http://10.0.0.5:8000/"\n')
    settings = load_settings(path).settings
    assert settings.hummingbot.url == "http://10.0.0.5:8000"
    assert settings.mode == "LIVE"


def test_keymap_from_env_json() -> None:
    os.environ["TRADEAGENT_UI__KEYMAP"] = '{"deploy": "ctrl+d"}'
    assert load_settings().settings.ui.keymap == {"deploy": "ctrl+d"}


def test_anthropic_key_honoured_and_masked() -> None:
    os.environ["ANTHROPIC_API_KEY"] = key = anthropic_key("secret-123")
    loaded = load_settings()
    assert loaded.settings.anthropic_key == key
    assert loaded.source_of("ai.api_key") == "env ANTHROPIC_API_KEY"
    rows = {key: (value, source) for key, value, source in iter_effective(loaded)}
    assert rows["ai.api_key"] == ("****", "env ANTHROPIC_API_KEY")
    assert rows["hummingbot.password"][0] == "****"
    assert all("sk-ant" not in value for value, _ in rows.values())


def test_configured_key_wins_over_anthropic_env(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[ai]\napi_key = "from-file"\n')
    os.environ["ANTHROPIC_API_KEY"] = "from-env"
    loaded = load_settings(path)
    assert loaded.settings.anthropic_key == "from-file"
    assert loaded.source_of("ai.api_key") == f"file {path}"


def test_malformed_toml_names_file_and_fix(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[ui]\npoll_interval_s = = 3\ntheme = 'x'\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    message = str(info.value)
    assert str(path) in message
    assert "line 2" in message
    assert "config init" in message


def test_bad_value_in_file_names_key_and_source(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[ui]\npoll_interval_s = 0.01\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    message = str(info.value)
    assert "ui.poll_interval_s" in message
    assert str(path) in message
    assert "greater than or equal to 0.2" in message


def test_bad_env_value_names_variable() -> None:
    os.environ["TRADEAGENT_HUMMINGBOT__URL"] = "ftp://nope"
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "TRADEAGENT_HUMMINGBOT__URL" in str(info.value)
    assert "http://" in str(info.value)


def test_unknown_key_lists_valid_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[ui]\npoll = 3\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert "ui.poll" in str(info.value)
    assert "poll_interval_s" in str(info.value)


def test_secret_values_never_echoed_in_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", "[hummingbot]\npassword = 12345678\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert "12345678" not in str(info.value)
    assert "hummingbot.password" in str(info.value)


def test_bad_json_in_env_explains_json() -> None:
    os.environ["TRADEAGENT_UI__KEYMAP"] = "{not json"
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "JSON" in str(info.value)


def test_template_is_private_loads_and_is_not_overwritten(tmp_path: Path) -> None:
    path = write_template(tmp_path / "sub" / "config.toml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # The template loads and changes nothing: every value is the default (or the test
    # hygiene's environment).
    loaded = load_settings(path)
    sources = {source for _, _, source in iter_effective(loaded)}
    assert sources <= {"default"} | {f"env {name}" for name in os.environ}
    with pytest.raises(SettingsError, match="already exists"):
        write_template(path)
    write_template(path, force=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backtest_defaults_and_a_bad_source_named_with_its_fix(tmp_path: Path) -> None:
    section = load_settings().settings.backtest
    assert (section.days, section.mode, section.source) == (30.0, "hummingbot", "synthetic")
    assert (section.seed, section.trade_cost, section.resolution) == (7, 0.0006, "1m")
    path = write(tmp_path / "c.toml", '[backtest]\nsource = "file:/data/btc.csv.gz"\n')
    assert load_settings(path).settings.backtest.source == "file:/data/btc.csv.gz"
    path = write(tmp_path / "c.toml", '[backtest]\nsource = "binance"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert "backtest.source" in str(info.value)
    assert str(path) in str(info.value)
    os.environ["TRADEAGENT_BACKTEST__MODE"] = "optimistic"
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "TRADEAGENT_BACKTEST__MODE" in str(info.value)
    assert "'hummingbot' or 'realistic'" in str(info.value)


def test_desk_defaults_and_overrides(tmp_path: Path) -> None:
    desk = load_settings().settings.desk
    assert desk.backtest_gate == "auto"
    assert desk.image == "hummingbot/hummingbot:latest"
    assert desk.kill_concurrency == 8
    path = write(
        tmp_path / "c.toml",
        '[desk]\nbacktest_gate = "required"\nconfirm_word = "SEND"\nwatch_s = 60\n'
        'image = "registry.local:5000/acme/hummingbot:2.16"\n',
    )
    desk = load_settings(path).settings.desk
    assert (desk.backtest_gate, desk.confirm_word, desk.watch_s) == ("required", "SEND", 60)
    assert desk.image == "registry.local:5000/acme/hummingbot:2.16"
    os.environ["TRADEAGENT_DESK__KILL_CONCURRENCY"] = "2"
    assert load_settings(path).settings.desk.kill_concurrency == 2


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ('backtest_gate = "sometimes"', ["desk.backtest_gate", "'sometimes'"]),
        ('image = "ubuntu:22.04"', ["desk.image", "'ubuntu:22.04'"]),
        ("global_drawdown_pct = 1.5", ["desk.global_drawdown_pct"]),
        ("kill_concurrency = 0", ["desk.kill_concurrency"]),
    ],
)
def test_desk_bad_values_are_explained(tmp_path: Path, toml: str, words: list[str]) -> None:
    path = write(tmp_path / "c.toml", f"[desk]\n{toml}\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert str(path) in message


def test_template_documents_every_desk_key(tmp_path: Path) -> None:
    from tradeagent.settings import TEMPLATE, DeskSettings

    for key in DeskSettings.model_fields:
        assert f"# {key} = " in TEMPLATE, key
    # The template's commented values are the defaults: uncommented, they load unchanged.
    section = TEMPLATE.split("[desk]\n", 1)[1].split("\n[", 1)[0]
    body = [line[2:] for line in section.splitlines() if re.match(r"# \w+ = ", line)]
    loaded = load_settings(write(tmp_path / "u.toml", "[desk]\n" + "\n".join(body) + "\n"))
    assert loaded.settings.desk == DeskSettings()
