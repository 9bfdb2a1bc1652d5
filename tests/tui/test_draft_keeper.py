"""The preview's draft survives a restart: kept in draft.yml in the data dir, valid or not."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from strategy_helpers import example, pane, propose, settle, text_of

from tradeagent.settings import Settings
from tradeagent.strategy import dump_yaml
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.draft_keeper import DRAFT_FILE

AppFactory = Callable[..., TradeAgentApp]
SIZE = (160, 45)


def kept(settings: Settings) -> Path:
    return settings.data_dir / DRAFT_FILE


async def test_the_draft_comes_back_after_a_restart(
    app_factory: AppFactory, settings: Settings
) -> None:
    config = example("bollinger_v1", stop_loss=0.015)
    first = app_factory()
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await propose(pilot, config)
        assert first.draft is not None
        text = first.draft.text
    assert kept(settings).read_text(encoding="utf-8") == text  # written when the app ended

    again = app_factory()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.draft is not None and again.draft.valid
        assert again.draft.config == config and again.draft.text == text
        assert again.draft.source == "last session" and again.draft.path is None
        assert pane(again).border_title.startswith("Strategy · bollinger_v1 · BTC-USD")


async def test_the_draft_is_written_soon_after_it_changes(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await propose(pilot, example("pmm_simple"))
        assert app.draft is not None
        for _ in range(100):  # a crash after this moment loses nothing
            if kept(settings).exists():
                break
            await asyncio.sleep(0.05)
        assert kept(settings).read_text(encoding="utf-8") == app.draft.text


async def test_an_invalid_kept_draft_comes_back_with_its_problems(
    app_factory: AppFactory, settings: Settings
) -> None:
    text = "id: x\ncontroller_name: pmm_simple\nbuy_spreads: [0.01, oops]\n"
    kept(settings).parent.mkdir(parents=True, exist_ok=True)
    kept(settings).write_text(text, encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.draft is not None and not app.draft.valid and app.draft.text == text
        assert "buy_spreads[1] = 'oops'" in text_of(app, "#strategy-problems")
    assert kept(settings).read_text(encoding="utf-8") == text  # nothing lost either way


async def test_a_file_on_the_command_line_wins_over_the_kept_draft(
    app_factory: AppFactory, settings: Settings, tmp_path: Path
) -> None:
    kept(settings).parent.mkdir(parents=True, exist_ok=True)
    kept(settings).write_text(dump_yaml(example("pmm_simple")), encoding="utf-8")
    opened = tmp_path / "grid.yml"
    opened.write_text(dump_yaml(example("grid_strike")), encoding="utf-8")
    app = app_factory(draft_path=opened)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.draft is not None and app.draft.path == opened
        assert app.draft.config == example("grid_strike")


async def test_an_unreadable_kept_draft_is_said_and_the_app_starts_empty(
    app_factory: AppFactory, settings: Settings
) -> None:
    kept(settings).parent.mkdir(parents=True, exist_ok=True)
    kept(settings).write_bytes(b"\xff\xfe\x00binary")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.draft is None
        messages = [n.message for n in app._notifications]
        assert any("not restored" in m and "not UTF-8" in m for m in messages), messages
