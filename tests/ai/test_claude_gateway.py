"""The real AsyncAnthropic client against the fake Messages API: streaming, tools, repair."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fakes.anthropic_server import (
    FakeAnthropicServer,
    Text,
    Thinking,
    ToolCall,
    reply,
)
from tradeagent.ai.claude import ClaudeAssistant
from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import (
    AssistantEvent,
    Failed,
    Finished,
    Proposal,
    Status,
    TextDelta,
    ToolActivity,
    UsageReport,
)
from tradeagent.strategy import parse_config

from .conftest import ClaudeFactory, valid_config


async def collect(
    assistant: ClaudeAssistant,
    prompt: str = "mean reversion on BTC perp, $500, 2% stop",
    history: Sequence[Turn] = (),
    draft: Any = None,
) -> list[AssistantEvent]:
    return [event async for event in assistant.reply(history, prompt, draft=draft)]


def text_of(events: Sequence[AssistantEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def tool_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    last = body["messages"][-1]
    assert last["role"] == "user"
    return [block for block in last["content"] if block.get("type") == "tool_result"]


async def test_plain_text_streams_in_pieces_and_reports_usage_and_cost(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("Mean reversion buys dips and sells rips.", chunk_size=5)))
    events = await collect(claude())
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 3
    assert text_of(events) == "Mean reversion buys dips and sells rips."
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert usage.input_tokens == 25
    assert usage.cost_usd is not None and usage.cost_usd > 0
    assert isinstance(events[-1], Finished)


async def test_request_is_what_the_api_expects(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("ok")))
    await collect(claude(), prompt="hello there")
    (request,) = fake.messages_requests
    body = request.json()
    assert request.headers["authorization"].startswith("Bearer ")
    assert body["stream"] is True
    assert body["model"] == "claude-sonnet-5-5"
    assert body["max_tokens"] == 4000
    assert body["output_config"] == {"effort": "medium"}
    assert body["tool_choice"] == {"type": "auto"}  # never forced: Sonnet 5.5 rejects that
    assert not {"temperature", "top_p", "top_k"} & set(body)
    (system,) = body["system"]
    assert system["cache_control"] == {"type": "ephemeral"}
    assert "cannot deploy" in system["text"]
    tools = {tool["name"]: tool for tool in body["tools"]}
    assert set(tools) == {
        "propose_strategy",
        "run_backtest",
        "get_market",
        "list_bots",
        "get_connectors",
        "explain_risk",
    }
    propose = tools["propose_strategy"]
    assert propose["strict"] is True
    assert propose["input_schema"]["additionalProperties"] is False
    variants = propose["input_schema"]["properties"]["config"]["anyOf"]
    assert len(variants) == 11  # one per stock controller
    content = body["messages"][-1]["content"]
    assert content[0]["text"].startswith("<desk_context>")
    assert content[1]["text"] == "hello there"


async def test_thinking_block_shows_a_status_and_no_thinking_text(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Thinking(summary="secret musings"), Text("Here is the plan.")))
    events = await collect(claude())
    assert Status("thinking…") in events
    assert text_of(events) == "Here is the plan."
    assert "musings" not in text_of(events)


async def test_tool_call_streamed_in_json_chunks_becomes_a_proposal(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(
        reply(
            Text("Let me set that up."),
            ToolCall("propose_strategy", {"config": valid_config()}, chunk_size=7),
        ),
        reply(Text("Done: Bollinger mean reversion with a 2% stop.")),
    )
    events = await collect(claude())
    proposal = next(e for e in events if isinstance(e, Proposal))
    assert proposal.config == parse_config(valid_config())
    assert proposal.attempts == 1
    assert "controller_name: bollinger_v1" in proposal.yaml
    lines = [e.line for e in events if isinstance(e, ToolActivity) and e.finished]
    assert lines == [
        "✎ proposal ready in the preview: bollinger_v1 · BTC-USD · hyperliquid_perpetual"
    ]
    assert text_of(events).endswith("with a 2% stop.")
    assert isinstance(events[-1], Finished)
    second = fake.messages_requests[1].json()
    # The assistant turn goes back verbatim, then one user turn with the result.
    assert second["messages"][-2]["role"] == "assistant"
    (result,) = tool_results(second)
    assert result["is_error"] is False
    assert json.loads(result["content"])["accepted"] is True


async def test_invalid_proposal_goes_back_with_its_problems_and_the_repair_is_accepted(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(
        reply(ToolCall("propose_strategy", {"config": valid_config(leverage=0, id="bad id")})),
        reply(ToolCall("propose_strategy", {"config": valid_config()})),
        reply(Text("Fixed the id and leverage.")),
    )
    events = await collect(claude())
    (result,) = tool_results(fake.messages_requests[1].json())
    assert result["is_error"] is True
    problems = json.loads(result["content"])["problems"]
    assert {p["field"] for p in problems} == {"id", "leverage"}
    proposals = [e for e in events if isinstance(e, Proposal)]
    assert len(proposals) == 1 and proposals[0].attempts == 2
    rejected = [e for e in events if isinstance(e, ToolActivity) and e.finished and not e.ok]
    assert rejected and "invalid" in rejected[0].line
    assert isinstance(events[-1], Finished)


async def test_repairs_are_bounded(fake: FakeAnthropicServer, claude: ClaudeFactory) -> None:
    bad = {"config": valid_config(leverage=0)}
    fake.script(
        reply(ToolCall("propose_strategy", bad)),
        reply(ToolCall("propose_strategy", bad)),
        reply(Text("never requested")),
    )
    events = await collect(claude(max_repair_attempts=1))
    assert len(fake.messages_requests) == 2
    failure = events[-1]
    assert isinstance(failure, Failed) and failure.kind == "repair_exhausted"
    assert "leverage" in failure.message and "draft is unchanged" in failure.message
    assert not any(isinstance(e, Proposal) for e in events)


async def test_history_is_sent_as_plain_text_turns(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("Sure.")))
    history = [
        Turn("first idea", "An answer.", status="done", proposal_yaml="id: x\n"),
        Turn("second idea", "Half an ans", status="cut"),
    ]
    await collect(claude(), prompt="third", history=history)
    messages = fake.messages_requests[0].json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2 + ["user"]
    assert messages[0]["content"] == "first idea"
    assert "[proposal accepted into the draft]" in messages[1]["content"]
    assert "stopped this reply" in messages[3]["content"]


async def test_the_current_draft_is_in_the_context(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    fake.script(reply(Text("ok")))
    await collect(claude(), draft=parse_config(valid_config(id="my_draft")))
    context = fake.messages_requests[0].json()["messages"][-1]["content"][0]["text"]
    assert "id: my_draft" in context
    assert "Mode: SIM" in context


async def test_a_later_tool_in_the_same_reply_uses_the_new_proposal_as_draft(
    fake: FakeAnthropicServer, claude: ClaudeFactory
) -> None:
    seen: list[tuple[str, int]] = []

    async def backtest(config: Any, days: int) -> dict[str, Any]:
        seen.append((config.id, days))
        return {"net_pnl": 0.031, "total_executors_with_position": 1094, "accuracy": 0.55}

    from tradeagent.ai.tools import ToolBox

    fake.script(
        reply(ToolCall("propose_strategy", {"config": valid_config(id="fresh")})),
        reply(ToolCall("run_backtest", {"days": 30})),
        reply(Text("Backtested.")),
    )
    events = await collect(claude(toolbox=ToolBox(backtest=backtest)))
    assert seen == [("fresh", 30)]
    lines = [e.line for e in events if isinstance(e, ToolActivity) and e.finished]
    assert lines[-1] == (
        "⚙ backtest bollinger_v1 · BTC-USD · hyperliquid_perpetual, 30 d → +3.1 %, 1,094 pos, "
        "win 55 %"
    )
