"""The base of every wire model: tolerant of what real servers send."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator


class Wire(BaseModel):
    """A JSON object from (or to) the Hummingbot API.

    Unknown fields are ignored (newer servers add some), numbers given as strings are accepted,
    and an explicit ``null`` means "use the default", so a missing figure reads as 0 rather than
    failing the whole reply.
    """

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    @model_validator(mode="before")
    @classmethod
    def _null_means_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and None in data.values():
            return {key: value for key, value in data.items() if value is not None}
        return data


def _utc(value: datetime) -> datetime:
    # The server writes naive ISO timestamps in UTC; inside tradeagent time is always aware.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
