"""Begin and finish a journalled action from a screen, off the event loop.

The action itself was confirmed by the trader, so a journal that cannot be written does not stop
it; the screen says the record is missing instead.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widget import Widget

from tradeagent.desk.journal import Journal, JournalError


async def begin(
    where: Widget, journal: Journal | None, kind: str, payload: dict[str, Any]
) -> int | None:
    """The action's journal id, or None when there is no journal or it cannot be written."""
    if journal is None:
        return None
    try:
        return await asyncio.to_thread(journal.begin, kind, payload)
    except JournalError as exc:
        where.notify(f"{exc} This action is not recorded.", title="Journal", severity="warning")
        return None


async def finish(
    where: Widget,
    journal: Journal | None,
    action: int | None,
    outcome: str,
    payload: dict[str, Any],
) -> None:
    if journal is None or action is None:
        return
    try:
        await asyncio.to_thread(journal.finish, action, outcome, payload)
    except JournalError as exc:
        where.notify(
            f"{exc} The outcome ({outcome}) is not recorded.", title="Journal", severity="warning"
        )
