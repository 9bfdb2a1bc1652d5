"""Mapping -> validated config, with every problem explained (field, value, why, allowed)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tradeagent.strategy.bases import (
    ControllerConfigBase,
)
from tradeagent.strategy.errors import ConfigError, FieldValueError, Problem, show_value
from tradeagent.strategy.fields import OrderType, PositionMode, TradeType, enum_allowed
from tradeagent.strategy.models import (
    CONTROLLER_CLASSES,
    ControllerConfig,
)
from tradeagent.strategy.serialize import field_order

KeyLines = Mapping[str, int]
"""Dotted field path -> 1-based YAML line, so problems can point into the text."""

_CANDLE_COPIES = ("candles_connector", "candles_trading_pair")
_BOUNDS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_ENUM_ALLOWED = {
    "position_mode": " | ".join(PositionMode),
    "side": enum_allowed(TradeType),
}


def parse_config(
    data: object, *, key_lines: KeyLines | None = None, source: str | None = None
) -> ControllerConfig:
    """Validate a mapping (parsed YAML or JSON) into the controller's model.

    Raises :class:`ConfigError` listing every problem found.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(
            [
                Problem(
                    "",
                    "a controller config is a mapping of keys to values "
                    f"(got {type(data).__name__})",
                    allowed="id: …, controller_name: …, …",
                )
            ],
            source=source,
        )
    bad_keys = [key for key in data if not isinstance(key, str)]
    if bad_keys:
        raise ConfigError(
            [Problem("", "keys must be text", value=show_value(key)) for key in bad_keys],
            source=source,
        )
    mapping = cast(Mapping[str, Any], data)
    cls = _controller_class(mapping, key_lines or {}, source)
    try:
        return cast(ControllerConfig, cls.model_validate(dict(mapping)))
    except ValidationError as exc:
        problems = [_problem(detail, cls, key_lines or {}) for detail in exc.errors()]
        # An omitted candles field copies connector_name / trading_pair: blame only the source.
        kept = [p for p in problems if not _copied_candles_field(p.field, mapping)]
        problems = kept or problems
        raise ConfigError(_sorted(_dedupe(problems), cls), source=source) from None


def _copied_candles_field(field: str, mapping: Mapping[str, Any]) -> bool:
    if field not in _CANDLE_COPIES:
        return False
    value = mapping.get(field)
    return value is None or (isinstance(value, str) and not value.strip())


def with_changes(config: ControllerConfigBase, changes: Mapping[str, Any]) -> ControllerConfig:
    """A copy of ``config`` with ``changes`` applied, validated like any new config."""
    data = {name: getattr(config, name) for name in type(config).model_fields}
    data.update(changes)
    return parse_config(data)


