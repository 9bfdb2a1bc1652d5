"""Everything the trader sees before confirming a deploy, and the confirmation itself.

:func:`review_deploy` runs the preflight and the backtest gate, finds each config's diff against
its last deployed version and its money at risk, and journals the result. Only
:meth:`DeployReview.confirm` makes the :class:`ConfirmedDeploy` that
:func:`tradeagent.desk.deploy.deploy` requires: it refuses while a check fails or when the answer
is not the expected one (``y`` in SIM, the trading pair or a configured word in LIVE).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from tradeagent.desk.checks import CheckReport
from tradeagent.desk.diff import ConfigDiff, diff_against_baseline
from tradeagent.desk.gate import BacktestEvidence, GateMode, gate_checks
from tradeagent.desk.journal import Journal
from tradeagent.desk.plan import DeployPlan, PlannedController
from tradeagent.desk.preflight import preflight
from tradeagent.hb import HummingbotClient, HummingbotError, NotFound
from tradeagent.strategy import (
    ConfigError,
    Description,
    MoneyAtRisk,
    RiskPolicy,
    describe,
    parse_config,
    to_mapping,
)

Mode = Literal["SIM", "LIVE"]
SIM_ANSWER = "y"
REVIEW_TTL_S = 600.0
"""A confirmation older than this deploys nothing: the checks must be run again."""
PREFLIGHT_KIND = "preflight"
CANCEL_KIND = "deploy.cancelled"


class ConfirmationRefused(Exception):
    """The review cannot be confirmed (checks failed, wrong answer, too old); says why."""


@dataclass(frozen=True)
class ControllerReview:
    controller: PlannedController
    description: Description
    money: MoneyAtRisk
    diff: ConfigDiff
    backtest: BacktestEvidence | None

    @property
    def name(self) -> str:
        return self.controller.name


@dataclass(frozen=True)
class DeployReview:
    plan: DeployPlan
    server: str
    mode: Mode
    checks: CheckReport
    controllers: tuple[ControllerReview, ...]
    confirm_word: str
    """What to type: ``y`` in SIM; the trading pair (or the configured word) in LIVE."""
    review_id: int
    """The journal entry holding this review."""
    server_version: str = ""
    made_at: float = 0.0

    @property
    def live(self) -> bool:
        return self.mode == "LIVE"

    @property
    def can_confirm(self) -> bool:
        return self.checks.ok

    def confirm(self, answer: str) -> ConfirmedDeploy:
        """The trader's answer; raises :class:`ConfirmationRefused` unless it is the right one
        and every check passed (advisories allowed)."""
        if not self.checks.ok:
            failed = "; ".join(check.line for check in self.checks.failures[:3])
            raise ConfirmationRefused(
                f"Not deployed: {len(self.checks.failures)} check(s) failed: {failed}"
            )
        if time.monotonic() - self.made_at > REVIEW_TTL_S:
            raise ConfirmationRefused(
                "Not deployed: the checks are more than 10 minutes old. Run them again."
            )
        if answer.strip() != self.confirm_word:
            expected = f"type {self.confirm_word} exactly" if self.live else f"press {SIM_ANSWER}"
            raise ConfirmationRefused(f"Not deployed: to confirm, {expected}.")
        how = f"typed {self.confirm_word}" if self.live else f"key {SIM_ANSWER}"
        return ConfirmedDeploy(self, how, _TOKEN)

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_json(),
            "mode": self.mode,
            "server_version": self.server_version,
            "checks": self.checks.to_json(),
            "controllers": [
                {
                    "name": c.name,
                    "headline": c.description.headline,
                    "terms": c.description.terms,
                    "worst_case_loss": _plain(c.money.worst_case_loss),
                    "gross_notional": _plain(c.money.gross_notional),
                    "fees": _plain(c.money.fees),
                    "diff": c.diff.to_json(),
                    "backtest": c.backtest.to_json() if c.backtest else None,
                }
                for c in self.controllers
            ],
        }


_TOKEN = object()


class ConfirmedDeploy:
    """A review the trader confirmed. Made only by :meth:`DeployReview.confirm`."""

    def __init__(self, review: DeployReview, how: str, token: object) -> None:
        if token is not _TOKEN:
            raise ConfirmationRefused("A deploy is confirmed by DeployReview.confirm only.")
        self.review = review
        self.how = how


def confirm_word_for(plan: DeployPlan, *, live: bool, word: str = "") -> str:
    """``y`` in SIM; in LIVE the configured word, else the trading pair when every controller
    trades the same one, else the bot's name."""
    if not live:
        return SIM_ANSWER
    if word.strip():
        return word.strip()
    pairs = {c.config.pair for c in plan.controllers}
    return pairs.pop() if len(pairs) == 1 else plan.bot_name


async def review_deploy(
    client: HummingbotClient,
    journal: Journal,
    plan: DeployPlan,
    *,
    mode: Mode,
    policy: RiskPolicy,
    gate: GateMode = GateMode.AUTO,
    confirm_word: str = "",
    hyperliquid_url: str | None = None,
) -> DeployReview:
    """Preflight, gate, diffs and money at risk for ``plan``; journalled as ``preflight``."""
    live = mode == "LIVE"
    checked, saved = await asyncio.gather(
        preflight(client, plan, live=live, policy=policy, hyperliquid_url=hyperliquid_url),
        _saved_configs(client, plan.controllers),
    )
    gate_lines, evidence = gate_checks(
        journal, [(c.name, c.config_hash) for c in plan.controllers], gate, live=live
    )
    report = CheckReport.of(checked.report.checks, gate_lines)
    controllers = tuple(
        ControllerReview(
            controller=c,
            description=describe(c.config),
            money=checked.risk[c.name].money,
            diff=diff_against_baseline(journal, c.name, c.mapping, saved.get(c.name)),
            backtest=evidence.get(c.name),
        )
        for c in plan.controllers
    )
    draft = DeployReview(
        plan=plan,
        server=client.url,
        mode=mode,
        checks=report,
        controllers=controllers,
        confirm_word=confirm_word_for(plan, live=live, word=confirm_word),
        review_id=0,
        server_version=checked.server_version,
        made_at=time.monotonic(),
    )
    review_id = journal.append(
        PREFLIGHT_KIND,
        {**draft.to_json(), "ok": report.ok},
        config_hash=plan.controllers[0].config_hash if len(plan.controllers) == 1 else None,
    )
    return replace(draft, review_id=review_id)


def record_cancel(journal: Journal, review: DeployReview, reason: str) -> int:
    """The trader backed out at the confirmation: nothing was sent."""
    return journal.append(
        CANCEL_KIND,
        {"review_id": review.review_id, "bot_name": review.plan.bot_name, "reason": reason},
    )


async def _saved_configs(
    client: HummingbotClient, controllers: Sequence[PlannedController]
) -> dict[str, dict[str, Any] | HummingbotError | None]:
    """The server's saved config of each name: None when it has none, the error when it
    cannot say."""

    async def one(name: str) -> dict[str, Any] | HummingbotError | None:
        try:
            saved = await client.controller_config(name)
        except NotFound:
            return None
        except HummingbotError as exc:
            return exc
        try:
            # Hummingbot fills omitted fields with defaults: compare the config it would load.
            return to_mapping(parse_config(saved))
        except ConfigError:
            return saved

    found = await asyncio.gather(*(one(c.name) for c in controllers))
    return {c.name: config for c, config in zip(controllers, found, strict=True)}


def _plain(value: Any) -> float | None:
    return None if value is None else float(value)
