"""The app's link to its Hummingbot API: the one client, and the status refresh loop.

One ``GET /bot-orchestration/status`` per refresh whatever the bot count. The loop is a one-shot
timer re-armed when a refresh ends, so refreshes never overlap and a slow server only stretches
the interval. While a modal dialog is open no request is made. Failures keep the last data, mark
it stale, back off (doubling, capped) and recover by themselves. Every state is published on
:attr:`FleetLink.signal`; the bots pane, the bot detail screen and the header subscribe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from textual.app import App
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.signal import Signal
from textual.timer import Timer
from textual.worker import Worker

from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import Fleet, read_fleet
from tradeagent.desk.journal import Journal, JournalError
from tradeagent.desk.pnl_history import PnlHistory
from tradeagent.hb import (
    AuthFailed,
    BadResponse,
    ConnectionLost,
    HummingbotError,
    NotFound,
    ServerError,
    TimedOut,
    Unreachable,
)
from tradeagent.hb_setup import HbConnection, HbOpener, HbSetupError, Preparable
from tradeagent.tui.widgets.header import StatusHeader

if TYPE_CHECKING:
    from tradeagent.hb import HummingbotClient

Clock = Callable[[], datetime]
Connection = Literal["none", "connecting", "connected", "stale"]

MAX_BACKOFF_S = 30.0
NOT_CONNECTED = (
    "Not connected to a Hummingbot API. Set hummingbot.url (e.g. http://127.0.0.1:8000), or "
    "leave it unset for the built-in simulator; `tradeagent config` shows it."
)
HISTORY_WINDOW = timedelta(hours=24)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class FleetState:
    """What the last refreshes showed. ``fleet`` is the last good data, kept while failing."""

    connection: Connection
    mode: str
    target: str
    fleet: Fleet | None = None
    refreshed_at: datetime | None = None
    failing_since: datetime | None = None
    problem: str = ""
    reason: str = ""
    offline: bool = False
    retry_in_s: float | None = None
    paused: bool = False
    refreshes: int = 0
    now: datetime | None = None


class FleetLink:
    """Owns the connection (built in the running loop by ``start``) and the refresh loop."""

    def __init__(
        self,
        app: App[Any],
        opener: HbOpener | None,
        *,
        mode: str,
        target: str,
        interval_s: float,
        timeout_s: float,
        clock: Clock = utc_now,
        journal: Journal | None = None,
        history: PnlHistory | None = None,
    ) -> None:
        self._app = app
        self._opener = opener
        self.interval_s = interval_s
        self.timeout_s = min(timeout_s, max(5.0, 2 * interval_s))
        self.clock = clock
        self.journal = journal
        self.history = history or PnlHistory()
        self.signal: Signal[FleetState] = Signal(app, "fleet")
        self.state = FleetState("none", mode, target, problem=NOT_CONNECTED)
        self.connection: HbConnection | None = None
        self.requests = 0
        self._failures = 0
        self._timer: Timer | None = None
        self._in_flight = False
        self._again = False
        self._closed = False
        self._history_loaded = False
        self._journal_warned = False
        self._waiters: list[asyncio.Future[FleetState]] = []
        self._later: list[asyncio.Future[FleetState]] = []
        self._log_readers = 0

    @property
    def client(self) -> HummingbotClient | None:
        return self.connection.client if self.connection else None

    @property
    def connected(self) -> bool:
        return self.connection is not None

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Open the connection in a worker (the simulator's imports take a second, the screen
        is drawn meanwhile), then refresh at once."""
        if self._opener is None:
            self._publish(self.state)
            return
        self._set(replace(self.state, connection="connecting", problem="", now=self.clock()))
        opener = self._opener

        async def open_connection() -> None:
            await self._open(opener)

        # A callable, not a coroutine: if the app quits before the worker starts, nothing is
        # left un-awaited.
        self._connecting: Worker[None] = self._app.run_worker(
            open_connection,
            name="connect to the Hummingbot API",
            group="bots-refresh",
            exit_on_error=False,
        )

    async def _open(self, opener: HbOpener) -> None:
        try:
            groundwork: object = opener  # any opener may also be Preparable
            if isinstance(groundwork, Preparable):
                await asyncio.to_thread(groundwork.prepare)
            connection = opener()
        except HbSetupError as exc:
            self._set(replace(self.state, connection="none", problem=str(exc)))
            self._app.notify(str(exc), title="Hummingbot API", severity="error", timeout=15)
            return
        if connection is None:
            self._set(replace(self.state, connection="none", problem=NOT_CONNECTED))
            return
        if self._closed:
            await connection.aclose()
            return
        self.connection = connection
        self._app.refresh_bindings()
        self._set(replace(self.state, mode=connection.mode, target=connection.target))
        self._poll_now()

    async def aclose(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.stop()
        for waiter in [*self._waiters, *self._later]:
            waiter.cancel()
        if self.connection is not None:
            await self.connection.aclose()

    def refresh_now(self) -> bool:
        """ctrl+r: refresh at once, or right after the refresh in flight. False if no server."""
        if self.connection is None or self._closed:
            return False
        if self._in_flight:
            self._again = True
        else:
            self._poll_now()
        return True

    def watch(self, node: DOMNode, callback: Callable[[FleetState], object]) -> None:
        """Call ``callback`` with every state, at once: the header and the panes all change
        within the same step, so one frame draws them (queued, they would take two)."""
        self.signal.subscribe(node, callback, immediate=True)

    def read_logs(self, wanted: bool) -> None:
        """Screens that show logs say so (and again when they close): refreshes read the bots'
        logs only while one is open, since they are most of a large fleet's reply."""
        self._log_readers = max(0, self._log_readers + (1 if wanted else -1))

    async def refreshed(self) -> FleetState:
        """Refresh now and return the state that refresh ends in (fresh, or stale)."""
        if self.connection is None or self._closed:
            return self.state
        waiter: asyncio.Future[FleetState] = asyncio.get_running_loop().create_future()
        # A refresh already in flight asked the server before now: wait for the next one.
        (self._later if self._in_flight else self._waiters).append(waiter)
        self.refresh_now()
        return await waiter

    # -- the loop --------------------------------------------------------------------------

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._app.set_timer(delay, self._tick, name="bots-refresh")

    def _tick(self) -> None:
        if self._closed or self._in_flight:
            return
        if isinstance(self._app.screen, ModalScreen):
            # A dialog has the trader's attention: no request until it closes.
            if not self.state.paused:
                self._set(replace(self.state, paused=True))
            self._schedule(self.interval_s)
            return
        self._poll_now()

    def _poll_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._in_flight = True
        # Not ``exclusive``: ``_in_flight`` already keeps refreshes apart, and a follow-up
        # refresh started as one ends must not cancel the one ending.
        self._app.run_worker(
            self._poll(), name="bots refresh", group="bots-refresh", exit_on_error=False
        )

    async def _poll(self) -> None:
        assert self.connection is not None
        try:
            await self._refresh(self.connection)
        finally:
            self._in_flight = False
        waiters, self._waiters, self._later = self._waiters, self._later, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(self.state)
        if self._closed:
            return
        if self._again:
            self._again = False
            self._poll_now()
        else:
            self._schedule(self._next_delay())

    async def _refresh(self, connection: HbConnection) -> None:
        try:
            if not self._history_loaded:
                await self._load_history()
            self.requests += 1
            client = connection.client
            read = client.bots_status if self._log_readers else client.bots_reports
            fleet = read_fleet(await read(retry=False, timeout_s=self.timeout_s))
        except HummingbotError as exc:
            if not self._closed:  # a request cut short by quitting is no failure to report
                self._failed(exc.message, short_reason(exc), offline=is_offline(exc))
        except Exception as exc:
            # A reply the parser chokes on must not end live monitoring: keep going, say so.
            self._app.log.error(f"bots refresh failed: {exc!r}")
            self._failed(
                f"tradeagent could not read the status reply ({type(exc).__name__}: {exc}). "
                "The last data stays on screen; please report this.",
                "unreadable reply",
                offline=False,
            )
        else:
            if not self._closed:
                await self._succeeded(fleet)

    def _next_delay(self) -> float:
        if not self._failures:
            return self.interval_s
        cap = max(MAX_BACKOFF_S, self.interval_s)
        return min(cap, self.interval_s * 2.0**self._failures)

    async def _succeeded(self, fleet: Fleet) -> None:
        now = self.clock()
        recovered = self._failures > 0
        self._failures = 0
        self.history.record(fleet, now)
        if self.journal is not None and self.history.journal_due(now):
            await self._save_history(fleet, now)
        self._set(
            replace(
                self.state,
                connection="connected",
                fleet=fleet,
                refreshed_at=now,
                failing_since=None,
                problem="",
                reason="",
                offline=False,
                retry_in_s=None,
                paused=False,
                refreshes=self.state.refreshes + 1,
                now=now,
            )
        )
        if recovered:
            self._app.notify(
                f"{self.state.target}: connection back, data fresh again.", title="Bots"
            )

    def _failed(self, problem: str, reason: str, *, offline: bool) -> None:
        now = self.clock()
        self._failures += 1
        first = self._failures == 1
        self._set(
            replace(
                self.state,
                connection="stale",
                failing_since=self.state.failing_since or now,
                problem=problem,
                reason=reason,
                offline=offline,
                retry_in_s=self._next_delay(),
                paused=False,
                now=now,
            )
        )
        if first:
            self._app.notify(
                problem + " Showing the last data; retrying by itself.",
                title="Bots refresh failed",
                severity="error",
                timeout=8,
            )

    async def _load_history(self) -> None:
        self._history_loaded = True
        if self.journal is None:
            return
        try:
            await asyncio.to_thread(
                self.history.load, self.journal, self.clock(), window=HISTORY_WINDOW
            )
        except JournalError as exc:
            self._journal_problem(str(exc))

    async def _save_history(self, fleet: Fleet, now: datetime) -> None:
        assert self.journal is not None
        try:
            await asyncio.to_thread(self.history.save, self.journal, fleet, now)
        except JournalError as exc:
            self._journal_problem(str(exc))

    def _journal_problem(self, message: str) -> None:
        if not self._journal_warned:
            self._journal_warned = True
            self._app.notify(
                message + " The PnL history of this session will not survive a restart.",
                title="Journal",
                severity="warning",
                timeout=10,
            )

    def _set(self, state: FleetState) -> None:
        self.state = state
        self._publish(state)

    def _publish(self, state: FleetState) -> None:
        self.signal.publish(state)


def short_reason(exc: HummingbotError) -> str:
    """A few words for the header; the full message goes to the pane and a notification."""
    if isinstance(exc, ConnectionLost):
        return "connection dropped"
    if isinstance(exc, Unreachable):
        return "server unreachable"
    if isinstance(exc, TimedOut):
        return "no answer in time"
    if isinstance(exc, AuthFailed):
        return "login rejected"
    if isinstance(exc, ServerError):
        return f"server error (HTTP {exc.status_code})" if exc.status_code else "server error"
    if isinstance(exc, BadResponse):
        return "unreadable reply"
    if isinstance(exc, NotFound):
        return "no status route"
    return "refresh failed"


def is_offline(exc: HummingbotError) -> bool:
    """Nothing answers at all (as opposed to a server that answers badly)."""
    return isinstance(exc, Unreachable | TimedOut) and not isinstance(exc, ConnectionLost)


def show_in_header(header: StatusHeader, state: FleetState) -> None:
    """The header's connection dot, words, badge and fleet totals for ``state``."""
    header.mode = "OFFLINE" if state.offline else state.mode
    header.target = state.target
    if state.connection == "none":
        header.connection, header.connected = "not connected", None
    elif state.connection == "connecting":
        header.connection, header.connected = "connecting…", None
    elif state.connection == "connected" and state.refreshed_at is not None:
        header.connection, header.connected = f"connected {fmt.clock(state.refreshed_at)}", True
    else:
        since = fmt.clock(state.failing_since) if state.failing_since else "?"
        header.connection = f"stale since {since} · {state.reason}"
        header.connected = False
    fleet = state.fleet
    if fleet is None:
        header.totals = ""
    else:
        count = len(fleet.bots)
        header.totals = (
            f"{count} bot{'s' if count != 1 else ''} · PnL {fmt.signed(fleet.net)} · "
            f"vol {fmt.compact(fleet.volume)}"
        )
