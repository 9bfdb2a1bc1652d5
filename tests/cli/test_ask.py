"""`tradeagent ask`: one turn without the TUI, against the fake Messages API (on a thread)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes.anthropic_server import ErrorReply, FakeAnthropicServer, Text, ToolCall, reply
from fakes.keys import anthropic_key
from tradeagent.cli import cli
from tradeagent.strategy import load_yaml, parse_config

CONFIG = {
    "id": "eth_st",
    "controller_name": "supertrend_v1",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "ETH-USD",
    "total_amount_quote": 300,
    "leverage": 2,
    "stop_loss": 0.03,
}


@pytest.fixture
def fake() -> Iterator[FakeAnthropicServer]:
    # On its own thread: the command runs its own event loop.
    with FakeAnthropicServer().in_thread() as server:
        os.environ["ANTHROPIC_API_KEY"] = anthropic_key("cli")
        os.environ["TRADEAGENT_AI__BASE_URL"] = server.url
        yield server


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["ask", *args])
    return result.exit_code, result.stdout, result.stderr


def test_prints_the_answer_then_the_draft_as_hummingbot_yaml(fake: FakeAnthropicServer) -> None:
    fake.script(
        reply(Text("A SuperTrend follower."), ToolCall("propose_strategy", {"config": CONFIG})),
        reply(Text(" Stop at 3%.")),
    )
    code, out, err = invoke("trend following on ETH, $300, 2x, 3% stop")
    assert code == 0, err
    answer, _, yaml_text = out.partition("# --- draft (Hummingbot YAML), from the claude-")
    assert answer.strip() == "A SuperTrend follower. Stop at 3%."
    assert load_yaml(yaml_text.split("\n", 1)[1]) == parse_config(CONFIG)
    assert "✎ proposal ready in the preview" in err  # tool lines go to stderr
    assert "$" in err  # usage and cost


def test_json_output(fake: FakeAnthropicServer) -> None:
    fake.script(reply(ToolCall("propose_strategy", {"config": CONFIG})), reply(Text("Done.")))
    code, out, _ = invoke("trend following on ETH", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["answer"] == "Done."
    assert parse_config(data["draft"]) == parse_config(CONFIG)
    assert data["status"] == "done" and data["error"] is None
    assert data["assistant"] == "claude-sonnet-5-5"


def test_a_failed_reply_exits_1_with_the_reason(fake: FakeAnthropicServer) -> None:
    rejected = ErrorReply(401, "authentication_error", "invalid x-api-key")
    fake.script(rejected, rejected)
    code, _, err = invoke("anything")
    assert code == 1
    assert "rejected the API key (401)" in err
    code, out, _ = invoke("anything", "--json")
    assert code == 1
    assert json.loads(out)["status"] == "failed"


@pytest.mark.parametrize(
    ("prompt", "words"), [("   ", "prompt is empty"), ("key 0x" + "1a" * 32, "private key")]
)
def test_bad_prompts_exit_2_and_send_nothing(
    fake: FakeAnthropicServer, prompt: str, words: str
) -> None:
    code, _, err = invoke(prompt)
    assert code == 2 and words in err
    assert fake.requests == []


def test_a_broken_draft_file_exits_2(fake: FakeAnthropicServer, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("id: x\ncontroller_name: nope\n")
    code, _, err = invoke("make it 3x", "--draft", str(broken))
    assert code == 2 and "controller_name" in err
    assert fake.requests == []


def test_the_draft_file_is_the_context(fake: FakeAnthropicServer, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yml"
    draft.write_text("\n".join(f"{k}: {v}" for k, v in CONFIG.items()) + "\n")
    fake.script(reply(Text("ok")))
    code, _, _ = invoke("make it 3x", "--draft", str(draft))
    assert code == 0
    context = fake.messages_requests[0].json()["messages"][-1]["content"][0]["text"]
    assert "id: eth_st" in context


def test_the_real_entry_point(fake: FakeAnthropicServer) -> None:
    fake.script(reply(Text("Hello from the fake.")))
    done = subprocess.run(
        [sys.executable, "-m", "tradeagent", "ask", "hi", "--json"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answer"] == "Hello from the fake."


def test_offline_without_a_key() -> None:
    code, out, err = invoke("market making on ETH-USDT on binance spot with $1000")
    assert code == 0, err
    assert "Draft ready" in out
    yaml_text = out.split("# --- draft (Hummingbot YAML), from the offline assistant ---\n")[1]
    config = load_yaml(yaml_text)
    assert (config.controller_name, config.connector_name) == ("pmm_simple", "binance")
    code, out, _ = invoke("grid on SOL", "--json")
    data = json.loads(out)
    assert code == 0 and data["draft"] is None and "price range" in data["answer"]
    assert data["assistant"] == "offline assistant"
