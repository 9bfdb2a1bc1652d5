"""Build the assistant from settings: Claude when a key is set, the offline assistant otherwise.

Lives outside ``tradeagent.ai`` because that package takes plain values and never reads settings.
"""

from __future__ import annotations

from tradeagent.ai.assistant import Assistant
from tradeagent.ai.context import DeskSources
from tradeagent.ai.lazy import LazyAssistant
from tradeagent.settings import Settings
from tradeagent.strategy import RiskPolicy


def build_assistant(settings: Settings, *, sources: DeskSources | None = None) -> Assistant:
    """The assistant the TUI and ``tradeagent ask`` use. ``sources`` feed list_bots and co."""
    sources = sources or DeskSources(mode=settings.mode)
    key = settings.anthropic_key
    policy = RiskPolicy.model_validate(settings.risk.model_dump())
    if not key:
        from tradeagent.ai.offline.assistant import OfflineAssistant, Rules

        return OfflineAssistant(Rules(policy, settings.mode))
    settings_ai = settings.ai

    def build_claude() -> Assistant:
        # Imported here, on a worker thread: the SDK is slow to import.
        from tradeagent.ai.claude import ClaudeAssistant
        from tradeagent.ai.tools import ToolBox
        from tradeagent.assistant_data import backtest_runner, market_reader

        toolbox = ToolBox(
            sources=sources,
            backtest=backtest_runner(settings),
            market=market_reader(settings),
            policy=policy,
        )
        return ClaudeAssistant(
            api_key=key,
            model=settings_ai.model,
            max_tokens=settings_ai.max_tokens,
            effort=settings_ai.effort,
            base_url=settings_ai.base_url,
            max_repair_attempts=settings_ai.max_repair_attempts,
            toolbox=toolbox,
        )

    return LazyAssistant(build_claude, settings_ai.model)
