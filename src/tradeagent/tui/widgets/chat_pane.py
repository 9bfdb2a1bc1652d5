"""The chat pane: the conversation with the assistant, streamed as it arrives, and the prompt.

A prompt starts one reply in an exclusive worker (group ``chat``). While it streams the prompt
refuses to send (typing ahead is fine), Esc cuts the reply at once and keeps what arrived, and
the text is journalled about once a second so a crash loses nothing already shown. A valid
proposal is posted up as :class:`StrategyProposed`; the app turns it into the draft.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, Static

from tradeagent.ai.assistant import Assistant
from tradeagent.ai.context import secret_in_text
from tradeagent.ai.conversation import Conversation, Turn
from tradeagent.ai.events import Failed, Proposal
from tradeagent.desk.journal import JournalError
from tradeagent.tui import gc_policy
from tradeagent.tui.chat_store import ChatStore
from tradeagent.tui.messages import StrategyProposed
from tradeagent.tui.widgets.chat_turn import TurnView
from tradeagent.tui.widgets.pane import Pane
from tradeagent.tui.widgets.reply_markdown import warm_up

if TYPE_CHECKING:
    from tradeagent.strategy import ControllerConfigBase

log = logging.getLogger(__name__)
T = TypeVar("T")

PARTIAL_EVERY_S = 1.0
"""How often the text of a streaming reply is journalled."""
IDLE_GC_AFTER_S = 0.5
YIELD_EVERY_S = 0.003
"""Longest stretch of reply events handled without giving the event loop a turn."""
SHOWN_TURNS = 20
"""Turns drawn when a conversation is (re)opened: drawing costs time at start-up."""
HINT_SELECTOR = "#chat-welcome"
HINT = (
    "Describe a strategy in plain words, e.g. "
    "[i]mean reversion on BTC perp on Hyperliquid, $500, 2% stop[/i]."
)


class ChatPane(Pane):
    # A stable gutter: the scrollbar appearing must not re-wrap (re-render) the whole log.
    DEFAULT_CSS = """
    ChatPane #chat-log { scrollbar-gutter: stable; }
    """
    PANE_TITLE = "Chat"
    PRIMARY = "#prompt"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop_reply", "Stop reply", id="chat-stop"),
        Binding("f5", "retry", "Retry", id="chat-retry"),
    ]

    streaming: reactive[bool] = reactive(False, bindings=True)

    def __init__(
        self,
        *,
        assistant: Assistant | None = None,
        store: ChatStore | None = None,
        auto_backtest: bool = False,
        id: str | None = None,  # noqa: A002 (Textual's name)
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.assistant = assistant
        self.store = store
        self.auto_backtest = auto_backtest
        self.conversation = Conversation()
        self._views: list[TurnView] = []
        self._journal_warned = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="chat-log"):
            yield Static(HINT, classes="chat-hint", id="chat-welcome")
        yield Input(placeholder="ask anything · Enter send · Esc stop", id="prompt")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#chat-log", VerticalScroll).anchor()

    @on(events.Mount)
    async def _restore_latest(self) -> None:
        if self.assistant is not None:
            self._prepare_assistant()
        if self.store is not None:
            latest = self._journal(lambda store: store.latest())
            if latest is not None:
                await self.show_conversation(latest)

    @work(group="assistant-prepare", exit_on_error=False, description="loading the assistant")
    async def _prepare_assistant(self) -> None:
        """Warm the assistant up (SDK import, client, schemas) while the trader reads."""
        assert self.assistant is not None
        await asyncio.gather(self.assistant.prepare(), asyncio.to_thread(warm_up))
        gc_policy.freeze_long_lived()  # the SDK's and the parsers' modules are here for good

    # ------------------------------------------------------------ conversations
    async def show_conversation(self, conversation: Conversation) -> None:
        """Replace what the log shows with ``conversation``."""
        self.conversation = conversation
        log_view = self.query_one("#chat-log", VerticalScroll)
        await log_view.remove_children(".chat-turn, .chat-earlier")
        self._views = [TurnView(turn) for turn in conversation.turns[-SHOWN_TURNS:]]
        hidden = len(conversation.turns) - len(self._views)
        if hidden:
            await log_view.mount(
                Static(
                    f"… {hidden} earlier turn{'s' if hidden != 1 else ''} not shown (still part "
                    "of the conversation; the journal keeps them all)",
                    classes="chat-earlier chat-hint",
                    markup=False,
                )
            )
        if self._views:
            await log_view.mount_all(self._views)
        self.query_one(HINT_SELECTOR).display = not self._views
        self._update_subtitle()
        self.refresh_bindings()
        log_view.scroll_end(animate=False)

    async def new_conversation(self) -> None:
        await self.show_conversation(Conversation())
        self.focus_primary()

    async def open_conversation(self, conversation_id: str) -> None:
        if self.store is None or self.streaming:
            return
        conversation = self._journal(lambda store: store.load(conversation_id))
        if conversation is not None:
            await self.show_conversation(conversation)
            self.focus_primary()

    # ------------------------------------------------------------------ prompt
    @on(Input.Submitted, "#prompt")
    async def _submitted(self, event: Input.Submitted) -> None:
        prompt = event.value.strip()
        if not prompt:
            return
        if self.streaming:
            self.notify("A reply is still streaming: Esc stops it.", severity="warning")
            return
        secret = secret_in_text(prompt)
        if secret is not None:
            self.notify(
                f"That looks like {secret}. It was not sent anywhere. Never paste secrets into "
                "the chat; add exchange credentials from the palette (Accounts).",
                title="Not sent",
                severity="error",
                timeout=10,
            )
            return
        if self.assistant is None:
            self.notify("No assistant is configured.", severity="error")
            return
        event.input.value = ""
        self.conversation.turns.append(Turn(prompt))
        await self._start(len(self.conversation.turns) - 1)

    async def _start(self, index: int) -> None:
        assert self.assistant is not None
        view = TurnView(self.conversation.turns[index])
        log_view = self.query_one("#chat-log", VerticalScroll)
        await log_view.mount(view)
        self._views.append(view)
        self.query_one(HINT_SELECTOR).display = False
        self._journal(lambda store: store.prompt(self.conversation, index, self.label))
        self.streaming = True
        self.query_one("#prompt", Input).placeholder = "replying… Esc stops"
        log_view.anchor()
        self._reply(index, view)

    @property
    def label(self) -> str:
        return self.assistant.label if self.assistant is not None else ""

    @work(exclusive=True, group="chat", exit_on_error=False, description="assistant reply")
    async def _reply(self, index: int, view: TurnView) -> None:
        assert self.assistant is not None
        conversation = self.conversation
        turn = conversation.turns[index]
        saved_at = yielded_at = time.monotonic()
        try:
            draft, broken = self._draft()
            replies = self.assistant.reply(
                conversation.turns[:index], turn.prompt, draft=draft, broken_draft=broken
            )
            async with aclosing(replies) as events:
                async for event in events:
                    turn.apply(event)
                    await view.show(event)
                    if isinstance(event, Proposal):
                        self._propose(event)
                    if time.monotonic() - saved_at >= PARTIAL_EVERY_S:
                        saved_at = time.monotonic()
                        self._journal(lambda store: store.partial(conversation, index))
                    if time.monotonic() - yielded_at >= YIELD_EVERY_S:
                        # Buffered events arrive without any real wait: let the screen breathe.
                        await asyncio.sleep(0)
                        yielded_at = time.monotonic()
        except asyncio.CancelledError:
            turn.cut()
            raise
        except Exception as exc:
            # A bug must not take the app down or lose the reply: say so, keep the text.
            log.exception("assistant reply failed")
            turn.apply(
                Failed(
                    "unexpected",
                    f"The reply failed unexpectedly ({type(exc).__name__}); what arrived is "
                    "kept. The log has details.",
                )
            )
        finally:
            turn.cut()  # no-op unless it ended without a Finished or Failed
            # Saved first: if the app is closing, the screen below may already be gone.
            self._journal(lambda store: store.reply(conversation, index))
            view.close()
            view.show_outcome(self._retry_key())
            self.streaming = False
            self.query_one("#prompt", Input).placeholder = "ask anything · Enter send · Esc stop"
            self._update_subtitle()
            # Full GC passes are deferred (tui.gc_policy): run one now, while the screen is idle.
            self.set_timer(IDLE_GC_AFTER_S, gc_policy.collect_now)

    def _propose(self, proposal: Proposal) -> None:
        self.post_message(StrategyProposed(proposal.config, source=self.label))
        if self.auto_backtest:
            # After the app has made it the draft; the backtest action gates itself.
            self.call_after_refresh(self._auto_backtest)

    async def _auto_backtest(self) -> None:
        if self.app.check_action("backtest", ()):
            await self.app.run_action("backtest")

    def _draft(self) -> tuple[ControllerConfigBase | None, str | None]:
        """The preview's draft: its config when valid, else its text and problems."""
        from tradeagent.strategy import ControllerConfigBase

        draft = getattr(self.app, "draft", None)
        config = getattr(draft, "config", draft)
        if isinstance(config, ControllerConfigBase):
            return config, None
        text = getattr(draft, "text", None)
        if not isinstance(text, str) or not text.strip():
            return None, None
        problems = [getattr(p, "message", str(p)) for p in getattr(draft, "problems", ())]
        return None, text.rstrip() + "\nProblems:\n" + "\n".join(f"- {p}" for p in problems)

    # ----------------------------------------------------------------- actions
    def action_stop_reply(self) -> None:
        self.workers.cancel_group(self, "chat")

    async def action_retry(self) -> None:
        last = self.conversation.last
        if self.streaming or last is None or last.status == "done":
            return
        index = len(self.conversation.turns) - 1
        self._journal(lambda store: store.retry(self.conversation, index))
        self.conversation.turns[index] = Turn(last.prompt)
        await self._views.pop().remove()
        await self._start(index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_reply":
            # Hidden and passed on (dialogs, other panes) unless a reply is streaming.
            return self.streaming
        if action == "retry":
            last = self.conversation.last
            return not self.streaming and last is not None and last.status != "done"
        return True

    def _retry_key(self) -> str:
        keymap = self.app.settings.ui.keymap if hasattr(self.app, "settings") else {}
        return str(keymap.get("chat-retry", "f5")).split(",")[0].upper()

    # ------------------------------------------------------------------ helpers
    def _update_subtitle(self) -> None:
        costs = [t.usage.cost_usd for t in self.conversation.turns if t.usage and t.usage.cost_usd]
        total = f" · ${sum(costs):.4f} this chat" if costs else ""
        self.border_subtitle = (self.label + total) if total else ""

    def _journal(self, call: Callable[[ChatStore], T]) -> T | None:
        """Run a journal call; a journal failure is shown once and never stops the chat."""
        if self.store is None:
            return None
        try:
            return call(self.store)
        except JournalError as exc:
            if not self._journal_warned:
                self._journal_warned = True
                self.notify(f"{exc} The chat goes on without saving.", severity="error")
            return None
