"""Stop a bot (or one of its controllers), then make sure it really stopped.

The server answers a stop as soon as it has published the command; it never waits for the bot.
So every stop here is journalled, sent once, then verified by polling status:

- *stop*: the bot's strategy stops and its open orders are cancelled; the container stays.
  Verified when the bot's own final report (every controller's performance empty) has been
  seen for a few seconds: right after the command the server clears the reports and shows
  "stopped" even for a bot that ignores the command, so that alone proves nothing.
- *archive*: stop with order cancellation, then the server stops and removes the container and
  archives its files (20-30 s in the background). Verified when the bot has left the active list
  and its run is marked ARCHIVED.
- *controller*: the controller's ``manual_kill_switch`` is set in the running bot. Verified when
  the bot's copy of the config shows it and the controller holds no position any more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tradeagent.desk.journal import Journal
from tradeagent.desk.status_feed import StatusFeed
from tradeagent.desk.timing import REAL, Pacer
from tradeagent.hb import (
    BotStatus,
    HummingbotError,
    NotFound,
    UnconfirmedWrite,
)

if TYPE_CHECKING:
    from tradeagent.hb import HummingbotClient

SETTLE_S = 3.0
"""How long a stopped state must hold before it counts: bots report about every second."""


class StopKind(StrEnum):
    STOP = "stop"
    ARCHIVE = "archive"
    CONTROLLER = "controller"


class StopState(StrEnum):
    STOPPED = "stopped"
    """The bot (or controller) confirmed it stopped."""
    ARCHIVED = "archived"
    GONE = "gone"
    """Not on the server any more: nothing of it runs."""
    STILL_RUNNING = "still_running"
    """The command went out but the bot still runs at the deadline."""
    UNCONFIRMED = "unconfirmed"
    """The command went out but the server could not show the result (down, or the bot silent)."""
    NOT_SENT = "not_sent"
    """The command failed: nothing changed."""


OK_STATES = frozenset({StopState.STOPPED, StopState.ARCHIVED, StopState.GONE})


@dataclass(frozen=True)
class StopOptions:
    timeout_s: float = 30.0
    archive_timeout_s: float = 90.0
    poll_s: float = 1.0
    settle_s: float = SETTLE_S


@dataclass(frozen=True)
class StopResult:
    bot: str
    kind: StopKind
    state: StopState
    message: str
    """One line for the trader: what happened and, if it did not work, what to do."""
    controller: str | None = None
    action_id: int | None = None
    recovered: bool = False
    """The server lost the reply to the command; the result comes from checking its state."""

    @property
    def ok(self) -> bool:
        return self.state in OK_STATES

    @property
    def retry_advised(self) -> bool:
        return not self.ok

    @property
    def outcome(self) -> str:
        """The journal outcome: ok, failed or unknown."""
        if self.ok:
            return "ok"
        return "unknown" if self.state is StopState.UNCONFIRMED else "failed"

    def to_json(self) -> dict[str, Any]:
        return {
            "bot": self.bot,
            "kind": self.kind.value,
            "controller": self.controller,
            "state": self.state.value,
            "message": self.message,
            "recovered": self.recovered,
        }


@dataclass
class _Seen:
    """What polling observed, for the verdict at the deadline."""

    running: bool = False
    error: str = ""
    silent: bool = False
    detail: str = ""
    since: float | None = None
    polls: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class Stopper:
    """Stops bots on one server, journalling each stop and verifying its result."""

    def __init__(
        self,
        client: HummingbotClient,
        journal: Journal,
        options: StopOptions | None = None,
        *,
        pacer: Pacer = REAL,
        feed: StatusFeed | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.options = options or StopOptions()
        self.pacer = pacer
        self.feed = feed or StatusFeed(client, pacer, max_age=self.options.poll_s / 2)

    async def stop(
        self,
        bot: str,
        kind: StopKind = StopKind.STOP,
        *,
        controller: str | None = None,
        ref: int | None = None,
    ) -> StopResult:
        """Journal, send once, verify. Never raises for server trouble: the result says it."""
        if kind is StopKind.CONTROLLER and not controller:
            raise ValueError("stopping one controller needs the controller's name")
        request = {
            "bot": bot,
            "kind": kind.value,
            "controller": controller,
            "skip_order_cancellation": False,
        }
        action_id = self.journal.begin("stop", request, ref=ref)
        result = await self._stop(bot, kind, controller)
        result = StopResult(
            bot=result.bot,
            kind=result.kind,
            state=result.state,
            message=result.message,
            controller=result.controller,
            action_id=action_id,
            recovered=result.recovered,
        )
        self.journal.finish(action_id, result.outcome, result.to_json())
        return result

    async def _stop(self, bot: str, kind: StopKind, controller: str | None) -> StopResult:
        def result(state: StopState, message: str, recovered: bool = False) -> StopResult:
            return StopResult(bot, kind, state, message, controller, recovered=recovered)

        recovered = False
        try:
            if kind is StopKind.STOP:
                ack = await self.client.stop_bot(bot, skip_order_cancellation=False)
            elif kind is StopKind.ARCHIVE:
                ack = await self.client.stop_and_archive_bot(bot, skip_order_cancellation=False)
            else:
                assert controller is not None
                ack = await self.client.stop_controller(bot, controller)
            recovered = ack.recovered
        except NotFound as exc:
            return await self._not_found(bot, kind, controller, exc)
        except UnconfirmedWrite:
            # The reply was lost: whether it took effect is for the verification to show.
            recovered = True
        except HummingbotError as exc:
            return result(StopState.NOT_SENT, f"Nothing was stopped: {exc}")
        if kind is StopKind.STOP:
            state, message = await self._verify_stopped(bot)
        elif kind is StopKind.ARCHIVE:
            state, message = await self._verify_archived(bot)
        else:
            assert controller is not None
            state, message = await self._verify_controller(bot, controller)
        if recovered and state not in OK_STATES:
            message = f"The server lost the reply to the stop. {message}"
        return result(state, message, recovered)

    async def _not_found(
        self, bot: str, kind: StopKind, controller: str | None, exc: NotFound
    ) -> StopResult:
        try:
            listed = bot in await self.client.bots_status()
        except HummingbotError:
            listed = True  # cannot tell: do not claim it is gone
        if kind is StopKind.CONTROLLER and listed:
            state, message = (
                StopState.NOT_SENT,
                f"Nothing was stopped: {exc} The bot runs, but the server has no controller "
                f"config '{controller}' in it; check the name in the bot's detail.",
            )
        elif listed:
            state, message = (
                StopState.NOT_SENT,
                f"Nothing was stopped: {exc} The server still lists {bot} but cannot reach it "
                "over MQTT. Stop its container on the API host (`docker stop " + bot + "`) "
                "and check the exchange for open orders.",
            )
        else:
            state, message = StopState.GONE, f"{bot} is not on the server any more."
        return StopResult(bot, kind, state, message, controller)

    # -- verification -------------------------------------------------------------------

    async def _poll(
        self, deadline_s: float, probe: Callable[[_Seen], Awaitable[bool]]
    ) -> tuple[bool, _Seen]:
        """Call ``probe`` every poll until it reports success for ``settle_s``, or time is up."""
        seen = _Seen()
        deadline = self.pacer.now() + deadline_s
        while True:
            now = self.pacer.now()
            try:
                good = await probe(seen)
                seen.error = ""
            except HummingbotError as exc:
                good = False
                seen.error = str(exc)
            seen.polls += 1
            if good:
                seen.since = now if seen.since is None else seen.since
                if now - seen.since >= self.options.settle_s:
                    return True, seen
            else:
                seen.since = None
            if now >= deadline:
                return False, seen
            await self.pacer.sleep(self.options.poll_s)

    async def _verify_stopped(self, bot: str) -> tuple[StopState, str]:
        async def probe(seen: _Seen) -> bool:
            status = (await self.feed.get()).get(bot)
            if status is None:
                seen.extra["gone"] = True
                return True
            seen.extra["gone"] = False
            seen.running = status.is_running
            seen.silent = not status.recently_active
            # Only the bot's own final report proves it stopped (see the module docstring).
            return _confirmed_stopped(status)

        done, seen = await self._poll(self.options.timeout_s, probe)
        timeout = f"{self.options.timeout_s:g} s"
        if done and seen.extra.get("gone"):
            return StopState.GONE, f"{bot} left the server's bot list; nothing of it runs."
        if done:
            return (
                StopState.STOPPED,
                f"{bot} stopped and confirmed it; its open orders were cancelled.",
            )
        if seen.error:
            return (
                StopState.UNCONFIRMED,
                f"The stop of {bot} was sent, but its status cannot be read ({seen.error}). "
                "Check the bots list before trusting it stopped.",
            )
        if seen.running:
            return (
                StopState.STILL_RUNNING,
                f"{bot} still runs {timeout} after the stop. Retry, or stop and archive it "
                "(its container is then removed).",
            )
        why = "it sends nothing at all (hung?)" if seen.silent else "it never confirmed"
        return (
            StopState.UNCONFIRMED,
            f"The server shows {bot} stopped, but {why} within {timeout}. Check its logs, or "
            "stop and archive it, and check the exchange for open orders.",
        )

    async def _verify_archived(self, bot: str) -> tuple[StopState, str]:
        async def left(seen: _Seen) -> bool:
            status = (await self.feed.get()).get(bot)
            seen.running = status is not None and status.is_running
            return status is None

        done, seen = await self._poll(self.options.timeout_s, left)
        if not done:
            if seen.error:
                return (
                    StopState.UNCONFIRMED,
                    f"Stop and archive of {bot} was sent, but the bots list cannot be read "
                    f"({seen.error}). Check it before trusting the bot stopped.",
                )
            return (
                StopState.STILL_RUNNING,
                f"{bot} is still in the server's bot list {self.options.timeout_s:g} s after "
                "stop and archive. Retry, or stop its container on the API host.",
            )

        async def archived(seen: _Seen) -> bool:
            runs = await self.client.bot_runs(bot_name=bot, limit=5)
            states = {run.deployment_status for run in runs.data if run.bot_name == bot}
            seen.detail = ", ".join(sorted(states))
            return "ARCHIVED" in states

        # Archiving takes 20-30 s on a real server; a settled "left the list" is enough to
        # start, the archive check then has the rest of its own deadline.
        remaining = max(0.0, self.options.archive_timeout_s - self.options.timeout_s)
        done, seen = await self._poll(max(remaining, self.options.poll_s), archived)
        if done:
            return StopState.ARCHIVED, f"{bot} stopped, its orders cancelled, and archived."
        return (
            StopState.UNCONFIRMED,
            f"{bot} left the bots list, but the server has not marked it archived yet"
            + (f" (run: {seen.detail})" if seen.detail else "")
            + ". Its container may still be shutting down: look again in a minute.",
        )

    async def _verify_controller(self, bot: str, controller: str) -> tuple[StopState, str]:
        async def probe(seen: _Seen) -> bool:
            configs = await self.client.bot_controller_configs(bot)
            mine = [c for c in configs if controller in (c.get("_config_name"), c.get("id"))]
            if not mine or mine[0].get("manual_kill_switch") is not True:
                seen.detail = "the bot's config does not show the kill switch"
                seen.running = True
                return False
            status = (await self.feed.get()).get(bot)
            if status is None:
                seen.extra["gone"] = True
                return True
            held = _open_positions(status, controller)
            seen.running = held > 0
            seen.detail = f"it still holds {held} position(s)" if held else ""
            return held == 0

        done, seen = await self._poll(self.options.timeout_s, probe)
        if done and seen.extra.get("gone"):
            return StopState.GONE, f"{bot} left the server's bot list; nothing of it runs."
        if done:
            return (
                StopState.STOPPED,
                f"Controller {controller} of {bot} stopped (kill switch); it holds no position. "
                "The bot's other controllers go on.",
            )
        if seen.error:
            return (
                StopState.UNCONFIRMED,
                f"The kill switch of {controller} was sent, but {bot} cannot be checked "
                f"({seen.error}).",
            )
        return (
            StopState.STILL_RUNNING,
            f"Controller {controller} of {bot} has not stopped within "
            f"{self.options.timeout_s:g} s: {seen.detail}. Retry, or stop the whole bot.",
        )


def _confirmed_stopped(status: BotStatus) -> bool:
    """The bot sent its final report: the server says running, every controller empty."""
    return status.status == "running" and not status.is_running and bool(status.performance)


def _open_positions(status: BotStatus, controller: str) -> int:
    report = status.performance.get(controller)
    if report is None or report.performance is None:
        return 0
    return sum(1 for p in report.performance.positions_summary if abs(p.amount) > 0)


@dataclass(frozen=True)
class KillSwitchReport:
    """Every bot's stop result; ``listing_error`` when the bots could not even be listed."""

    results: tuple[StopResult, ...]
    action_id: int | None
    listing_error: str = ""

    @property
    def failed(self) -> tuple[StopResult, ...]:
        return tuple(r for r in self.results if not r.ok)

    @property
    def ok(self) -> bool:
        return not self.listing_error and not self.failed

    @property
    def summary(self) -> str:
        if self.listing_error:
            return f"Kill switch: nothing was stopped. {self.listing_error}"
        if not self.results:
            return "Kill switch: no bot runs on the server; nothing to stop."
        stopped = len(self.results) - len(self.failed)
        text = f"Kill switch: {stopped} of {len(self.results)} bots stopped and verified."
        if self.failed:
            text += f" {len(self.failed)} NOT confirmed: " + ", ".join(
                f"{r.bot} ({r.state.value})" for r in self.failed
            )
        return text


