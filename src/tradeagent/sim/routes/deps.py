"""What every route depends on: HTTP Basic auth with the real server's replies, and the
simulator brought up to date before the route reads or changes it."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from tradeagent.sim.simulator import Simulator

_basic = HTTPBasic()


async def require_auth(
    request: Request, credentials: Annotated[HTTPBasicCredentials, Depends(_basic)]
) -> None:
    options = simulator(request).options
    user_ok = secrets.compare_digest(credentials.username.encode(), options.username.encode())
    password_ok = secrets.compare_digest(credentials.password.encode(), options.password.encode())
    if not (user_ok and password_ok):
        raise HTTPException(
            status_code=401,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Basic"},
        )


def simulator(request: Request) -> Simulator:
    sim: Simulator = request.app.state.sim
    return sim


async def current(request: Request) -> Simulator:
    """The simulator, ticked to now (on the event loop: sync dependencies run in threads)."""
    sim = simulator(request)
    sim.tick()
    return sim


Sim = Annotated[Simulator, Depends(current)]
AUTH = [Depends(require_auth)]
