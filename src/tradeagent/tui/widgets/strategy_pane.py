"""The strategy preview pane: the current draft, its summary, money at risk and verdicts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tradeagent.tui.widgets.pane import Pane


class StrategyPane(Pane):
    PANE_TITLE = "Strategy"
    PRIMARY = "#strategy-body"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="strategy-body", can_focus=True):
            yield Static(
                "No draft yet. Ask the assistant in the chat, or open a YAML file: "
                "tradeagent my_config.yml",
                id="strategy-empty",
            )
