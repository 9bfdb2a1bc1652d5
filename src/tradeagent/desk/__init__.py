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

from tradeagent.desk.checks import Check, CheckReport, Verdict
from tradeagent.desk.deploy import DeployOutcome, DeployState
from tradeagent.desk.diff import ConfigDiff, FieldChange
from tradeagent.desk.gate import (
    BacktestEvidence,
    GateMode,
    find_backtest,
    record_backtest,
    record_result,
)
from tradeagent.desk.journal import Entry, Journal, JournalError, journal_path
from tradeagent.desk.plan import DeployPlan, PlanError, PlannedController
from tradeagent.desk.reconcile import Reconciled
from tradeagent.desk.review import (
    ConfirmationRefused,
    ConfirmedDeploy,
    ControllerReview,
    DeployReview,
)
from tradeagent.desk.service import KILL_WORD, Desk, DeskOptions
from tradeagent.desk.stop import KillSwitchReport, StopKind, StopOptions, StopResult, StopState
from tradeagent.desk.watch import FindingKind, WatchFinding, WatchOptions, WatchVerdict

__all__ = [
    "KILL_WORD",
    "BacktestEvidence",
    "Check",
    "CheckReport",
    "ConfigDiff",
    "ConfirmationRefused",
    "ConfirmedDeploy",
    "ControllerReview",
    "DeployOutcome",
    "DeployPlan",
    "DeployReview",
    "DeployState",
    "Desk",
    "DeskOptions",
    "Entry",
    "FieldChange",
    "FindingKind",
    "GateMode",
    "Journal",
    "JournalError",
    "KillSwitchReport",
    "PlanError",
    "PlannedController",
    "Reconciled",
    "StopKind",
    "StopOptions",
    "StopResult",
    "StopState",
    "Verdict",
    "WatchFinding",
    "WatchOptions",
    "WatchVerdict",
    "find_backtest",
    "journal_path",
    "record_backtest",
    "record_result",
]
