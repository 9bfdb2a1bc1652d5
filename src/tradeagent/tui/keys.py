"""App-level key bindings: one table, used by the app, the footer, the help screen and the palette.

Every binding has an ``id`` so ``ui.keymap`` can remap it. Keys the chat input or the YAML editor
consume (ctrl+a/e/d/k/u/w/x/c/v/y/z, f6/f7) and terminal aliases (ctrl+h/i/j/m) are avoided;
actions that must work while typing in the chat are ``priority=True``.
"""

from __future__ import annotations

from textual.binding import Binding

APP_BINDINGS: list[Binding] = [
    Binding("f1,question_mark", "help", "Help", id="help", tooltip="Every key, by pane"),
    Binding(
        "ctrl+p",
        "command_palette",
        "Palette",
        id="palette",
        priority=True,
        show=False,
        tooltip="Search every action",
    ),
    Binding("f2", "focus_pane('chat')", "Chat", id="focus-chat", priority=True, show=False),
    Binding(
        "f3", "focus_pane('strategy')", "Strategy", id="focus-strategy", priority=True, show=False
    ),
    Binding("f4", "focus_pane('bots')", "Bots", id="focus-bots", priority=True, show=False),
    Binding("ctrl+g", "deploy", "Deploy", id="deploy", priority=True, tooltip="Deploy the draft"),
    Binding(
        "ctrl+t", "stop_bot", "Stop", id="stop", priority=True, tooltip="Stop the selected bot"
    ),
    Binding(
        "ctrl+b", "backtest", "Backtest", id="backtest", priority=True, tooltip="Backtest the draft"
    ),
    Binding("ctrl+n", "new_chat", "New chat", id="new-chat", priority=True),
    Binding("ctrl+r", "refresh", "Refresh", id="refresh", priority=True, show=False),
    Binding("f9", "kill_switch", "Kill switch", id="kill-switch", priority=True),
    Binding("ctrl+q", "request_quit", "Quit", id="quit", priority=True),
]

# Palette titles and help lines for the app actions (action name -> (title, help)).
ACTION_HELP: dict[str, tuple[str, str]] = {
    "help": ("Help", "Show every key binding"),
    "command_palette": ("Command palette", "Search every action"),
    "focus_pane('chat')": ("Focus chat", "Move the focus to the chat pane"),
    "focus_pane('strategy')": ("Focus strategy", "Move the focus to the strategy preview"),
    "focus_pane('bots')": ("Focus bots", "Move the focus to the bots pane"),
    "deploy": ("Deploy draft", "Preflight, backtest gate and confirmation, then deploy"),
    "stop_bot": ("Stop bot", "Stop the selected bot (stop, archive, or one controller)"),
    "backtest": ("Backtest draft", "Backtest the current draft"),
    "new_chat": ("New conversation", "Start a new chat with the assistant"),
    "refresh": ("Refresh bots", "Refresh the bots pane now"),
    "kill_switch": ("Kill switch", "Stop every bot on the server, then verify"),
    "request_quit": ("Quit", "Quit tradeagent (asks if work is in flight)"),
}


def binding_ids() -> set[str]:
    return {binding.id for binding in APP_BINDINGS if binding.id}
