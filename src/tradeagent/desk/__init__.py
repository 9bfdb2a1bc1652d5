"""The operations both faces (CLI and TUI) share: preflight, backtest gate, confirmation,
deploy, stop, kill switch, post-deploy watch, crash reconciliation, and the journal.

Takes plain values (never settings). Start from :class:`Desk` (``tradeagent.desk.service``):

- ``desk.plan(configs, bot_name=, account=, ...)`` -> :class:`DeployPlan` (caps defaulted);
- ``await desk.review(plan)`` -> :class:`DeployReview`: every check as a line (``.checks``),
  each controller's summary, money at risk, diff and backtest; journalled as ``preflight``;
- ``review.confirm(answer)`` -> :class:`ConfirmedDeploy` (``y`` in SIM, ``review.confirm_word``
  typed in LIVE; refused while a check fails) -- the only way to reach ``desk.deploy``;
- ``await desk.deploy(confirmed)`` -> :class:`DeployOutcome`; ``desk.watch_deploy(...).run()``;
- ``await desk.stop(bot, StopKind.STOP | ARCHIVE | CONTROLLER, controller=)`` -> verified
  :class:`StopResult`; ``await desk.kill_switch()`` -> :class:`KillSwitchReport`;
- ``await desk.reconcile()`` on start: actions begun but never finished, settled.

Backtests are journalled with :func:`record_result` (an engine result) or
:func:`record_backtest` (any result's JSON form); the gate reads them by config hash.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradeagent.desk.checks import (
        Check as Check,
    )
    from tradeagent.desk.checks import (
        CheckReport as CheckReport,
    )
    from tradeagent.desk.checks import (
        Verdict as Verdict,
    )
    from tradeagent.desk.deploy import (
        DeployOutcome as DeployOutcome,
    )
    from tradeagent.desk.deploy import (
        DeployState as DeployState,
    )
    from tradeagent.desk.diff import (
        ConfigDiff as ConfigDiff,
    )
    from tradeagent.desk.diff import (
        FieldChange as FieldChange,
    )
    from tradeagent.desk.gate import (
        BacktestEvidence as BacktestEvidence,
    )
    from tradeagent.desk.gate import (
        GateMode as GateMode,
    )
    from tradeagent.desk.gate import (
        find_backtest as find_backtest,
    )
    from tradeagent.desk.gate import (
        record_backtest as record_backtest,
    )
    from tradeagent.desk.gate import (
        record_result as record_result,
    )
    from tradeagent.desk.journal import (
        Entry as Entry,
    )
    from tradeagent.desk.journal import (
        Journal as Journal,
    )
    from tradeagent.desk.journal import (
        JournalError as JournalError,
    )
    from tradeagent.desk.journal import (
        journal_path as journal_path,
    )
    from tradeagent.desk.plan import (
        DeployPlan as DeployPlan,
    )
    from tradeagent.desk.plan import (
        PlanError as PlanError,
    )
    from tradeagent.desk.plan import (
        PlannedController as PlannedController,
    )
    from tradeagent.desk.reconcile import (
        Reconciled as Reconciled,
    )
    from tradeagent.desk.review import (
        ConfirmationRefused as ConfirmationRefused,
    )
    from tradeagent.desk.review import (
        ConfirmedDeploy as ConfirmedDeploy,
    )
    from tradeagent.desk.review import (
        ControllerReview as ControllerReview,
    )
    from tradeagent.desk.review import (
        DeployReview as DeployReview,
    )
    from tradeagent.desk.service import (
        KILL_WORD as KILL_WORD,
    )
    from tradeagent.desk.service import (
        Desk as Desk,
    )
    from tradeagent.desk.service import (
        DeskOptions as DeskOptions,
    )
    from tradeagent.desk.stop import (
        KillSwitchReport as KillSwitchReport,
    )
    from tradeagent.desk.stop import (
        StopKind as StopKind,
    )
    from tradeagent.desk.stop import (
        StopOptions as StopOptions,
    )
    from tradeagent.desk.stop import (
        StopResult as StopResult,
    )
    from tradeagent.desk.stop import (
        StopState as StopState,
    )
    from tradeagent.desk.watch import (
        FindingKind as FindingKind,
    )
    from tradeagent.desk.watch import (
        WatchFinding as WatchFinding,
    )
    from tradeagent.desk.watch import (
        WatchOptions as WatchOptions,
    )
    from tradeagent.desk.watch import (
        WatchVerdict as WatchVerdict,
    )

_WHERE: dict[str, str] = {
    "BacktestEvidence": "tradeagent.desk.gate",
    "Check": "tradeagent.desk.checks",
    "CheckReport": "tradeagent.desk.checks",
    "ConfigDiff": "tradeagent.desk.diff",
    "ConfirmationRefused": "tradeagent.desk.review",
    "ConfirmedDeploy": "tradeagent.desk.review",
    "ControllerReview": "tradeagent.desk.review",
    "DeployOutcome": "tradeagent.desk.deploy",
    "DeployPlan": "tradeagent.desk.plan",
    "DeployReview": "tradeagent.desk.review",
    "DeployState": "tradeagent.desk.deploy",
    "Desk": "tradeagent.desk.service",
    "DeskOptions": "tradeagent.desk.service",
    "Entry": "tradeagent.desk.journal",
    "FieldChange": "tradeagent.desk.diff",
    "FindingKind": "tradeagent.desk.watch",
    "GateMode": "tradeagent.desk.gate",
    "Journal": "tradeagent.desk.journal",
    "JournalError": "tradeagent.desk.journal",
    "KILL_WORD": "tradeagent.desk.service",
    "KillSwitchReport": "tradeagent.desk.stop",
    "PlanError": "tradeagent.desk.plan",
    "PlannedController": "tradeagent.desk.plan",
    "Reconciled": "tradeagent.desk.reconcile",
    "StopKind": "tradeagent.desk.stop",
    "StopOptions": "tradeagent.desk.stop",
    "StopResult": "tradeagent.desk.stop",
    "StopState": "tradeagent.desk.stop",
    "Verdict": "tradeagent.desk.checks",
    "WatchFinding": "tradeagent.desk.watch",
    "WatchOptions": "tradeagent.desk.watch",
    "WatchVerdict": "tradeagent.desk.watch",
    "find_backtest": "tradeagent.desk.gate",
    "journal_path": "tradeagent.desk.journal",
    "record_backtest": "tradeagent.desk.gate",
    "record_result": "tradeagent.desk.gate",
}
"""Where each public name lives. Loaded on first use, so importing one module of the
desk (the journal, at start-up) does not load the others (and the backtest engine)."""

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
