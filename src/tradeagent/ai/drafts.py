"""The strategy models as the assistant needs them: a strict tool schema, checks, a catalogue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from tradeagent.strategy import (
    CONTROLLER_CLASSES,
    ConfigError,
    ControllerConfig,
    ControllerConfigBase,
    dump_yaml,
    parse_config,
)


@cache
def config_schema() -> dict[str, Any]:
    """JSON schema of any controller config, in the subset strict tools accept.

    Constraints the API cannot enforce (bounds, defaults) become description text; validation
    by :func:`check` enforces them for real. Titles are dropped: they only cost tokens.
    """
    import anthropic  # heavy (seconds on a busy box): only when a request is first built

    schema = TypeAdapter(ControllerConfig).json_schema()
    schema.pop("discriminator", None)
    stripped: dict[str, Any] = _without_titles(anthropic.transform_schema(schema))
    return stripped


def _without_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _without_titles(value) for key, value in node.items() if key != "title"}
    if isinstance(node, list):
        return [_without_titles(item) for item in node]
    return node


@dataclass(frozen=True)
class Checked:
    config: ControllerConfigBase | None
    problems: list[dict[str, object]]

    @property
    def messages(self) -> list[str]:
        return [str(p.get("message", "")) for p in self.problems]


def check(data: object) -> Checked:
    """Validate a proposed config; problems say field, value, why and what is allowed."""
    try:
        return Checked(parse_config(data), [])
    except ConfigError as exc:
        return Checked(
            None, [{**problem.as_dict(), "message": problem.message} for problem in exc.problems]
        )


def to_yaml(config: ControllerConfigBase) -> str:
    return dump_yaml(config)


def label(config: ControllerConfigBase) -> str:
    """``bollinger_v1 · BTC-USD · hyperliquid_perpetual`` (what, where)."""
    parts = [config.controller_name]
    for name in ("trading_pair", "connector_name"):
        value = getattr(config, name, None)
        if value:
            parts.append(str(value))
    return " · ".join(parts)


def catalogue() -> str:
    """One line per controller: name, family, what it does (from the model docstrings)."""
    lines = []
    for name, cls in CONTROLLER_CLASSES.items():
        doc = " ".join((cls.__doc__ or "").split())
        lines.append(f"- `{name}` ({cls.KIND}): {doc}")
    return "\n".join(lines)


def compact_json(value: object) -> str:
    return json.dumps(value, default=str, separators=(",", ":"), sort_keys=True)
