"""Command palette entries of the strategy preview: its actions and one per template."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.app import SystemCommand

from tradeagent.strategy import TEMPLATES
from tradeagent.tui.widgets.strategy_pane import StrategyPane

_ACTIONS = (
    ("edit", "Strategy: edit the YAML", "Edit the draft in place (e)"),
    ("edit_external", "Strategy: edit in $EDITOR", "Open the draft in your editor (E)"),
    ("diff", "Strategy: diff against the last version", "What changed in the draft (d)"),
    ("save", "Strategy: save the draft", "Write the draft to a YAML file (s)"),
    ("open", "Strategy: open a YAML file", "Load a controller config as the draft (o)"),
    ("templates", "Strategy: templates…", "Start a draft from a template (t)"),
)


def strategy_commands(pane: StrategyPane) -> Iterator[SystemCommand]:
    for action, title, help_text in _ACTIONS:
        if pane.check_action(action, ()):
            yield SystemCommand(title, help_text, partial(pane.run_action, action))
    for key, template in TEMPLATES.items():
        yield SystemCommand(
            f"Template: {template.title}",
            template.description,
            partial(pane.open_templates, key),
        )
