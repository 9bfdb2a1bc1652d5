"""What the three panes share: a titled, focusable region that knows its primary widget."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widget import Widget


class Pane(Vertical):
    """A bordered pane. F2/F3/F4 focus its primary widget."""

    PANE_TITLE = ""
    PRIMARY = ""
    """CSS selector of the widget that takes focus when the pane is focused."""

    def on_mount(self) -> None:
        self.border_title = self.PANE_TITLE

    def focus_primary(self) -> None:
        target: Widget | None = None
        if self.PRIMARY:
            target = self.query(self.PRIMARY).first() if self.query(self.PRIMARY) else None
        if target is None or not target.focusable:
            focusables = [w for w in self.query("*") if w.focusable]
            target = focusables[0] if focusables else None
        if target is not None:
            target.focus()
