"""The strategy preview pane: the draft's YAML, summary, money at risk and risk verdicts.

It owns the draft and its versions. Proposals arrive through :meth:`StrategyPane.propose` (the
app forwards :class:`~tradeagent.tui.messages.StrategyProposed`); every change is reported up
with :class:`~tradeagent.tui.messages.DraftChanged`. Editing re-validates as you type; a bad file
or a broken edit keeps its text on screen with the problems, so nothing is lost.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static, TextArea
from textual.widgets.text_area import LanguageDoesNotExist

from tradeagent.strategy import ControllerConfigBase, RiskPolicy, RiskReport, check_config
from tradeagent.strategy.risk import Mode
from tradeagent.tui import strategy_render as render
from tradeagent.tui.draft import (
    Draft,
    DraftFileError,
    DraftHistory,
    read_draft_file,
    write_draft_file,
)
from tradeagent.tui.external_editor import EditorError, edit_text, editor_command
from tradeagent.tui.messages import DraftChanged
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.diff import DiffScreen
from tradeagent.tui.screens.path_prompt import PathPrompt
from tradeagent.tui.screens.templates import TemplateScreen
from tradeagent.tui.widgets.backtest_panel import BacktestPanel
from tradeagent.tui.widgets.pane import Pane

EMPTY_TEXT = (
    "No draft yet. Ask the assistant in the chat, or open a YAML file: tradeagent my_config.yml"
)
SKELETON = """\
id: my_strategy
controller_name: bollinger_v1
connector_name: hyperliquid_perpetual
trading_pair: BTC-USD
total_amount_quote: 100
leverage: 1
position_mode: ONEWAY
stop_loss: 0.02
"""
"""What ``e`` starts from when there is no draft (t offers complete templates)."""
VALIDATE_DELAY = 0.25
"""Seconds of quiet typing before the editor's text is validated."""
KEYS_HINT = "e edit · d diff · s save · o open · t templates"


