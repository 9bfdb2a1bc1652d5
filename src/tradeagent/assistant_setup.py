"""Build the assistant from settings: Claude when a key is set, the offline assistant otherwise.

Lives outside ``tradeagent.ai`` because that package takes plain values and never reads settings.
"""

from __future__ import annotations

from tradeagent.ai.assistant import Assistant
from tradeagent.ai.context import DeskSources
from tradeagent.ai.lazy import LazyAssistant
from tradeagent.settings import Settings


def build_assistant(settings: Settings, *, sources: DeskSources | None = None) -> Assistant:
    """The assistant the TUI and ``tradeagent ask`` use. ``sources`` feed list_bots and co."""
    sources = sources or DeskSources(mode=settings.mode)
    key = settings.anthropic_key
    if not key:
        from tradeagent.ai.offline.assistant import OfflineAssistant

        return OfflineAssistant()
    settings_ai = settings.ai

    def build_claude() -> Assistant:
        # Imported here, on a worker thread: the SDK is slow to import.
        from tradeagent.ai.claude import ClaudeAssistant
        from tradeagent.ai.tools import ToolBox

        return ClaudeAssistant(
            api_key=key,
            model=settings_ai.model,
            max_tokens=settings_ai.max_tokens,
            effort=settings_ai.effort,
            base_url=settings_ai.base_url,
            max_repair_attempts=settings_ai.max_repair_attempts,
            toolbox=ToolBox(sources=sources),
        )

    return LazyAssistant(build_claude, settings_ai.model)
