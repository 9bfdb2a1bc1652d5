"""Names the server puts in paths and file names, checked before anything is sent.

The real server answers a bad ``instance_name`` with a plain-text HTTP 500 (its 422 handler
crashes), and a ``/`` in a path segment reaches a different route; both are caught here instead.
"""

from __future__ import annotations

import re

from tradeagent.hb.errors import FieldError, InvalidRequest

NAME_PATTERN = r"^[A-Za-z0-9_-]+$"
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_SHOWN = 60


def check_name(value: str, what: str, field: str) -> str:
    """Return ``value`` when it is a valid server-side name, else raise :class:`InvalidRequest`.

    ``what`` names the thing for the trader ("Bot name"), ``field`` the request field.
    """
    if _NAME.fullmatch(value):
        return value
    problem = _describe(value)
    shown = value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"
    raise InvalidRequest(
        f"{what} '{shown}' {problem}. Use letters, digits, - and _.",
        fields=(FieldError(loc=(field,), msg=f"{problem}; allowed: {NAME_PATTERN}", type="name"),),
    )


def check_config_name(value: str, what: str, field: str) -> str:
    """Like :func:`check_name`, allowing the ``.yml`` suffix the server accepts for configs."""
    base = value[: -len(".yml")] if value.endswith(".yml") else value
    check_name(base, what, field)
    return value


def _describe(value: str) -> str:
    if value == "":
        return "is empty"
    if any(ch.isspace() for ch in value):
        return "has a space" if " " in value else "has a whitespace character"
    bad = sorted({ch for ch in value if not (ch.isascii() and (ch.isalnum() or ch in "-_"))})
    shown = " ".join(repr(ch) for ch in bad[:5])
    return f"contains {shown}"
