"""The strategy preview under Pilot: proposals, live validation, templates, diff, files, $EDITOR."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

from strategy_helpers import enter_path, example, pane, propose, replace_line, settle, text_of
from textual.widgets import Input, OptionList, TextArea

from tradeagent.strategy import PositionMode, dump_yaml
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.diff import DiffScreen
from tradeagent.tui.screens.path_prompt import PathPrompt
from tradeagent.tui.screens.templates import TemplateScreen

AppFactory = Callable[..., TradeAgentApp]
SIZE = (160, 45)


async def test_proposal_becomes_the_draft_with_summary_money_and_verdicts(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        assert app.draft is None
        config = example("bollinger_v1")
        await propose(pilot, config)
        assert app.draft is not None and app.draft.valid
        assert app.draft.config == config
        assert app.draft.source == "assistant"
        strategy = pane(app)
        assert strategy.border_title == (
            "Strategy · bollinger_v1 · BTC-USD · hyperliquid_perpetual · ✔ valid"
        )
        summary = text_of(app, "#strategy-summary")
        assert summary.startswith("Bollinger mean-reversion on BTC-USD perpetual (Hyperliquid)")
        assert "stop 2% · take profit 3% · 6 h limit" in summary
        assert "worst case if all stop out −$8.00" in text_of(app, "#strategy-money")
        verdicts = text_of(app, "#strategy-verdicts")
        assert "⚠ no drawdown caps yet (required to deploy) → choose" in verdicts
        assert "id: bb_btc_hl" in app.draft.text
        assert not app.query_one("#strategy-empty").display


async def test_blocking_findings_are_shown_with_their_fix(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1", leverage=10, position_mode="HEDGE"))
        assert pane(app).border_title.endswith("⚠ 2 blocking")
        verdicts = text_of(app, "#strategy-verdicts")
        assert "✘ leverage: 10x is above the policy maximum of 5x → set leverage to 5" in verdicts
        assert "✘ position_mode: Hyperliquid supports ONEWAY only" in verdicts
        assert app.draft is not None and app.draft.valid  # valid config, blocked by risk


async def test_invalid_edit_shows_precise_problems_and_loses_nothing(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "e")
        assert isinstance(app.focused, TextArea)
        await replace_line(pilot, "stop_loss:", "stop_loss: -0.02")
        assert app.draft is not None and not app.draft.valid
        assert "stop_loss: -0.02" in app.draft.text  # the edit is kept as typed
        problems = text_of(app, "#strategy-problems")
        assert "line 9" in problems
        assert "stop_loss = -0.02  must be > 0  (allowed: > 0)" in problems
        assert pane(app).border_title == "Strategy · ✘ 1 problem"
        await replace_line(pilot, "stop_loss:", "stop_loss: 0.01")
        assert app.draft.valid and str(app.draft.config.stop_loss) == "0.01"  # type: ignore[union-attr]
        await pilot.press("escape")
        await pilot.pause()
        assert not pane(app).editing
        assert app.draft.version == 2  # the edit became a version
        assert "stop_loss: 0.01" in app.draft.text


async def test_unknown_key_typed_in_the_editor_is_refused_with_a_suggestion(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("pmm_simple"))
        await pilot.press("f3", "e")
        await replace_line(pilot, "skip_rebalance:", "skip_rebalanse: true")
        problems = text_of(app, "#strategy-problems")
        assert "did you mean skip_rebalance?" in problems
        assert "Hummingbot refuses to start" in problems


async def test_edit_without_a_draft_starts_from_a_skeleton(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "e")
        await pilot.press("escape")
        await pilot.pause()
        assert app.draft is not None and app.draft.valid
        assert app.draft.config.controller_name == "bollinger_v1"  # type: ignore[union-attr]


async def test_diff_against_the_previous_version(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3")
        assert pane(app).check_action("diff", ()) is None  # nothing to compare with yet
        await propose(pilot, example("bollinger_v1", stop_loss=0.01), source="template:x")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DiffScreen)
        diff = app.screen.diff_text()
        assert "-stop_loss: 0.02" in diff
        assert "+stop_loss: 0.01" in diff
        assert "version 1 (assistant)" in diff
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DiffScreen)


async def test_template_picker_makes_a_draft(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "t")
        await pilot.pause()
        assert isinstance(app.screen, TemplateScreen)
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "enter")  # the second template: market making
        await pilot.pause()
        assert app.focused is app.screen.query_one("#template-connector", Input)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, TemplateScreen)
        assert app.draft is not None and app.draft.valid
        assert app.draft.source == "template:market_making"
        config = app.draft.config
        assert config is not None and config.controller_name == "pmm_simple"
        assert config.position_mode is PositionMode.ONEWAY  # type: ignore[union-attr]
        assert config.connector == "hyperliquid_perpetual" and config.pair == "BTC-USD"


async def test_template_picker_explains_bad_input_and_stays_open(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "t")
        await pilot.pause()
        amount = app.screen.query_one("#template-amount", Input)
        amount.focus()
        await pilot.press("ctrl+u", *"lots", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TemplateScreen)
        assert "amount must be a number like 500, not 'lots'" in str(
            app.screen.query_one("#template-error").content  # type: ignore[attr-defined]
        )
        pair = app.screen.query_one("#template-pair", Input)
        pair.focus()
        await pilot.press("ctrl+u", *"BTCUSD")
        amount.focus()
        await pilot.press("ctrl+u", *"500", "enter")
        await pilot.pause()
        error = str(app.screen.query_one("#template-error").content)  # type: ignore[attr-defined]
        assert "trading_pair = 'BTCUSD': must be BASE-QUOTE" in error
        await pilot.press("escape")
        await pilot.pause()
        assert app.draft is None


async def test_palette_offers_the_templates(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Template: Aggressive")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TemplateScreen)
        about = str(app.screen.query_one("#template-about").content)  # type: ignore[attr-defined]
        assert "Aggressive scalping" in about


async def test_save_then_open(app_factory: AppFactory, tmp_path: Path) -> None:
    app = app_factory()
    target = tmp_path / "bb_btc_hl.yml"
    other = tmp_path / "pmm.yml"
    other.write_text(dump_yaml(example("pmm_simple")), encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        config = example("bollinger_v1")
        await propose(pilot, config)
        await pilot.press("f3", "s")
        await pilot.pause()
        assert isinstance(app.screen, PathPrompt)
        await enter_path(pilot, target)
        assert target.read_text(encoding="utf-8") == dump_yaml(config)
        assert app.draft is not None and app.draft.path == target
        assert str(target) in text_of(app, "#strategy-rule")

        await pilot.press("o")
        await pilot.pause()
        await enter_path(pilot, other)
        assert app.draft.source == "file" and app.draft.path == other
        assert app.draft.config == example("pmm_simple")


async def test_save_asks_before_overwriting_another_file(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory()
    existing = tmp_path / "keep.yml"
    existing.write_text("precious", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "s")
        await pilot.pause()
        await enter_path(pilot, existing)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert existing.read_text(encoding="utf-8") == "precious"


async def test_opening_a_bad_file_shows_its_text_and_problems(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory()
    bad = tmp_path / "bad.yml"
    bad.write_text("id: bad id\ncontroller_name: bollinger_v1\nleverage: many\n", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "o")
        await pilot.pause()
        await enter_path(pilot, bad)
        assert app.draft is not None and not app.draft.valid
        assert app.draft.text == bad.read_text(encoding="utf-8")  # nothing lost
        problems = text_of(app, "#strategy-problems")
        assert "line 1" in problems and "id = 'bad id'" in problems
        assert "line 3" in problems and "leverage = 'many'" in problems
        # The good proposal is still one key away.
        await pilot.press("d")
        await pilot.pause()
        assert "+leverage: many" in app.screen.diff_text()  # type: ignore[attr-defined]


async def test_opening_a_missing_file_keeps_the_draft(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        config = example("bollinger_v1")
        await propose(pilot, config)
        await pilot.press("f3", "o")
        await pilot.pause()
        await enter_path(pilot, tmp_path / "nope.yml")
        assert app.draft is not None and app.draft.config == config
        assert any("does not exist" in n.message for n in app._notifications)


async def test_command_line_file_is_loaded_at_start(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    good = tmp_path / "grid.yml"
    good.write_text(dump_yaml(example("grid_strike")), encoding="utf-8")
    app = app_factory(draft_path=good)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.draft is not None and app.draft.valid and app.draft.path == good
        assert pane(app).border_title.startswith("Strategy · grid_strike · ETH-USD")


async def test_command_line_bad_file_is_shown_not_lost(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    bad = tmp_path / "typo.yml"
    bad.write_text("id: x\ncontroller_name: pmm_simple\nbuy_spreads: [0.01, oops]\n", "utf-8")
    app = app_factory(draft_path=bad)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.draft is not None and app.draft.text == bad.read_text(encoding="utf-8")
        assert "buy_spreads[1] = 'oops'" in text_of(app, "#strategy-problems")
        assert "buy_spreads: [0.01, oops]" in text_of(app, "#strategy-rule") + app.draft.text


async def test_external_editor_round_trip(app_factory: AppFactory, tmp_path: Path) -> None:
    script = tmp_path / "fake-editor"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('stop_loss: 0.02', 'stop_loss: 0.015'))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    os.environ.pop("VISUAL", None)  # it would win over $EDITOR
    os.environ["EDITOR"] = str(script)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "E")
        await pilot.pause()
        assert app.draft is not None and app.draft.source == "$EDITOR"
        assert str(app.draft.config.stop_loss) == "0.015"  # type: ignore[union-attr]


async def test_missing_editor_is_explained(app_factory: AppFactory) -> None:
    os.environ.pop("VISUAL", None)
    os.environ["EDITOR"] = "/nonexistent/editor"
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "E")
        await pilot.pause()
        assert any("Set $EDITOR" in n.message for n in app._notifications)
        assert app.draft is not None and app.draft.source == "assistant"


async def test_the_editor_highlights_yaml(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "e")
        await pilot.pause()
        editor = app.query_one("#strategy-editor", TextArea)
        assert editor.is_syntax_aware
        row = app.draft.text.splitlines().index("controller_name: bollinger_v1")  # type: ignore[union-attr]
        colours = {
            segment.text: segment.style.color
            for segment in editor.render_line(row)
            if segment.text in ("controller_name", "bollinger_v1") and segment.style
        }
        assert len(colours) == 2 and colours["controller_name"] != colours["bollinger_v1"]
