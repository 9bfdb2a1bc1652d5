"""What the backtest region shows: the run in progress or its failure, and the last result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from tradeagent.tui.backtest_options import BacktestOptions

if TYPE_CHECKING:
    from tradeagent.backtest import BacktestResult


@dataclass(frozen=True)
class BacktestStatus:
    """A backtest running, failed or cancelled: one headline, the detail, and what to do."""

    kind: Literal["running", "failed", "cancelled"]
    title: str
    detail: str
    hint: str = ""
    config_hash: str | None = None
    """The config it is about (None: no valid draft); it goes away once the draft is another."""


@dataclass(frozen=True)
class BacktestOutcome:
    """A finished backtest of one config (by hash), as the trader asked for it."""

    result: BacktestResult
    options: BacktestOptions
    elapsed_s: float
    """Wall time of the whole run: candles and engine."""
    ran_at: datetime
    journal_problem: str | None = None
    """Why the journal did not record it (the deploy gate will not see it); None when it did."""

    @property
    def config_hash(self) -> str:
        return self.result.config_hash

    def stale_for(self, current_hash: str | None) -> bool:
        """True when the draft is no longer the config that ran (edited, replaced, invalid)."""
        return current_hash != self.config_hash
