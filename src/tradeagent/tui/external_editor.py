"""Edit text in the user's own editor ($VISUAL / $EDITOR), through a private temporary file."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path


class EditorError(Exception):
    """The editor could not run; the message says what to set or do."""


def editor_command() -> list[str]:
    """The user's editor as an argv list; ``vi`` when neither $VISUAL nor $EDITOR is set."""
    configured = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        command = shlex.split(configured)
    except ValueError as exc:
        raise EditorError(f"$EDITOR is not a valid command ({exc}): {configured!r}") from None
    if not command or shutil.which(command[0]) is None:
        raise EditorError(
            f"editor {configured!r} not found. Set $EDITOR (e.g. export EDITOR=nano), "
            "or press e to edit in place."
        )
    return command


def edit_text(text: str, *, name: str, command: list[str]) -> str:
    """Open ``text`` in ``command`` and return what was saved. Blocks until the editor exits.

    The temporary file is private (0600) and removed afterwards, even on failure.
    """
    fd, temporary = tempfile.mkstemp(prefix=f"{name}-", suffix=".yml")
    path = Path(temporary)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            result = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise EditorError(f"could not start {command[0]}: {exc.strerror or exc}") from None
        if result.returncode != 0:
            raise EditorError(
                f"{command[0]} exited with status {result.returncode}; the draft is unchanged."
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