class StrategyPane(Pane):
    PANE_TITLE = "Strategy"
    PRIMARY = "#strategy-body"

    DEFAULT_CSS = """
    StrategyPane #strategy-body > Static { height: auto; }
    StrategyPane #strategy-summary, StrategyPane #strategy-risk-row { margin-bottom: 1; }
    StrategyPane .strategy-row { height: auto; }
    StrategyPane .strategy-label { width: 9; text-style: bold; }
    StrategyPane #strategy-money, StrategyPane #strategy-verdicts { width: 1fr; height: auto; }
    StrategyPane #strategy-rule { color: $text-muted; }
    StrategyPane #backtest-results { height: auto; margin-bottom: 1; }
    StrategyPane #strategy-editor { display: none; height: 1fr; }
    StrategyPane.-editing #strategy-body { height: auto; max-height: 50%; }
    StrategyPane.-editing #strategy-editor { display: block; }
    StrategyPane.-editing #backtest-results { display: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="strategy-edit", tooltip="Edit the YAML in place"),
        Binding(
            "E",
            "edit_external",
            "$EDITOR",
            id="strategy-edit-external",
            tooltip="Edit the YAML in $EDITOR",
            show=False,
        ),
        Binding("d", "diff", "Diff", id="strategy-diff", tooltip="Diff against the last version"),
        Binding("s", "save", "Save", id="strategy-save", tooltip="Save the draft to a YAML file"),
        Binding("o", "open", "Open", id="strategy-open", tooltip="Open a YAML file as the draft"),
        Binding(
            "t", "templates", "Templates", id="strategy-templates", tooltip="Start from a template"
        ),
        Binding("escape", "finish_edit", "Done", id="strategy-done", tooltip="Stop editing"),
        # The backtest of the draft (app actions: ctrl+b works from every pane).
        Binding(
            "b",
            "app.backtest",
            "Backtest",
            id="strategy-backtest",
            show=False,
            tooltip="Backtest the draft",
        ),
        Binding(
            "B",
            "app.backtest_options",
            "Backtest options",
            id="strategy-backtest-options",
            show=False,
            tooltip="Period, candle source and mode of the backtest",
        ),
        Binding(
            "enter",
            "app.backtest_results",
            "Results",
            id="strategy-backtest-results",
            tooltip="The backtest results on a full screen, with the executors",
        ),
        Binding(
            "escape",
            "app.cancel_backtest",
            "Cancel backtest",
            id="strategy-backtest-cancel",
            tooltip="Stop the backtest that is running",
        ),
    ]

    # The app mirrors `draft` in its own reactive (bindings=True), which refreshes the keys.
    draft: reactive[Draft | None] = reactive(None, init=False)
    editing: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        *,
        policy: RiskPolicy | None = None,
        mode: Mode = "SIM",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.policy = policy or RiskPolicy()
        self.mode: Mode = mode
        self.history = DraftHistory()
        self.report: RiskReport | None = None
        self._validate_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="strategy-body", can_focus=True):
            yield Static(EMPTY_TEXT, id="strategy-empty")
            yield Static("", id="strategy-summary")
            with Horizontal(id="strategy-money-row", classes="strategy-row"):
                yield Static("At risk", classes="strategy-label")
                yield Static("", id="strategy-money")
            with Horizontal(id="strategy-risk-row", classes="strategy-row"):
                yield Static("Risk", classes="strategy-label")
                yield Static("", id="strategy-verdicts")
            yield Static("", id="strategy-problems")
            # Above the YAML: the numbers are read far more often than the text behind them.
            with Vertical(id="backtest-results"):
                yield BacktestPanel(id="backtest-panel")
            yield Static("", id="strategy-rule")
            yield Static("", id="strategy-yaml")
        yield _editor()

    def on_mount(self) -> None:
        super().on_mount()
        self._show_draft()

    # ----------------------------------------------------------------- draft in
    def propose(self, config: ControllerConfigBase, source: str) -> Draft:
        """Make ``config`` the draft (the current one stays in the history)."""
        return self._adopt(Draft.from_config(config, source))

    def restore(self, text: str) -> Draft:
        """Bring back the last session's draft text (valid or not), as it was left."""
        return self._adopt(Draft.from_text(text, "last session"))

    def _adopt(self, draft: Draft) -> Draft:
        if self.draft is not None and not self.draft.version:
            self.history.record(self.draft)  # an edit in progress becomes a version, not lost
        recorded = self.history.record(draft)
        if self.editing:
            self._set_editor_text(recorded.text)
        self.draft = recorded
        return recorded

    def watch_draft(self, draft: Draft | None) -> None:
        self._show_draft()
        self.post_message(DraftChanged(draft))

    # ----------------------------------------------------------------- render
    def _show_draft(self) -> None:
        draft = self.draft
        palette = render.Palette.from_theme(self.app.theme_variables)
        self.report = (
            check_config(draft.config, self.policy, mode=self.mode)
            if draft is not None and draft.config is not None
            else None
        )
        self.border_title = render.pane_title(draft, self.report)
        self.query_one("#strategy-empty").display = draft is None
        valid = draft is not None and draft.config is not None
        for widget_id in ("#strategy-summary", "#strategy-money-row", "#strategy-risk-row"):
            self.query_one(widget_id).display = valid
        problems = self.query_one("#strategy-problems", Static)
        problems.display = draft is not None and draft.error is not None
        self.query_one("#strategy-rule").display = draft is not None
        self.query_one("#strategy-yaml").display = draft is not None and not self.editing
        if draft is None:
            return
        if draft.config is not None and self.report is not None:
            self.query_one("#strategy-summary", Static).update(render.summary(draft))
            self.query_one("#strategy-money", Static).update(
                render.money_at_risk(self.report, draft.config.pair)
            )
            self.query_one("#strategy-verdicts", Static).update(
                render.verdicts(self.report, palette)
            )
        if draft.error is not None:
            problems.update(render.problems(draft.error, palette))
        origin = f" · {draft.path}" if draft.path else ""
        version = f"v{draft.version}" if draft.version else "edited"
        self.query_one("#strategy-rule", Static).update(
            f"── YAML · {version} · {draft.source}{origin} ── {KEYS_HINT}"
        )
        if not self.editing:
            self.query_one("#strategy-yaml", Static).update(render.yaml_view(draft.text))

    # ----------------------------------------------------------------- editing
    def action_edit(self) -> None:
        self.editing = True
        editor = self.query_one("#strategy-editor", TextArea)
        self._set_editor_text(self.draft.text if self.draft else SKELETON)
        editor.focus()

    def _set_editor_text(self, text: str) -> None:
        editor = self.query_one("#strategy-editor", TextArea)
        if editor.text != text:
            editor.load_text(text)

    def watch_editing(self, editing: bool) -> None:
        self.set_class(editing, "-editing")
        self.refresh_bindings()
        self._show_draft()

    @on(TextArea.Changed, "#strategy-editor")
    def _editor_changed(self) -> None:
        if not self.editing:
            return
        if self._validate_timer is not None:
            self._validate_timer.stop()
        self._validate_timer = self.set_timer(VALIDATE_DELAY, self.validate_editor)

    def validate_editor(self) -> None:
        """Validate what the editor holds and show it as the (unrecorded) current draft."""
        text = self.query_one("#strategy-editor", TextArea).text
        if self.draft is not None and text == self.draft.text:
            return
        path = self.draft.path if self.draft else None
        self.draft = Draft.from_text(text, "editor", path=path)

    def action_finish_edit(self) -> None:
        if self._validate_timer is not None:
            self._validate_timer.stop()
        self.validate_editor()
        self.editing = False
        if self.draft is not None and not self.draft.version:
            self.draft = self.history.record(self.draft)
        self.query_one("#strategy-body").focus()

    def action_edit_external(self) -> None:
        try:
            command = editor_command()
        except EditorError as error:
            self.notify(str(error), title="Editor", severity="error")
            return
        text = self.draft.text if self.draft else SKELETON
        name = self.draft.config.id if self.draft and self.draft.config else "draft"
        try:
            if self.app.is_headless:
                # No terminal to hand over (tests, web): the editor runs detached from it.
                edited = edit_text(text, name=name, command=command)
            else:
                with self.app.suspend():
                    edited = edit_text(text, name=name, command=command)
        except EditorError as error:
            self.notify(str(error), title="Editor", severity="error")
            return
        if edited == text:
            self.notify("No change.", title="Editor")
            return
        path = self.draft.path if self.draft else None
        self._adopt(Draft.from_text(edited, "$EDITOR", path=path))

    # ----------------------------------------------------------------- diff
    def action_diff(self) -> None:
        if self.draft is None:
            return
        previous = self.history.before(self.draft.text)
        if previous is None:
            self.notify("No earlier version to compare with.", title="Diff")
            return
        palette = render.Palette.from_theme(self.app.theme_variables)
        title = f"Diff · v{previous.version} ({previous.source}) → current"
        self.app.push_screen(DiffScreen(title, render.diff(previous, self.draft, palette)))

    # ----------------------------------------------------------------- templates
    def action_templates(self) -> None:
        connector = self.draft.config.connector if self.draft and self.draft.config else None
        screen = TemplateScreen(connector=connector or "hyperliquid_perpetual")
        self.app.push_screen(screen, self._template_chosen)

    def open_templates(self, key: str) -> None:
        """The picker with one template preselected (used by the command palette)."""
        self.app.push_screen(TemplateScreen(selected=key), self._template_chosen)

    def _template_chosen(self, choice: tuple[str, ControllerConfigBase] | None) -> None:
        if choice is None:
            return
        key, config = choice
        self.propose(config, f"template:{key}")
        self.query_one("#strategy-body").focus()

    # ----------------------------------------------------------------- files
    def action_open(self) -> None:
        start = self.draft.path if self.draft and self.draft.path else Path.cwd()
        default = start.parent if start.is_file() else start
        self.app.push_screen(
            PathPrompt("Open a controller config", default, "Path of a Hummingbot YAML file"),
            self._open_chosen,
        )

    def _open_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.load_path(path)

    @work(exclusive=True, group="strategy-file", exit_on_error=False)
    async def load_path(self, path: Path) -> Draft | None:
        """Read ``path`` and make it the draft, valid or not (its problems are shown)."""
        try:
            text = await asyncio.to_thread(read_draft_file, path)
        except DraftFileError as error:
            self.notify(str(error), title="Open", severity="error", timeout=10)
            return None
        draft = self._adopt(Draft.from_text(text, "file", path=path))
        if draft.valid:
            self.notify(f"Opened {path}.", title="Open")
        else:
            self.notify(
                f"{path} has {len(draft.problems)} problem(s); shown in the preview. "
                "Press e to fix them.",
                title="Open",
                severity="warning",
                timeout=10,
            )
        return draft

    def action_save(self) -> None:
        draft = self.draft
        if draft is None:
            return
        name = draft.config.id if draft.config else "draft"
        default = draft.path or Path.cwd() / f"{name}.yml"
        self.app.push_screen(
            PathPrompt("Save the draft", default, "The file name should match the id"),
            self._save_chosen,
        )

    def _save_chosen(self, path: Path | None) -> None:
        if path is None or self.draft is None:
            return
        if path.exists() and path != self.draft.path:

            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self.save_to(path)

            self.app.push_screen(
                ConfirmScreen("Overwrite?", f"{path} exists. Replace it?", yes="Overwrite"),
                answered,
            )
            return
        self.save_to(path)

    @work(exclusive=True, group="strategy-file", exit_on_error=False)
    async def save_to(self, path: Path) -> bool:
        draft = self.draft
        if draft is None:
            return False
        try:
            await asyncio.to_thread(write_draft_file, path, draft.text)
        except DraftFileError as error:
            self.notify(str(error), title="Save", severity="error", timeout=10)
            return False
        saved = Draft(draft.text, draft.config, draft.error, draft.source, path, draft.version)
        self.draft = self.history.record(saved) if saved.version else saved
        if draft.config is None:
            self.notify(
                f"Saved {path}, with {len(draft.problems)} problem(s) still to fix.",
                title="Save",
                severity="warning",
            )
        elif path.stem != draft.config.id:
            self.notify(
                f"Saved {path}. Its name differs from id '{draft.config.id}': Hummingbot uses "
                "the file name as the config name, so keep them equal.",
                title="Save",
                severity="warning",
                timeout=10,
            )
        else:
            self.notify(f"Saved {path}.", title="Save")
        return True

    # ----------------------------------------------------------------- gates
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "finish_edit":
            return self.editing
        if action == "save":
            return True if self.draft is not None else None
        if action == "diff":
            has_previous = self.draft is not None and self.history.before(self.draft.text)
            return True if has_previous else None
        return True


def _editor() -> TextArea:
    """The YAML editor, highlighted by tree-sitter-yaml (a dependency); should the grammar not
    load in some environment, plain text rather than a crash."""
    options: dict[str, Any] = {
        "id": "strategy-editor",
        "soft_wrap": False,
        "tab_behavior": "focus",
        "show_line_numbers": True,
    }
    try:
        return TextArea("", language="yaml", **options)
    except LanguageDoesNotExist:
        return TextArea("", **options)
