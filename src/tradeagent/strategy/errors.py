"""Validation problems as data (for the AI, the preview, the CLI) and as one exception."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

_VALUE_WIDTH = 60


def show_value(value: object) -> str:
    """A short, single-line rendering of a bad value (never the whole 10 MB of it)."""
    if isinstance(value, Enum):
        text = value.name
    elif isinstance(value, Decimal):
        text = str(value)
    else:
        text = repr(value)
    text = text.replace("\n", "\\n")
    if len(text) > _VALUE_WIDTH:
        text = text[: _VALUE_WIDTH - 1] + "…"
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config: where, what was there, why it is wrong, what is allowed."""

    field: str
    """Dotted path of the field (``trailing_stop.activation_price``, ``buy_spreads[1]``);
    empty for the document as a whole."""
    why: str
    value: str | None = None
    """The offending value, already shortened for display; None when there is none (missing)."""
    allowed: str | None = None
    """The allowed range or values, e.g. ``> 0`` or ``HEDGE | ONEWAY``."""
    line: int | None = None
    """1-based line in the YAML text the config came from, when known."""

    @property
    def message(self) -> str:
        where = self.field
        if self.value is not None:
            where = f"{where or 'value'} = {self.value}"
        text = f"{where}: {self.why}" if where else self.why
        if self.allowed:
            text += f" (allowed: {self.allowed})"
        if self.line is not None:
            text = f"line {self.line}: {text}"
        return text

    def as_dict(self) -> dict[str, object]:
        """Plain data, e.g. for a tool result sent back to the model."""
        return {
            "field": self.field,
            "value": self.value,
            "why": self.why,
            "allowed": self.allowed,
            "line": self.line,
        }


class ConfigError(ValueError):
    """A config that cannot be used, with every problem found (not just the first)."""

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        origin = f" in {self.source}" if self.source else ""
        if len(self.problems) == 1:
            return f"Invalid controller config{origin}: {self.problems[0].message}"
        lines = [f"Invalid controller config{origin}: {len(self.problems)} problems"]
        lines += [f"  • {problem.message}" for problem in self.problems]
        return "\n".join(lines)


class FieldValueError(ValueError):
    """Raised inside model validators to blame a specific field (pydantic keeps the instance)."""

    def __init__(self, field: str, why: str, *, allowed: str | None = None) -> None:
        super().__init__(why)
        self.field = field
        self.why = why
        self.allowed = allowed
