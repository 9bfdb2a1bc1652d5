"""Messages that flow up from panes and workers to the app."""

from __future__ import annotations

from textual.message import Message

from tradeagent.strategy import ControllerConfigBase


class StrategyProposed(Message):
    """A valid config was proposed (by the assistant, a template, a file): it becomes the draft."""

    def __init__(self, config: ControllerConfigBase, source: str) -> None:
        super().__init__()
        self.config = config
        self.source = source
