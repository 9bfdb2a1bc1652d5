"""Messages that flow up to the app. Attributes flow down; these report what happened."""

from __future__ import annotations

from textual.message import Message

from tradeagent.strategy import ControllerConfigBase
from tradeagent.tui.draft import Draft


class StrategyProposed(Message):
    """A validated config offered as the new draft (by the assistant, a template, the CLI…).

    Post it from anywhere; the app hands it to the strategy preview, which makes it the draft
    (the previous draft stays in the history, one key from a diff).
    """

    def __init__(self, config: ControllerConfigBase, source: str) -> None:
        super().__init__()
        self.config = config
        self.source = source


class DraftChanged(Message):
    """The preview's draft changed (new proposal, edit, file, template). ``draft`` may be invalid:
    gate deploy and backtest on ``draft is not None and draft.valid``."""

    def __init__(self, draft: Draft | None) -> None:
        super().__init__()
        self.draft = draft
