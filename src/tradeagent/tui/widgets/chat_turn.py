"""One turn of the chat on screen: the prompt, the reply streamed as Markdown, tool lines, outcome.

Text streams through ``Markdown.get_stream`` (it coalesces fragments that arrive faster than the
screen updates). A tool line between two stretches of text closes the current Markdown segment,
so the order on screen is the order things happened.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import (
    AssistantEvent,
    Failed,
    Finished,
    Status,
    TextDelta,
    ToolActivity,
)

_OUTCOME = {
    "cut": "✂ stopped here; what arrived is kept",
    "interrupted": "✂ interrupted: tradeagent closed while this reply streamed",
}


class TurnView(Vertical):
    DEFAULT_CSS = """
    TurnView { height: auto; margin-bottom: 1; }
    TurnView .chat-user { color: $text; text-style: bold; }
    TurnView .chat-reply { margin: 0; padding: 0; }
    TurnView .chat-tool { color: $text-muted; padding-left: 2; }
    TurnView .chat-tool.-failed { color: $warning; }
    TurnView .chat-status { color: $text-muted; text-style: italic; }
    TurnView .chat-meta { color: $text-muted; }
    TurnView .chat-error { color: $error; }
    """

    def __init__(self, turn: Turn) -> None:
        super().__init__(classes="chat-turn")
        self.turn = turn
        self._stream: MarkdownStream | None = None
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
                yield Markdown(self.turn.reply, classes="chat-reply")
        yield self._status
        yield self._outcome

    def on_mount(self) -> None:
        self._status.display = False
        if self.turn.finished:
            self.show_outcome(retry_key=None)

    # ------------------------------------------------------------ streaming
    async def show(self, event: AssistantEvent) -> None:
        if isinstance(event, TextDelta):
            self._set_status(None)
            if self._stream is None:
                segment = Markdown(classes="chat-reply")
                await self.mount(segment, before=self._status)
                self._stream = Markdown.get_stream(segment)
            await self._stream.write(event.text)
        elif isinstance(event, Status):
            self._set_status(event.text)
        elif isinstance(event, ToolActivity):
            await self._close_segment()
            line = self._tools.get(event.call_id)
            if line is None:
                line = Static(Text(event.line), classes="chat-tool")
                self._tools[event.call_id] = line
                await self.mount(line, before=self._status)
            else:
                line.update(Text(event.line))
            line.set_class(event.finished and not event.ok, "-failed")
            self._set_status(None if event.finished else "")
        elif isinstance(event, Failed | Finished):
            self._set_status(None)

    async def close(self) -> None:
        """The reply ended (any way): flush the stream."""
        self._set_status(None)
        await self._close_segment()

    async def _close_segment(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            await stream.stop()

    def _set_status(self, text: str | None) -> None:
        if text is None:
            self._status.display = False
            return
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
