"""After a crash: actions journalled as begun but never finished, checked against the server.

tradeagent writes every deploy and stop to the journal before sending it. If it died before
recording the outcome, the next start lists those actions as "unknown — check the server" and,
when the server answers, records what its state shows (``reconciled:…`` outcomes).
"""

from __future__ import annotations

from dataclasses import dataclass

from tradeagent.desk.diff import DEPLOY_KIND, DEPLOYED_OUTCOMES
from tradeagent.desk.journal import BEGIN_SUFFIX, Entry, Journal
from tradeagent.desk.plan import is_instance_of
from tradeagent.hb import BotStatus, HummingbotClient, HummingbotError

UNKNOWN = "unknown — check the server"


@dataclass(frozen=True)
class Reconciled:
    entry: Entry
    """The action's begin entry."""
    outcome: str
    """``reconciled:…``, or ``unknown`` when the server could not be read (left open)."""
    message: str

    @property
    def action(self) -> str:
        return self.entry.kind.removesuffix(BEGIN_SUFFIX)


async def reconcile(client: HummingbotClient, journal: Journal) -> list[Reconciled]:
    """Check every unfinished action against the server and journal what it shows. When the
    server cannot be read, the actions stay open (reported as unknown) for the next start."""
    pending = [e for e in journal.unfinished() if e.server == journal.server]
    if not pending:
        return []
    try:
        bots = await client.bots_status()
    except HummingbotError as exc:
        return [
            Reconciled(entry, "unknown", f"{describe_action(entry)}: {UNKNOWN} ({exc}).")
            for entry in pending
        ]
    results = []
    for entry in pending:
        action = entry.kind.removesuffix(BEGIN_SUFFIX)
        if action == DEPLOY_KIND:
            outcome, bot, found = _deploy(journal, entry, bots)
        elif action == "stop":
            outcome, bot, found = await _stop(client, entry, bots)
        elif action == "kill_switch":
            outcome, bot, found = _kill_switch(entry, bots)
        else:
            outcome, bot, found = "reconciled:unchecked", None, "nothing to check it against"
        what = describe_action(entry)
        message = f"{what} had no recorded outcome (tradeagent stopped mid-way): {found}."
        journal.finish(entry.id, outcome, {"bot": bot, "message": message})
        results.append(Reconciled(entry, outcome, message))
    return results


def _deploy(
    journal: Journal, entry: Entry, bots: dict[str, BotStatus]
) -> tuple[str, str | None, str]:
    base = str(entry.payload.get("bot_name", ""))
    claimed = {
        str(e.payload.get("bot"))
        for e in journal.entries(kind=DEPLOY_KIND + ".outcome")
        if e.payload.get("outcome") in DEPLOYED_OUTCOMES
    }
    # The deploy wrote down the bots that ran under its name before it: any other is new.
    claimed.update(str(name) for name in entry.payload.get("existing") or ())
    candidates = sorted(name for name in bots if is_instance_of(base, name) and name not in claimed)
    if candidates:
        bot = candidates[-1]
        state = bots[bot].effective_status
        return "reconciled:running", bot, f"the server shows {bot} ({state}) from it"
    return "reconciled:absent", None, f"no {base} bot from it is on the server"


async def _stop(
    client: HummingbotClient, entry: Entry, bots: dict[str, BotStatus]
) -> tuple[str, str | None, str]:
    bot = str(entry.payload.get("bot", ""))
    controller = entry.payload.get("controller")
    status = bots.get(bot)
    if status is None:
        return "reconciled:gone", bot, f"{bot} is not on the server any more"
    if entry.payload.get("kind") == "controller" and controller:
        try:
            configs = await client.bot_controller_configs(bot)
        except HummingbotError as exc:
            return "reconciled:unchecked", bot, f"{bot}'s configs cannot be read ({exc})"
        killed = any(
            controller in (c.get("_config_name"), c.get("id"))
            and c.get("manual_kill_switch") is True
            for c in configs
        )
        if killed:
            return "reconciled:stopped", bot, f"controller {controller} of {bot} is stopped"
        return (
            "reconciled:still_running",
            bot,
            f"controller {controller} of {bot} still runs: stop it again",
        )
    if status.is_running:
        return "reconciled:still_running", bot, f"{bot} still runs: stop it again"
    return "reconciled:stopped", bot, f"{bot} shows stopped"


def _kill_switch(entry: Entry, bots: dict[str, BotStatus]) -> tuple[str, str | None, str]:
    running = sorted(name for name, status in bots.items() if status.is_running)
    if running:
        return (
            "reconciled:still_running",
            None,
            f"{len(running)} bot(s) still run ({', '.join(running[:5])}): use the kill switch "
            "again",
        )
    return "reconciled:stopped", None, "no bot runs on the server"


def describe_action(entry: Entry) -> str:
    """ "The deploy of btc_bb at 2026-11-24 09:02:41 UTC"."""
    action = entry.kind.removesuffix(BEGIN_SUFFIX).replace("_", " ")
    payload = entry.payload
    target = payload.get("bot_name") or payload.get("bot") or ""
    when = entry.ts.strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"The {action}{' of ' + str(target) if target else ''} at {when}"
