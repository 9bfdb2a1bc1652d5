"""Command palette entries to reopen earlier conversations (newest activity first)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tradeagent.tui.chat_store import ConversationInfo
from tradeagent.tui.widgets.chat_pane import ChatPane


class ConversationCommands(Provider):
    async def startup(self) -> None:
        self._chat: ChatPane | None = next(iter(self.app.query(ChatPane)), None)
        self._items: list[ConversationInfo] = []
        store = self._chat.store if self._chat is not None else None
        if store is not None:
            self._items = await asyncio.to_thread(store.conversations)

    def _entries(self) -> list[tuple[str, str, str]]:
        current = self._chat.conversation.id if self._chat is not None else None
        return [
            (
                f"Open conversation: {info.title}",
                f"{info.started.astimezone():%Y-%m-%d %H:%M} · {info.assistant or 'assistant'}",
                info.id,
            )
            for info in self._items
            if info.id != current
        ]

    async def discover(self) -> Hits:
        for title, help_text, conversation_id in self._entries():
            yield DiscoveryHit(title, self._opener(conversation_id), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, conversation_id in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), self._opener(conversation_id), help=help_text
                )

    def _opener(self, conversation_id: str) -> Callable[[], Awaitable[None]]:
        assert self._chat is not None
        # The palette runs it with call_later, which awaits coroutines.
        return partial(self._chat.open_conversation, conversation_id)
