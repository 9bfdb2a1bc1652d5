"""The desk: deploy, stop and watch on one server, as the CLI and the TUI both use them.

Built from plain values (the CLI and the TUI fill :class:`DeskOptions` from settings)::

    desk = Desk(client, journal, options)
    review = await desk.review(desk.plan(configs))     # preflight, gate, diff, money at risk
    outcome = await desk.deploy(review.confirm("y"))   # SIM: y; LIVE: the typed word
    verdict = await desk.watch(outcome.bot).run()
    await desk.stop(bot, StopKind.ARCHIVE)
    report = await desk.kill_switch()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from tradeagent.desk.deploy import DeployOutcome, deploy
from tradeagent.desk.gate import GateMode
from tradeagent.desk.journal import Journal
from tradeagent.desk.plan import DeployPlan, default_caps, make_plan
from tradeagent.desk.reconcile import Reconciled, reconcile
from tradeagent.desk.review import (
    SIM_ANSWER,
    ConfirmedDeploy,
    DeployReview,
    record_cancel,
    review_deploy,
)
from tradeagent.desk.stop import (
    KillSwitchReport,
    StopKind,
    StopOptions,
    Stopper,
    StopResult,
    kill_switch,
)
from tradeagent.desk.timing import REAL, Pacer
from tradeagent.desk.watch import Watch, WatchFinding, WatchOptions
from tradeagent.hb import DEFAULT_BOT_IMAGE, HummingbotClient
from tradeagent.strategy import ControllerConfigBase, RiskPolicy

Mode = Literal["SIM", "LIVE"]
KILL_WORD = "STOP"


@dataclass(frozen=True)
class DeskOptions:
    mode: Mode = "SIM"
    account: str = "master_account"
    policy: RiskPolicy = field(default_factory=RiskPolicy)
    gate: GateMode = GateMode.AUTO
    confirm_word: str = ""
    image: str = DEFAULT_BOT_IMAGE
    global_drawdown_pct: Decimal = Decimal("0.10")
    controller_drawdown_pct: Decimal = Decimal("0.05")
    watch: WatchOptions = field(default_factory=WatchOptions)
    stop: StopOptions = field(default_factory=StopOptions)
    kill_concurrency: int = 8
    hyperliquid_url: str | None = None
    """Hyperliquid's info API, read by the preflight for current leverage limits (None: not
    read; the static table decides)."""

    @property
    def live(self) -> bool:
        return self.mode == "LIVE"

    @property
    def kill_word(self) -> str:
        """What to type to fire the kill switch: ``y`` in SIM, the word (or STOP) in LIVE."""
        if not self.live:
            return SIM_ANSWER
        return self.confirm_word.strip() or KILL_WORD


class Desk:
    def __init__(
        self,
        client: HummingbotClient,
        journal: Journal,
        options: DeskOptions | None = None,
        *,
        pacer: Pacer = REAL,
    ) -> None:
        self.client = client
        self.journal = journal
        self.options = options or DeskOptions()
        self.pacer = pacer

    def plan(
        self,
        configs: Sequence[ControllerConfigBase],
        *,
        bot_name: str | None = None,
        account: str | None = None,
        max_global_drawdown_quote: Decimal | None = None,
        max_controller_drawdown_quote: Decimal | None = None,
        allow_same_name: bool = False,
    ) -> DeployPlan:
        """A plan with the defaults filled in: account, image, and caps from the settings'
        fractions of the capital when not given."""
        bot_cap, controller_cap = default_caps(
            configs, self.options.global_drawdown_pct, self.options.controller_drawdown_pct
        )
        return make_plan(
            configs,
            account=account or self.options.account,
            bot_name=bot_name,
            image=self.options.image,
            max_global_drawdown_quote=max_global_drawdown_quote or bot_cap,
            max_controller_drawdown_quote=max_controller_drawdown_quote or controller_cap,
            allow_same_name=allow_same_name,
        )

    async def review(self, plan: DeployPlan) -> DeployReview:
        return await review_deploy(
            self.client,
            self.journal,
            plan,
            mode=self.options.mode,
            policy=self.options.policy,
            gate=self.options.gate,
            confirm_word=self.options.confirm_word,
            hyperliquid_url=self.options.hyperliquid_url,
        )

    def cancel(self, review: DeployReview, reason: str = "cancelled at the confirmation") -> None:
        record_cancel(self.journal, review, reason)

    async def deploy(self, confirmed: ConfirmedDeploy) -> DeployOutcome:
        return await deploy(
            self.client,
            self.journal,
            confirmed,
            pacer=self.pacer,
            appear_s=self.options.watch.appear_s,
            poll_s=self.options.watch.poll_s,
        )

    def watch(
        self,
        bot: str,
        *,
        kinds: Mapping[str, str] | None = None,
        ref: int | None = None,
        on_finding: Callable[[WatchFinding], None] | None = None,
        duration_s: float | None = None,
    ) -> Watch:
        options = self.options.watch
        if duration_s is not None:
            options = replace(options, duration_s=duration_s)
        return Watch(
            self.client,
            self.journal,
            bot,
            options,
            kinds=kinds,
            ref=ref,
            pacer=self.pacer,
            on_finding=on_finding,
        )

    def watch_deploy(
        self,
        review: DeployReview,
        outcome: DeployOutcome,
        *,
        on_finding: Callable[[WatchFinding], None] | None = None,
        duration_s: float | None = None,
    ) -> Watch:
        """The watch of a bot just deployed from ``review``."""
        if outcome.bot is None:
            raise ValueError("nothing to watch: the deploy did not start a bot")
        kinds = {c.name: c.kind for c in review.plan.controllers}
        return self.watch(
            outcome.bot,
            kinds=kinds,
            ref=outcome.action_id,
            on_finding=on_finding,
            duration_s=duration_s,
        )

    def stopper(self) -> Stopper:
        return Stopper(self.client, self.journal, self.options.stop, pacer=self.pacer)

    async def stop(
        self, bot: str, kind: StopKind = StopKind.STOP, *, controller: str | None = None
    ) -> StopResult:
        return await self.stopper().stop(bot, kind, controller=controller)

    async def kill_switch(
        self, *, on_result: Callable[[StopResult], None] | None = None
    ) -> KillSwitchReport:
        return await kill_switch(
            self.stopper(), concurrency=self.options.kill_concurrency, on_result=on_result
        )

    async def reconcile(self) -> list[Reconciled]:
        return await reconcile(self.client, self.journal)
