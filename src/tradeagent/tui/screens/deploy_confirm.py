"""The deploy confirmation: everything at stake, every check, and one deliberate answer.

SIM: one key, ``y``. LIVE: type the trading pair (or the configured word) and press Enter.
A failed check shows ✘ with its fix and the confirmation is disabled; advisories show ⚠.
Esc cancels with nothing sent. When the only blocker is a bot already running under the same
name, ``a`` asks for the review again with a second bot allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tradeagent.desk import ConfirmationRefused, ConfirmedDeploy, DeployReview
from tradeagent.desk.report import review_rows, review_title

_MARK_COLOURS = {"✘": "error", "⚠": "warning"}


@dataclass(frozen=True)
class DeployDecision:
    """What the trader chose: a confirmation, a second look with the same name allowed, or
    nothing (cancelled)."""

    confirmed: ConfirmedDeploy | None = None
    allow_same_name: bool = False


class DeployConfirmScreen(ModalScreen[DeployDecision]):
    DEFAULT_CSS = """
    DeployConfirmScreen { align: center middle; }
    DeployConfirmScreen #deploy-dialog { max-width: 120; width: 95%; }
    DeployConfirmScreen.-live #deploy-dialog { border: thick $error; }
    DeployConfirmScreen #deploy-body { height: auto; max-height: 30; }
    DeployConfirmScreen #deploy-answer-row { height: auto; margin-top: 1; }
    DeployConfirmScreen #deploy-prompt { width: auto; padding: 1 1 0 0; }
    DeployConfirmScreen #deploy-answer { width: 24; }
    DeployConfirmScreen #deploy-hint { color: $text-muted; padding: 1 0 0 2; }
    DeployConfirmScreen #deploy-error { color: $error; height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel (nothing sent)", id="deploy-cancel"),
        Binding("y", "confirm_sim", "Deploy (SIM)", id="deploy-confirm"),
        Binding("a", "allow_same_name", "Allow a second bot", id="deploy-allow-same-name"),
    ]

    def __init__(self, review: DeployReview) -> None:
        super().__init__(classes="-live" if review.live else "")
        self.review = review

    @property
    def blocked_by_name_only(self) -> bool:
        failures = self.review.checks.failures
        return bool(failures) and all(check.id == "same_name" for check in failures)

    def compose(self) -> ComposeResult:
        review = self.review
        with Vertical(id="deploy-dialog", classes="dialog"):
            yield Static(review_title(review), classes="dialog-title", id="deploy-title")
            with VerticalScroll(id="deploy-body"):
                yield Static(self._body(), id="deploy-rows")
            with Horizontal(id="deploy-answer-row"):
                yield Static(self._prompt(), id="deploy-prompt")
                if review.live:
                    yield Input(
                        placeholder=review.confirm_word,
                        id="deploy-answer",
                        disabled=not review.can_confirm,
                    )
                yield Static("Esc cancel", id="deploy-hint")
            yield Static("", id="deploy-error")

    def on_mount(self) -> None:
        if self.review.live and self.review.can_confirm:
            self.query_one("#deploy-answer", Input).focus()
        else:
            self.query_one("#deploy-body").focus()

    def _body(self) -> Table:
        colours = self.app.theme_variables
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for label, text in review_rows(self.review):
            colour = _MARK_COLOURS.get(text[:1])
            grid.add_row(label, Text(text, style=colours.get(colour, "") if colour else ""))
        return grid

    def _prompt(self) -> str:
        review = self.review
        if not review.can_confirm:
            failed = len(review.checks.failures)
            text = f"✘ {failed} check(s) failed: fix them to deploy."
            if self.blocked_by_name_only:
                text += " Press a to run a second bot anyway."
            return text
        if review.live:
            return f"Type {review.confirm_word} to deploy"
        advisories = len(review.checks.advisories)
        return "Press y to deploy" + (f" ({advisories} ⚠ above)" if advisories else "")

    # -- answers ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm_sim":
            return not self.review.live and self.review.can_confirm
        if action == "allow_same_name":
            return self.blocked_by_name_only
        return True

    def action_confirm_sim(self) -> None:
        self._answer("y")

    @on(Input.Submitted, "#deploy-answer")
    def _typed(self, event: Input.Submitted) -> None:
        self._answer(event.value)

    def _answer(self, answer: str) -> None:
        try:
            confirmed = self.review.confirm(answer)
        except ConfirmationRefused as exc:
            self.query_one("#deploy-error", Static).update(str(exc))
            return
        self.dismiss(DeployDecision(confirmed=confirmed))

    def action_allow_same_name(self) -> None:
        self.dismiss(DeployDecision(allow_same_name=True))

    def action_cancel(self) -> None:
        self.dismiss(DeployDecision())
