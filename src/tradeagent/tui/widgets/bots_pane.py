"""The bots pane: every bot on the server with status and PnL, refreshed in place.

Rows are keyed by bot name and updated cell by cell, so the cursor stays on the same bot across
refreshes, sorts and filters. The data comes from :class:`~tradeagent.tui.fleet_link.FleetLink`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input, Static

from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import WIN_RATE_RULE, BotView
from tradeagent.desk.fleet_report import totals_line
from tradeagent.tui.fleet_link import FleetLink, FleetState
from tradeagent.tui.widgets.bots_table import (
    COLUMNS,
    SORT_ORDERS,
    bot_cells,
    matches,
    ordered,
    short_names,
)
from tradeagent.tui.widgets.pane import Pane
from tradeagent.tui.widgets.row_table import Cells, RowTable

TABLE_HELP = (
    f"PnL = realized + unrealized. {WIN_RATE_RULE[0].upper()}{WIN_RATE_RULE[1:]}. "
    f"Closes: {fmt.CLOSE_TYPE_LEGEND}. Uptime comes from the deploy time in the bot's name."
)
MAX_PROBLEMS_SHOWN = 3


class BotsPane(Pane):
    PANE_TITLE = "Bots"
    PRIMARY = "#bots-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open_detail",
            "Bot detail",
            id="bot-detail",
            tooltip="Controllers, positions, PnL chart and logs of the selected bot",
        ),
        Binding("slash", "filter", "Filter", id="bots-filter", tooltip="Filter by name or status"),
        Binding("o", "sort", "Sort", id="bots-sort", tooltip="Next sort: name, PnL, volume, …"),
        Binding("O", "reverse_sort", "Reverse", id="bots-sort-reverse", show=False),
    ]

    class DetailRequested(Message):
        """The trader asked for a bot's detail (Enter on its row)."""

        def __init__(self, bot: str) -> None:
            super().__init__()
            self.bot = bot

    def __init__(
        self,
        link: FleetLink | None = None,
        *,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.link = link
        self.state: FleetState | None = None
        self.sort_index = 0
        self.sort_reversed = False
        self.filter_text = ""
        self._status_text: str | None = None
        self._lines: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("Not connected to a Hummingbot API.", id="bots-status", markup=False)
        yield Static("", id="bots-totals", markup=False)
        yield Input(placeholder="filter bots · Enter keep · Esc clear", id="bots-filter")
        table = RowTable(COLUMNS, id="bots-table")
        table.tooltip = TABLE_HELP
        yield table
        yield Static("", id="bots-problems", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#bots-filter", Input).display = False
        self._update_subtitle()
        if self.link is not None:
            self.link.watch(self, self.show)
            self.show(self.link.state)

    # -- data ------------------------------------------------------------------------------

    @property
    def table(self) -> RowTable:
        return self.query_one("#bots-table", RowTable)

    @property
    def selected_bot(self) -> str | None:
        """The bot under the cursor (None when the table is empty)."""
        return self.table.cursor_key

    def show(self, state: FleetState) -> None:
        """Show a refresh's outcome (called for every state the link publishes)."""
        self.state = state
        self._show_status(state)
        if state.fleet is not None:
            self._show_rows()

    def _show_status(self, state: FleetState) -> None:
        """Fresh data: the time goes in the title. Anything else: a line above the table."""
        fleet = state.fleet
        title = self.PANE_TITLE
        if fleet is not None:
            title += f" · {fleet.running} running"
        if state.paused:
            title += " · paused while a dialog is open"
        self.border_title = title
        if state.connection == "none":
            text = state.problem
        elif state.connection == "connecting":
            text = f"Connecting to {state.target}…"
        elif state.connection == "stale":
            since = fmt.clock(state.failing_since) if state.failing_since else "?"
            retry = f" Retrying in {state.retry_in_s:.0f} s." if state.retry_in_s else ""
            kept = " Showing the last data." if fleet is not None else ""
            text = f"stale since {since}: {state.problem}{kept}{retry}"
        else:
            text = ""
        status = self.query_one("#bots-status", Static)
        status.set_class(state.connection == "stale", "-stale")
        if text != self._status_text:
            self._status_text = text
            status.update(text)
            status.display = bool(text)

    def _show_rows(self) -> None:
        state = self.state
        assert state is not None and state.fleet is not None and state.now is not None
        assert self.link is not None
        fleet, history, now = state.fleet, self.link.history, state.now
        visible = [bot for bot in fleet.bots if matches(bot, self.filter_text)]
        rows = ordered(visible, SORT_ORDERS[self.sort_index], self.sort_reversed)
        shown = short_names(list(fleet.names))
        by_name = {bot.name: bot for bot in rows}

        def cells(name: str) -> Cells:
            return bot_cells(by_name[name], shown[name], history, now)

        name_width = max((len(shown[bot.name]) for bot in rows), default=0)
        self.table.set_rows(list(by_name), cells, widths={"bot": name_width})
        if not fleet.bots:
            totals = "No bots on this server yet. Deploy a draft with ctrl+g."
        elif not rows:
            totals = f"No bot matches '{self.filter_text}'. Esc in the filter clears it."
        else:
            totals = totals_line(fleet)
        self._set_line("#bots-totals", totals)
        self._show_problems(fleet.bots)

    def _set_line(self, selector: str, text: str) -> None:
        # A layout pass costs more than the whole table: skip it while the text keeps its lines.
        widget = self.query_one(selector, Static)
        width = max(1, widget.content_size.width)
        old = self._lines.get(selector)
        if old == text:
            return
        self._lines[selector] = text
        lines = -(-len(text) // width)
        widget.update(text, layout=old is None or lines != -(-len(old) // width))

    def _show_problems(self, bots: tuple[BotView, ...]) -> None:
        troubled = [bot for bot in bots if bot.problem]
        lines = [f"✘ {bot.name}: {bot.problem}" for bot in troubled[:MAX_PROBLEMS_SHOWN]]
        if len(troubled) > MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {len(troubled) - MAX_PROBLEMS_SHOWN} more bots in error")
        text = "\n".join(lines)
        if text != self._lines.get("#bots-problems"):
            self._lines["#bots-problems"] = text
            problems = self.query_one("#bots-problems", Static)
            problems.update(text)
            problems.display = bool(lines)

    # -- keys ------------------------------------------------------------------------------

    def action_open_detail(self) -> None:
        bot = self.selected_bot
        if bot is not None:
            self.post_message(self.DetailRequested(bot))

    @on(RowTable.Selected, "#bots-table")
    def _row_selected(self, event: RowTable.Selected) -> None:
        event.stop()
        self.post_message(self.DetailRequested(event.key))

    def action_filter(self) -> None:
        field = self.query_one("#bots-filter", Input)
        field.display = True
        field.focus()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORT_ORDERS)
        self.sort_reversed = False
        self._resort()

    def action_reverse_sort(self) -> None:
        self.sort_reversed = not self.sort_reversed
        self._resort()

    def _resort(self) -> None:
        self._update_subtitle()
        if self.state is not None and self.state.fleet is not None:
            self._show_rows()

    @on(Input.Changed, "#bots-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value.strip()
        self._resort()

    @on(Input.Submitted, "#bots-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.filter_text:
            self.query_one("#bots-filter", Input).display = False
        self.table.focus()

    def key_escape(self) -> None:
        field = self.query_one("#bots-filter", Input)
        if field.display:
            field.value = ""
            field.display = False
            self.table.focus()

    def _update_subtitle(self) -> None:
        order = SORT_ORDERS[self.sort_index]
        arrow = "↓" if order.descending != self.sort_reversed else "↑"
        parts = [f"o sort {order.label} {arrow}"]
        if self.filter_text:
            parts.append(f"/ filter '{self.filter_text}'")
        else:
            parts.append("/ filter")
        parts.append("Enter detail")
        self.border_subtitle = " · ".join(parts)
