"""Build the assistant from settings: Claude when a key is set, the offline assistant otherwise.

Lives outside ``tradeagent.ai`` because that package takes plain values and never reads settings.
Both are built on first need, on a worker thread (``LazyAssistant``): their imports (the SDK, the
strategy templates) stay out of the TUI's first frame and out of its event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradeagent.ai.assistant import Assistant
from tradeagent.ai.context import DeskSources
from tradeagent.ai.lazy import LazyAssistant
from tradeagent.settings import Settings

if TYPE_CHECKING:
    from tradeagent.strategy import RiskPolicy

OFFLINE_LABEL = "offline assistant"


def build_assistant(settings: Settings, *, sources: DeskSources | None = None) -> Assistant:
    """The assistant the TUI and ``tradeagent ask`` use. ``sources`` feed list_bots and co."""
    sources = sources or DeskSources(mode=settings.mode)
    key = settings.anthropic_key

    def build_offline() -> Assistant:
        from tradeagent.ai.offline.assistant import OfflineAssistant, Rules

        return OfflineAssistant(Rules(risk_policy(settings), settings.mode))

    def build_claude() -> Assistant:
        from tradeagent.ai.claude import ClaudeAssistant
        from tradeagent.ai.tools import ToolBox
        from tradeagent.assistant_data import backtest_runner, market_reader

        toolbox = ToolBox(
            sources=sources,
            backtest=backtest_runner(settings),
            market=market_reader(settings),
            policy=risk_policy(settings),
        )
        return ClaudeAssistant(
            api_key=key,
            model=settings.ai.model,
            max_tokens=settings.ai.max_tokens,
            effort=settings.ai.effort,
            base_url=settings.ai.base_url,
            max_repair_attempts=settings.ai.max_repair_attempts,
            toolbox=toolbox,
        )

    if not key:
        return LazyAssistant(build_offline, OFFLINE_LABEL)
    return LazyAssistant(build_claude, settings.ai.model, loading="connecting to Claude…")


def risk_policy(settings: Settings) -> RiskPolicy:
    from tradeagent.strategy import RiskPolicy

    return RiskPolicy.model_validate(settings.risk.model_dump())
