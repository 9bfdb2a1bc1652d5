"""A faithful simulator of the Hummingbot API, with bots trading on a simulated market.

- :func:`create_app` builds the ASGI app (``app.state.sim``, ``app.state.chaos``).
- :class:`EmbeddedSimulator` serves it in-process through an httpx transport.
- :func:`serve_in_thread` / ``tradeagent sim`` serve it over a real socket.
- :class:`Chaos` injects transport faults and bot misbehaviour.
"""

from tradeagent.sim.app import create_app
from tradeagent.sim.chaos import Chaos, ChaosSpecError, Rule, parse_spec
from tradeagent.sim.clock import ManualClock, SystemClock
from tradeagent.sim.embedded import EmbeddedSimulator, SimTransport
from tradeagent.sim.persist import SimStateError
from tradeagent.sim.serve import serve_in_thread
from tradeagent.sim.simulator import SimOptions, Simulator

__all__ = [
    "Chaos",
    "ChaosSpecError",
    "EmbeddedSimulator",
    "ManualClock",
    "Rule",
    "SimOptions",
    "SimStateError",
    "SimTransport",
    "Simulator",
    "SystemClock",
    "create_app",
    "parse_spec",
    "serve_in_thread",
]
