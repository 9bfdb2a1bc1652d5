"""The draft in the preview: the YAML text a trader sees, and the config it validates to (if any).

A draft is never thrown away because it is invalid: the text is kept with the problems, so an
edit, a bad file or a half-finished proposal loses nothing. Versions are kept for the diff.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from tradeagent.strategy import (
    ConfigError,
    ControllerConfig,
    ControllerConfigBase,
    Problem,
    config_hash,
    dump_yaml,
    load_yaml,
)
from tradeagent.strategy.yaml_io import MAX_YAML_BYTES

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class Draft:
    """One version of the draft."""

    text: str
    config: ControllerConfig | None
    """The validated config; None while the text has problems."""
    error: ConfigError | None
    source: str
    """Where it came from: ``assistant``, ``template:<key>``, ``file``, ``editor``…"""
    path: Path | None = None
    """The file it was loaded from or last saved to."""
    version: int = 0

    @property
    def valid(self) -> bool:
        return self.config is not None

    @property
    def config_hash(self) -> str | None:
        return config_hash(self.config) if self.config is not None else None

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.error.problems if self.error else ()

    @classmethod
    def from_config(
        cls, config: ControllerConfigBase, source: str, *, path: Path | None = None
    ) -> Draft:
        text = dump_yaml(config)
        # Re-read the text we show, so the draft is exactly what a file holding it would be.
        return cls(text, load_yaml(text), None, source, path)

    @classmethod
    def from_text(cls, text: str, source: str, *, path: Path | None = None) -> Draft:
        origin = str(path) if path else None
        try:
            return cls(text, load_yaml(text, source=origin), None, source, path)
        except ConfigError as error:
            return cls(text, None, error, source, path)


class DraftHistory:
    """Versions of the draft, oldest first; the diff compares against them."""

    def __init__(self) -> None:
        self._versions: list[Draft] = []
        self._next = 1

    def record(self, draft: Draft) -> Draft:
        """Keep ``draft`` as a new version unless its text is the latest; returns it numbered."""
        if self._versions and self._versions[-1].text == draft.text:
            latest = replace(self._versions[-1], path=draft.path or self._versions[-1].path)
            self._versions[-1] = latest
            return latest
        numbered = replace(draft, version=self._next)
        self._next += 1
        self._versions.append(numbered)
        del self._versions[:-HISTORY_LIMIT]
        return numbered

    def before(self, text: str) -> Draft | None:
        """The most recent version whose text differs from ``text``."""
        for draft in reversed(self._versions):
            if draft.text != text:
                return draft
        return None

    def __len__(self) -> int:
        return len(self._versions)


class DraftFileError(Exception):
    """A draft file that cannot be read or written; the message says what to do."""


def read_draft_file(path: Path) -> str:
    """The text of a YAML file, refusing huge or binary files before reading them whole."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise DraftFileError(f"{path} is not a regular file.")
        if size > MAX_YAML_BYTES:
            raise DraftFileError(
                f"{path} is {size / 1024:,.0f} KB; a controller config is a few KB. "
                "Is it the right file?"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DraftFileError(f"{path} does not exist. Check the path (o opens another).") from None
    except PermissionError:
        raise DraftFileError(f"{path} cannot be read: permission denied.") from None
    except OSError as exc:
        raise DraftFileError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DraftFileError(f"{path} is not UTF-8 text: is it a YAML file?") from None


def write_draft_file(path: Path, text: str) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of each."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except PermissionError:
        raise DraftFileError(f"cannot write {path}: permission denied.") from None
    except OSError as exc:
        raise DraftFileError(f"cannot write {path}: {exc.strerror or exc}.") from None
