"""What the chat pane and ``tradeagent ask`` need from an assistant, Claude or offline."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import TYPE_CHECKING, Protocol

from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import AssistantEvent

if TYPE_CHECKING:
    from tradeagent.strategy import ControllerConfigBase


class Assistant(Protocol):
    @property
    def label(self) -> str:
        """What answers: the model id, or "offline assistant"."""

    def reply(
        self,
        history: Sequence[Turn],
        prompt: str,
        *,
        draft: ControllerConfigBase | None = None,
        broken_draft: str | None = None,
    ) -> AsyncGenerator[AssistantEvent, None]:
        """Stream the reply to ``prompt`` after ``history``. Close the generator to cut it.

        ``draft`` is the preview's valid draft; ``broken_draft`` its text and problems when it
        does not validate (an edit in progress), so the assistant can help fix it.
        """

    async def prepare(self) -> None:
        """Load and build what the first reply needs (SDK, client, tool schemas), off the
        event loop. Optional: ``reply`` does it too; the app calls it early to hide the wait."""

    async def aclose(self) -> None:
        """Release connections."""
