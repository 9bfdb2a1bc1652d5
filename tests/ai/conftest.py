"""Fixtures for the assistant: the fake Messages API and a Claude gateway pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from fakes.anthropic_server import FakeAnthropicServer
from fakes.keys import anthropic_key
from tradeagent.ai.claude import ClaudeAssistant
from tradeagent.ai.context import DeskSources
from tradeagent.ai.tools import ToolBox

TEST_KEY = anthropic_key("conftest-0123456789abcdef")


def valid_config(**changes: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "id": "btc_bb",
        "controller_name": "bollinger_v1",
        "connector_name": "hyperliquid_perpetual",
        "trading_pair": "BTC-USD",
        "total_amount_quote": 500,
        "leverage": 1,
        "stop_loss": 0.02,
        "take_profit": 0.03,
    }
    config.update(changes)
    return config


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropicServer]:
    async with FakeAnthropicServer() as server:
        yield server


ClaudeFactory = Callable[..., ClaudeAssistant]


@pytest.fixture
async def claude(fake: FakeAnthropicServer) -> AsyncIterator[ClaudeFactory]:
    built: list[ClaudeAssistant] = []

    def build(
        *,
        toolbox: ToolBox | None = None,
        sources: DeskSources | None = None,
        api_key: str | None = TEST_KEY,
        **options: Any,
    ) -> ClaudeAssistant:
        options.setdefault("open_retries", 0)
        options.setdefault("read_timeout_s", 5.0)
        options.setdefault("base_url", fake.url)
        assistant = ClaudeAssistant(
            api_key=api_key,
            model="claude-sonnet-5-5",
            max_tokens=4000,
            effort="medium",
            toolbox=toolbox or ToolBox(sources=sources),
            **options,
        )
        built.append(assistant)
        return assistant

    yield build
    for assistant in built:
        await assistant.aclose()
