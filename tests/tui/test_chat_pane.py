"""The chat pane in the real app, talking to Claude through the fake Messages API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from strategy_helpers import replace_line
from textual.message import Message
from textual.widgets import Input, Static

from fakes.anthropic_server import (
    ErrorReply,
    FakeAnthropicServer,
    Pause,
    Text,
    ToolCall,
    reply,
)
from fakes.keys import anthropic_key
from tradeagent.ai.claude import ClaudeAssistant
from tradeagent.ai.conversation import Conversation, Turn
from tradeagent.ai.tools import ToolBox
from tradeagent.desk.journal import Journal, journal_path
from tradeagent.settings import Settings
from tradeagent.tui import app as app_module
from tradeagent.tui.app import TradeAgentApp, make_app
from tradeagent.tui.chat_store import ChatStore
from tradeagent.tui.messages import StrategyProposed
from tradeagent.tui.widgets.chat_pane import SHOWN_TURNS, ChatPane
from tradeagent.tui.widgets.chat_turn import TurnView
from tradeagent.tui.widgets.reply_markdown import ReplyMarkdown

CONFIG = {
    "id": "btc_bb",
    "controller_name": "bollinger_v1",
    "connector_name": "hyperliquid_perpetual",
    "trading_pair": "BTC-USD",
    "total_amount_quote": 500,
    "leverage": 1,
    "stop_loss": 0.02,
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropicServer]:
    async with FakeAnthropicServer() as server:
        yield server


class Harness:
    def __init__(self, settings: Settings, fake: FakeAnthropicServer, home: Path) -> None:
        self.settings = settings
        self.fake = fake
        self.home = home
        self.messages: list[Message] = []

    def app(self) -> TradeAgentApp:
        assistant = ClaudeAssistant(
            api_key=anthropic_key("chat-pane"),
            model="claude-sonnet-5-5",
            max_tokens=2000,
            effort="low",
            toolbox=ToolBox(),
            base_url=self.fake.url,
            open_retries=0,
        )
        journal = Journal(journal_path(self.home), server="sim", mode="SIM")
        return make_app(self.settings, assistant=assistant, journal=journal)


@pytest.fixture
def harness(settings: Settings, fake: FakeAnthropicServer, tmp_path: Path) -> Harness:
    return Harness(settings, fake, tmp_path)


def turns(app: TradeAgentApp) -> list[TurnView]:
    return list(app.query(TurnView))


def reply_text(view: TurnView) -> str:
    return view.reply_source


def outcome(view: TurnView) -> str:
    return str(view.query(".chat-meta").last(Static).render())


async def send(pilot: Any, text: str) -> None:
    app = pilot.app
    app.query_one("#prompt", Input).value = text
    await pilot.press("enter")


async def finish(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_prompt_streams_a_reply_and_the_proposal_goes_up_as_the_draft(
    harness: Harness,
) -> None:
    harness.fake.script(
        reply(
            Text("Here is a mean-reversion plan."), ToolCall("propose_strategy", {"config": CONFIG})
        ),
        reply(Text("It is in the preview.")),
    )
    app = harness.app()
    async with app.run_test(size=(160, 45), message_hook=harness.messages.append) as pilot:
        await send(pilot, "mean reversion on BTC perp, $500, 2% stop")
        await finish(pilot)
        (view,) = turns(app)
        assert "mean reversion on BTC perp" in str(view.query(".chat-user").first(Static).render())
        assert reply_text(view) == "Here is a mean-reversion plan.It is in the preview."
        tool_lines = [str(s.render()) for s in view.query(".chat-tool").results(Static)]
        assert tool_lines == [
            "✎ proposal ready in the preview: bollinger_v1 · BTC-USD · hyperliquid_perpetual"
        ]
        # Segments keep the order things happened in: text, tool line, text.
        kinds = [
            "md" if isinstance(w, ReplyMarkdown) else "tool"
            for w in view.children
            if isinstance(w, ReplyMarkdown) or w.has_class("chat-tool")
        ]
        assert kinds == ["md", "tool", "md"]
        # One message (the hook sees it at each node it bubbles through).
        proposed = list(
            {id(m): m for m in harness.messages if isinstance(m, StrategyProposed)}.values()
        )
        assert len(proposed) == 1
        assert proposed[0].config.id == "btc_bb"
        assert proposed[0].source == "claude-sonnet-5-5"
        assert "$" in outcome(view)  # usage and cost, unobtrusively
        chat = app.query_one(ChatPane)
        assert not chat.streaming
        assert "claude-sonnet-5-5 · $" in str(chat.border_subtitle)
        # The proposal is the draft in the preview…
        await pilot.pause()
        assert app.draft is not None and app.draft.config is not None
        assert app.draft.config.id == "btc_bb"
        assert app.draft.source == "claude-sonnet-5-5"
        strategy = app.query_one("#strategy-pane")
        assert "bollinger_v1 · BTC-USD · hyperliquid_perpetual" in str(strategy.border_title)
        summary = str(app.query_one("#strategy-summary", Static).content)
        assert summary.startswith("Bollinger mean-reversion on BTC-USD perpetual (Hyperliquid)")
        # …and the next turn tells Claude about it.
        harness.fake.script(reply(Text("Noted.")))
        await send(pilot, "make the stop tighter")
        await finish(pilot)
    context = harness.fake.messages_requests[-1].json()["messages"][-1]["content"][0]["text"]
    assert "id: btc_bb" in context


async def test_escape_cuts_the_reply_at_once_and_keeps_what_arrived(harness: Harness) -> None:
    harness.fake.script(reply(Text("The first half"), complete=False, then=[Pause(60)]))
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        chat = app.query_one(ChatPane)
        await send(pilot, "explain grids")
        while "The first half" not in reply_text(turns(app)[0]):
            await pilot.pause(0.02)
        assert chat.streaming
        # The prompt is locked while streaming: typing ahead is fine, sending is not.
        await send(pilot, "another question")
        assert app.query_one("#prompt", Input).value == "another question"
        assert len(harness.fake.messages_requests) == 1
        await pilot.press("escape")
        await finish(pilot)
        assert not chat.streaming
        (view,) = turns(app)
        assert reply_text(view) == "The first half"
        assert "stopped here" in outcome(view)
        assert chat.conversation.turns[0].status == "cut"
    entries = Journal(journal_path(harness.home), server="sim", mode="SIM").entries(
        kind="chat.reply"
    )
    assert entries[-1].payload["status"] == "cut"
    assert entries[-1].payload["reply"] == "The first half"


async def test_a_failure_is_explained_and_f5_retries_it(harness: Harness) -> None:
    harness.fake.script(
        ErrorReply(529, "overloaded_error", "Overloaded"),
        reply(Text("Back in business.")),
    )
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        await send(pilot, "supertrend on SOL")
        await finish(pilot)
        (view,) = turns(app)
        assert "overloaded" in outcome(view) and "F5 retries" in outcome(view)
        await pilot.press("f5")
        await finish(pilot)
        (view,) = turns(app)
        assert reply_text(view) == "Back in business."
        assert app.query_one(ChatPane).conversation.turns[0].status == "done"
    bodies = [r.json() for r in harness.fake.messages_requests]
    assert [b["messages"][-1]["content"][1]["text"] for b in bodies] == ["supertrend on SOL"] * 2


async def test_the_conversation_is_there_after_a_restart(harness: Harness) -> None:
    harness.fake.script(reply(Text("Grids buy low and sell high in a range.")))
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        await send(pilot, "what is a grid?")
        await finish(pilot)
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        (view,) = turns(app)
        assert reply_text(view) == "Grids buy low and sell high in a range."
        assert not app.query_one("#chat-welcome").display
        # It goes on from there: the earlier turn is history for the next request.
        harness.fake.script(reply(Text("Sure.")))
        await send(pilot, "and on ETH?")
        await finish(pilot)
    history = harness.fake.messages_requests[-1].json()["messages"]
    assert history[0]["content"] == "what is a grid?"
    assert history[1]["content"] == "Grids buy low and sell high in a range."


async def test_a_reply_cut_by_a_crash_comes_back_interrupted_and_retryable(
    harness: Harness,
) -> None:
    store = ChatStore(Journal(journal_path(harness.home), server="sim", mode="SIM"))
    conversation = Conversation()
    conversation.turns.append(Turn("pmm on ETH"))
    store.prompt(conversation, 0, "claude-sonnet-5-5")
    conversation.turns[0].reply = "Pure market making quotes"
    store.partial(conversation, 0)
    # ...and the process died.
    harness.fake.script(reply(Text("Pure market making quotes both sides.")))
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        (view,) = turns(app)
        assert reply_text(view) == "Pure market making quotes"
        assert "interrupted" in outcome(view)
        await pilot.press("f5")
        await finish(pilot)
        (view,) = turns(app)
        assert reply_text(view) == "Pure market making quotes both sides."


async def test_ctrl_n_starts_a_new_conversation_and_the_palette_reopens_the_old_one(
    harness: Harness,
) -> None:
    harness.fake.script(reply(Text("First answer.")))
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        await send(pilot, "first conversation")
        await finish(pilot)
        first_id = app.query_one(ChatPane).conversation.id
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert turns(app) == []
        assert app.query_one("#chat-welcome").display
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"first conv")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        chat = app.query_one(ChatPane)
        assert chat.conversation.id == first_id
        (view,) = turns(app)
        assert reply_text(view) == "First answer."


async def test_a_pasted_secret_is_never_sent(harness: Harness) -> None:
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        secret = "use my key 0x" + "4f" * 32
        await send(pilot, secret)
        await pilot.pause()
        assert harness.fake.requests == []
        assert turns(app) == []
        assert app.query_one("#prompt", Input).value == secret
    journal = Journal(journal_path(harness.home), server="sim", mode="SIM")
    assert journal.entries(kind_prefix="chat.") == []


async def test_without_a_key_the_offline_assistant_answers_and_proposes(
    settings: Settings, tmp_path: Path
) -> None:
    messages: list[Message] = []
    journal = Journal(journal_path(tmp_path), server="sim", mode="SIM")
    app = make_app(settings, journal=journal)
    async with app.run_test(size=(160, 45), message_hook=messages.append) as pilot:
        assert app.assistant is not None and app.assistant.label == "offline assistant"
        await send(pilot, "grid on SOL between 120 and 160, $300")
        await finish(pilot)
        (view,) = turns(app)
        assert "Draft ready" in reply_text(view)
        proposed = [m for m in messages if isinstance(m, StrategyProposed)]
        assert proposed and proposed[0].config.controller_name == "grid_strike"
        assert proposed[0].source == "offline assistant"


class BacktestRecordingApp(TradeAgentApp):
    """The real app, with a backtest action that records instead of running."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))
    backtest_presses: int = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True if action == "backtest" else super().check_action(action, parameters)

    def action_backtest(self) -> None:
        self.backtest_presses += 1


