"""The base of every wire model, tolerant of what real servers send."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict


class Wire(BaseModel):
    """A JSON object from (or to) the Hummingbot API.

    Unknown fields are ignored (newer servers add some) and numbers sent as text are accepted.
    An explicit ``null`` where a value belongs is handled by the client, which validates again
    after :func:`drop_nulls` only when the first attempt fails, so the common case stays on
    pydantic's fast path (a model-level "before" validator would cost a third of a status parse).
    """

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


def drop_nulls(value: Any) -> Any:
    """``value`` with every ``null`` object member removed, so the field's default applies."""
    if isinstance(value, dict):
        return {key: drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [drop_nulls(item) for item in value]
    return value


def _utc(value: datetime) -> datetime:
    # The server writes naive ISO timestamps in UTC; inside tradeagent time is always aware.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
