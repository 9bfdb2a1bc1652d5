"""One bot in full (Enter on a bot, Esc back): controllers, positions, a PnL chart, logs.

The figures come from the same status refreshes as the bots pane (no extra polling); the
controllers' configs are read once when the screen opens and again after a stop or restart.
``t`` stops the bot and ``a`` stops and archives it, through the app's verified stop flow.
``k`` stops the selected controller and ``r`` restarts it (its ``manual_kill_switch``), after a
confirmation, then the result is verified by refreshing until the bot shows it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual_plotext import PlotextPlot

from tradeagent.desk import StopKind, controller_brief
from tradeagent.desk import fleet_format as fmt
from tradeagent.desk.fleet import BotView, ControllerView
from tradeagent.desk.journal import Journal
from tradeagent.hb import HummingbotError
from tradeagent.tui import journal_steps
from tradeagent.tui.desk_flows import StopChoice, StopRequested
from tradeagent.tui.fleet_link import FleetLink, FleetState
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.widgets.bots_table import STATUS_STYLES, pnl_style

VERIFY_ROUNDS = 15
VERIFY_PAUSE_S = 2.0
LOG_LINES_SHOWN = 400

CONTROLLER_COLUMNS = (
    ("id", "controller id"),
    ("controller", "controller"),
    ("pair", "pair"),
    ("status", "status"),
    ("realized", "realized"),
    ("unrealized", "unrealized"),
    ("net", "net PnL"),
    ("volume", "volume"),
    ("closes", "closes"),
)
POSITION_COLUMNS = ("controller", "pair", "side", "amount", "breakeven", "unrealized", "fees")


class BotDetailScreen(Screen[None]):
    """The detail of bot ``bot``, live from ``link``."""

    DEFAULT_CSS = """
    BotDetailScreen #detail { padding: 0 1; }
    BotDetailScreen #detail-summary { height: auto; }
    BotDetailScreen #detail-note { height: auto; max-height: 4; }
    BotDetailScreen #detail-note.-error { color: $error; }
    BotDetailScreen #detail-controllers { height: auto; max-height: 12; }
    BotDetailScreen #detail-configs { height: auto; max-height: 6; color: $text-muted; }
    BotDetailScreen #detail-middle { height: 14; }
    BotDetailScreen #detail-positions { width: 1fr; height: 1fr; }
    BotDetailScreen #detail-chart { width: 1fr; height: 1fr; }
    BotDetailScreen #detail-logs { height: 1fr; border: round $panel-lighten-2; }
    BotDetailScreen #detail-logs:focus { border: round $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail-back"),
        Binding(
            "k",
            "stop_controller",
            "Stop controller",
            id="detail-stop-controller",
            tooltip="Stop the selected controller (kill switch); the others go on",
        ),
        Binding(
            "r",
            "restart_controller",
            "Restart controller",
            id="detail-restart-controller",
            tooltip="Restart a controller stopped with k",
        ),
        Binding("t", "stop_bot('stop')", "Stop bot", id="detail-stop-bot"),
        Binding("a", "stop_bot('archive')", "Stop and archive", id="detail-archive-bot"),
        Binding("slash", "search_logs", "Search logs", id="detail-search"),
    ]

    def __init__(
        self,
        link: FleetLink,
        bot: str,
        *,
        journal: Journal | None = None,
        watch: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.link = link
        self.bot_name = bot
        self.journal = journal
        self.watch_word = watch
        """The post-deploy watch's latest word on a bot (None: not watched this session)."""
        self.bot: BotView | None = None
        self.configs: dict[str, Mapping[str, Any]] = {}
        self.search = ""
        self.busy = ""
        self._logs_shown: tuple[object, ...] = ()
        self._chart_points = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="detail"):
            yield Static("", id="detail-summary", markup=False)
            yield Static("", id="detail-note", markup=False)
            controllers: DataTable[Text] = DataTable(id="detail-controllers", cursor_type="row")
            yield controllers
            yield Static("", id="detail-configs", markup=False)
            with Horizontal(id="detail-middle"):
                positions: DataTable[Text] = DataTable(id="detail-positions", cursor_type="row")
                yield positions
                yield PlotextPlot(id="detail-chart")
            yield Input(placeholder="search the logs · Esc clears", id="detail-search")
            with VerticalScroll(id="detail-logs", can_focus=True):
                yield Static("", id="detail-log-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        controllers = self.query_one("#detail-controllers", DataTable)
        for key, label in CONTROLLER_COLUMNS:
            controllers.add_column(label, key=key)
        positions = self.query_one("#detail-positions", DataTable)
        for label in POSITION_COLUMNS:
            positions.add_column(label, key=label)
        self.query_one("#detail-search", Input).display = False
        self.query_one("#detail-note", Static).display = False
        self.link.watch(self, self.show)
        self.show(self.link.state)
        controllers.focus()
        self.load_configs()
        # The pane's refreshes skip the logs; ask for them while this screen is open.
        self.link.read_logs(True)
        self.link.refresh_now()

    def on_unmount(self) -> None:
        self.link.read_logs(False)

    # -- data ------------------------------------------------------------------------------

    @work(exclusive=True, group="detail-configs", exit_on_error=False)
    async def load_configs(self) -> None:
        client = self.link.client
        if client is None:
            return
        try:
            configs = await client.bot_controller_configs(self.bot_name)
        except HummingbotError as exc:
            self._note(f"Controller configs unavailable: {exc.message}", error=True)
            return
        self.configs = {controller_brief.config_id(c): c for c in configs}
        self._show_controllers()

    def show(self, state: FleetState) -> None:
        fleet = state.fleet
        found = fleet.get(self.bot_name) if fleet is not None else None
        if found is not None:
            self.bot = found
        self._show_summary(state, found is None and fleet is not None)
        if self.bot is not None:
            self._show_controllers()
            self._show_positions()
            self._show_chart()
            self._show_logs()

    def _show_summary(self, state: FleetState, gone: bool) -> None:
        """Line 1: the bot, its status and how fresh the data is. Line 2: its figures."""
        bot = self.bot
        text = Text()
        text.append(f" {self.bot_name} ", style="bold reverse")
        if bot is not None:
            text.append("  ")
            text.append(fmt.status_label(bot.status), style=STATUS_STYLES.get(bot.status, ""))
            now = state.now or state.refreshed_at
            if now is not None:
                text.append(f" · up {fmt.duration(bot.uptime(now))}")
        if gone:
            text.append(
                "  · no longer on the server (stopped and archived?); last data shown",
                style="bold yellow",
            )
        elif state.connection == "stale" and state.failing_since is not None:
            text.append(
                f"  · stale since {fmt.clock(state.failing_since)}: {state.reason}",
                style="bold red",
            )
        elif state.refreshed_at is not None:
            text.append(f"  · refreshed {fmt.clock(state.refreshed_at)}", style="dim")
        text.append("\n")
        if bot is None:
            text.append("waiting for the first refresh…", style="dim")
        else:
            text.append("net PnL ")
            text.append(fmt.signed(bot.net), style=pnl_style(bot.net))
            text.append(
                f" (realized {fmt.signed(bot.realized)}, unrealized {fmt.signed(bot.unrealized)})"
                f" · vol {fmt.compact(bot.volume)} · {bot.open_positions} open · "
                f"win {fmt.percent(bot.win_rate)}"
            )
            if bot.win_rate is not None:
                text.append(f" ({bot.wins} of {bot.wins + bot.losses} decided closes)", "dim")
        watched = self.watch_word(self.bot_name) if self.watch_word is not None else None
        if watched:
            text.append(f"\nwatch: {watched}", style="italic")
        self.query_one("#detail-summary", Static).update(text)
        if bot is not None and bot.problem:
            self._note(bot.problem, error=True)

    def _controller_status(self, controller: ControllerView) -> Text:
        config = self.configs.get(controller.id, {})
        if controller_brief.kill_switch_on(config):
            return Text("stopped (kill switch)", style="dim")
        status = controller.status if controller.reporting else "stopped"
        return Text(status, style=STATUS_STYLES.get(status, ""))

    def _show_controllers(self) -> None:
        if self.bot is None:
            return
        table = self.query_one("#detail-controllers", DataTable)
        wanted = [c.id for c in self.bot.controllers]
        for row in list(table.rows):
            if row.value not in wanted:
                table.remove_row(row)
        for controller in self.bot.controllers:
            config = self.configs.get(controller.id, {})
            cells = (
                Text(controller.id),
                Text(str(config.get("controller_name", "")) or fmt.NONE),
                Text(controller_brief.pair_of(config) or ", ".join(controller.pairs) or fmt.NONE),
                self._controller_status(controller),
                _money(controller.realized),
                _money(controller.unrealized),
                _money(controller.net),
                Text(fmt.compact(controller.volume), justify="right"),
                Text(fmt.close_summary(controller.close_types)),
            )
            if controller.id in table.rows:
                for (key, _), cell in zip(CONTROLLER_COLUMNS, cells, strict=True):
                    table.update_cell(controller.id, key, cell, update_width=True)
            else:
                table.add_row(*cells, key=controller.id)
        briefs = [
            f"{cid}: {controller_brief.brief(config)}"
            for cid, config in self.configs.items()
            if cid in wanted
        ]
        self.query_one("#detail-configs", Static).update("\n".join(briefs))

    def _show_positions(self) -> None:
        assert self.bot is not None
        table = self.query_one("#detail-positions", DataTable)
        rows: dict[str, tuple[Text, ...]] = {}
        for position in self.bot.positions:
            key = f"{position.controller}|{position.connector}|{position.pair}|{position.side}"
            while key in rows:  # a bot should not repeat a position, but may
                key += "+"
            rows[key] = (
                Text(position.controller),
                Text(position.pair),
                Text(position.side, style="green" if position.side == "long" else "red"),
                Text(f"{position.amount:g}", justify="right"),
                Text(fmt.amount(position.breakeven, 4), justify="right"),
                _money(position.unrealized),
                Text(fmt.amount(position.fees, 4), justify="right"),
            )
        for row in list(table.rows):
            if row.value not in rows:
                table.remove_row(row)
        for key, cells in rows.items():
            if key in table.rows:
                for column, cell in zip(POSITION_COLUMNS, cells, strict=True):
                    table.update_cell(key, column, cell, update_width=True)
            else:
                table.add_row(*cells, key=key)

    def _show_chart(self) -> None:
        points = self.link.history.points(self.bot_name)
        if len(points) == self._chart_points:
            return
        self._chart_points = len(points)
        chart = self.query_one("#detail-chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.title("net PnL this session")
        if len(points) >= 2:
            plt.date_form("H:M:S")
            times = [moment.astimezone().strftime("%H:%M:%S") for moment, _ in points]
            values = [value for _, value in points]
            plt.plot(times, values, marker="braille")
            plt.ylim(*pnl_axis(values))
        chart.refresh()

    def _show_logs(self) -> None:
        assert self.bot is not None
        if not self.bot.has_logs:
            self.query_one("#detail-log-text", Static).update(Text("Reading the logs…", "dim"))
            return
        lines = sorted(
            [*self.bot.general_logs, *self.bot.error_logs],
            key=lambda line: line.at.timestamp() if line.at else 0.0,
            reverse=True,
        )
        if self.search:
            needle = self.search.lower()
            lines = [line for line in lines if needle in line.message.lower()]
        key = (self.search, *lines[:LOG_LINES_SHOWN])
        if key == self._logs_shown:
            return
        self._logs_shown = key
        text = Text()
        errors = sum(1 for line in lines if line.is_error)
        heading = (
            f"Logs · newest first · {len(lines)} line{'s' if len(lines) != 1 else ''} · "
            f"{errors} error{'s' if errors != 1 else ''}"
        )
        if self.search:
            heading += f" · matching '{self.search}'"
        text.append(heading + "\n", style="bold")
        for line in lines[:LOG_LINES_SHOWN]:
            when = fmt.clock(line.at) if line.at else "--:--:--"
            style = "bold red" if line.is_error else ("yellow" if line.level == "WARNING" else "")
            text.append(f"{when} {line.level:<7} ", style=style or "dim")
            text.append(line.message + "\n", style=style)
        if not lines:
            text.append("No log lines" + (" match." if self.search else " yet."), style="dim")
        self.query_one("#detail-log-text", Static).update(text)

    def _note(self, message: str, *, error: bool = False) -> None:
        note = self.query_one("#detail-note", Static)
        note.set_class(error, "-error")
        note.update(message)
        note.display = bool(message)

    # -- keys ------------------------------------------------------------------------------

    def action_back(self) -> None:
        search = self.query_one("#detail-search", Input)
        if search.has_focus:
            search.value = ""
            search.display = False
            self.query_one("#detail-logs").focus()
            return
        self.dismiss()

    def action_search_logs(self) -> None:
        search = self.query_one("#detail-search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#detail-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        if self.bot is not None:
            self._show_logs()

    @on(Input.Submitted, "#detail-search")
    def _search_submitted(self) -> None:
        self.query_one("#detail-logs").focus()

    def selected_controller(self) -> str | None:
        table = self.query_one("#detail-controllers", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_bot":
            return True if self.link.client is not None else None
        if action in {"stop_controller", "restart_controller"}:
            if self.link.client is None or self.busy:
                return None
            return True if self.selected_controller() else None
        return True

    def action_stop_bot(self, kind: str) -> None:
        controllers = self.bot.controller_ids if self.bot is not None else ()
        self.post_message(StopRequested(self.bot_name, StopChoice(StopKind(kind)), controllers))

    def action_stop_controller(self) -> None:
        self._change_controller(stop=True)

    def action_restart_controller(self) -> None:
        self._change_controller(stop=False)

    def _change_controller(self, *, stop: bool) -> None:
        controller = self.selected_controller()
        if controller is None or self.link.client is None or self.busy:
            return
        view = self.bot.controller(controller) if self.bot else None
        if stop:
            title = f"Stop controller {controller}?"
            body = (
                f"Bot {self.bot_name}: the controller's kill switch is set, so it stops and "
                "closes its executors; the bot's other controllers go on."
            )
            if view is not None and view.positions:
                body += (
                    f"\n\nIt holds {len(view.positions)} open position(s), unrealized "
                    f"{fmt.signed(view.unrealized)}."
                )
        else:
            title = f"Restart controller {controller}?"
            body = (
                f"Bot {self.bot_name}: the kill switch is cleared and the controller trades again."
            )
        yes = "Stop it" if stop else "Restart it"

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.apply_kill_switch(controller, stop)

        self.app.push_screen(ConfirmScreen(title, body, yes=yes), answered)

    @work(group="stop", exit_on_error=False)
    async def apply_kill_switch(self, controller: str, stop: bool) -> None:
        client = self.link.client
        assert client is not None
        verb = "stop" if stop else "restart"
        self.busy = f"{verb} of {controller}"
        self.refresh_bindings()
        self._note(f"Sending the {verb} of {controller}…")
        action = await self._journal_begin(f"controller.{verb}", controller)
        try:
            if stop:
                await client.stop_controller(self.bot_name, controller)
            else:
                await client.resume_controller(self.bot_name, controller)
        except HummingbotError as exc:
            await journal_steps.finish(self, self.journal, action, "failed", {"error": exc.message})
            self._note(f"{verb.capitalize()} of {controller} failed: {exc.message}", error=True)
            self.notify(exc.message, title=f"{verb.capitalize()} failed", severity="error")
            self.busy = ""
            self.refresh_bindings()
            return
        verified = await self._verify(controller, stop)
        self.busy = ""
        self.refresh_bindings()
        if verified:
            await journal_steps.finish(self, self.journal, action, "ok", {"verified": True})
            done = "stopped" if stop else "running again"
            self._note(f"Controller {controller} is {done}.")
            self.notify(f"Controller {controller} of {self.bot_name} is {done}.", title="Bots")
        else:
            await journal_steps.finish(
                self, self.journal, action, "unverified", {"verified": False}
            )
            message = (
                f"The server accepted the {verb} of {controller}, but after "
                f"{VERIFY_ROUNDS} refreshes the bot does not show it. Check its logs below; "
                f"press {'k' if stop else 'r'} again if it stays that way."
            )
            self._note(message, error=True)
            self.notify(message, title="Not confirmed", severity="warning", timeout=12)

    async def _verify(self, controller: str, stop: bool) -> bool:
        client = self.link.client
        assert client is not None
        for attempt in range(VERIFY_ROUNDS):
            if attempt:
                await asyncio.sleep(VERIFY_PAUSE_S)
            state = await self.link.refreshed()
            try:
                configs = await client.bot_controller_configs(self.bot_name)
            except HummingbotError:
                continue
            self.configs = {controller_brief.config_id(c): c for c in configs}
            self._show_controllers()
            bot = state.fleet.get(self.bot_name) if state.fleet else None
            view = bot.controller(controller) if bot else None
            if shows_change(self.configs.get(controller, {}), view, stop=stop):
                return True
        return False

    async def _journal_begin(self, kind: str, controller: str) -> int | None:
        payload = {"bot": self.bot_name, "controller": controller}
        return await journal_steps.begin(self, self.journal, kind, payload)


MIN_PNL_SPAN = 0.02
"""The PnL axis spans at least two cents of quote: a flat PnL looks flat, not like a cliff
drawn from float noise (axis labels with eleven decimals)."""


def pnl_axis(values: Sequence[float]) -> tuple[float, float]:
    """The chart's y range: the values' own, widened around their middle to ``MIN_PNL_SPAN``."""
    low, high = min(values), max(values)
    if high - low >= MIN_PNL_SPAN:
        return low, high
    middle = (low + high) / 2
    return middle - MIN_PNL_SPAN / 2, middle + MIN_PNL_SPAN / 2


def shows_change(config: Mapping[str, Any], view: ControllerView | None, *, stop: bool) -> bool:
    """Does the bot show the stop (kill switch on, no open position left) or the restart
    (kill switch off, the controller reporting again)?"""
    if stop:
        return controller_brief.kill_switch_on(config) and (view is None or not view.positions)
    return not controller_brief.kill_switch_on(config) and view is not None and view.reporting


def _money(value: float) -> Text:
    return Text(fmt.signed(value), style=pnl_style(value), justify="right")
