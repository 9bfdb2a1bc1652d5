"""Send a confirmed deploy: save each controller config, deploy, journal every step.

Only a :class:`~tradeagent.desk.review.ConfirmedDeploy` (a review whose checks passed and whose
confirmation the trader gave) can be deployed. The action is journalled before anything is sent;
the outcome row follows. A reply lost on the way back is never answered by sending again: the
server's bot list decides whether the bot started.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tradeagent.desk.diff import DEPLOY_KIND
from tradeagent.desk.journal import Journal
from tradeagent.desk.plan import DeployPlan
from tradeagent.desk.review import ConfirmedDeploy
from tradeagent.desk.timing import REAL, Pacer
from tradeagent.hb import (
    HummingbotClient,
    HummingbotError,
    NotApplied,
    UnconfirmedWrite,
)


class DeployState(StrEnum):
    DEPLOYED = "deployed"
    FAILED = "failed"
    """Nothing runs from this deploy."""
    UNKNOWN = "unknown"
    """The server could not tell: look at the bots list before deploying again."""


@dataclass(frozen=True)
class DeployOutcome:
    state: DeployState
    message: str
    """One or two lines for the trader."""
    bot: str | None = None
    """The bot's real name (``unique_instance_name``) once deployed."""
    action_id: int | None = None
    recovered: bool = False
    """The reply was lost and the bot was found running by checking the server."""

    @property
    def ok(self) -> bool:
        return self.state is DeployState.DEPLOYED


async def deploy(
    client: HummingbotClient,
    journal: Journal,
    confirmed: ConfirmedDeploy,
    *,
    pacer: Pacer = REAL,
    appear_s: float = 90.0,
    poll_s: float = 2.0,
) -> DeployOutcome:
    """Save the configs and deploy the bot of a confirmed review. Never raises for server
    trouble: the outcome says what happened and what to do."""
    review = confirmed.review
    plan = review.plan
    hashes = [c.config_hash for c in plan.controllers]
    try:
        # Bots already running under this name: after a lost reply or a crash, a new name
        # outside this set is the bot this deploy started.
        before = sorted(bot for bot in await client.bots_status() if plan.is_instance(bot))
        unreadable = None
    except HummingbotError as exc:
        before, unreadable = [], exc
    action_id = journal.begin(
        DEPLOY_KIND,
        {
            **plan.to_json(),
            "review_id": review.review_id,
            "confirmation": confirmed.how,
            "advisories": [c.line for c in review.checks.advisories],
            "existing": before,
        },
        config_hash=hashes[0] if len(hashes) == 1 else None,
    )

    def finish(outcome: DeployOutcome, **extra: Any) -> DeployOutcome:
        journal.finish(
            action_id,
            {DeployState.DEPLOYED: "ok", DeployState.FAILED: "failed"}.get(
                outcome.state, "unknown"
            ),
            {
                "state": outcome.state.value,
                "bot": outcome.bot,
                "message": outcome.message,
                "recovered": outcome.recovered,
                **extra,
            },
        )
        return DeployOutcome(
            outcome.state, outcome.message, outcome.bot, action_id, outcome.recovered
        )

    if unreadable is not None:
        return finish(
            DeployOutcome(
                DeployState.FAILED,
                f"Nothing was deployed: the bot list cannot be read. {unreadable}",
            ),
            stage="status",
            **_error_fields(unreadable),
        )
    for controller in plan.controllers:
        try:
            await client.save_controller_config(controller.name, controller.mapping)
        except HummingbotError as exc:
            return finish(
                DeployOutcome(
                    DeployState.FAILED,
                    f"Nothing was deployed: saving controller config '{controller.name}' "
                    f"failed. {exc}",
                ),
                stage="save",
                controller=controller.name,
                **_error_fields(exc),
            )
    try:
        result = await client.deploy(
            plan.bot_name,
            [c.name for c in plan.controllers],
            account=plan.account,
            max_global_drawdown_quote=_float(plan.max_global_drawdown_quote),
            max_controller_drawdown_quote=_float(plan.max_controller_drawdown_quote),
            image=plan.image,
        )
    except UnconfirmedWrite as exc:
        outcome = await _look_for_bot(client, plan, set(before), exc, pacer, appear_s, poll_s)
        return finish(outcome, stage="deploy", **_error_fields(exc))
    except HummingbotError as exc:
        return finish(
            DeployOutcome(DeployState.FAILED, f"Nothing was deployed. {exc}"),
            stage="deploy",
            **_error_fields(exc),
        )
    message = f"Deployed {result.unique_instance_name}."
    if result.recovered:
        message += " (The server lost the reply; the bot was found running.)"
    return finish(
        DeployOutcome(
            DeployState.DEPLOYED, message, result.unique_instance_name, recovered=result.recovered
        ),
        server_message=result.message,
        controllers_deployed=result.controllers_deployed,
    )


async def _look_for_bot(
    client: HummingbotClient,
    plan: DeployPlan,
    before: set[str],
    lost: UnconfirmedWrite,
    pacer: Pacer,
    appear_s: float,
    poll_s: float,
) -> DeployOutcome:
    """The reply to the deploy was lost and the client's own check found nothing (yet). A slow
    Docker may still be creating the container: watch the bot list for a while, never
    re-sending the deploy."""
    deadline = pacer.now() + appear_s
    last_error: HummingbotError | None = None
    while True:
        try:
            new = sorted(bot for bot in await client.bots_status() if plan.is_instance(bot))
            new = [bot for bot in new if bot not in before]
            last_error = None
        except HummingbotError as exc:
            new, last_error = [], exc
        if new:
            return DeployOutcome(
                DeployState.DEPLOYED,
                f"Deployed {new[-1]}. (The server lost the reply; the bot was found running.)",
                new[-1],
                recovered=True,
            )
        if pacer.now() >= deadline:
            break
        await pacer.sleep(poll_s)
    if isinstance(lost, NotApplied) and last_error is None:
        return DeployOutcome(
            DeployState.FAILED,
            f"The server lost the reply to the deploy and no bot named {plan.bot_name}-… "
            f"appeared within {appear_s:g} s: nothing runs from it. It is safe to deploy again.",
        )
    reason = f" ({last_error})" if last_error else ""
    return DeployOutcome(
        DeployState.UNKNOWN,
        f"The server lost the reply to the deploy and cannot be checked{reason}. Look at the "
        "bots list before deploying again: a second deploy would start a second bot.",
    )


def _error_fields(exc: HummingbotError) -> dict[str, Any]:
    return {
        "error": str(exc),
        "error_type": type(exc).__name__,
        "status_code": exc.status_code,
        "server_text": exc.server_text,
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
