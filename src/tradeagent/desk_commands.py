"""``tradeagent deploy``, ``tradeagent stop`` and ``tradeagent journal``: the shell face of
:mod:`tradeagent.desk`. The click commands in :mod:`tradeagent.cli` only parse arguments.

Exit codes: 0 done; 1 not done (a check failed, the server refused, a stop not confirmed, the
trader said no); 2 usage (bad arguments, an unreadable config file, no confirmation possible
without a terminal); 3 deployed, but the post-deploy watch found the bot failing.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import click

from tradeagent.desk import (
    ConfirmationRefused,
    Desk,
    JournalError,
    PlanError,
    Reconciled,
    StopKind,
    WatchFinding,
    journal_path,
)
from tradeagent.desk.plan import is_instance_of
from tradeagent.desk.report import BACKGROUND_KINDS, entry_row, kill_switch_text, review_text
from tradeagent.desk.review import DeployReview
from tradeagent.desk_setup import desk_options, open_journal
from tradeagent.hb import HummingbotError
from tradeagent.hb_setup import HbSetupError, open_hummingbot
from tradeagent.settings import Settings
from tradeagent.strategy import ConfigError, ControllerConfigBase, load_yaml

OK, NOT_DONE, USAGE, WATCH_FAILED = 0, 1, 2, 3

_RELATIVE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class CommandError(Exception):
    """A usage problem: the message says what to do; exit code 2."""


@asynccontextmanager
async def open_desk(settings: Settings) -> AsyncIterator[Desk]:
    try:
        journal = open_journal(settings)
    except JournalError as exc:
        raise CommandError(f"{exc} Nothing is sent without the journal.") from None
    try:
        connection = open_hummingbot(settings)
    except HbSetupError as exc:
        journal.close()
        raise CommandError(str(exc)) from None
    try:
        desk = Desk(connection.client, journal, desk_options(settings))
        _report_reconciled(await desk.reconcile())
        yield desk
    finally:
        journal.close()
        await connection.aclose()


def _report_reconciled(found: Sequence[Reconciled]) -> None:
    for item in found:
        click.echo(f"⚠ {item.message}", err=True)


# -- deploy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeployArgs:
    paths: tuple[Path, ...]
    name: str | None = None
    account: str | None = None
    max_drawdown: Decimal | None = None
    max_controller_drawdown: Decimal | None = None
    allow_same_name: bool = False
    yes: bool = False
    confirm: str | None = None
    watch_s: float | None = None


def read_configs(paths: Sequence[Path]) -> list[ControllerConfigBase]:
    configs: list[ControllerConfigBase] = []
    for path in paths:
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}.") from None
        try:
            configs.append(load_yaml(text, source=str(path)))
        except ConfigError as exc:
            raise CommandError(f"{exc}\nFix the file, then deploy again.") from None
    return configs


async def deploy_command(settings: Settings, args: DeployArgs) -> int:
    configs = read_configs(args.paths)
    live = settings.mode == "LIVE"
    if live and args.yes and args.confirm is None:
        raise CommandError(
            "--yes does not confirm a LIVE deploy: pass --confirm with the trading pair "
            "(or desk.confirm_word), e.g. --confirm BTC-USD."
        )
    async with open_desk(settings) as desk:
        try:
            plan = desk.plan(
                configs,
                bot_name=args.name,
                account=args.account,
                max_global_drawdown_quote=args.max_drawdown,
                max_controller_drawdown_quote=args.max_controller_drawdown,
                allow_same_name=args.allow_same_name,
            )
        except PlanError as exc:
            raise CommandError(str(exc)) from None
        review = await desk.review(plan)
        click.echo(review_text(review))
        if not review.can_confirm:
            click.echo(
                f"Not deployed: {len(review.checks.failures)} check(s) failed (✘ above). "
                "Fix them and deploy again.",
                err=True,
            )
            return NOT_DONE
        answer = _deploy_answer(review, args)
        try:
            confirmed = review.confirm(answer)
        except ConfirmationRefused as exc:
            desk.cancel(review, f"refused: {exc}")
            click.echo(str(exc), err=True)
            return NOT_DONE
        outcome = await desk.deploy(confirmed)
        click.echo(outcome.message, err=not outcome.ok)
        if not outcome.ok:
            return NOT_DONE
        duration = desk.options.watch.duration_s if args.watch_s is None else args.watch_s
        if duration <= 0:
            return OK
        click.echo(f"Watching {outcome.bot} for {duration:g} s (Ctrl-C stops watching only)…")
        watch = desk.watch_deploy(review, outcome, on_finding=_print_finding, duration_s=duration)
        verdict = await watch.run()
        click.echo(f"Watch: {verdict.summary}", err=verdict.verdict == "failed")
        return WATCH_FAILED if verdict.verdict == "failed" else OK


def _deploy_answer(review: DeployReview, args: DeployArgs) -> str:
    if args.confirm is not None:
        return args.confirm
    if args.yes and not review.live:
        return review.confirm_word
    if not sys.stdin.isatty():
        needed = f"--confirm {review.confirm_word}" if review.live else "--yes"
        raise CommandError(f"no terminal to confirm on: pass {needed} to deploy from a script.")
    if review.live:
        return str(click.prompt(f"Type {review.confirm_word} to deploy to LIVE", default=""))
    return "y" if click.confirm("Deploy to SIM?", default=False) else "n"


def _print_finding(finding: WatchFinding) -> None:
    mark = {"info": "·", "warning": "⚠", "error": "✘"}[finding.severity]
    click.echo(f"{mark} {finding.elapsed_s:>5.0f} s  {finding.message}", err=mark == "✘")
    for line in finding.logs:
        click.echo(f"           {line}", err=mark == "✘")


# -- stop -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StopArgs:
    bot: str | None
    archive: bool = False
    controller: str | None = None
    all_bots: bool = False
    yes: bool = False
    confirm: str | None = None


async def stop_command(settings: Settings, args: StopArgs) -> int:
    if args.all_bots == (args.bot is not None):
        raise CommandError("name one bot to stop, or pass --all for the kill switch.")
    if args.all_bots and (args.archive or args.controller):
        raise CommandError("--all stops every bot (orders cancelled); it takes no other option.")
    if args.archive and args.controller:
        raise CommandError("--archive stops the whole bot; --controller stops one controller.")
    async with open_desk(settings) as desk:
        if args.all_bots:
            return await _kill_switch(desk, args)
        assert args.bot is not None
        bot = await _resolve_bot(desk, args.bot)
        kind = (
            StopKind.ARCHIVE
            if args.archive
            else StopKind.CONTROLLER
            if args.controller
            else StopKind.STOP
        )
        click.echo(f"Stopping {bot} ({kind.value}), then checking it stopped…")
        result = await desk.stop(bot, kind, controller=args.controller)
        click.echo(result.message, err=not result.ok)
        if result.retry_advised:
            click.echo(
                f"Retry: the same command again, or `tradeagent stop {bot} --archive`.", err=True
            )
        return OK if result.ok else NOT_DONE


async def _resolve_bot(desk: Desk, name: str) -> str:
    """A full bot name, or the base name of exactly one running bot."""
    try:
        bots = await desk.client.bots_status()
    except HummingbotError:
        return name  # the stop itself will say what is wrong
    if name in bots:
        return name
    matches = sorted(bot for bot in bots if is_instance_of(name, bot))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise CommandError(f"{name} names {len(matches)} bots ({', '.join(matches)}): pick one.")
    return name


async def _kill_switch(desk: Desk, args: StopArgs) -> int:
    word = desk.options.kill_word
    live = desk.options.live
    if args.confirm is not None:
        answer = args.confirm
    elif args.yes and not live:
        answer = word
    elif args.yes:
        raise CommandError(f"--yes does not confirm the LIVE kill switch: pass --confirm {word}.")
    elif not sys.stdin.isatty():
        needed = f"--confirm {word}" if live else "--yes"
        raise CommandError(f"no terminal to confirm on: pass {needed} to stop every bot.")
    elif live:
        answer = str(click.prompt(f"Type {word} to stop EVERY bot on LIVE", default=""))
    else:
        answer = word if click.confirm("Stop every bot on SIM?", default=False) else ""
    if answer.strip() != word:
        desk.journal.append("kill_switch.cancelled", {"reason": "not confirmed"})
        click.echo(f"Nothing stopped: to confirm, {'type ' + word if live else 'answer y'}.")
        return NOT_DONE
    report = await desk.kill_switch(
        on_result=lambda r: click.echo(f"{'✔' if r.ok else '✘'} {r.bot}: {r.state.value}")
    )
    click.echo(kill_switch_text(report), err=not report.ok)
    return OK if report.ok else NOT_DONE


# -- journal --------------------------------------------------------------------------------


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``30m``, ``2h``, ``7d``, ``1w`` ago, or an ISO date/time (local time unless it says)."""
    now = now or datetime.now(UTC)
    relative = _RELATIVE.match(text.strip())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        return now - timedelta(**{_UNITS[unit]: amount})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"--since {text!r}: use a duration like 30m, 2h, 7d, 1w, or a date like "
            "2026-11-24 or 2026-11-24T09:00."
        ) from None
    return when.astimezone() if when.tzinfo is None else when