async def kill_switch(
    stopper: Stopper, *, concurrency: int = 8, on_result: Callable[[StopResult], None] | None = None
) -> KillSwitchReport:
    """Stop every bot on the server with order cancellation, ``concurrency`` at a time, and
    verify each. Per-bot failures are results, never exceptions."""
    journal = stopper.journal
    try:
        bots = sorted(await stopper.client.bots_status())
    except HummingbotError as exc:
        action_id = journal.begin("kill_switch", {"bots": None})
        journal.finish(action_id, "failed", {"error": str(exc)})
        return KillSwitchReport((), action_id, listing_error=str(exc))
    action_id = journal.begin("kill_switch", {"bots": bots})
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(bot: str) -> StopResult:
        async with gate:
            try:
                result = await stopper.stop(bot, StopKind.STOP, ref=action_id)
            except Exception as exc:  # one bot's bug must not hide the others' results
                result = StopResult(bot, StopKind.STOP, StopState.UNCONFIRMED, f"{exc!r}")
        if on_result is not None:
            on_result(result)
        return result

    results = tuple(await asyncio.gather(*(one(bot) for bot in bots)))
    report = KillSwitchReport(results, action_id)
    journal.finish(
        action_id,
        "ok" if report.ok else "failed",
        {"summary": report.summary, "results": [r.to_json() for r in results]},
    )
    return report
