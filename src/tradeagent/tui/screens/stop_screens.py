"""Stopping from the keyboard: choose how to stop a bot, confirm the kill switch, and see every
bot's verified result as it arrives."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from tradeagent.desk import KillSwitchReport, StopKind, StopResult
from tradeagent.desk.report import stop_rows
from tradeagent.tui.desk_flows import StopChoice

_CSS = """
{name} {{ align: center middle; }}
{name} .dialog {{ max-width: 120; width: 90%; }}
{name} .hint {{ color: $text-muted; margin-top: 1; }}
{name} .error {{ color: $error; height: auto; }}
"""


class StopChoiceScreen(ModalScreen[StopChoice | None]):
    """Stop, stop and archive, or one controller: pick one with the arrows and Enter."""

    DEFAULT_CSS = _CSS.format(name="StopChoiceScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="stop-choice-cancel")]

    def __init__(self, bot: str, controllers: Sequence[str]) -> None:
        super().__init__()
        self.bot = bot
        self.controllers = list(controllers)

    def compose(self) -> ComposeResult:
        options = [
            Option("Stop: cancel open orders, keep the container (s)", id="stop"),
            Option("Stop and archive: cancel orders, remove the container (a)", id="archive"),
            *(
                Option(f"Stop controller {name} only (its kill switch)", id=f"controller:{name}")
                for name in self.controllers
            ),
        ]
        with Vertical(classes="dialog"):
            yield Static(f"Stop {self.bot}", classes="dialog-title")
            yield OptionList(*options, id="stop-options")
            yield Static("Enter choose · Esc cancel · then confirm with y", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id or "stop"
        if key.startswith("controller:"):
            self.dismiss(StopChoice(StopKind.CONTROLLER, key.removeprefix("controller:")))
        else:
            self.dismiss(StopChoice(StopKind(key)))

    def key_s(self) -> None:
        self.dismiss(StopChoice(StopKind.STOP))

    def key_a(self) -> None:
        self.dismiss(StopChoice(StopKind.ARCHIVE))


class KillSwitchConfirmScreen(ModalScreen[bool]):
    """Stop every bot: ``y`` in SIM; in LIVE type the word (STOP unless configured)."""

    DEFAULT_CSS = _CSS.format(name="KillSwitchConfirmScreen") + (
        "KillSwitchConfirmScreen .dialog { border: thick $error; }"
    )
    BINDINGS = [
        Binding("escape", "dismiss(False)", "Cancel", id="kill-cancel"),
        Binding("y", "confirm_sim", "Stop every bot", id="kill-confirm"),
    ]

    def __init__(self, server: str, bots: Sequence[str], *, live: bool, word: str) -> None:
        super().__init__()
        self.server = server
        self.bots = list(bots)
        self.live = live
        self.word = word

    def compose(self) -> ComposeResult:
        listed = ", ".join(self.bots[:12]) + (" …" if len(self.bots) > 12 else "")
        mode = "LIVE" if self.live else "SIM"
        with Vertical(classes="dialog"):
            yield Static(f"Kill switch · {mode} · {self.server}", classes="dialog-title")
            yield Static(
                f"Stop EVERY bot ({len(self.bots)} listed: {listed or 'none'}), cancelling "
                "their open orders, then check each one stopped.",
                markup=False,
            )
            if self.live:
                yield Static(f"Type {self.word} and press Enter to stop them all.", classes="hint")
                yield Input(placeholder=self.word, id="kill-answer")
            else:
                yield Static("y stop them all · Esc cancel", classes="hint")
            yield Static("", classes="error", id="kill-error")

    def on_mount(self) -> None:
        if self.live:
            self.query_one("#kill-answer", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm_sim":
            return not self.live
        return True

    def action_confirm_sim(self) -> None:
        self.dismiss(True)

    @on(Input.Submitted, "#kill-answer")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip() == self.word:
            self.dismiss(True)
            return
        self.query_one("#kill-error", Static).update(f"Type {self.word} exactly, or Esc.")


class KillSwitchReportScreen(ModalScreen[None]):
    """Each bot's verified result as it arrives; failures first once all are in."""

    DEFAULT_CSS = _CSS.format(name="KillSwitchReportScreen") + (
        "KillSwitchReportScreen DataTable { height: auto; max-height: 24; }"
    )
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="kill-report-close")]

    def __init__(self, bots: Sequence[str]) -> None:
        super().__init__()
        self.bots = list(bots)
        self.results: dict[str, StopResult] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"Kill switch: stopping {len(self.bots)} bot(s)…",
                classes="dialog-title",
                id="kill-summary",
                markup=False,
            )
            yield DataTable(id="kill-table", cursor_type="row", zebra_stripes=True)
            yield Static("Esc close (the stops go on)", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("bot", key="bot")
        table.add_column("result", key="result")
        table.add_column("what happened", key="text")
        for bot in self.bots:
            table.add_row(Text(bot), Text("stopping…"), Text(""), key=bot)
        table.focus()

    def add_result(self, result: StopResult) -> None:
        self.results[result.bot] = result
        ((bot, state, text),) = stop_rows([result])
        table = self.query_one(DataTable)
        mark = "✔ " if result.ok else "✘ "
        if bot in table.rows:
            table.update_cell(bot, "result", Text(mark + state))
            table.update_cell(bot, "text", Text(text), update_width=True)
        else:
            table.add_row(Text(bot), Text(mark + state), Text(text), key=bot)

    def finish(self, report: KillSwitchReport) -> None:
        self.query_one("#kill-summary", Static).update(report.summary)
        table = self.query_one(DataTable)
        table.clear()
        ok = {r.bot: r.ok for r in report.results}
        for bot, state, text in stop_rows(report.results):
            mark = "✔ " if ok[bot] else "✘ "
            table.add_row(Text(bot), Text(mark + state), Text(text), key=bot)
