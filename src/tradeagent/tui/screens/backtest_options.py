"""The backtest options dialog (``B`` in the preview): period, mode, candle source, costs.

Returns the new options (kept for the session) or None on Esc. A bad value is named under the
form and nothing is lost: the dialog stays open with what was typed.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tradeagent.tui.backtest_options import (
    MODE_LABELS,
    BacktestOptions,
    OptionsError,
    options_from_form,
)

SOURCES = (
    ("synthetic market (seeded, offline)", "synthetic"),
    ("CSV file", "file"),
    ("Hyperliquid public API (about 3.5 days of 1m)", "hyperliquid"),
)
HUMMINGBOT_SOURCE = ("the connected Hummingbot API", "hummingbot")


class BacktestOptionsScreen(ModalScreen[BacktestOptions | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="backtest-options-cancel"),
    ]

    def __init__(self, options: BacktestOptions, *, hummingbot_connected: bool) -> None:
        super().__init__()
        self.options = options
        self.sources = [*SOURCES, HUMMINGBOT_SOURCE] if hummingbot_connected else list(SOURCES)

    def compose(self) -> ComposeResult:
        o = self.options
        source = o.source if any(o.source == value for _, value in self.sources) else "synthetic"
        # Scrolls on a small terminal; Tab brings each field into view, Enter runs from any.
        with VerticalScroll(id="bt-dialog", classes="dialog"):
            yield Static("Backtest options (this session)", classes="dialog-title")
            yield from _row("Days", Input(f"{o.days:g}", id="bt-days"))
            yield from _row("Start", Input(o.start, placeholder="e.g. 2025-01-01", id="bt-start"))
            yield from _row("End", Input(o.end, placeholder="empty: up to now", id="bt-end"))
            yield Static("The last N days, or from Start to End (UTC dates).", classes="bt-note")
            modes = [(f"{label} ({name})", name) for name, label in MODE_LABELS.items()]
            yield from _row("Mode", Select(modes, value=o.mode, allow_blank=False, id="bt-mode"))
            yield from _row(
                "Candles", Select(self.sources, value=source, allow_blank=False, id="bt-source")
            )
            yield from _row(
                "CSV file",
                Input(str(o.path or ""), placeholder="candles.csv[.gz]", id="bt-file"),
            )
            yield from _row("Seed", Input(str(o.seed), id="bt-seed"))
            yield Static("The seed picks one synthetic market.", classes="bt-note")
            yield from _row("Trade cost", Input(f"{o.trade_cost:g}", id="bt-trade-cost"))
            yield from _row("Resolution", Input(o.resolution, id="bt-resolution"))
            yield Static(
                "Fee per fill: 0.0006 = 0.06 %. Resolution: 1m, 5m, 1h…", classes="bt-note"
            )
            yield Static("", id="bt-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Backtest (Enter)", id="bt-run", variant="primary")
                yield Button("Cancel (Esc)", id="bt-cancel")

    def on_mount(self) -> None:
        self._show_file_row()
        self.query_one("#bt-days", Input).focus()

    @on(Select.Changed, "#bt-source")
    def _show_file_row(self) -> None:
        source = self.query_one("#bt-source", Select).value
        self.query_one("#bt-file", Input).disabled = source != "file"

    @on(Input.Submitted)
    @on(Button.Pressed, "#bt-run")
    def _submit(self) -> None:
        def value(selector: str) -> str:
            return self.query_one(selector, Input).value

        try:
            options = options_from_form(
                days=value("#bt-days"),
                start=value("#bt-start"),
                end=value("#bt-end"),
                mode=str(self.query_one("#bt-mode", Select).value),
                source=str(self.query_one("#bt-source", Select).value),
                path=value("#bt-file"),
                seed=value("#bt-seed"),
                trade_cost=value("#bt-trade-cost"),
                resolution=value("#bt-resolution"),
            )
        except OptionsError as error:
            self.query_one("#bt-error", Static).update(f"✘ {error}")
            return
        self.dismiss(options)

    @on(Button.Pressed, "#bt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _row(label: str, field: Input | Select[str]) -> ComposeResult:
    yield Horizontal(Label(label), field, classes="bt-row")
