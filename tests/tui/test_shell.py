"""The app shell under Pilot: panes, focus keys, help, palette, quit, keymap, small terminals."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

from textual.widgets import Input

from tradeagent.settings import load_settings
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.help import HelpScreen
from tradeagent.tui.widgets.header import StatusHeader

AppFactory = Callable[..., TradeAgentApp]


def pane_of(app: TradeAgentApp) -> str | None:
    """Id of the pane that contains the focused widget."""
    focused = app.focused
    while focused is not None:
        if focused.id in {"chat-pane", "strategy-pane", "bots-pane"}:
            return focused.id
        focused = focused.parent  # type: ignore[assignment]
    return None


async def test_wide_layout_has_three_panes_side_by_side(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        chat = app.query_one("#chat-pane").region
        strategy = app.query_one("#strategy-pane").region
        bots = app.query_one("#bots-pane").region
        assert chat.right <= strategy.x  # chat on the left
        assert strategy.bottom <= bots.y  # strategy above bots
        assert strategy.x == bots.x
        assert not app.query_one("#pane-tabs").display
        assert isinstance(app.focused, Input)
        header = app.query_one(StatusHeader)
        assert header.mode == "SIM"
        assert header.model == "offline assistant"


async def test_function_keys_focus_each_pane(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert pane_of(app) == "chat-pane"
        await pilot.press("f3")
        assert pane_of(app) == "strategy-pane"
        await pilot.press("f4")
        assert pane_of(app) == "bots-pane"
        assert app.focused is not None and app.focused.id == "bots-table"
        await pilot.press("f2")
        assert pane_of(app) == "chat-pane"
        # Typing in the chat input does not lose the priority keys.
        await pilot.press("h", "i", "f4")
        assert pane_of(app) == "bots-pane"


async def test_tab_cycles_through_the_panes(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        seen = []
        for _ in range(6):
            seen.append(pane_of(app))
            await pilot.press("tab")
        assert {"chat-pane", "strategy-pane", "bots-pane"} <= set(seen)


async def test_help_lists_every_app_binding_with_its_id(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows()
        ids = {row[3] for row in rows}
        assert {"help", "palette", "focus-chat", "deploy", "stop", "kill-switch", "quit"} <= ids
        keys = {row[3]: row[1] for row in rows}
        assert keys["help"] == "f1, ?"
        assert keys["deploy"] == "ctrl+g"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_question_mark_types_in_chat_but_opens_help_elsewhere(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.query_one("#prompt", Input).value == "?"
        await pilot.press("f4", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_palette_runs_an_app_action(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"focus bots")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert pane_of(app) == "bots-pane"


async def test_quit_without_work_exits_at_once(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_quit_asks_when_work_is_in_flight(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        release = asyncio.Event()

        async def busy() -> None:
            await release.wait()

        app.run_worker(busy(), group="deploy", description="deploying btc_bb")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "deploying btc_bb" in str(app.screen.query_one("#confirm-body").render())
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
        release.set()


async def test_keymap_override_moves_a_binding(app_factory: AppFactory) -> None:
    os.environ["TRADEAGENT_UI__KEYMAP"] = '{"focus-bots": "f6", "help": "f10"}'
    app = app_factory(load_settings().settings)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f4")
        assert pane_of(app) == "chat-pane"  # the old key no longer focuses bots
        await pilot.press("f6")
        assert pane_of(app) == "bots-pane"
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {row[3]: row[1] for row in app.screen.rows()}
        assert keys["focus-bots"] == "f6"
        assert keys["help"] == "f10"


async def test_unknown_keymap_id_is_reported_not_fatal(app_factory: AppFactory) -> None:
    os.environ["TRADEAGENT_UI__KEYMAP"] = '{"deploy-everything": "f6"}'
    app = app_factory(load_settings().settings)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert app.keymap_problems
        assert "deploy-everything" in app.keymap_problems[0]
        assert any("deploy-everything" in n.message for n in app._notifications)


async def test_tiny_terminal_uses_tabs_and_keeps_every_pane_reachable(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.narrow
        assert app.query_one("#pane-tabs").display
        assert app.query_one("#chat-pane").display
        assert not app.query_one("#right").display
        for key, pane in (("f3", "strategy-pane"), ("f4", "bots-pane"), ("f2", "chat-pane")):
            await pilot.press(key)
            await pilot.pause()
            assert pane_of(app) == pane
            visible = app.query_one(f"#{pane}")
            assert visible.display
            assert visible.region.width >= 78  # the active pane takes the full width
        line = str(app.query_one(StatusHeader).render())
        assert len(line) <= 80 and " SIM " in line and " ● " in line


async def test_resizing_switches_between_layouts(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert not app.narrow
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert app.narrow
        await pilot.resize_terminal(160, 45)
        await pilot.pause(0.1)
        assert not app.narrow
        assert app.query_one("#bots-pane").display


async def test_the_header_gives_way_piece_by_piece_and_keeps_the_totals(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        header = app.query_one(StatusHeader)
        header.model = "claude-sonnet-5-5 · effort low"
        header.totals = "12 bots · PnL +1,234.56 · vol 1.23M"
        header.connection = "connected 14:24:20"
        for width, shown, gone in (
            (160, ["tradeagent", "in-process simulator", "claude-sonnet"], []),
            (104, ["tradeagent", "in-process simulator"], ["claude-sonnet"]),
            (84, ["tradeagent", "connected"], ["in-process simulator"]),
            (60, ["SIM", "●"], ["tradeagent", "connected"]),
        ):
            await pilot.resize_terminal(width, 45)
            await pilot.pause(0.1)
            line = str(header.render())
            assert line.rstrip().endswith("12 bots · PnL +1,234.56 · vol 1.23M"), (width, line)
            assert len(line) <= width
            assert all(piece in line for piece in shown), (width, line)
            assert not any(piece in line for piece in gone), (width, line)
