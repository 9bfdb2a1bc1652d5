"""Deploy, stop, kill switch, journal and crash reconciliation in the app: each flow a worker
that walks the trader through the desk's steps with modal screens and notifications.

The app owns one :class:`DeskFlows` and calls it from its actions; everything the flows need
(the Hummingbot client, the journal) is handed in, so the app's edits stay small.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.message import Message
from textual.worker import Worker, WorkerState

from tradeagent.desk.journal import Journal, JournalError, journal_path
from tradeagent.desk.stop import StopKind, StopResult
from tradeagent.desk.timing import REAL, Pacer
from tradeagent.hb import HummingbotError
from tradeagent.settings import Settings
from tradeagent.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    # The flows' machinery loads on first use, not with the app's first frame.
    from tradeagent.desk.service import Desk
    from tradeagent.desk.watch import Watch, WatchFinding, WatchVerdict
    from tradeagent.hb import HummingbotClient
    from tradeagent.strategy import ControllerConfigBase
    from tradeagent.tui.screens.deploy_confirm import DeployDecision

DEPLOY_GROUP = "deploy"
STOP_GROUP = "stop"
KILL_GROUP = "kill-switch"
WATCH_GROUP = "watch"
RECONCILE_WAIT_S = 60.0
"""How long the start-up reconciliation waits for the server connection."""


class DeskEvent(Message):
    """Something the desk did or saw that the bots pane (and its detail) may show."""

    def __init__(
        self,
        bot: str,
        *,
        deployed: bool = False,
        finding: WatchFinding | None = None,
        verdict: WatchVerdict | None = None,
        stop_result: StopResult | None = None,
    ) -> None:
        super().__init__()
        self.bot = bot
        self.deployed = deployed
        self.finding = finding
        self.verdict = verdict
        self.stop_result = stop_result


@dataclass(frozen=True)
class StopChoice:
    kind: StopKind
    controller: str | None = None

    def describe(self, bot: str) -> str:
        if self.kind is StopKind.ARCHIVE:
            return (
                f"Stop {bot}, cancel its open orders, remove its container and archive its files?"
            )
        if self.kind is StopKind.CONTROLLER:
            return (
                f"Stop controller {self.controller} of {bot} (its kill switch)? The others go on."
            )
        return f"Stop {bot} and cancel its open orders? Its container keeps running."


class StopRequested(Message):
    """Stop ``bot`` this way (from the bot detail's keys); the app runs the stop flow."""

    def __init__(self, bot: str, choice: StopChoice, controllers: Sequence[str] = ()) -> None:
        super().__init__()
        self.bot = bot
        self.choice = choice
        self.controllers = tuple(controllers)


@dataclass
class WatchState:
    """The latest the watch said about one bot."""

    finding: WatchFinding | None = None
    verdict: WatchVerdict | None = None

    @property
    def line(self) -> str:
        if self.verdict is not None:
            return self.verdict.summary
        return self.finding.message if self.finding is not None else "watching…"


class DeskFlows:
    def __init__(
        self,
        app: App[None],
        settings: Settings,
        *,
        client: Callable[[], HummingbotClient | None],
        journal: Journal | None,
        pacer: Pacer = REAL,
    ) -> None:
        self.app = app
        self.settings = settings
        self.client = client
        self.journal = journal
        self.pacer = pacer
        self.watches: dict[str, WatchState] = {}
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    # -- state -----------------------------------------------------------------------------

    def busy(self, *groups: str) -> bool:
        """A flow of one of ``groups`` (any flow when none given) is in flight."""
        wanted = set(groups or (DEPLOY_GROUP, STOP_GROUP, KILL_GROUP))
        return any(
            worker.group in wanted and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in self.app.workers
        )

    def watch_line(self, bot: str) -> str | None:
        """What the post-deploy watch last said about ``bot``; None if it was not watched."""
        state = self.watches.get(bot)
        return state.line if state is not None else None

    def _desk(self, what: str, *, journal_required: bool) -> Desk | None:
        from tradeagent.desk.service import Desk
        from tradeagent.desk_setup import desk_options

        client = self.client()
        if client is None:
            self.app.notify(
                f"{what}: not connected to a Hummingbot API yet. Wait for the connection "
                "(header), or check hummingbot.url.",
                title=what,
                severity="error",
            )
            return None
        journal = self.journal
        if journal is None and journal_required:
            self.app.notify(
                f"{what} refused: the journal cannot be written, and every deploy is "
                "journalled. Fix paths.data_dir (see the start-up message), then restart.",
                title=what,
                severity="error",
                timeout=15,
            )
            return None
        if journal is None:
            journal = self._scratch_journal(client.url)
            self.app.notify(
                f"The journal cannot be written: this {what.lower()} is recorded in "
                f"{journal.path} only.",
                severity="warning",
            )
        return Desk(client, journal, desk_options(self.settings), pacer=self.pacer)

    def _scratch_journal(self, server: str) -> Journal:
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="tradeagent-journal-")
        return Journal(
            journal_path(Path(self._scratch.name)), server=server, mode=self.settings.mode
        )

    # -- deploy ----------------------------------------------------------------------------

    def deploy(self, config: ControllerConfigBase) -> Worker[None]:
        return self.app.run_worker(
            self._deploy(config),
            group=DEPLOY_GROUP,
            exclusive=True,
            exit_on_error=False,
            description=f"deploy of {config.id}",
        )

    async def _deploy(self, config: ControllerConfigBase) -> None:
        from tradeagent.desk.deploy import DeployState
        from tradeagent.tui.screens.deploy_confirm import DeployConfirmScreen

        desk = self._desk("Deploy", journal_required=True)
        if desk is None:
            return
        allow_same_name = False
        while True:
            self.app.notify(f"Checking {config.id} before deploying…", timeout=3)
            review = await desk.review(desk.plan([config], allow_same_name=allow_same_name))
            decision: DeployDecision = await self.app.push_screen_wait(DeployConfirmScreen(review))
            if not decision.allow_same_name:
                break
            allow_same_name = True
        if decision.confirmed is None:
            desk.cancel(review)
            self.app.notify("Deploy cancelled: nothing was sent.", title="Deploy")
            return
        self.app.notify(f"Deploying {review.plan.bot_name}…", timeout=3)
        outcome = await desk.deploy(decision.confirmed)
        if not outcome.ok:
            title = "Deploy failed" if outcome.state is DeployState.FAILED else "Deploy unclear"
            self.app.notify(outcome.message, title=title, severity="error", timeout=30)
            return
        assert outcome.bot is not None
        self.app.notify(outcome.message, title="Deployed")
        self.app.post_message(DeskEvent(outcome.bot, deployed=True))
        self.watches[outcome.bot] = WatchState()
        watch = desk.watch_deploy(review, outcome, on_finding=self._finding)
        self.app.run_worker(
            self._watch(watch, outcome.bot),
            group=WATCH_GROUP,
            exit_on_error=False,
            description=f"watch of {outcome.bot}",
        )

    async def _watch(self, watch: Watch, bot: str) -> None:
        verdict = await watch.run()
        self.watches[bot] = WatchState(self.watches[bot].finding, verdict)
        severity = {"passed": "information", "warnings": "warning", "failed": "error"}
        self.app.notify(
            verdict.summary,
            title=f"Watch · {bot}",
            severity=severity[verdict.verdict],  # type: ignore[arg-type]
            timeout=15 if verdict.passed else 30,
        )
        self.app.post_message(DeskEvent(bot, verdict=verdict))

    def _finding(self, finding: WatchFinding) -> None:
        self.watches[finding.bot] = WatchState(finding, None)
        severity = {"info": "information", "warning": "warning", "error": "error"}
        self.app.notify(
            finding.message,
            title=f"Watch · {finding.bot}",
            severity=severity[finding.severity],  # type: ignore[arg-type]
            timeout=8 if finding.severity == "info" else 30,
        )
        self.app.post_message(DeskEvent(finding.bot, finding=finding))

    # -- stop ------------------------------------------------------------------------------

    def stop(
        self, bot: str, controllers: Sequence[str], choice: StopChoice | None = None
    ) -> Worker[None]:
        """Ask how to stop ``bot`` (unless ``choice`` says), confirm, stop, verify."""
        return self.app.run_worker(
            self._stop(bot, list(controllers), choice),
            group=STOP_GROUP,
            exclusive=True,
            exit_on_error=False,
            description=f"stop of {bot}",
        )

    async def _stop(self, bot: str, controllers: list[str], choice: StopChoice | None) -> None:
        from tradeagent.tui.screens.stop_screens import StopChoiceScreen

        if choice is None:
            choice = await self.app.push_screen_wait(StopChoiceScreen(bot, controllers))
        if choice is None:
            return
        sure = await self.app.push_screen_wait(
            ConfirmScreen(f"Stop · {bot}", choice.describe(bot), yes="Stop")
        )
        if not sure:
            self.app.notify("Nothing was stopped.", title="Stop")
            return
        desk = self._desk("Stop", journal_required=False)
        if desk is None:
            return
        while True:
            self.app.notify(f"Stopping {bot}, then checking it stopped…", timeout=3)
            result = await desk.stop(bot, choice.kind, controller=choice.controller)
            self.app.post_message(DeskEvent(bot, stop_result=result))
            if result.ok:
                self.app.notify(result.message, title="Stopped")
                return
            retry = await self.app.push_screen_wait(
                ConfirmScreen(
                    "Stop not confirmed",
                    f"{result.message}\n\nSend the stop again?",
                    yes="Retry",
                )
            )
            if not retry:
                self.app.notify(result.message, title="Stop", severity="error", timeout=30)
                return

    # -- kill switch -----------------------------------------------------------------------

    def kill_switch(self) -> Worker[None]:
        return self.app.run_worker(
            self._kill_switch(),
            group=KILL_GROUP,
            exclusive=True,
            exit_on_error=False,
            description="kill switch",
        )

    async def _kill_switch(self) -> None:
        from tradeagent.tui.screens.stop_screens import (
            KillSwitchConfirmScreen,
            KillSwitchReportScreen,
        )

        desk = self._desk("Kill switch", journal_required=False)
        if desk is None:
            return
        try:
            bots = sorted(await desk.client.bots_status())
        except HummingbotError as exc:
            self.app.notify(
                f"Kill switch: cannot list the bots, nothing was stopped. {exc}",
                title="Kill switch",
                severity="error",
                timeout=30,
            )
            return
        options = desk.options
        confirmed = await self.app.push_screen_wait(
            KillSwitchConfirmScreen(
                desk.client.url, bots, live=options.live, word=options.kill_word
            )
        )
        if not confirmed:
            desk.journal.append("kill_switch.cancelled", {"bots": bots})
            self.app.notify("Kill switch cancelled: nothing was stopped.", title="Kill switch")
            return
        screen = KillSwitchReportScreen(bots)
        await self.app.push_screen(screen)

        def shown(result: StopResult) -> None:
            if screen.is_attached:
                screen.add_result(result)

        report = await desk.kill_switch(on_result=shown)
        if screen.is_attached:
            screen.finish(report)
        self.app.notify(
            report.summary,
            title="Kill switch",
            severity="information" if report.ok else "error",
            timeout=15 if report.ok else 60,
        )

    # -- journal and crash reconciliation --------------------------------------------------

    def open_journal(self) -> None:
        from tradeagent.tui.screens.journal import JournalScreen

        if self.journal is None:
            self.app.notify("The journal could not be opened this session.", severity="error")
            return
        self.app.push_screen(JournalScreen(self.journal))

    def reconcile_on_start(self) -> Worker[None] | None:
        """Settle actions a crash left without outcome, once the server is connected (read off
        the first frame: the journal may be large)."""
        if self.journal is None:
            return None
        return self.app.run_worker(
            self._reconcile(), group="reconcile", exit_on_error=False, description="reconcile"
        )

    async def _reconcile(self) -> None:
        assert self.journal is not None
        try:
            pending = await asyncio.to_thread(self.journal.unfinished)
        except JournalError as exc:
            self.app.notify(str(exc), title="Journal", severity="error")
            return
        if not pending:
            return
        from tradeagent.desk.reconcile import UNKNOWN, describe_action

        for entry in pending:
            self.app.notify(
                f"{describe_action(entry)}: {UNKNOWN}. Checking it against the server…",
                title="After a crash",
                severity="warning",
                timeout=30,
            )
        waited = 0.0
        while self.client() is None and waited < RECONCILE_WAIT_S:
            await asyncio.sleep(0.5)
            waited += 0.5
        if self.client() is None:
            self.app.notify(
                f"Not connected: {len(pending)} action(s) stay {UNKNOWN}; they are checked "
                "again at the next start.",
                title="After a crash",
                severity="error",
                timeout=60,
            )
            return
        desk = self._desk("Reconcile", journal_required=True)
        if desk is None:
            return
        for found in await desk.reconcile():
            unclear = found.outcome in {"unknown", "reconciled:still_running"}
            self.app.notify(
                found.message,
                title="After a crash",
                severity="error" if unclear else "warning",
                timeout=60,
            )