def journal_command(
    settings: Settings,
    *,
    since: str | None,
    kind: str | None,
    as_json: bool,
    limit: int,
    everything: bool = False,
) -> int:
    path = journal_path(settings.data_dir)
    if not path.exists():
        click.echo(f"The journal at {path} is empty: nothing was deployed or stopped yet.")
        return OK
    try:
        journal = open_journal(settings)
    except JournalError as exc:
        click.echo(str(exc), err=True)
        return NOT_DONE
    try:
        entries = journal.entries(
            kind_prefix=kind,
            since=parse_since(since) if since else None,
            limit=limit,
            newest_first=True,
            exclude_kinds=() if everything or kind else BACKGROUND_KINDS,
        )
    finally:
        journal.close()
    entries.reverse()  # the newest `limit`, printed oldest first
    if as_json:
        click.echo(json.dumps([e.to_json() for e in entries], indent=2, ensure_ascii=False))
        return OK
    if not entries:
        click.echo("No journal entries match.")
        return OK
    rows = [entry_row(e) for e in entries]
    kind_width = max(len(row[1]) for row in rows)
    state_width = max(len(row[2]) for row in rows)
    for when, entry_kind, state, summary in rows:
        click.echo(f"{when}  {entry_kind:<{kind_width}}  {state:<{state_width}}  {summary}")
    return OK
