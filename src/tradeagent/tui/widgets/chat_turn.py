"""One turn of the chat on screen: the prompt, the reply streamed as Markdown, tool lines, outcome.

A tool line between two stretches of text ends the current reply segment, so the order on
screen is the order things happened.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import (
    AssistantEvent,
    Failed,
    Finished,
    Status,
    TextDelta,
    ToolActivity,
)
from tradeagent.tui.widgets.reply_markdown import ReplyMarkdown

_OUTCOME = {
    "cut": "✂ stopped here; what arrived is kept",
    "interrupted": "✂ interrupted: tradeagent closed while this reply streamed",
}


class TurnView(Vertical):
    DEFAULT_CSS = """
    TurnView { height: auto; margin-bottom: 1; }
    TurnView .chat-user { color: $text; text-style: bold; }
    TurnView .chat-tool { color: $text-muted; padding-left: 2; }
    TurnView .chat-tool.-failed { color: $warning; }
    TurnView .chat-status { color: $text-muted; text-style: italic; }
    TurnView .chat-meta { color: $text-muted; }
    TurnView .chat-error { color: $error; }
    """

    def __init__(self, turn: Turn) -> None:
        super().__init__(classes="chat-turn")
        self.turn = turn
        self._segment: ReplyMarkdown | None = None
        self._tools: dict[str, Static] = {}
        self._status = Static("", classes="chat-status")
        self._outcome = Static("", classes="chat-meta")

    def compose(self) -> ComposeResult:
        prompt = Text("you  ", style="bold")
        prompt.append(self.turn.prompt, style="not bold")
        yield Static(prompt, classes="chat-user")
        if self.turn.finished:
            # A turn restored from the journal: its pieces, no streaming.
            for line in self.turn.activity:
                yield Static(Text(line), classes="chat-tool")
            if self.turn.reply:
                yield ReplyMarkdown(self.turn.reply, classes="chat-reply")
        yield self._status
        yield self._outcome

    def on_mount(self) -> None:
        self._status.display = False
        if self.turn.finished:
            self.show_outcome(retry_key=None)

    @property
    def reply_source(self) -> str:
        """The reply text on screen, segment after segment."""
        return "".join(segment.source for segment in self.query(ReplyMarkdown))

    # ------------------------------------------------------------ streaming
    async def show(self, event: AssistantEvent) -> None:
        if isinstance(event, TextDelta):
            self._set_status(None)
            if self._segment is None:
                self._segment = ReplyMarkdown(classes="chat-reply")
                await self.mount(self._segment, before=self._status)
            self._segment.append(event.text)
        elif isinstance(event, Status):
            self._set_status(event.text)
        elif isinstance(event, ToolActivity):
            self._end_segment()
            line = self._tools.get(event.call_id)
            if line is None:
                line = Static(Text(event.line), classes="chat-tool")
                self._tools[event.call_id] = line
                await self.mount(line, before=self._status)
            else:
                line.update(Text(event.line))
            line.set_class(event.finished and not event.ok, "-failed")
            self._set_status(None)
        elif isinstance(event, Failed | Finished):
            self._set_status(None)

    def close(self) -> None:
        """The reply ended (any way): show every last token."""
        self._set_status(None)
        self._end_segment()

    def _end_segment(self) -> None:
        if self._segment is not None:
            self._segment.flush()
            self._segment = None

    def _set_status(self, text: str | None) -> None:
        if text:
            self._status.update(Text(text))
        self._status.display = bool(text)

    def show_outcome(self, retry_key: str | None) -> None:
        """The last line: usage and cost, or how it ended and what to do."""
        turn = self.turn
        parts: list[str] = []
        error = False
        if turn.status == "failed" and turn.error:
            parts.append("✘ " + turn.error)
            error = True
        elif turn.status in _OUTCOME:
            parts.append(_OUTCOME[turn.status])
        if turn.status != "done" and retry_key:
            parts.append(f"{retry_key} retries")
        if turn.usage is not None:
            parts.append(turn.usage.line())
        self._outcome.update(Text(" · ".join(parts)))
        self._outcome.set_class(error, "chat-error")
        self._outcome.display = bool(parts)
