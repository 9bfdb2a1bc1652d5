"""Shared steps for the strategy preview tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea
from textual.widgets.text_area import Selection

from tradeagent.strategy import ControllerConfig, parse_config
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.messages import StrategyProposed
from tradeagent.tui.widgets.strategy_pane import StrategyPane

EXAMPLES = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "controller-schemas.json").read_text(
        encoding="utf-8"
    )
)["controllers"]


def example(name: str, **changes: Any) -> ControllerConfig:
    return parse_config({**copy.deepcopy(EXAMPLES[name]["example_config"]), **changes})


def text_of(app: TradeAgentApp, selector: str) -> str:
    return str(app.query_one(selector, Static).content)


def pane(app: TradeAgentApp) -> StrategyPane:
    return app.query_one(StrategyPane)


async def propose(pilot: Pilot[Any], config: ControllerConfig, source: str = "assistant") -> None:
    pilot.app.post_message(StrategyProposed(config, source))
    await pilot.pause()


async def settle(pilot: Pilot[Any]) -> None:
    # Workers may start workers (opening the simulator starts the first bots refresh).
    while any(worker.is_running for worker in pilot.app.workers):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


async def replace_line(pilot: Pilot[Any], prefix: str, new_line: str) -> None:
    """In the focused YAML editor, select the line that starts with ``prefix`` and type over it."""
    editor = pilot.app.query_one("#strategy-editor", TextArea)
    row = next(i for i, line in enumerate(editor.text.splitlines()) if line.startswith(prefix))
    editor.selection = Selection((row, 0), (row, len(editor.document.get_line(row))))
    await pilot.press(*new_line)
    await pilot.pause(0.4)  # the editor validates after a short quiet period


async def enter_path(pilot: Pilot[Any], path: Path) -> None:
    """Answer the path prompt (as a paste would) and confirm."""
    pilot.app.screen.query_one("#path-input", Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)
