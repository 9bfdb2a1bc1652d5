"""The preview's draft survives a restart, as the conversation does.

Its text (valid or not: an edit in progress is kept too) is written to ``draft.yml`` in the data
dir a moment after it last changed and when the app ends, and read back when ``tradeagent``
starts without a file to open. Writing happens in a thread; the file is replaced atomically.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.app import App
from textual.timer import Timer
from textual.worker import Worker

from tradeagent.tui.draft import Draft, DraftFileError, read_draft_file, write_draft_file

DRAFT_FILE = "draft.yml"
SAVE_AFTER_S = 1.0
"""Quiet time after the last change before the draft is written (typing does not write)."""


class DraftKeeper:
    def __init__(self, app: App[Any], data_dir: Path) -> None:
        self.app = app
        self.path = data_dir / DRAFT_FILE
        self._text: str | None = None
        self._saved: str | None = None
        self._timer: Timer | None = None
        self._warned = False
        self._saving: Worker[None] | None = None

    def restore(self) -> str | None:
        """The text kept from the last session, if any (a problem is said, never raised)."""
        if not self.path.exists():
            return None
        try:
            text = read_draft_file(self.path)
        except DraftFileError as error:
            self._warn(f"The draft of your last session was not restored: {error}")
            return None
        self._saved = text
        return text if text.strip() else None

    def changed(self, draft: Draft | None) -> None:
        if draft is None or draft.text == self._text:
            return
        self._text = draft.text
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(SAVE_AFTER_S, self._save_soon)

    def _save_soon(self) -> None:
        self._timer = None
        # A callable, not a coroutine: if the app ends first, nothing is left un-awaited.
        saving: Worker[None] = self.app.run_worker(
            self._save_in_thread, group="draft-keeper", exit_on_error=False
        )
        self._saving = saving

    async def _save_in_thread(self) -> None:
        text = self._text
        if text is None or text == self._saved:
            return
        try:
            await asyncio.to_thread(write_draft_file, self.path, text)
        except DraftFileError as error:
            self._warn(f"The draft cannot be kept for next time: {error}")
            return
        self._saved = text

    def flush(self) -> None:
        """Write now (the app is ending): a pending change is not lost."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._text is None or self._text == self._saved:
            return
        try:
            write_draft_file(self.path, self._text)
        except DraftFileError:
            return  # said already while running, or the app is gone: nothing left to tell
        self._saved = self._text

    def _warn(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            self.app.notify(message, title="Draft", severity="warning", timeout=10)
