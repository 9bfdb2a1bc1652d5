"""Check results: one line per check, with a verdict and, when it did not pass, a fix.

Preflight, the backtest gate and the risk policy all report in this shape, so the confirmation
screen, the CLI and the journal show them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    """Blocks the deploy until fixed."""
    ADVISORY = "advisory"
    """Shown (⚠) and journalled; the deploy may go on."""
    SKIPPED = "skipped"
    """Could not be run because an earlier check failed (e.g. the server is down)."""


MARKS: dict[Verdict, str] = {
    Verdict.PASS: "✔",
    Verdict.FAIL: "✘",
    Verdict.ADVISORY: "⚠",
    Verdict.SKIPPED: "·",
}


@dataclass(frozen=True)
class Check:
    """One check. ``label`` is the short form shown in a row of checks ("min $10"); ``detail``
    says what was found; ``fix`` says what to do when it did not pass."""

    id: str
    label: str
    verdict: Verdict
    detail: str = ""
    fix: str = ""
    controller: str | None = None

    @property
    def mark(self) -> str:
        return MARKS[self.verdict]

    @property
    def line(self) -> str:
        """The check as one line: mark, label, what was found and, if needed, the fix."""
        where = f"[{self.controller}] " if self.controller else ""
        text = f"{self.mark} {where}{self.label}"
        if self.detail:
            text += f": {self.detail}"
        if self.fix and self.verdict in (Verdict.FAIL, Verdict.ADVISORY):
            text += f" → {self.fix}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "verdict": self.verdict.value,
            "detail": self.detail,
            "fix": self.fix,
            "controller": self.controller,
        }


@dataclass(frozen=True)
class CheckReport:
    checks: tuple[Check, ...]

    @classmethod
    def of(cls, *groups: Iterable[Check]) -> CheckReport:
        return cls(tuple(check for group in groups for check in group))

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.verdict is Verdict.FAIL)

    @property
    def advisories(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.verdict is Verdict.ADVISORY)

    @property
    def ok(self) -> bool:
        """Nothing blocks (advisories allowed)."""
        return not self.failures

    def get(self, check_id: str) -> list[Check]:
        return [c for c in self.checks if c.id == check_id]

    def to_json(self) -> list[dict[str, Any]]:
        return [check.to_json() for check in self.checks]
