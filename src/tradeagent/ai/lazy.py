"""An assistant whose heavy machinery loads on first need, off the event loop.

The anthropic SDK takes seconds to import on a busy 2-core box, the strategy templates a few
hundred ms; building the assistant behind this keeps the TUI's first frame fast and those
imports out of the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Sequence
from typing import TYPE_CHECKING

from tradeagent.ai.assistant import Assistant
from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import AssistantEvent, Status

if TYPE_CHECKING:
    from tradeagent.strategy import ControllerConfigBase


class LazyAssistant:
    def __init__(
        self, factory: Callable[[], Assistant], label: str, *, loading: str | None = None
    ) -> None:
        self._factory = factory
        self._label = label
        self._loading_note = loading
        self._inner: Assistant | None = None
        self._loading = asyncio.Lock()

    @property
    def label(self) -> str:
        return self._label

    async def _load(self) -> Assistant:
        if self._inner is None:
            async with self._loading:
                if self._inner is None:
                    self._inner = await asyncio.to_thread(self._factory)
        return self._inner

    async def prepare(self) -> None:
        await (await self._load()).prepare()

    async def reply(
        self,
        history: Sequence[Turn],
        prompt: str,
        *,
        draft: ControllerConfigBase | None = None,
        broken_draft: str | None = None,
    ) -> AsyncGenerator[AssistantEvent, None]:
        if self._inner is None and self._loading_note:
            yield Status(self._loading_note)
        inner = await self._load()
        async for event in inner.reply(history, prompt, draft=draft, broken_draft=broken_draft):
            yield event

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()
