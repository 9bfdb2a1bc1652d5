"""The Textual app: three panes, a header, a footer, app-level actions.

Attributes flow down into the panes; panes and workers report up with messages. All I/O runs in
workers. Services (Hummingbot client, assistant, journal) are injected by :func:`make_app`, so the
CLI and the tests build the app the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Literal

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Tab, Tabs
from textual.worker import WorkerState

from tradeagent.ai.assistant import Assistant
from tradeagent.desk.journal import Journal, JournalError
from tradeagent.desk_setup import open_journal
from tradeagent.hb_setup import SIM_TARGET, HbOpener, SettingsOpener
from tradeagent.settings import Settings
from tradeagent.tui import gc_policy
from tradeagent.tui.backtest_actions import BACKTEST_ACTIONS, BacktestActions
from tradeagent.tui.backtest_flow import BacktestFlow
from tradeagent.tui.backtest_options import BacktestOptions
from tradeagent.tui.chat_store import ChatStore
from tradeagent.tui.conversation_commands import ConversationCommands
from tradeagent.tui.desk_flows import (
    DEPLOY_GROUP,
    KILL_GROUP,
    STOP_GROUP,
    DeskEvent,
    DeskFlows,
    StopRequested,
)
from tradeagent.tui.draft import Draft
from tradeagent.tui.draft_keeper import DraftKeeper
from tradeagent.tui.fleet_link import Clock, FleetLink, FleetState, show_in_header, utc_now
from tradeagent.tui.keys import ACTION_HELP, APP_BINDINGS, binding_ids
from tradeagent.tui.messages import DraftChanged, StrategyProposed
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.help import HelpScreen
from tradeagent.tui.strategy_commands import strategy_commands
from tradeagent.tui.widgets.bots_pane import BotsPane
from tradeagent.tui.widgets.chat_pane import ChatPane
from tradeagent.tui.widgets.header import StatusHeader
from tradeagent.tui.widgets.pane import Pane
from tradeagent.tui.widgets.strategy_pane import StrategyPane

PaneName = Literal["chat", "strategy", "bots"]
PANE_IDS: dict[PaneName, str] = {
    "chat": "chat-pane",
    "strategy": "strategy-pane",
    "bots": "bots-pane",
}
NARROW_WIDTH = 110
"""Below this many columns the panes become tabs."""

IN_FLIGHT_GROUPS = frozenset({"chat", "deploy", "stop", "kill-switch", "backtest", "hb-write"})
"""Worker groups whose work would be lost or left half-done by quitting."""


class TradeAgentApp(BacktestActions, App[None]):
    """tradeagent's one screen."""

    CSS_PATH = "app.tcss"
    TITLE = "tradeagent"
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)
    COMMANDS = App.COMMANDS | {ConversationCommands}

    draft: reactive[Draft | None] = reactive(None, bindings=True)
    """The strategy preview's current draft (possibly invalid: check ``draft.valid``)."""

    def __init__(
        self,
        settings: Settings,
        *,
        draft_path: Path | None = None,
        assistant: Assistant | None = None,
        hb: HbOpener | None = None,
        journal: Journal | None = None,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.draft_path = draft_path
        self.assistant = assistant
        self.journal = journal
        self.fleet = FleetLink(
            self,
            hb,
            mode=settings.mode,
            target=settings.hummingbot.url or SIM_TARGET,
            interval_s=settings.ui.poll_interval_s,
            timeout_s=settings.hummingbot.timeout_s,
            clock=clock,
            journal=journal,
        )
        self.desk = DeskFlows(self, settings, client=lambda: self.fleet.client, journal=journal)
        self.draft_keeper = DraftKeeper(self, settings.data_dir)
        self.journal_problem: str | None = None
        self.keymap_problems: list[str] = []
        self._was_connected = False
        self._active_pane: PaneName = "chat"
        self._width = 160
        self.backtests = BacktestFlow(
            self,
            BacktestOptions.from_settings(settings.backtest),
            cache_dir=settings.cache_dir,
            record=self.journal_backtest,
            hummingbot=lambda: self.fleet.client if self.fleet.connected else None,
            now=lambda: clock().timestamp(),
        )

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with Vertical(id="body"):
            yield Tabs(
                Tab("F2 Chat", id="tab-chat"),
                Tab("F3 Strategy", id="tab-strategy"),
                Tab("F4 Bots", id="tab-bots"),
                id="pane-tabs",
            )
            with Horizontal(id="panes"):
                yield ChatPane(
                    assistant=self.assistant,
                    store=ChatStore(self.journal) if self.journal else None,
                    id="chat-pane",
                    classes="pane",
                )
                with Vertical(id="right"):
                    yield StrategyPane(
                        policy=self.settings.risk,
                        mode=self.settings.mode,
                        id="strategy-pane",
                        classes="pane",
                    )
                    yield BotsPane(self.fleet, id="bots-pane", classes="pane")
        yield Footer(id="footer")

    def on_mount(self) -> None:
        self.call_after_refresh(gc_policy.tune)
        self._apply_keymap()
        self._apply_theme()
        header = self.query_one(StatusHeader)
        self.fleet.watch(self, partial(show_in_header, header))
        self.fleet.watch(self, self._connection_changed)
        show_in_header(header, self.fleet.state)
        header.model = self.assistant.label if self.assistant else "no assistant"
        self._update_layout(self.size.width)
        self.focus_pane("chat")
        if self.journal_problem:
            self.notify(
                self.journal_problem + " Conversations are not saved this session.",
                title="Journal",
                severity="error",
                timeout=15,
            )
        if self.draft_path is not None:
            self.query_one(StrategyPane).load_path(self.draft_path)
        elif (kept := self.draft_keeper.restore()) is not None:
            self.query_one(StrategyPane).restore(kept)
        # After the first frame: opening the simulator imports for a second.
        self.call_after_refresh(self.fleet.start)
        self.desk.reconcile_on_start()

    def _connection_changed(self, state: FleetState) -> None:
        connected = self.fleet.connected
        if connected != self._was_connected:
            self._was_connected = connected
            self.refresh_bindings()  # deploy, stop and the kill switch need a connection

    async def on_unmount(self) -> None:
        gc_policy.restore()
        self.draft_keeper.flush()
        await self.fleet.aclose()
        if self.assistant is not None:
            await self.assistant.aclose()

    def on_resize(self, event: events.Resize) -> None:
        self._update_layout(event.size.width)

    @property
    def narrow(self) -> bool:
        return self.query_one("#panes").has_class("-narrow")

    def _update_layout(self, width: int) -> None:
        self._width = width
        narrow = width < NARROW_WIDTH
        panes = self.query_one("#panes")
        panes.set_class(narrow, "-narrow")
        self.query_one("#pane-tabs").display = narrow
        for name in PANE_IDS:
            panes.set_class(name == self._active_pane, f"-show-{name}")

    @on(Tabs.TabActivated, "#pane-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id != event.tabs.active:
            # Superseded by a later focus_pane(); acting on it would bounce the focus between
            # two panes for ever (each activation queues the other).
            return
        name = (event.tab.id or "tab-chat").removeprefix("tab-")
        if name in PANE_IDS and name != self._active_pane:
            self.focus_pane(name)

    # ----------------------------------------------------------------- draft
    @on(StrategyProposed)
    def _strategy_proposed(self, message: StrategyProposed) -> None:
        self.query_one(StrategyPane).propose(message.config, message.source)
        if self.settings.ai.auto_backtest:
            self.action_backtest()  # the preview's draft is the proposal already

    @on(DraftChanged)
    def _draft_changed(self, message: DraftChanged) -> None:
        self.draft = message.draft
        self.backtests.draft_changed(message.draft)
        self.draft_keeper.changed(message.draft)

    # ---------------------------------------------------------------- keymap
    def _apply_keymap(self) -> None:
        keymap = dict(self.settings.ui.keymap)
        known = binding_ids() | self._pane_binding_ids()
        unknown = sorted(set(keymap) - known)
        for binding_id in unknown:
            del keymap[binding_id]
        if unknown:
            self.keymap_problems.append(
                f"ui.keymap names unknown binding id(s): {', '.join(unknown)}. "
                "F1 lists the ids; those entries are ignored."
            )
            self.notify(self.keymap_problems[-1], title="Keymap", severity="warning", timeout=10)
        self.set_keymap(keymap)

    def _pane_binding_ids(self) -> set[str]:
        ids: set[str] = set()
        for _, bindings in self.binding_groups():
            ids |= {b.id for b in bindings if b.id}
        return ids

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: object) -> None:
        message = "Keymap clash: " + ", ".join(
            sorted(f"{b.id or b.action} ({b.key})" for b in clashed_bindings)
        )
        if message not in self.keymap_problems:
            self.keymap_problems.append(message)
            self.notify(message + ". Change ui.keymap.", severity="warning", timeout=10)

    def _apply_theme(self) -> None:
        theme = self.settings.ui.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(
                f"Unknown theme '{theme}' in ui.theme; using {self.theme}. "
                "Pick one from the palette (ctrl+p, 'theme').",
                severity="warning",
            )

    def binding_groups(self) -> list[tuple[str, Iterable[Binding]]]:
        """Bindings by where they work, for the help screen."""
        groups: list[tuple[str, Iterable[Binding]]] = [("app", APP_BINDINGS)]
        for title, cls in (("chat", ChatPane), ("strategy", StrategyPane), ("bots", BotsPane)):
            bindings = [b for b in cls.BINDINGS if isinstance(b, Binding)]
            if bindings:
                groups.append((title, bindings))
        return groups

    # --------------------------------------------------------------- actions
    def focus_pane(self, name: PaneName) -> None:
        self._active_pane = name
        self._update_layout(self._width)
        tabs = self.query_one("#pane-tabs", Tabs)
        if tabs.active != f"tab-{name}":
            tabs.active = f"tab-{name}"
        self.query_one(f"#{PANE_IDS[name]}", Pane).focus_primary()

    def action_focus_pane(self, name: str) -> None:
        if name in PANE_IDS:
            self.focus_pane(name)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.binding_groups(), self.settings.ui.keymap))

    def work_in_flight(self) -> list[str]:
        """Descriptions of running work that quitting would interrupt."""
        running = []
        for worker in self.workers:
            if worker.group in IN_FLIGHT_GROUPS and worker.state in (
                WorkerState.PENDING,
                WorkerState.RUNNING,
            ):
                running.append(worker.description or worker.name or worker.group)
        return running

    def action_request_quit(self) -> None:
        running = self.work_in_flight()
        if not running:
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        body = "Still running:\n  • " + "\n  • ".join(running) + "\n\nQuit anyway?"
        self.push_screen(ConfirmScreen("Work in flight", body, yes="Quit"), answered)

    def action_deploy(self) -> None:
        draft = self.draft
        if draft is None or draft.config is None:
            self.notify("No valid draft to deploy: fix it in the preview first.", title="Deploy")
            return
        self.desk.deploy(draft.config)

    def action_stop_bot(self) -> None:
        bot = self.query_one(BotsPane).selected_bot
        if bot is None:
            self.notify("Select a bot in the bots pane (F4) first.", title="Stop")
            return
        fleet = self.fleet.state.fleet
        view = fleet.get(bot) if fleet is not None else None
        self.desk.stop(bot, view.controller_ids if view is not None else ())

    def action_journal(self) -> None:
        self.desk.open_journal()

    @on(StopRequested)
    def _stop_requested(self, event: StopRequested) -> None:
        if not self.desk.busy(STOP_GROUP):
            self.desk.stop(event.bot, event.controllers, event.choice)

    @on(DeskEvent)
    def _desk_event(self, event: DeskEvent) -> None:
        self.fleet.refresh_now()

    async def action_new_chat(self) -> None:
        await self.query_one(ChatPane).new_conversation()

    def action_refresh(self) -> None:
        if not self.fleet.refresh_now():
            problem = self.fleet.state.problem or f"Still connecting to {self.fleet.state.target}."
            self.notify(problem, title="Refresh", severity="warning")

    def action_accounts(self) -> None:
        if self.fleet.client is None:
            self.notify(self.fleet.state.problem, title="Accounts", severity="warning")
            return
        from tradeagent.tui.screens.accounts import AccountsScreen  # loaded when first opened

        self.push_screen(AccountsScreen(self.fleet.client, journal=self.journal))

    @on(BotsPane.DetailRequested)
    def _open_bot_detail(self, event: BotsPane.DetailRequested) -> None:
        from tradeagent.tui.screens.bot_detail import BotDetailScreen  # charts: loaded when needed

        self.push_screen(
            BotDetailScreen(self.fleet, event.bot, journal=self.journal, watch=self.desk.watch_line)
        )

    def action_kill_switch(self) -> None:
        self.desk.kill_switch()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in BACKTEST_ACTIONS:
            return self.check_backtest(action)
        if action == "new_chat":
            return not any(chat.streaming for chat in self.query(ChatPane))
        if action == "refresh":
            return True if self.fleet.connected else None
        if action in {"deploy", "stop_bot", "kill_switch"}:
            # Greyed out while disconnected, while the same flow runs, and (deploy) without a
            # valid draft.
            group = {"deploy": DEPLOY_GROUP, "stop_bot": STOP_GROUP, "kill_switch": KILL_GROUP}
            ready = self.fleet.connected and not self.desk.busy(group[action])
            if action == "deploy":
                ready = ready and self.draft is not None and self.draft.valid
            return True if ready else None
        return True

    # --------------------------------------------------------------- palette
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for binding in APP_BINDINGS:
            action = binding.action
            if action == "command_palette":
                continue
            name = action.split("(")[0]
            if not self.check_action(name, ()):
                continue
            title, help_text = ACTION_HELP[action]
            yield SystemCommand(
                f"{title} ({binding.key.split(',')[0]})",
                help_text,
                partial(self.run_action, action),
            )
        yield from strategy_commands(self.query_one(StrategyPane))
        yield from self.backtest_commands()
        if self.journal is not None:
            yield SystemCommand(
                "Journal",
                "Proposals, backtests, preflights, deploys, stops and watch findings",
                self.action_journal,
            )
        if self.fleet.connected:
            yield SystemCommand(
                "Accounts",
                "Exchange keys of each account: add, check, delete",
                self.action_accounts,
            )
        yield from super().get_system_commands(screen)


def make_app(
    settings: Settings,
    *,
    draft_path: Path | None = None,
    assistant: Assistant | None = None,
    hb: HbOpener | None = None,
    journal: Journal | None = None,
    clock: Clock = utc_now,
) -> TradeAgentApp:
    """Build the app from settings and injected services (the CLI and the tests both use this).

    Without an injected assistant: Claude when a key is set, else the offline assistant.
    ``hb`` builds the Hummingbot connection inside the running app (default: from settings).
    """
    from tradeagent.assistant_setup import build_assistant

    problem = None
    if journal is None:
        try:
            journal = open_journal(settings)
        except JournalError as exc:
            problem = str(exc)
    app = TradeAgentApp(
        settings,
        draft_path=draft_path,
        assistant=assistant or build_assistant(settings),
        hb=hb or SettingsOpener(settings),
        journal=journal,
        clock=clock,
    )
    app.journal_problem = problem
    return app
