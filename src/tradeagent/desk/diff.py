"""What changes against the last deployed version of a config with the same name.

The baseline is the last successful deploy of that name in the journal; failing that, the
version saved on the server (which saving will overwrite); failing that, the config is new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tradeagent.desk.journal import Journal

DEPLOY_KIND = "deploy"
DEPLOYED_OUTCOMES = frozenset({"ok", "reconciled:running"})
"""Deploy outcomes after which a bot ran (reconciled: found running after a crash)."""
Baseline = Literal["deployed", "server", "new", "unknown"]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def line(self) -> str:
        return f"{self.field} {_show(self.before)} → {_show(self.after)}"


@dataclass(frozen=True)
class ConfigDiff:
    name: str
    baseline: Baseline
    baseline_label: str
    """e.g. "last deployed btc_bb (2026-11-24 09:02 CET)", in local time."""
    changes: tuple[FieldChange, ...]

    @property
    def summary(self) -> str:
        if self.baseline == "new":
            return f"{self.name}: new config (never deployed from here, not on the server)"
        if self.baseline == "unknown":
            return f"{self.name}: cannot compare (never deployed from here; {self.baseline_label})"
        if not self.changes:
            return f"{self.name}: unchanged since {self.baseline_label}"
        shown = "; ".join(change.line for change in self.changes[:6])
        more = len(self.changes) - 6
        return f"vs {self.baseline_label}: {shown}" + (f" (+{more} more)" if more > 0 else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "baseline": self.baseline,
            "baseline_label": self.baseline_label,
            "changes": [
                {"field": c.field, "before": c.before, "after": c.after} for c in self.changes
            ],
        }


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """Changed, added and removed fields; nested mappings by dotted path, lists whole."""
    flat_before, flat_after = _flatten(before), _flatten(after)
    changes = []
    for key in sorted(flat_before.keys() | flat_after.keys()):
        old, new = flat_before.get(key, _ABSENT), flat_after.get(key, _ABSENT)
        if old != new:
            changes.append(FieldChange(key, old, new))
    return tuple(changes)


def last_deployed(journal: Journal, name: str) -> tuple[dict[str, Any], str] | None:
    """The config deployed last under controller name ``name``, with a label saying when."""
    succeeded = {
        entry.ref
        for entry in journal.entries(kind=DEPLOY_KIND + ".outcome")
        if entry.payload.get("outcome") in DEPLOYED_OUTCOMES
    }
    for entry in journal.entries(kind=DEPLOY_KIND + ".begin", newest_first=True):
        if str(entry.id) not in succeeded:
            continue
        for controller in entry.payload.get("controllers") or ():
            if isinstance(controller, dict) and controller.get("name") == name:
                config = controller.get("config")
                if isinstance(config, dict):
                    when = entry.ts.astimezone().strftime("%Y-%m-%d %H:%M %Z")
                    return config, f"last deployed {name} ({when})"
    return None


def diff_against_baseline(
    journal: Journal,
    name: str,
    config: Mapping[str, Any],
    on_server: Mapping[str, Any] | Exception | None,
) -> ConfigDiff:
    """``on_server`` is the server's saved config of that name: None when it has none, the
    error when it could not be read."""
    deployed = last_deployed(journal, name)
    if deployed is not None:
        before, label = deployed
        return ConfigDiff(name, "deployed", label, field_changes(before, config))
    if isinstance(on_server, Exception):
        return ConfigDiff(name, "unknown", f"the server's copy cannot be read: {on_server}", ())
    if on_server is not None:
        # The server forces ``id`` to the file name; compare like with like.
        saved = {**on_server, "id": on_server.get("id", name)}
        label = f"the {name} saved on the server (saving replaces it)"
        return ConfigDiff(name, "server", label, field_changes(saved, config))
    return ConfigDiff(name, "new", "", ())


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


_ABSENT: Any = _Absent()


def _flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}{key}"
        if isinstance(item, Mapping) and item:
            flat.update(_flatten(item, path + "."))
        else:
            flat[path] = item
    return flat


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "(absent)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)
