"""YAML in and out, the way Hummingbot reads it, hardened against hostile files.

Hummingbot reads controller configs with ``yaml.safe_load``. We read with the same safe
constructors, and also refuse what a controller config never needs and an attacker or a slip of
the keyboard might produce: files over :data:`MAX_YAML_BYTES`, aliases (the "billion laughs"
expansion), nesting deeper than :data:`MAX_DEPTH`, several documents, duplicate keys.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.resolver import Resolver

from tradeagent.strategy.bases import (
    ControllerConfigBase,
)
from tradeagent.strategy.errors import ConfigError, Problem
from tradeagent.strategy.models import (
    ControllerConfig,
)
from tradeagent.strategy.parsing import parse_config
from tradeagent.strategy.serialize import to_mapping

MAX_YAML_BYTES = 256 * 1024
"""A controller config is about 1-2 KB; anything this big is not one."""
MAX_DEPTH = 16
_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; a controller config is flat"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when present (6x faster, same text)."""


class _YamlRefused(yaml.MarkedYAMLError):
    pass


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _Base(Composer, CParser, SafeConstructor, Resolver):
        """libyaml scans and parses (about 7x faster than the pure-Python reader); the
        Python composer above it builds the nodes, so the checks below still run first."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # a PyYAML built without libyaml

    class _Base(yaml.SafeLoader):  # type: ignore[no-redef]
        pass


class _Loader(_Base):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _YamlRefused(
                problem="aliases (*name) are not allowed in a controller config; "
                "write the value out instead",
                problem_mark=self._next_mark(),
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _YamlRefused(
                    problem=_TOO_DEEP,
                    problem_mark=self._next_mark(),
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _next_mark(self) -> Any:
        event: Any = self.peek_event()
        return event.start_mark


def _size_problem(size: int) -> Problem:
    return Problem(
        "",
        f"the file is {size / 1024:,.0f} KB; a controller config is a few KB "
        "(is this the right file?)",
        allowed=f"<= {MAX_YAML_BYTES // 1024} KB",
    )


def read_yaml(text: str | bytes, *, source: str | None = None) -> tuple[Any, dict[str, int]]:
    """Parse YAML text safely. Returns the data and a map of dotted key path -> line number.

    Raises :class:`ConfigError` on anything that is not one small, plain YAML document.
    """
    if len(text) > MAX_YAML_BYTES:
        raise ConfigError([_size_problem(len(text))], source=source)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConfigError(
                [Problem("", f"is not UTF-8 text (bad byte at offset {exc.start})")],
                source=source,
            ) from None
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise ConfigError([_reader_problem(exc)], source=source) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ConfigError(
                [Problem("", "the file is empty", allowed="a YAML mapping: id: …, …")],
                source=source,
            )
        lines, duplicates = _index(node)
        if duplicates:
            raise ConfigError(duplicates, source=source)
        data = loader.construct_document(node)
    except ConfigError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise ConfigError([_yaml_problem(exc)], source=source) from None
    except yaml.reader.ReaderError as exc:
        raise ConfigError([_reader_problem(exc)], source=source) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem("", f"not valid YAML: {exc}")], source=source) from None
    except (ValueError, OverflowError) as exc:
        # e.g. an integer of thousands of digits (Python refuses to convert it).
        raise ConfigError([Problem("", f"a value cannot be read: {exc}")], source=source) from None
    finally:
        loader.dispose()
    return data, lines


def _reader_problem(exc: yaml.reader.ReaderError) -> Problem:
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem(
        "",
        f"contains the control character U+{character:04X} at position {exc.position}; "
        "a YAML file is plain text",
    )


def _yaml_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    detail = exc.problem or str(exc)
    if exc.context and not isinstance(exc, _YamlRefused):
        detail = f"{exc.context}, {detail}"
    if "could not determine a constructor" in detail:
        detail = "custom YAML tags (!something) are not allowed; use plain values"
    if "maximum nesting depth" in detail:  # libyaml >= 0.2.5 refuses before our composer does
        detail = _TOO_DEEP
    return Problem(
        "",
        f"YAML: {detail}",
        line=mark.line + 1 if mark is not None else None,
    )


def _index(root: Node) -> tuple[dict[str, int], list[Problem]]:
    """Line of every key, by dotted path; duplicate keys (PyYAML would silently keep the last)."""
    lines: dict[str, int] = {}
    duplicates: list[Problem] = []

    def walk(node: Node, path: str) -> None:
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                child = f"{path}.{key}" if path else key
                if key in seen:
                    duplicates.append(
                        Problem(
                            child,
                            f"appears twice (first on line {seen[key]}); keep one",
                            line=line,
                        )
                    )
                    continue
                seen[key] = line
                lines[child] = line
                walk(value_node, child)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                child = f"{path}[{index}]"
                lines[child] = item.start_mark.line + 1
                walk(item, child)

    walk(root, "")
    return lines, duplicates


def load_yaml(text: str | bytes, *, source: str | None = None) -> ControllerConfig:
    """YAML text -> validated config. Raises :class:`ConfigError` (with line numbers)."""
    data, lines = read_yaml(text, source=source)
    return parse_config(data, key_lines=lines, source=source)


def dump_yaml(config: ControllerConfigBase) -> str:
    """The config as the YAML file Hummingbot loads: every field explicit, block style."""
    return yaml.dump(
        to_mapping(config),
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
