"""The post-deploy watch: follow a new bot for its first minutes and say what goes wrong.

A deploy that "succeeds" often ends in a bot that crashes at start, logs errors, never trades or
whose container disappears. The watch polls the bot's status and raises a finding the moment it
sees one of those, with the log lines that explain it; every finding is journalled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from tradeagent.desk.journal import Journal
from tradeagent.desk.timing import REAL, Pacer
from tradeagent.hb import BotStatus, HummingbotClient, HummingbotError, LogEntry, NotFound

Severity = Literal["info", "warning", "error"]
FINDING_KIND = "watch.finding"
VERDICT_KIND = "watch.verdict"
_UNREACHABLE_AFTER = 3
"""Consecutive failed polls before "cannot read the bot's status" is raised."""
_LOG_LINES = 5


class FindingKind(StrEnum):
    RUNNING = "running"
    TRADING = "trading"
    ERROR_LOG = "error_log"
    NOT_STARTED = "not_started"
    NOT_TRADING = "not_trading"
    SILENT = "silent"
    STOPPED = "stopped"
    CONTAINER_GONE = "container_gone"
    UNREACHABLE = "unreachable"


_SEVERITY: dict[FindingKind, Severity] = {
    FindingKind.RUNNING: "info",
    FindingKind.TRADING: "info",
    FindingKind.ERROR_LOG: "error",
    FindingKind.NOT_STARTED: "error",
    FindingKind.NOT_TRADING: "warning",
    FindingKind.SILENT: "error",
    FindingKind.STOPPED: "warning",
    FindingKind.CONTAINER_GONE: "error",
    FindingKind.UNREACHABLE: "warning",
}
_TERMINAL = frozenset({FindingKind.NOT_STARTED, FindingKind.CONTAINER_GONE})


@dataclass(frozen=True)
class WatchOptions:
    duration_s: float = 300.0
    appear_s: float = 90.0
    poll_s: float = 2.0
    idle_reports: int = 60


@dataclass(frozen=True)
class WatchFinding:
    bot: str
    kind: FindingKind
    message: str
    elapsed_s: float
    logs: tuple[str, ...] = ()

    @property
    def severity(self) -> Severity:
        return _SEVERITY[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "bot": self.bot,
            "kind": self.kind.value,
            "severity": self.severity,
            "message": self.message,
            "elapsed_s": round(self.elapsed_s, 1),
            "logs": list(self.logs),
        }


Verdict = Literal["passed", "warnings", "failed"]


@dataclass(frozen=True)
class WatchVerdict:
    bot: str
    verdict: Verdict
    summary: str
    findings: tuple[WatchFinding, ...]

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"

    def to_json(self) -> dict[str, Any]:
        return {
            "bot": self.bot,
            "verdict": self.verdict,
            "summary": self.summary,
            "findings": [f.kind.value for f in self.findings],
        }


@dataclass
class _State:
    started: float
    seen_listed: bool = False
    running_at: float | None = None
    trading: bool = False
    idle_reports: int = 0
    failures: int = 0
    raised: set[FindingKind] = field(default_factory=set)
    known_errors: set[tuple[float | None, str]] = field(default_factory=set)
    last: BotStatus | None = None


class Watch:
    """Watch one new bot. ``kinds`` maps controller id → what it does ("directional",
    "market making", "grid", …), for the "not trading" reasons."""

    def __init__(
        self,
        client: HummingbotClient,
        journal: Journal,
        bot: str,
        options: WatchOptions | None = None,
        *,
        kinds: Mapping[str, str] | None = None,
        ref: int | None = None,
        pacer: Pacer = REAL,
        on_finding: Callable[[WatchFinding], None] | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.bot = bot
        self.options = options or WatchOptions()
        self.kinds = dict(kinds or {})
        self.ref = ref
        self.pacer = pacer
        self.on_finding = on_finding
        self.findings: list[WatchFinding] = []

    async def run(self) -> WatchVerdict:
        state = _State(started=self.pacer.now())
        options = self.options
        while True:
            elapsed = self.pacer.now() - state.started
            if await self._poll(state, elapsed):
                break
            if elapsed >= options.duration_s:
                break
            await self.pacer.sleep(options.poll_s)
        verdict = self._verdict(state)
        self.journal.append(VERDICT_KIND, verdict.to_json(), ref=self.ref)
        return verdict

    # -- one poll -----------------------------------------------------------------------

    async def _poll(self, state: _State, elapsed: float) -> bool:
        """Look once; True when the watch is over (the bot never started, or vanished)."""
        try:
            status = await self.client.bot_status(self.bot)
        except NotFound:
            return self._absent(state, elapsed)
        except HummingbotError as exc:
            state.failures += 1
            if state.failures >= _UNREACHABLE_AFTER:
                self._raise_once(
                    state,
                    FindingKind.UNREACHABLE,
                    f"Cannot read the status of {self.bot} ({exc}); still trying.",
                    elapsed,
                )
            return False
        state.failures = 0
        state.seen_listed = True
        state.last = status
        self._new_errors(state, status, elapsed)
        if status.is_running:
            return self._running(state, status, elapsed)
        if status.status == "idle":
            self._raise_once(
                state,
                FindingKind.SILENT,
                f"{self.bot} has sent nothing for over 30 s: its process may hang. Orders it "
                "placed stay on the exchange; stop and archive it if it does not come back.",
                elapsed,
                _tail(status.error_logs) or _tail(status.general_logs),
            )
            return False
        if state.running_at is not None:
            self._raise_once(
                state,
                FindingKind.STOPPED,
                f"{self.bot} stopped trading on its own" + _cause(status) + ".",
                elapsed,
                _tail(status.general_logs),
            )
            return False
        return self._not_started_yet(state, status, elapsed)

    def _absent(self, state: _State, elapsed: float) -> bool:
        if state.seen_listed:
            self._raise_once(
                state,
                FindingKind.CONTAINER_GONE,
                f"{self.bot} vanished from the server (container gone: crashed, killed or "
                "removed). Its open orders and positions may remain on the exchange: check "
                "them, then read the bot's logs under bots/instances on the API host.",
                elapsed,
                _tail(state.last.error_logs) if state.last else (),
            )
            return True
        if elapsed >= self.options.appear_s:
            self._raise_once(
                state,
                FindingKind.NOT_STARTED,
                f"{self.bot} never appeared on the server within {self.options.appear_s:g} s. "
                "Docker may have failed to start it: check `docker ps -a` and the API's logs.",
                elapsed,
            )
            return True
        return False

    def _not_started_yet(self, state: _State, status: BotStatus, elapsed: float) -> bool:
        if elapsed < self.options.appear_s:
            return False
        errors = _tail(status.error_logs)
        self._raise_once(
            state,
            FindingKind.NOT_STARTED,
            f"{self.bot} has not reported running within {self.options.appear_s:g} s"
            + (": its logs show errors." if errors else ". It may still be pulling its image.")
            + " Check the logs below, then stop and archive it if it stays down.",
            elapsed,
            errors or _tail(status.general_logs),
        )
        return True

    def _running(self, state: _State, status: BotStatus, elapsed: float) -> bool:
        if state.running_at is None:
            state.running_at = elapsed
            self._raise_once(
                state, FindingKind.RUNNING, f"{self.bot} is running ({elapsed:.0f} s).", elapsed
            )
        if _has_activity(status):
            if not state.trading:
                state.trading = True
                self._raise_once(
                    state,
                    FindingKind.TRADING,
                    f"{self.bot} is trading: first orders or positions seen.",
                    elapsed,
                )
            return False
        if state.trading:
            return False
        state.idle_reports += 1
        if state.idle_reports >= self.options.idle_reports:
            reasons = self._reasons(status)
            self._raise_once(
                state,
                FindingKind.NOT_TRADING,
                f"{self.bot} has filled no order and holds no position after "
                f"{state.idle_reports} reports. Likely: {reasons}",
                elapsed,
                _tail(status.error_logs) or _tail(status.general_logs),
            )
        return False

    def _new_errors(self, state: _State, status: BotStatus, elapsed: float) -> None:
        fresh = [
            log for log in status.error_logs if (log.timestamp, log.msg) not in state.known_errors
        ]
        if not fresh:
            return
        state.known_errors.update((log.timestamp, log.msg) for log in fresh)
        first = fresh[0].msg.strip().splitlines()[0] if fresh[0].msg.strip() else "(empty)"
        more = f" (+{len(fresh) - 1} more)" if len(fresh) > 1 else ""
        self._emit(
            WatchFinding(
                self.bot,
                FindingKind.ERROR_LOG,
                f"{self.bot} logged an error: {first}{more}",
                elapsed,
                _tail(fresh),
            )
        )

    def _reasons(self, status: BotStatus) -> str:
        reasons: list[str] = []
        if status.error_logs:
            reasons.append(f"errors in its log (last: {status.error_logs[-1].msg.strip()[:160]})")
        messages = [log.msg for log in status.general_logs]
        balance = _last_matching(messages, r"balance|insufficient|margin")
        if balance:
            reasons.append(f"balance: {balance[:160]}")
        candles = _last_matching(messages, r"candle")
        if candles:
            reasons.append(f"candles: {candles[:160]}")
        kinds = set(self.kinds.values())
        if kinds & {"directional"}:
            signal = _last_matching(messages, r"signal")
            reasons.append(
                "no entry signal yet (directional controllers trade only on a signal"
                + (f"; last: {signal[:120]}" if signal else "")
                + ")"
            )
        if kinds & {"market making", "grid"}:
            reasons.append(
                "orders not placed: check the spreads or grid bounds against the market price "
                "and the account's balance on the exchange"
            )
        if not reasons:
            reasons.append("no signal, a balance too low, or prices far from the orders")
        return "; ".join(reasons) + "."

    # -- findings -----------------------------------------------------------------------

    def _raise_once(
        self,
        state: _State,
        kind: FindingKind,
        message: str,
        elapsed: float,
        logs: tuple[str, ...] = (),
    ) -> None:
        if kind in state.raised:
            return
        state.raised.add(kind)
        self._emit(WatchFinding(self.bot, kind, message, elapsed, logs))

    def _emit(self, finding: WatchFinding) -> None:
        self.findings.append(finding)
        self.journal.append(FINDING_KIND, finding.to_json(), ref=self.ref)
        if self.on_finding is not None:
            self.on_finding(finding)

    def _verdict(self, state: _State) -> WatchVerdict:
        findings = tuple(self.findings)
        errors = [f for f in findings if f.severity == "error"]
        warnings = [f for f in findings if f.severity == "warning"]
        if errors or state.running_at is None:
            worst = errors[-1].message if errors else f"{self.bot} never reported running."
            if any(f.kind in _TERMINAL for f in errors):
                worst = next(f.message for f in errors if f.kind in _TERMINAL)
            return WatchVerdict(self.bot, "failed", worst, findings)
        if warnings:
            return WatchVerdict(self.bot, "warnings", warnings[-1].message, findings)
        activity = "trading" if state.trading else "running, no trade yet"
        return WatchVerdict(
            self.bot,
            "passed",
            f"{self.bot} passed the watch: {activity}, no errors.",
            findings,
        )


def _has_activity(status: BotStatus) -> bool:
    for report in status.performance.values():
        perf = report.performance
        if perf is None:
            continue
        if perf.volume_traded > 0 or perf.close_type_counts:
            return True
        if any(abs(p.amount) > 0 for p in perf.positions_summary):
            return True
    return False


def _cause(status: BotStatus) -> str:
    line = _last_matching([log.msg for log in status.general_logs], r"drawdown|stop")
    return f" ({line[:160]})" if line else ""


def _last_matching(messages: list[str], pattern: str) -> str:
    regex = re.compile(pattern, re.IGNORECASE)
    for message in reversed(messages):
        if regex.search(message):
            return message.strip()
    return ""


def _tail(logs: list[LogEntry]) -> tuple[str, ...]:
    return tuple(f"{log.level_name} {log.msg.strip()}" for log in logs[-_LOG_LINES:])
