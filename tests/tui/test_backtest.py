"""Backtesting the draft from the app: ctrl+b / b, results in the preview and on a full screen,
the options dialog, stale results, cancel and supersede, failures that lose nothing."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from backtest_helpers import (
    backtest,
    engine_result,
    panel,
    shown,
    silent_server,
    stop_clocks,
    template_config,
    until,
)
from strategy_helpers import example, pane, propose, settle
from textual.widgets import DataTable, Input, Select

from tradeagent.backtest.sources import CandleRequest, SyntheticSource
from tradeagent.desk import GateMode, Verdict, find_backtest
from tradeagent.desk.gate import gate_checks
from tradeagent.settings import Settings
from tradeagent.strategy import config_hash
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.backtest_options import BacktestOptions
from tradeagent.tui.backtest_render import signed
from tradeagent.tui.draft import Draft
from tradeagent.tui.screens.backtest_options import BacktestOptionsScreen
from tradeagent.tui.screens.backtest_results import LEDGER_ROWS, BacktestResultsScreen
from tradeagent.tui.widgets.backtest_report import BacktestReport

AppFactory = Callable[..., TradeAgentApp]
SIZE = (160, 45)


def manual(settings: Settings) -> Settings:
    """Proposals are not backtested on arrival: each test presses the key itself."""
    return settings.model_copy(
        update={"ai": settings.ai.model_copy(update={"auto_backtest": False})}
    )


async def test_ctrl_b_backtests_a_template_draft_with_the_engines_numbers(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    config = template_config()
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        await propose(pilot, config, "template:rsi_style")
        assert "b runs it: 30 d synthetic · Hummingbot-compatible mode" in shown(
            app, "#backtest-idle"
        )
        await backtest(pilot)
        outcome = app.backtests.outcome
        assert outcome is not None
        direct = engine_result(config)
        assert outcome.result.summary == direct.summary
        assert outcome.result.ledger.records() == direct.ledger.records()
        assert outcome.config_hash == config_hash(config)
        assert outcome.result.window.source == "synthetic"
        assert outcome.result.window.end == direct.window.end
        rule = shown(app, "#backtest-rule")
        assert rule.startswith("── Backtest · Hummingbot-compatible mode · 30 d synthetic · 0.04 s")
        s = direct.summary
        headline = shown(app, "#backtest-headline")
        assert headline.startswith(f"net {signed(s['net_pnl_quote'])} (")
        assert f"· {s['total_positions']:,} pos ·" in headline
        assert f"PF {s['profit_factor']:.2f}" in headline
        table = shown(app, "#backtest-summary")
        assert "Hummingbot's: mean/std of the cumulative PnL level" in table
        assert f"{s['total_executors']:,} · {s['total_positions']:,} with a position" in table
        for close_type, count in s["close_types"].items():
            assert f"{close_type} {count:,}" in table
        assert "synthetic (seed 7) · BTC-USD · 1m" in table
        assert not app.query_one("#backtest-idle").display
        assert not app.query_one("#backtest-progress").display


async def test_b_in_the_preview_and_realistic_mode_from_the_options_dialog(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    config = example("bollinger_v1")
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        await propose(pilot, config)
        await pilot.press("f3")
        await pilot.press("B")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BacktestOptionsScreen)
        dialog.query_one("#bt-mode", Select).value = "realistic"
        dialog.query_one("#bt-days", Input).value = "7"
        await pilot.pause()
        await backtest(pilot, "enter")
        outcome = app.backtests.outcome
        assert outcome is not None and outcome.result.mode == "realistic"
        assert outcome.result.summary == engine_result(config, mode="realistic", days=7).summary
        rule = shown(app, "#backtest-rule")
        assert "realistic mode (not comparable with Hummingbot)" in rule
        assert "7 d synthetic" in rule
        assert "annualised, from per-row changes" in shown(app, "#backtest-summary")
        # The options stay for the session: b runs the same again.
        await backtest(pilot, "b")
        assert app.backtests.outcome is not outcome
        assert app.backtests.outcome is not None
        assert app.backtests.outcome.result.summary == outcome.result.summary


async def test_results_go_stale_when_the_draft_changes_and_fresh_when_it_comes_back(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    config = example("bollinger_v1")
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        await propose(pilot, config)
        await backtest(pilot)
        report = app.query_one(BacktestReport)
        assert not panel(app).stale and not report.has_class("-stale")
        await propose(pilot, example("bollinger_v1", stop_loss=0.01))
        assert panel(app).stale
        assert report.has_class("-stale")
        assert app.query_one("#backtest-stale-note").display
        assert "STALE" in shown(app, "#backtest-rule")
        # Not hidden: the old numbers are still there, marked.
        assert app.query_one("#backtest-headline").display
        assert app.backtests.outcome is not None
        await propose(pilot, config)
        assert not panel(app).stale
        assert not app.query_one("#backtest-stale-note").display


async def test_ctrl_b_is_greyed_out_without_a_valid_draft(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    async with app.run_test(size=SIZE) as pilot:
        assert app.check_action("backtest", ()) is None
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert app.backtests.outcome is None and not app.backtests.running
        broken = "id: x\ncontroller_name: bollinger_v1\nleverage: 0\n"
        pane(app).draft = Draft.from_text(broken, "editor")
        await pilot.pause()
        assert app.check_action("backtest", ()) is None
        # Reached anyway (palette, a script): it says why and what to do.
        app.backtests.start(pane(app).draft)
        await settle(pilot)
        status = shown(app, "#backtest-status")
        assert "The draft cannot be backtested" in status
        assert "It has 1 problem (listed above the YAML)" in status
        assert "Fix it (e edits the YAML), then press ctrl+b again" in status


async def test_an_unsupported_controller_says_what_runs_and_keeps_earlier_results(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        await propose(pilot, example("bollinger_v1"))
        await backtest(pilot)
        earlier = app.backtests.outcome
        await propose(pilot, example("grid_strike"))
        await backtest(pilot)
        status = shown(app, "#backtest-status")
        assert "✘ Backtest" in status
        assert "grid_strike cannot be backtested here yet; supported controllers:" in status
        assert "Pick a supported controller" in status
        assert app.backtests.outcome is earlier
        assert app.query_one(BacktestReport).has_class("-stale")
        assert pane(app).draft is not None and pane(app).draft.valid
        # Back to the config that ran: the failure was about another one, the results are fresh.
        await propose(pilot, example("bollinger_v1"))
        assert not app.query_one("#backtest-status").display
        assert not app.query_one(BacktestReport).has_class("-stale")


async def test_a_bad_candle_file_is_explained_and_the_options_can_be_fixed(
    app_factory: AppFactory, settings: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "candles.csv.gz"
    bad.write_bytes(gzip.compress(b"time,price\n1,2\n"))
    app = app_factory(manual(settings))
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "B")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#bt-source", Select).value = "file"
        await pilot.pause()
        dialog.query_one("#bt-file", Input).value = str(tmp_path / "missing.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # refused in the form, what was typed is kept
        assert "is not a file" in shown(app, "#bt-error")
        dialog.query_one("#bt-file", Input).value = str(bad)
        await backtest(pilot, "enter")
        assert not isinstance(app.screen, BacktestOptionsScreen)
        status = shown(app, "#backtest-status")
        assert "✘ Backtest" in status and "file candles.csv.gz" in status
        assert "Check the file, or choose another with B" in status
        assert app.backtests.outcome is None
        assert app.backtests.options.source == "file"


async def test_the_options_dialog_names_a_bad_value_and_esc_changes_nothing(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    async with app.run_test(size=SIZE) as pilot:
        before = app.backtests.options
        await pilot.press("f3", "B")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#bt-days", Input).value = "-3"
        await pilot.press("enter")
        await pilot.pause()
        assert "Days must be more than 0" in shown(app, "#bt-error")
        dialog.query_one("#bt-days", Input).value = "3"
        dialog.query_one("#bt-end", Input).value = "2025-02-01"
        await pilot.press("enter")
        await pilot.pause()
        assert "End needs a start date" in shown(app, "#bt-error")
        await pilot.press("escape")
        await pilot.pause()
        assert app.backtests.options == before


async def test_a_new_draft_supersedes_a_running_backtest_and_esc_cancels_one(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    async with silent_server() as url, app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        app.backtests.hyperliquid_url = url
        app.backtests.set_options(BacktestOptions(source="hyperliquid"))
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "ctrl+b")
        await until(pilot, lambda: "fetching hyperliquid candles" in shown(app, "#backtest-status"))
        assert app.backtests.running
        assert app.query_one("#backtest-progress").display
        assert app.work_in_flight() == ["backtest of bb_btc_hl"]
        await propose(pilot, example("bollinger_v1", stop_loss=0.01))
        await settle(pilot)
        assert not app.backtests.running
        status = shown(app, "#backtest-status")
        assert "■ Backtest" in status and "Superseded: the draft changed" in status
        assert app.backtests.outcome is None
        await pilot.press("ctrl+b")
        await until(pilot, lambda: app.backtests.running)
        await pilot.press("escape")
        await settle(pilot)
        assert not app.backtests.running
        assert "Cancelled." in shown(app, "#backtest-status")
        assert app.work_in_flight() == []


async def test_enter_opens_the_full_results_with_the_executor_ledger(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    config = example("bollinger_v1")
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        await propose(pilot, config)
        await pilot.press("f3")
        assert app.check_action("backtest_results", ()) is False
        await backtest(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BacktestResultsScreen)
        table = screen.query_one("#ledger", DataTable)
        ledger = engine_result(config).ledger
        assert table.row_count == min(len(ledger), LEDGER_ROWS)
        first = ledger.records()[0]
        assert table.get_row_at(0)[2] == first["side"]
        assert table.get_row_at(0)[4] == first["close_type"]
        assert screen.query_one("#ledger-pane").border_title == f"Executors · {len(ledger):,}"
        assert screen.query_one(BacktestReport).side_by_side  # 160 columns: room for both
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BacktestResultsScreen)


@pytest.mark.parametrize("auto", [True, False])
async def test_the_assistants_proposal_is_backtested_on_arrival_with_auto_backtest(
    app_factory: AppFactory, settings: Settings, auto: bool
) -> None:
    ai = settings.ai.model_copy(update={"auto_backtest": auto})
    app = app_factory(settings.model_copy(update={"ai": ai}))  # the offline assistant
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        app.query_one("#prompt", Input).value = "mean reversion on BTC perp, $300, stop 2%"
        await pilot.press("enter")
        await until(pilot, lambda: app.draft is not None)
        await settle(pilot)
        draft = app.draft
        assert draft is not None and draft.valid and draft.source == "offline assistant"
        if not auto:
            assert app.backtests.outcome is None
            return
        await until(pilot, lambda: app.backtests.outcome is not None)
        outcome = app.backtests.outcome
        assert outcome is not None and outcome.config_hash == draft.config_hash
        assert outcome.result.summary == engine_result(draft.config).summary  # type: ignore[arg-type]


async def test_palette_lists_the_backtest_entries_that_apply(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Backtest: options…" in titles
        assert "Backtest: full results" not in titles
        assert not any(title.startswith("Backtest draft") for title in titles)
        await propose(pilot, example("bollinger_v1"))
        await backtest(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Backtest draft (ctrl+b)" in titles
        assert "Backtest: full results" in titles


def test_the_app_starts_without_the_engine_numpy_httpx_or_charts() -> None:
    """The first frame waits on imports: what the first screen does not draw loads later."""
    probe = (
        "import sys\n"
        "import tradeagent.tui.app\n"
        "heavy = [m for m in ('numpy', 'tradeagent.backtest', 'tradeagent.desk.backtesting',\n"
        "                     'httpx', 'tradeagent.hb.client', 'anthropic', 'tradeagent.sim',\n"
        "                     'plotext', 'textual_plotext', 'fastapi')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "HEAVY=\n" in result.stdout, result.stdout


async def test_the_connected_hummingbot_api_is_a_candle_source(
    app_factory: AppFactory, settings: Settings
) -> None:
    offline = BacktestOptionsScreen(BacktestOptions(), hummingbot_connected=False)
    assert "hummingbot" not in [value for _, value in offline.sources]
    app = app_factory(manual(settings))  # no hummingbot.url: the in-process simulator
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        await until(pilot, lambda: app.fleet.connected)
        await propose(pilot, example("bollinger_v1"))
        await pilot.press("f3", "B")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BacktestOptionsScreen)
        assert "hummingbot" in [value for _, value in dialog.sources]
        dialog.query_one("#bt-source", Select).value = "hummingbot"
        dialog.query_one("#bt-days", Input).value = "1"
        await pilot.pause()
        await backtest(pilot, "enter")
        outcome = app.backtests.outcome
        assert outcome is not None, shown(app, "#backtest-status")
        window = outcome.result.window
        assert (window.source, window.detail) == ("hummingbot", "http://simulator")
        assert window.candles == window.expected == 1440
        assert "1 d hummingbot" in shown(app, "#backtest-rule")
        assert "hummingbot (http://simulator) · BTC-USD · 1m" in shown(app, "#backtest-summary")


async def test_each_backtest_is_journalled_by_config_hash_for_the_deploy_gate(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    config = example("bollinger_v1")
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        journal = app.journal
        assert journal is not None
        digest = config_hash(config)
        checks, _ = gate_checks(journal, [("bb", digest)], GateMode.REQUIRED, live=True)
        assert checks[0].verdict is Verdict.FAIL
        await propose(pilot, config)
        await backtest(pilot)
        summary = engine_result(config).summary
        entries = journal.entries(kind="backtest", config_hash=digest)
        assert len(entries) == 1
        payload = entries[0].payload
        assert payload["mode"] == "hummingbot"
        assert payload["results"]["net_pnl_quote"] == summary["net_pnl_quote"]
        assert payload["window"]["source"] == "synthetic"
        assert payload["window"]["candles"] == 43_200
        evidence = find_backtest(journal, digest)
        assert evidence is not None and evidence.positions == summary["total_positions"]
        assert evidence.days == pytest.approx(30, abs=0.01)
        checks, _ = gate_checks(journal, [("bb", digest)], GateMode.REQUIRED, live=True)
        # Covered: it passes, with a warning when the run lost money.
        lost = summary["net_pnl_quote"] < 0
        assert checks[0].verdict is (Verdict.ADVISORY if lost else Verdict.PASS)
        assert "this exact config" in checks[0].detail
        assert not app.query_one("#backtest-journal").display
        # A changed config is another hash: not covered until it is backtested too.
        other = config_hash(example("bollinger_v1", stop_loss=0.01))
        assert find_backtest(journal, other) is None


async def test_a_journal_that_cannot_be_written_is_said_and_the_results_stay(
    app_factory: AppFactory, settings: Settings
) -> None:
    app = app_factory(manual(settings))
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        assert app.journal is not None
        app.journal.close()  # as if the disk went away
        await propose(pilot, example("bollinger_v1"))
        await backtest(pilot)
        assert app.backtests.outcome is not None
        note = shown(app, "#backtest-journal")
        assert note.startswith("Not journalled (Cannot write to the journal at ")
        assert "the deploy gate will not see this backtest" in note
        assert app.query_one("#backtest-headline").display


async def test_short_and_gappy_candles_are_flagged_above_the_numbers(
    app_factory: AppFactory, settings: Settings, tmp_path: Path
) -> None:
    start = 1_735_689_600  # 2025-01-01 00:00 UTC
    end = start + 2 * 86_400 - 60
    request = CandleRequest("hyperliquid_perpetual", "BTC-USD", "1m", start, end)
    candles = SyntheticSource(7).candles(request)
    hole = (candles.timestamp >= start + 3600) & (candles.timestamp < start + 4 * 3600)
    rows = ["timestamp,open,high,low,close,volume"]
    for i in range(len(candles)):
        if not hole[i]:
            rows.append(
                f"{candles.timestamp[i]},{candles.open[i]},{candles.high[i]},"
                f"{candles.low[i]},{candles.close[i]},{candles.volume[i]}"
            )
    path = tmp_path / "btc.csv"
    path.write_text("\n".join(rows) + "\n")
    app = app_factory(manual(settings))
    async with app.run_test(size=SIZE) as pilot:
        stop_clocks(app)
        app.backtests.set_options(
            BacktestOptions(source="file", path=path, start="2025-01-01", end="2025-01-03")
        )
        await propose(pilot, example("bollinger_v1"))
        await backtest(pilot)
        outcome = app.backtests.outcome
        assert outcome is not None
        warnings = shown(app, "#backtest-warnings")
        assert "⚠ covers only 2.0 of 3.0 days asked" in warnings
        assert "⚠ 1 gap(s) in the candles, 180 missing 1m candle(s)" in warnings
        assert "too few to trust the statistics" in warnings
        assert app.query_one("#backtest-warnings").display
        assert "file (" in shown(app, "#backtest-summary")
        assert "2,700 of 4,320 candles" in shown(app, "#backtest-summary")