def _controller_class(
    data: Mapping[str, Any], key_lines: KeyLines, source: str | None
) -> type[ControllerConfigBase]:
    known = " | ".join(CONTROLLER_CLASSES)
    name = data.get("controller_name")
    if name is None:
        raise ConfigError(
            [
                Problem(
                    "controller_name",
                    "is missing; it selects the controller code Hummingbot runs",
                    allowed=known,
                    line=key_lines.get("controller_name"),
                )
            ],
            source=source,
        )
    if not isinstance(name, str) or name not in CONTROLLER_CLASSES:
        close = difflib.get_close_matches(str(name), list(CONTROLLER_CLASSES), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ConfigError(
            [
                Problem(
                    "controller_name",
                    f"is not a stock Hummingbot controller{hint}",
                    value=show_value(name),
                    allowed=known,
                    line=key_lines.get("controller_name"),
                )
            ],
            source=source,
        )
    return CONTROLLER_CLASSES[name]


def _dotted(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _line_for(path: str, key_lines: KeyLines) -> int | None:
    # The nearest enclosing key that has a line: `buy_spreads[3]` -> `buy_spreads`.
    while path:
        if path in key_lines:
            return key_lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def _problem(detail: ErrorDetails, cls: type[ControllerConfigBase], key_lines: KeyLines) -> Problem:
    loc = tuple(part for part in detail["loc"] if not _is_validator_tag(part))
    path = _dotted(loc)
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    value: str | None = show_value(detail.get("input"))
    allowed: str | None = None
    error = ctx.get("error")

    if isinstance(error, FieldValueError):
        field = f"{path}.{error.field}" if path else error.field
        current = _lookup(detail.get("input"), error.field)
        return Problem(
            field,
            error.why,
            value=show_value(current) if current is not _MISSING else None,
            allowed=error.allowed,
            line=_line_for(field, key_lines),
        )
    if kind == "extra_forbidden":
        why, allowed = _unknown_key(path, cls)
    elif kind == "missing":
        why, value = "is required", None
    elif kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        bound = next(k for k in _BOUNDS if k in ctx)
        allowed = f"{_BOUNDS[bound]} {ctx[bound]}"
        why = f"must be {_BOUNDS[bound]} {ctx[bound]}"
    elif kind == "literal_error":
        allowed = str(ctx.get("expected", "")).replace("'", "")
        why = _literal_why(path, cls, allowed)
    elif kind == "enum":
        allowed = _enum_allowed(path)
        why = "is not one of the allowed values"
    else:
        why = _clean(detail["msg"])
        if kind == "value_error" and "too large" not in why:
            allowed = _enum_allowed(path)
    return Problem(path, why, value=value, allowed=allowed, line=_line_for(path, key_lines))


_MISSING = object()


def _lookup(data: object, dotted: str) -> object:
    node = data
    for part in dotted.replace("]", "").replace("[", ".").split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list | tuple) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            # Model validators run after coercion; the value is on the model, not in the input.
            node = getattr(node, part, _MISSING)
            if node is _MISSING:
                return _MISSING
    return node


def _is_validator_tag(part: int | str) -> bool:
    # pydantic adds e.g. "function-after[_bounded_decimal(), decimal]" to some locations.
    return isinstance(part, str) and ("[" in part and "(" in part)


def _field_leaf(path: str) -> str:
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


def _clean(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    message = message.replace("Input should be", "must be")
    return message[:1].lower() + message[1:]


def _unknown_key(path: str, cls: type[ControllerConfigBase]) -> tuple[str, str | None]:
    leaf = _field_leaf(path)
    parent_fields = _fields_at(path, cls)
    close = difflib.get_close_matches(leaf, parent_fields, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    if "." in path:
        why = f"unknown key{hint}; Hummingbot would silently ignore it, so it is likely a typo"
    else:
        why = f"unknown key{hint}; Hummingbot refuses to start a controller with unknown keys"
    # With a close match the suggestion says it all; otherwise list what is allowed there.
    return why, None if close else ", ".join(parent_fields)


def _fields_at(path: str, cls: type[ControllerConfigBase]) -> list[str]:
    if "." not in path:
        return list(field_order(cls))
    model: Any = cls
    for part in path.split(".")[:-1]:
        field = model.model_fields.get(part.split("[", 1)[0]) if model else None
        annotation = field.annotation if field else None
        model = _model_in(annotation)
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _literal_why(path: str, cls: type[ControllerConfigBase], expected: str) -> str:
    if path == "controller_type":
        name = cls.model_fields["controller_name"].default
        return (
            f"{name} lives in {expected}; Hummingbot imports controllers/<type>/<name>.py, "
            "so a wrong type fails at bot start"
        )
    return f"must be {expected}"


def _enum_allowed(path: str) -> str | None:
    leaf = _field_leaf(path)
    if leaf in _ENUM_ALLOWED:
        return _ENUM_ALLOWED[leaf]
    if leaf.endswith("order_type"):
        if path.startswith("triple_barrier_config"):
            return enum_allowed(OrderType)
        return " | ".join(OrderType.__members__)
    return None


def _sorted(problems: list[Problem], cls: type[ControllerConfigBase]) -> list[Problem]:
    order = {name: index for index, name in enumerate(field_order(cls))}

    def key(problem: Problem) -> tuple[int, int]:
        top = problem.field.split(".", 1)[0].split("[", 1)[0]
        return (problem.line or 10**9, order.get(top, len(order)))

    return sorted(problems, key=key)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for problem in problems:
        key = (problem.field, problem.why)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique
