"""The command line. Keep imports at the top light: `--version` and `--help` must stay fast,
so textual, anthropic, numpy and the rest load inside the commands that need them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from tradeagent import __version__

if TYPE_CHECKING:
    from tradeagent.settings import LoadedSettings

EXIT_USAGE = 2


class TradeagentGroup(click.Group):
    """`tradeagent FILE.yml` opens the TUI with that draft; `tradeagent CMD` runs a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--config":
                index += 2  # the option's value is not a command
                continue
            if arg.startswith("-"):
                index += 1
                continue
            if arg not in self.commands:
                # A bare path: open the TUI with it (the `ui` command takes it).
                args = [*args[:index], "ui", *args[index:]]
            break
        return super().parse_args(ctx, args)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"tradeagent: {message}", err=True)
    sys.exit(code)


def load(ctx: click.Context) -> LoadedSettings:
    """Settings for this run; a settings problem exits 2 with its one-paragraph explanation."""
    from tradeagent.settings import SettingsError, load_settings

    root = ctx.find_root()
    cached = root.meta.get("tradeagent.settings")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    config_path: Path | None = root.params.get("config_path")
    try:
        loaded = load_settings(config_path)
    except SettingsError as exc:
        fail(str(exc))
    root.meta["tradeagent.settings"] = loaded
    return loaded


