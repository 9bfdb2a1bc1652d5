"""Accounts (from the palette): the server's accounts and the connectors each has keys for.

``a`` adds an account, ``c`` adds keys to the selected account (connector picker, then the masked
form), ``x`` deletes the selected keys after a confirmation, ``r`` reloads, Esc goes back.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tradeagent.desk import credentials
from tradeagent.desk.journal import Journal
from tradeagent.hb import HummingbotClient, HummingbotError, InvalidRequest, check_name
from tradeagent.tui import journal_steps
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.credential_form import CredentialFormScreen

NO_KEYS = "—"
_SEP = "\x1f"


def row_key(account: str, connector: str) -> str:
    return f"{account}{_SEP}{connector}"


class AccountsScreen(Screen[None]):
    """Accounts and their connectors' keys, managed from the keyboard."""

    DEFAULT_CSS = """
    AccountsScreen #accounts { padding: 0 1; }
    AccountsScreen #accounts-status { height: auto; color: $text-muted; }
    AccountsScreen #accounts-status.-error { color: $error; }
    AccountsScreen #accounts-table { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="accounts-back"),
        Binding("a", "add_account", "Add account", id="accounts-add"),
        Binding("c", "add_keys", "Add keys", id="accounts-add-keys"),
        Binding("x", "delete_keys", "Delete keys", id="accounts-delete-keys"),
        Binding("r", "reload", "Reload", id="accounts-reload"),
    ]

    def __init__(self, client: HummingbotClient, *, journal: Journal | None = None) -> None:
        super().__init__()
        self.client = client
        self.journal = journal
        self.accounts: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="accounts"):
            yield Static("Loading accounts…", id="accounts-status", markup=False)
            table: DataTable[str] = DataTable(id="accounts-table", cursor_type="row")
            yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#accounts-table", DataTable)
        table.add_column("account", key="account")
        table.add_column("connector with keys", key="connector")
        table.focus()
        self.reload()

    # -- data ------------------------------------------------------------------------------

    @work(exclusive=True, group="accounts-load", exit_on_error=False)
    async def reload(self) -> None:
        try:
            names = await self.client.accounts()
            lists = await asyncio.gather(*(self.client.credentials(name) for name in names))
        except HummingbotError as exc:
            self._status(f"Cannot read the accounts: {exc.message}", error=True)
            return
        self.accounts = {name: sorted(found) for name, found in zip(names, lists, strict=True)}
        self._show()

    def _show(self) -> None:
        table = self.query_one("#accounts-table", DataTable)
        selected = self.selected()
        table.clear()
        for account, connectors in sorted(self.accounts.items()):
            for connector in connectors or [""]:
                table.add_row(account, connector or NO_KEYS, key=row_key(account, connector))
        if selected is not None:
            key = row_key(*selected)
            if key in table.rows:
                table.move_cursor(row=table.get_row_index(key), animate=False)
        keys = sum(len(c) for c in self.accounts.values())
        self._status(
            f"{len(self.accounts)} accounts · {keys} connectors with keys · a add account · "
            "c add keys · x delete keys"
        )

    def selected(self) -> tuple[str, str] | None:
        """(account, connector) under the cursor; connector is "" for an account without keys."""
        table = self.query_one("#accounts-table", DataTable)
        if not table.row_count:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        account, _, connector = (key.value or "").partition(_SEP)
        return account, connector

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#accounts-status", Static)
        status.set_class(error, "-error")
        status.update(text)

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_keys":
            return True if self.selected() else None
        if action == "delete_keys":
            chosen = self.selected()
            return True if chosen and chosen[1] else None
        return True

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    def action_add_account(self) -> None:
        def named(name: str | None) -> None:
            if name:
                self.add_account(name)

        self.app.push_screen(AccountNameScreen(set(self.accounts)), named)

    @work(group="hb-write", exit_on_error=False, description="adding an account")
    async def add_account(self, name: str) -> None:
        action = await journal_steps.begin(self, self.journal, "account.add", {"account": name})
        try:
            await self.client.add_account(name)
        except HummingbotError as exc:
            await journal_steps.finish(self, self.journal, action, "failed", {"error": exc.message})
            self._status(exc.message, error=True)
            return
        await journal_steps.finish(self, self.journal, action, "ok", {})
        self.notify(f"Account {name} created. Press c to add exchange keys to it.")
        self.reload()

    def action_add_keys(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.pick_connector(chosen[0])

    @work(exclusive=True, group="accounts-keys", exit_on_error=False)
    async def pick_connector(self, account: str) -> None:
        try:
            connectors = await self.client.connectors()
        except HummingbotError as exc:
            self._status(f"Cannot list the connectors: {exc.message}", error=True)
            return
        connector = await self.app.push_screen_wait(ConnectorPickerScreen(sorted(connectors)))
        if not connector:
            return
        try:
            config_map = await self.client.connector_config_map(connector)
        except HummingbotError as exc:
            self._status(exc.message, error=True)
            return
        fields = credentials.form_fields(connector, config_map)
        if not fields:
            self._status(f"{connector} needs no keys (its config-map is empty).")
            return
        form = CredentialFormScreen(self.client, account, connector, fields, journal=self.journal)
        if await self.app.push_screen_wait(form):
            self.reload()

    def action_delete_keys(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen[1]:
            return
        account, connector = chosen

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.delete_keys(account, connector)

        body = (
            f"Delete the {connector} keys of account {account} from the server? Bots deployed "
            "later with this account cannot trade on it; running bots keep their copy."
        )
        self.app.push_screen(ConfirmScreen("Delete keys?", body, yes="Delete"), answered)

    @work(group="hb-write", exit_on_error=False, description="deleting keys")
    async def delete_keys(self, account: str, connector: str) -> None:
        action = await journal_steps.begin(
            self, self.journal, "credentials.delete", {"account": account, "connector": connector}
        )
        try:
            await self.client.delete_credential(account, connector)
        except HummingbotError as exc:
            await journal_steps.finish(self, self.journal, action, "failed", {"error": exc.message})
            self._status(exc.message, error=True)
            return
        await journal_steps.finish(self, self.journal, action, "ok", {})
        self.notify(f"{connector} keys deleted from {account}.")
        self.reload()


class AccountNameScreen(ModalScreen[str | None]):
    """Asks for a new account name, checked like the server checks it."""

    DEFAULT_CSS = "AccountNameScreen { align: center middle; }"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="account-name-cancel")
    ]

    def __init__(self, existing: set[str]) -> None:
        super().__init__()
        self.existing = existing

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New account", classes="dialog-title")
            yield Input(placeholder="e.g. hl_main · Enter create · Esc cancel", id="account-name")
            yield Static("Letters, digits, - and _ only.", id="account-name-problem")

    @on(Input.Submitted, "#account-name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        problem = self.query_one("#account-name-problem", Static)
        try:
            check_name(name, "Account name", "account_name")
        except InvalidRequest as exc:
            problem.update(Text(exc.message, "red"))
            return
        if name in self.existing:
            problem.update(Text(f"Account {name} already exists.", "red"))
        else:
            self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConnectorPickerScreen(ModalScreen[str | None]):
    """Type to narrow the server's connectors, Enter picks one (names that start with what
    was typed come first)."""

    DEFAULT_CSS = """
    ConnectorPickerScreen { align: center middle; }
    ConnectorPickerScreen #connector-list { height: auto; max-height: 20; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="connector-cancel")
    ]

    def __init__(self, connectors: list[str]) -> None:
        super().__init__()
        self.connectors = connectors

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Which exchange connector?", classes="dialog-title")
            yield Input(placeholder="type to filter, e.g. hyperliquid", id="connector-filter")
            yield OptionList(*(Option(c, id=c) for c in self.connectors), id="connector-list")

    @on(Input.Changed, "#connector-filter")
    def _filter(self, event: Input.Changed) -> None:
        needle = event.value.strip().lower()
        found = [c for c in self.connectors if needle in c.lower()]
        found.sort(key=lambda name: not name.lower().startswith(needle))
        options = self.query_one("#connector-list", OptionList)
        options.clear_options()
        options.add_options([Option(c, id=c) for c in found])
        if options.option_count:
            options.highlighted = 0

    @on(Input.Submitted, "#connector-filter")
    def _submitted(self) -> None:
        options = self.query_one("#connector-list", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#connector-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
