"""The one-line header: mode badge, server, connection state, model, fleet totals."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusHeader(Widget):
    """Attributes flow down from the app; the header only renders them."""

    DEFAULT_CSS = """
    StatusHeader { height: 1; background: $panel; color: $foreground; }
    """

    mode: reactive[str] = reactive("SIM")
    """SIM, LIVE or OFFLINE."""
    target: reactive[str] = reactive("")
    connection: reactive[str] = reactive("not connected")
    """Free text after the connection dot: 'connected 12:04:31', 'stale since …', …"""
    connected: reactive[bool | None] = reactive(None)
    """True connected, False failing, None not connected at all."""
    model: reactive[str] = reactive("")
    totals: reactive[str] = reactive("")

    def render(self) -> Text:
        badge_style = {
            "SIM": "bold black on #5fafd7",
            "LIVE": "bold white on #d70000",
            "OFFLINE": "bold black on #d7af00",
        }.get(self.mode, "bold reverse")
        dot_style = {True: "green", False: "red", None: "grey50"}[self.connected]
        width = self.size.width
        # What gives way when the line is too narrow, first to last: the assistant's name, the
        # target, the product name, the connection words. Mode, dot and totals always stay.
        for dropped in range(5):
            left = Text()
            if dropped < 3:
                left.append(" tradeagent ", style="bold")
            left.append(f" {self.mode} ", style=badge_style)
            if dropped < 2 and self.target:
                left.append(f" {self.target}", style="dim")
            left.append(" ● ", style=dot_style)
            if dropped < 4:
                left.append(self.connection)
            right = Text()
            if dropped < 1 and self.model:
                right.append(self.model, style="italic")
                right.append("   ")
            right.append(self.totals)
            right.append(" ")
            if left.cell_len + 1 + right.cell_len <= width:
                break
        gap = max(1, width - left.cell_len - right.cell_len)
        return left + Text(" " * gap) + right