@click.group(
    cls=TradeagentGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-V", "--version", prog_name="tradeagent")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file (TOML). Default: the platform config dir, or $TRADEAGENT_CONFIG.",
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """tradeagent: a keyboard-driven terminal cockpit for Hummingbot.

    Run without a command to open the TUI (on the built-in simulator unless
    hummingbot.url is set). Give a YAML file to open it as the draft:
    `tradeagent my_config.yml`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(ui)


@cli.command(hidden=True)
@click.argument("draft", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def ui(ctx: click.Context, draft: Path | None) -> None:
    """Open the TUI (the default command)."""
    loaded = load(ctx)
    from tradeagent.tui.app import make_app

    app = make_app(loaded.settings, draft_path=draft)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@cli.group(invoke_without_command=True)
@click.pass_context
def config(ctx: click.Context) -> None:
    """Show the effective settings (secrets masked) and where each comes from."""
    if ctx.invoked_subcommand is not None:
        return
    from tradeagent.settings import file_is_private, iter_effective

    loaded = load(ctx)
    path = loaded.config_path
    state = "found" if path.is_file() else "not found; defaults and environment only"
    click.echo(f"config file: {path} ({state})")
    if path.is_file() and not file_is_private(path):
        click.echo(f"warning: {path} is readable by others; run: chmod 600 {path}", err=True)
    click.echo(f"mode: {loaded.settings.mode}")
    rows = list(iter_effective(loaded))
    width = max(len(key) for key, _, _ in rows)
    value_width = min(40, max(len(value) for _, value, _ in rows))
    for key, value, source in rows:
        click.echo(f"{key:<{width}}  {value:<{value_width}}  {source}")


@config.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--path",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write (default: the config file in use).",
)
@click.pass_context
def config_init(ctx: click.Context, force: bool, target: Path | None) -> None:
    """Write a commented config template (mode 0600)."""
    from tradeagent.settings import SettingsError, default_config_path, write_template

    root_path: Path | None = ctx.find_root().params.get("config_path")
    path = target or root_path or default_config_path()
    try:
        written = write_template(path, force=force)
    except SettingsError as exc:
        fail(str(exc), code=1)
    except OSError as exc:
        fail(f"cannot write {path}: {exc}. Choose another place with --path.", code=1)
    click.echo(f"wrote {written} (mode 0600). Edit it, then check with: tradeagent config")


@cli.command()
@click.argument("config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--days", type=float, default=None, help="Backtest the last N days (default: backtest.days)."
)
@click.option("--start", default=None, help="First candle: unix seconds or ISO date (UTC).")
@click.option(
    "--end", default=None, help="Last candle: unix seconds or ISO date (a date includes all of it)."
)
@click.option(
    "--source",
    default=None,
    help="Candles: synthetic, file:PATH (CSV, gzip ok), hyperliquid or hummingbot "
    "(default: backtest.source, synthetic).",
)
@click.option("--seed", type=int, default=None, help="Synthetic market seed (default 7).")
@click.option(
    "--mode",
    type=click.Choice(["hummingbot", "realistic"]),
    default=None,
    help="hummingbot: reproduce Hummingbot's backtester; realistic: its quirks fixed "
    "(default: backtest.mode, hummingbot).",
)
@click.option("--trade-cost", type=float, default=None, help="Fee per fill (default 0.0006).")
@click.option("--resolution", default=None, help="Candle interval simulated (default 1m).")
@click.option(
    "--engine",
    type=click.Choice(["local", "server"]),
    default="local",
    show_default=True,
    help="server: also run POST /backtesting/run on the Hummingbot API and compare.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts (results, executors).")
@click.pass_context
def backtest(ctx: click.Context, /, config_file: Path, as_json: bool, **options: Any) -> None:
    """Backtest a controller config (YAML) on candles, in well under a second."""
    settings = load(ctx).settings
    from tradeagent.desk.backtest_command import BacktestCommand, CommandFailed, HummingbotAccess

    defaults = settings.backtest
    if options["start"] is None and options["end"] is None and options["days"] is None:
        options["days"] = defaults.days
    for key in ("source", "seed", "mode", "trade_cost", "resolution"):
        if options[key] is None:
            options[key] = getattr(defaults, key)

    hb = settings.hummingbot
    access = None
    if hb.url is not None:
        access = HummingbotAccess(
            hb.url, hb.username, hb.password.get_secret_value(), hb.timeout_s, hb.long_timeout_s
        )
    from functools import partial

    from tradeagent.desk_setup import journal_backtest

    command = BacktestCommand(
        cache_dir=settings.cache_dir,
        hummingbot=access,
        record=partial(journal_backtest, settings),
    )
    try:
        output = run_async(command.run(config_file, as_json=as_json, **options))
    except CommandFailed as exc:
        fail(str(exc), code=exc.code)
    click.echo(output)


@cli.command()
@click.argument("prompt")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (answer, draft).")
@click.option(
    "--draft",
    "draft_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help='A config YAML the request refers to ("make it 3x").',
)
@click.pass_context
def ask(ctx: click.Context, prompt: str, as_json: bool, draft_path: Path | None) -> None:
    """Ask the assistant once (Claude with a key, else offline); print the answer and draft."""
    loaded = load(ctx)
    from tradeagent import ask as ask_command
    from tradeagent.assistant_setup import build_assistant

    assistant = build_assistant(loaded.settings)
    sys.exit(run_async(ask_command.run(assistant, prompt, as_json=as_json, draft_path=draft_path)))


def run_async(coro: Any) -> Any:
    """Run a coroutine for a command; Ctrl-C exits 130 without a traceback."""
    import asyncio

    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        fail("interrupted", code=130)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document (a line per refresh).")
@click.option("--watch", is_flag=True, help="Refresh every ui.poll_interval_s until Ctrl-C.")
@click.pass_context
def status(ctx: click.Context, as_json: bool, watch: bool) -> None:
    """Every bot: status, uptime, PnL, volume, positions, win rate."""
    settings = load(ctx).settings
    from tradeagent.fleet_commands import CommandError
    from tradeagent.fleet_commands import status as show_status

    clear = click.clear if sys.stdout.isatty() else None
    try:
        run_async(
            show_status(
                settings,
                as_json=as_json,
                watch=watch,
                echo=click.echo,
                warn=lambda line: click.echo(line, err=True),
                clear=clear,
            )
        )
    except CommandError as exc:
        fail(str(exc), code=exc.code)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.pass_context
def accounts(ctx: click.Context, as_json: bool) -> None:
    """Accounts on the server and the connectors each has keys for."""
    settings = load(ctx).settings
    from tradeagent.fleet_commands import CommandError
    from tradeagent.fleet_commands import accounts as show_accounts

    try:
        run_async(show_accounts(settings, as_json=as_json, echo=click.echo))
    except CommandError as exc:
        fail(str(exc), code=exc.code)


@cli.command()
@click.option(
    "--url",
    default=None,
    help="Check this Hummingbot API instead of hummingbot.url, e.g. http://127.0.0.1:8000.",
)
@click.pass_context
def doctor(ctx: click.Context, url: str | None) -> None:
    """Check the Hummingbot API (reachable, version, login, Docker, MQTT, account keys) and
    the Anthropic key; without hummingbot.url, the built-in simulator. Exits 1 when something
    blocks trading."""
    loaded = load(ctx)
    from tradeagent.doctor import Setup, doctor
    from tradeagent.hb import HummingbotClient

    hummingbot = loaded.settings.hummingbot
    password = hummingbot.password.get_secret_value()
    target = (url or hummingbot.url or "").strip().rstrip("/")
    if target and not target.startswith(("http://", "https://")):
        fail(f"--url {target!r} must start with http:// or https:// (e.g. http://127.0.0.1:8000)")
    setup = Setup(
        account=hummingbot.account,
        username=hummingbot.username,
        default_login=bool(target) and (hummingbot.username, password) == ("admin", "admin"),
        anthropic_key_source=(
            loaded.source_of("ai.api_key") if loaded.settings.anthropic_key else None
        ),
        simulated=not target,
    )

    async def check() -> int:
        if target:
            async with HummingbotClient(
                target, hummingbot.username, password, timeout=hummingbot.timeout_s
            ) as hb:
                return await doctor(hb, setup, click.echo)
        from tradeagent.sim import EmbeddedSimulator, SimOptions

        # A fresh simulator: doctor never reads or writes the state file the TUI keeps.
        options = SimOptions(username=hummingbot.username, password=password)
        async with (
            EmbeddedSimulator(options) as sim,
            HummingbotClient(
                sim.base_url,
                hummingbot.username,
                password,
                transport=sim.transport,
                label="The built-in simulator (in-process)",
            ) as hb,
        ):
            return await doctor(hb, setup, click.echo)

    sys.exit(run_async(check()))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--speed",
    type=click.FloatRange(min=0, min_open=True, max=100_000),
    default=None,
    help="Market seconds per wall-clock second (default: hummingbot.sim_speed, 1).",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep accounts, configs and bots in this JSON file across restarts (mode 0600).",
)
@click.option("--seed", default=7, show_default=True, help="Seed of the simulated market.")
@click.option(
    "--demo/--no-demo",
    default=None,
    help="Start a fresh simulator with two demo bots trading (default: hummingbot.sim_demo_bots).",
)
@click.option(
    "--chaos",
    "chaos_specs",
    multiple=True,
    metavar="SPEC",
    help="Inject faults, e.g. 'latency=0.05-0.3,error=0.02' or 'bot=ta-*,fault=silent' "
    "(repeatable; a bad spec prints the full syntax).",
)
@click.pass_context
def sim(
    ctx: click.Context,
    host: str,
    port: int,
    speed: float | None,
    state_file: Path | None,
    seed: int,
    demo: bool | None,
    chaos_specs: tuple[str, ...],
) -> None:
    """Serve the built-in Hummingbot API simulator over HTTP (for other tools)."""
    hb = load(ctx).settings.hummingbot
    from tradeagent.sim.command import SimCommandError, serve_simulator

    try:
        serve_simulator(
            host=host,
            port=port,
            speed=speed if speed is not None else hb.sim_speed,
            state_file=state_file or hb.sim_state_file,
            seed=seed,
            demo=hb.sim_demo_bots if demo is None else demo,
            chaos_specs=chaos_specs,
            username=hb.username,
            password=hb.password.get_secret_value(),
            echo=click.echo,
        )
    except SimCommandError as exc:
        fail(str(exc), code=1)


def run_command(coro: Any) -> None:
    """Run a desk command; its usage errors exit 2 with their message."""
    from tradeagent.desk_commands import CommandError

    try:
        code = run_async(coro)
    except CommandError as exc:
        fail(str(exc))
    sys.exit(code)


@cli.command()
@click.argument("configs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--name", help="Bot name (the server appends a timestamp). Default: first config's id."
)
@click.option("--account", help="Credentials profile. Default: hummingbot.account.")
@click.option(
    "--max-drawdown",
    type=click.FloatRange(min=0, min_open=True),
    help="Bot drawdown cap (quote). Default: desk.global_drawdown_pct of the capital.",
)
@click.option(
    "--max-controller-drawdown",
    type=click.FloatRange(min=0, min_open=True),
    help="Per-controller drawdown cap (quote). Default: desk.controller_drawdown_pct.",
)
@click.option("--allow-same-name", is_flag=True, help="Deploy even if a bot of that name runs.")
@click.option("--yes", is_flag=True, help="Confirm a SIM deploy without asking.")
@click.option(
    "--confirm", metavar="WORD", help="Confirm a LIVE deploy: the trading pair (or word)."
)
@click.option(
    "--watch",
    "watch_s",
    type=click.FloatRange(min=0),
    help="Seconds to watch the new bot (default desk.watch_s; 0 = do not watch).",
)
@click.pass_context
def deploy(
    ctx: click.Context,
    configs: tuple[Path, ...],
    name: str | None,
    account: str | None,
    max_drawdown: float | None,
    max_controller_drawdown: float | None,
    allow_same_name: bool,
    yes: bool,
    confirm: str | None,
    watch_s: float | None,
) -> None:
    """Deploy controller configs as one bot: preflight, backtest gate, confirmation, deploy,
    then watch the bot. Without a terminal: --yes in SIM, --confirm PAIR in LIVE."""
    settings = load(ctx).settings
    from decimal import Decimal

    from tradeagent.desk_commands import DeployArgs, deploy_command

    args = DeployArgs(
        paths=configs,
        name=name,
        account=account,
        max_drawdown=Decimal(str(max_drawdown)) if max_drawdown else None,
        max_controller_drawdown=(
            Decimal(str(max_controller_drawdown)) if max_controller_drawdown else None
        ),
        allow_same_name=allow_same_name,
        yes=yes,
        confirm=confirm,
        watch_s=watch_s,
    )
    run_command(deploy_command(settings, args))


@cli.command()
@click.argument("bot", required=False)
@click.option("--archive", is_flag=True, help="Stop, remove the container and archive its files.")
@click.option("--controller", metavar="NAME", help="Stop one controller (its kill switch).")
@click.option("--all", "all_bots", is_flag=True, help="Kill switch: stop every bot, verified.")
@click.option("--yes", is_flag=True, help="Confirm --all in SIM without asking.")
@click.option(
    "--confirm", metavar="WORD", help="Confirm --all in LIVE (STOP or desk.confirm_word)."
)
@click.pass_context
def stop(
    ctx: click.Context,
    bot: str | None,
    archive: bool,
    controller: str | None,
    all_bots: bool,
    yes: bool,
    confirm: str | None,
) -> None:
    """Stop a bot (open orders cancelled) and check it stopped; or --archive it, or stop one
    --controller; or stop every bot with --all. Exits 1 when a stop is not confirmed."""
    settings = load(ctx).settings
    from tradeagent.desk_commands import StopArgs, stop_command

    args = StopArgs(bot, archive, controller, all_bots, yes, confirm)
    run_command(stop_command(settings, args))


@cli.command()
@click.option("--since", help="Only entries after this: 30m, 2h, 7d, 1w, or 2026-11-24[T09:00].")
@click.option("--kind", help="Only kinds starting with this, e.g. deploy, stop, watch, backtest.")
@click.option("--json", "as_json", is_flag=True, help="Entries as JSON.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also the PnL samples and pieces of streaming replies (left out unless --kind asks).",
)
@click.pass_context
def journal(
    ctx: click.Context,
    since: str | None,
    kind: str | None,
    as_json: bool,
    limit: int,
    everything: bool,
) -> None:
    """List the journal: proposals, backtests, preflights, deploys, stops, watch findings."""
    settings = load(ctx).settings
    from tradeagent.desk_commands import CommandError, journal_command

    try:
        code = journal_command(
            settings, since=since, kind=kind, as_json=as_json, limit=limit, everything=everything
        )
    except CommandError as exc:
        fail(str(exc))
    sys.exit(code)