@pytest.mark.parametrize("auto", [True, False])
async def test_a_proposal_is_backtested_at_once_when_the_setting_is_on(
    settings: Settings, tmp_path: Path, auto: bool
) -> None:
    ai = settings.ai.model_copy(update={"auto_backtest": auto})
    chosen = settings.model_copy(update={"ai": ai})
    journal = Journal(journal_path(tmp_path), server="sim", mode="SIM")
    base = make_app(chosen, journal=journal)
    app = BacktestRecordingApp(chosen, assistant=base.assistant, journal=journal)
    async with app.run_test(size=(160, 45)) as pilot:
        await send(pilot, "mean reversion on BTC, $300, stop 2%")
        await finish(pilot)
        await pilot.pause(0.1)
        assert app.backtest_presses == (1 if auto else 0)


async def test_a_long_conversation_shows_its_last_turns_and_keeps_them_all(
    harness: Harness,
) -> None:
    store = ChatStore(Journal(journal_path(harness.home), server="sim", mode="SIM"))
    conversation = Conversation()
    for index in range(25):
        conversation.turns.append(Turn(f"question {index}"))
        store.prompt(conversation, index, "claude-sonnet-5-5")
        conversation.turns[index].reply = f"answer {index}"
        conversation.turns[index].status = "done"
        store.reply(conversation, index)
    harness.fake.script(reply(Text("ok")))
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        shown = turns(app)
        assert len(shown) == SHOWN_TURNS
        assert shown[0].turn.prompt == "question 5"
        note = app.query_one(".chat-earlier", Static)
        assert "5 earlier turns not shown" in str(note.render())
        await send(pilot, "and now?")
        await finish(pilot)
    history = harness.fake.messages_requests[0].json()["messages"]
    assert len(history) == 2 * 25 + 1
    assert history[0]["content"] == "question 0"


async def test_a_draft_being_edited_that_does_not_validate_reaches_claude_with_its_problems(
    harness: Harness,
) -> None:
    harness.fake.script(
        reply(ToolCall("propose_strategy", {"config": CONFIG})),
        reply(Text("Proposed.")),
        reply(Text("Set stop_loss above 0.")),
    )
    app = harness.app()
    async with app.run_test(size=(160, 45)) as pilot:
        await send(pilot, "mean reversion on BTC")
        await finish(pilot)
        await pilot.press("f3", "e")
        await replace_line(pilot, "stop_loss:", "stop_loss: -0.02")
        assert app.draft is not None and not app.draft.valid
        await pilot.press("escape", "f2")
        await send(pilot, "what is wrong with my draft?")
        await finish(pilot)
    context = harness.fake.messages_requests[-1].json()["messages"][-1]["content"][0]["text"]
    assert "does NOT validate" in context
    assert "stop_loss: -0.02" in context
    assert "must be > 0" in context
