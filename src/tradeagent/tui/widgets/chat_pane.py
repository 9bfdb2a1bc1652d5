"""The chat pane: the conversation with the assistant and the prompt."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from tradeagent.tui.widgets.pane import Pane


class ChatPane(Pane):
    PANE_TITLE = "Chat"
    PRIMARY = "#prompt"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="chat-log"):
            yield Static(
                "Describe a strategy in plain words, e.g. "
                "[i]mean reversion on BTC perp on Hyperliquid, $500, 2% stop[/i].",
                classes="chat-hint",
            )
        yield Input(placeholder="ask anything · Enter send · Esc stop", id="prompt")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#chat-log", VerticalScroll).anchor()
