"""``tradeagent sim``: serve the simulator on a port (the click command in tradeagent.cli)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tradeagent.sim.app import create_app
from tradeagent.sim.chaos import Chaos, ChaosSpecError, parse_spec
from tradeagent.sim.persist import SimStateError
from tradeagent.sim.serve import ServeError, listen, run_server
from tradeagent.sim.simulator import SimOptions


class SimCommandError(Exception):
    """Why ``tradeagent sim`` cannot start, and what to do about it."""


def serve_simulator(
    *,
    host: str,
    port: int,
    speed: float,
    state_file: Path | None,
    seed: int,
    chaos_specs: Iterable[str],
    demo: bool = False,
    username: str,
    password: str,
    echo: Callable[[str], None],
) -> None:
    chaos = Chaos()
    try:
        for spec in chaos_specs:
            parse_spec(spec, chaos)
        options = SimOptions(
            username=username,
            password=password,
            speed=speed,
            seed=seed,
            state_file=state_file.expanduser() if state_file else None,
            demo=demo,
        )
        app = create_app(options, chaos=chaos)
        sock = listen(host, port)
    except (ChaosSpecError, SimStateError, ServeError) as exc:
        raise SimCommandError(str(exc)) from None
    bound_host, bound_port = sock.getsockname()[:2]
    kept = f"state in {options.state_file}" if options.state_file else "state in memory only"
    faults = f"; chaos: {len(chaos.rules)} rule(s), {len(chaos.bot_faults)} bot fault(s)"
    echo(
        f"Simulated Hummingbot API on http://{bound_host}:{bound_port} "
        f"(user {username}; market speed {speed:g}x; {kept}"
        f"{faults if chaos.rules or chaos.bot_faults else ''}). Ctrl-C stops it."
    )
    run_server(app, sock)
