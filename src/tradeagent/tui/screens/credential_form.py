"""The masked form that stores a connector's keys in an account (``c`` on the accounts screen).

Built from the connector's config-map: SecretStr fields are password inputs (never echoed),
switches for booleans, a choice for literals. Local checks run before anything is sent; the
server's rejection is shown with its words and a likely cause, and the form stays open with the
typed values so the trader can fix them. Values never reach a log, a notification, the journal
or the screen in clear; the inputs are wiped when the form closes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from tradeagent.desk import credentials
from tradeagent.desk.credentials import FormField
from tradeagent.desk.journal import Journal
from tradeagent.hb import HummingbotClient, HummingbotError
from tradeagent.tui import journal_steps


class CredentialFormScreen(ModalScreen[bool]):
    """Returns True when the server stored (and the exchange accepted) the keys."""

    DEFAULT_CSS = """
    CredentialFormScreen { align: center middle; }
    CredentialFormScreen .field-label { margin-top: 1; text-style: bold; }
    CredentialFormScreen .field-help { color: $text-muted; }
    CredentialFormScreen .field-problem { color: $error; }
    CredentialFormScreen #credentials-outcome { margin-top: 1; }
    CredentialFormScreen #credentials-outcome.-error { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="credentials-cancel"),
    ]

    def __init__(
        self,
        client: HummingbotClient,
        account: str,
        connector: str,
        fields: list[FormField],
        *,
        journal: Journal | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.account = account
        self.connector = connector
        self.fields = fields
        self.journal = journal
        self.sending = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="credentials-dialog", classes="dialog"):
            yield Static(
                f"Keys for {self.connector} in account {self.account}", classes="dialog-title"
            )
            for spec in self.fields:
                yield Label(spec.label, classes="field-label")
                if spec.kind == "bool":
                    yield Switch(value=False, id=f"field-{spec.name}")
                elif spec.kind == "choice":
                    yield Select(
                        [(choice, choice) for choice in spec.choices],
                        id=f"field-{spec.name}",
                        allow_blank=not spec.required,
                        value=spec.choices[0] if spec.required else Select.NULL,
                    )
                else:
                    yield Input(
                        id=f"field-{spec.name}",
                        password=spec.kind == "secret",
                        placeholder="hidden as you type" if spec.kind == "secret" else "",
                    )
                if spec.help:
                    yield Static(spec.help, classes="field-help")
                yield Static("", id=f"problem-{spec.name}", classes="field-problem", markup=False)
            yield Static("", id="credentials-outcome", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Send (Enter)", id="send", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        for widget in self.query(".field-problem"):
            widget.display = False
        first = next(iter(self.query("Input, Select, Switch")), None)
        if first is not None:
            first.focus()

    def values(self) -> dict[str, Any]:
        """What the form holds now, by field name (booleans for switches)."""
        found: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Switch):
                found[spec.name] = widget.value
            elif isinstance(widget, Select):
                found[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                found[spec.name] = widget.value
        return found

    @on(Button.Pressed, "#send")
    @on(Input.Submitted)
    def _send_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.sending:
            self._close(False)

    def action_submit(self) -> None:
        if self.sending:
            return
        values = self.values()
        problems = credentials.check(self.connector, self.fields, values)
        self._show_problems(problems)
        if problems:
            self._outcome(
                "Not sent: fix the fields marked above (nothing left this machine).", error=True
            )
            return
        self.send(credentials.normalized(self.fields, values))

    def _show_problems(self, problems: list[credentials.Problem]) -> None:
        by_field = {problem.field: problem.message for problem in problems}
        for spec in self.fields:
            widget = self.query_one(f"#problem-{spec.name}", Static)
            widget.update(by_field.get(spec.name, ""))
            widget.display = spec.name in by_field

    @work(group="hb-write", exclusive=True, exit_on_error=False, description="storing keys")
    async def send(self, body: dict[str, Any]) -> None:
        self.sending = True
        self._outcome(
            f"Sending to the server, which tries the keys on {self.connector}… (this can take "
            "a few seconds)"
        )
        secret_names = {spec.name for spec in self.fields if spec.kind == "secret"}
        secrets = [str(v) for k, v in body.items() if k in secret_names and isinstance(v, str)]
        action = await self._journal_begin()
        try:
            await self.client.add_credential(self.account, self.connector, body)
        except HummingbotError as exc:
            said = masked(exc.message, secrets)
            await journal_steps.finish(self, self.journal, action, "failed", {"error": said})
            cause = credentials.likely_cause(masked(exc.server_text or exc.message, secrets))
            text = said + (f"\nLikely cause: {cause}" if cause else "")
            self._outcome(text, error=True)
            self.sending = False
            return
        finally:
            body.clear()
            secrets.clear()
        await journal_steps.finish(self, self.journal, action, "ok", {})
        self.notify(
            f"{self.connector} keys stored in {self.account}; the exchange accepted them.",
            title="Accounts",
        )
        self._close(True)

    def _outcome(self, text: str, *, error: bool = False) -> None:
        outcome = self.query_one("#credentials-outcome", Static)
        outcome.set_class(error, "-error")
        outcome.update(text)

    def _close(self, stored: bool) -> None:
        # Wipe what was typed before the screen goes (it may linger until collected).
        for field in self.query(Input):
            field.value = ""
        self.dismiss(stored)

    async def _journal_begin(self) -> int | None:
        payload = {
            "account": self.account,
            "connector": self.connector,
            "fields": [spec.name for spec in self.fields],
        }
        return await journal_steps.begin(self, self.journal, "credentials.add", payload)


def masked(text: str, values: list[str]) -> str:
    """``text`` with every typed value (and its form without ``0x``) replaced by ``****``.

    The client already masks exact echoes; servers also echo keys without their prefix."""
    for value in values:
        for variant in (value, value.removeprefix("0x")):
            if len(variant) >= 6:
                text = text.replace(variant, "****")
    return text
