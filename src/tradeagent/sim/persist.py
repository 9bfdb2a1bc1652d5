"""The simulator's state file: JSON, written atomically, private (0600: it holds credentials)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "tradeagent-sim-state"
VERSION = 1


class SimStateError(Exception):
    """The state file cannot be used; the message says why and what to do."""


def load_state(path: Path) -> dict[str, Any] | None:
    """The saved state, or None when the file does not exist yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SimStateError(
            f"Cannot read the simulator state file {path}: {exc}. Fix its permissions or "
            "start the simulator with another state file."
        ) from exc
    try:
        state = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SimStateError(
            f"The simulator state file {path} is not valid JSON ({exc}). It was left untouched: "
            "move it away to start from an empty simulator, or point to another file."
        ) from exc
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise SimStateError(
            f"{path} is not a tradeagent simulator state file. It was left untouched: "
            "choose another path for the simulator state."
        )
    if state.get("version") != VERSION:
        raise SimStateError(
            f"{path} was written by another simulator version ({state.get('version')}). "
            "It was left untouched: move it away to start from an empty simulator."
        )
    return state


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Replace ``path`` with ``state`` in one step; the file is created with mode 0600."""
    document = {"format": FORMAT, "version": VERSION, **state}
    data = json.dumps(document, separators=(",", ":")).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class StateLock:
    """One simulator per state file: two processes on one file would overwrite each other's
    bots. Held (``flock``) from loading to closing; the OS lets go if the process dies."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def claim(cls, state_file: Path) -> StateLock:
        path = state_file.with_name(state_file.name + ".lock")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise SimStateError(
                f"Cannot use the simulator state file {state_file}: {exc}. Fix the folder's "
                "permissions or set hummingbot.sim_state_file to another path."
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SimStateError(
                f"The simulator state file {state_file} is in use by another tradeagent on this "
                "machine. Close that one first; or, to share one simulator between several, run "
                "`tradeagent sim` and set hummingbot.url to the address it prints."
            ) from None
        return cls(path, fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None
