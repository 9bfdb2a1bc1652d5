"""A host app for the desk's TUI flows: the real flows, screens and workers, driven by Pilot
against the simulator bench (the app's own panes are tested with the app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk_harness import Bench
from textual.app import App, ComposeResult
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from tradeagent.settings import Settings
from tradeagent.tui.desk_flows import DeskFlows


class Host(App[None]):
    def __init__(self, bench: Bench, settings: Settings) -> None:
        super().__init__()
        self.bench = bench
        self.flows = DeskFlows(
            self, settings, client=lambda: bench.client, journal=bench.journal, pacer=bench.pacer
        )
        self.told: list[tuple[str, str, SeverityLevel]] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def notify(  # type: ignore[override]
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", **kw: Any
    ) -> None:
        self.told.append((title, message, severity))
        super().notify(message, title=title, severity=severity, **kw)

    def said(self, words: str) -> list[tuple[str, str, SeverityLevel]]:
        return [t for t in self.told if words in t[1] or words in t[0]]


def settings(**desk: Any) -> Settings:
    live = desk.pop("live", False)
    hummingbot = {"url": "http://live.test:8000"} if live else {}
    defaults = {"watch_s": 60.0, "watch_poll_s": 5.0, "watch_appear_s": 30.0}
    return Settings(hummingbot=hummingbot, desk={**defaults, **desk})  # type: ignore[arg-type]


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds (bounded, so a broken flow fails the test)."""
    for _ in range(2000):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


def on_screen(app: App[None], kind: type[Screen[Any]]) -> Callable[[], bool]:
    return lambda: isinstance(app.screen, kind)
