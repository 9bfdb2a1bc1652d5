"""``tradeagent status`` and ``tradeagent accounts``: the bots pane and the accounts screen for
scripts and SSH one-liners, against hummingbot.url or the built-in simulator."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime

from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import Fleet, read_fleet
from tradeagent.desk.fleet_report import fleet_json, fleet_table
from tradeagent.hb import HummingbotError
from tradeagent.hb_setup import HbConnection, HbSetupError, open_hummingbot
from tradeagent.settings import Settings

Echo = Callable[[str], None]
MAX_WATCH_BACKOFF_S = 30.0


class CommandError(Exception):
    """The command cannot do its job; ``str()`` says why and what to do. ``code`` is the exit
    status: 1 the server failed, 2 what is configured cannot be used."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _connect(settings: Settings) -> HbConnection:
    try:
        return open_hummingbot(settings)
    except HbSetupError as exc:
        raise CommandError(str(exc), code=2) from exc


async def status(
    settings: Settings,
    *,
    as_json: bool,
    watch: bool,
    echo: Echo,
    warn: Echo,
    clear: Callable[[], None] | None = None,
    rounds: int | None = None,
) -> None:
    """Print the fleet once, or every ``ui.poll_interval_s`` with ``watch`` (``rounds`` caps
    the refreshes, for tests). Watching survives server failures: it says so and retries."""
    connection = _connect(settings)
    printer = _StatusPrinter(connection, settings.ui.poll_interval_s, as_json, echo, warn, clear)
    failures = 0
    done = 0
    try:
        while True:
            try:
                bots = await connection.client.bots_reports()
            except HummingbotError as exc:
                if not watch:
                    raise CommandError(exc.message) from exc
                failures += 1
                printer.failed(exc.message)
            else:
                failures = 0
                printer.fleet(read_fleet(bots), watching=watch)
            done += 1
            if not watch or (rounds is not None and done >= rounds):
                return
            backoff = settings.ui.poll_interval_s * 2.0**failures
            await asyncio.sleep(min(max(MAX_WATCH_BACKOFF_S, settings.ui.poll_interval_s), backoff))
    finally:
        await connection.aclose()


class _StatusPrinter:
    """Writes each refresh as a table or a JSON line, and failures as "stale since"."""

    def __init__(
        self,
        connection: HbConnection,
        interval: float,
        as_json: bool,
        echo: Echo,
        warn: Echo,
        clear: Callable[[], None] | None,
    ) -> None:
        self.connection = connection
        self.interval = interval
        self.as_json = as_json
        self.echo = echo
        self.warn = warn
        self.clear = clear
        self.failing_since: datetime | None = None

    def fleet(self, fleet: Fleet, *, watching: bool) -> None:
        now = datetime.now(UTC)
        self.failing_since = None
        target, mode = self.connection.target, self.connection.mode
        if self.as_json:
            self.echo(json.dumps(fleet_json(fleet, now, server=target, mode=mode)))
            return
        if watching:
            if self.clear is not None:
                self.clear()
            every = f"every {self.interval:g} s"
            self.echo(f"{mode} {target} · {fmt.clock(now)} · {every} · Ctrl-C stops")
        self.echo(fleet_table(fleet, now))

    def failed(self, message: str) -> None:
        now = datetime.now(UTC)
        since = self.failing_since = self.failing_since or now
        if self.as_json:
            stale = {"version": 1, "at": now.isoformat(), "error": message}
            self.echo(json.dumps({**stale, "stale_since": since.isoformat()}))
        else:
            self.warn(f"stale since {fmt.clock(since)}: {message}")


async def accounts(settings: Settings, *, as_json: bool, echo: Echo) -> None:
    """Every account and the connectors it holds keys for (never the keys)."""
    connection = _connect(settings)
    try:
        names = await connection.client.accounts()
        held = await asyncio.gather(*(connection.client.credentials(name) for name in names))
    except HummingbotError as exc:
        raise CommandError(exc.message) from exc
    finally:
        await connection.aclose()
    found = {name: sorted(connectors) for name, connectors in zip(names, held, strict=True)}
    if as_json:
        echo(
            json.dumps(
                {
                    "server": connection.target,
                    "mode": connection.mode,
                    "accounts": [
                        {"name": name, "connectors": found[name]} for name in sorted(found)
                    ],
                }
            )
        )
        return
    width = max((len(name) for name in found), default=7)
    echo(f"{'account':<{width}}  connectors with keys")
    for name in sorted(found):
        echo(f"{name:<{width}}  {', '.join(found[name]) or fmt.NONE}")
