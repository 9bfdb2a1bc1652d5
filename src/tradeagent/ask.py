"""``tradeagent ask PROMPT``: one assistant turn without the TUI, for scripts and SSH one-liners.

Text mode streams the answer to stdout as it arrives (tool lines go to stderr), then prints the
proposed draft as Hummingbot YAML. ``--json`` prints one object: ``answer``, ``draft`` (the
config mapping, or null), ``draft_yaml``, ``assistant``, ``status``, ``error`` and ``usage``.
Exit status: 0 answered, 1 the reply failed, 2 bad input.
"""

from __future__ import annotations

import json
import sys
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from tradeagent.ai.assistant import Assistant
from tradeagent.ai.context import secret_in_text
from tradeagent.ai.conversation import Turn
from tradeagent.ai.events import Proposal, TextDelta, ToolActivity
from tradeagent.strategy import ConfigError, ControllerConfigBase, load_yaml, to_mapping

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class AskError(Exception):
    """Bad input for ``ask``; the message says what to do."""


@dataclass
class Answer:
    turn: Turn
    draft: ControllerConfigBase | None


async def ask(
    assistant: Assistant,
    prompt: str,
    *,
    draft: ControllerConfigBase | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> Answer:
    """Run one turn. With ``out``/``err``, text and tool lines are written as they arrive."""
    prompt = prompt.strip()
    if not prompt:
        raise AskError('the prompt is empty. Example: tradeagent ask "grid on ETH, $300"')
    secret = secret_in_text(prompt)
    if secret is not None:
        raise AskError(
            f"the prompt contains {secret}; it was not sent. Never put secrets in a prompt."
        )
    turn = Turn(prompt)
    proposed: ControllerConfigBase | None = None
    try:
        async with aclosing(assistant.reply([], prompt, draft=draft)) as events:
            async for event in events:
                turn.apply(event)
                if isinstance(event, TextDelta) and out is not None:
                    out.write(event.text)
                    out.flush()
                elif isinstance(event, ToolActivity) and event.finished and err is not None:
                    err.write(event.line + "\n")
                elif isinstance(event, Proposal):
                    proposed = event.config
    finally:
        turn.cut()
        await assistant.aclose()
    return Answer(turn, proposed)


def load_draft(path: Path | None) -> ControllerConfigBase | None:
    if path is None:
        return None
    try:
        return load_yaml(path.read_bytes(), source=str(path))
    except OSError as exc:
        raise AskError(f"cannot read the draft {path}: {exc.strerror or exc}") from exc
    except ConfigError as exc:
        raise AskError(str(exc)) from exc


def render_json(answer: Answer, assistant: str) -> str:
    turn = answer.turn
    return json.dumps(
        {
            "answer": turn.reply,
            "draft": to_mapping(answer.draft) if answer.draft is not None else None,
            "draft_yaml": turn.proposal_yaml,
            "assistant": assistant,
            "status": turn.status,
            "error": turn.error,
            "usage": turn.usage.to_json() if turn.usage else None,
        },
        indent=2,
        default=str,
    )


async def run(assistant: Assistant, prompt: str, *, as_json: bool, draft_path: Path | None) -> int:
    """The command: prints, and returns the exit status."""
    label = assistant.label
    try:
        draft = load_draft(draft_path)
        answer = await ask(
            assistant,
            prompt,
            draft=draft,
            out=None if as_json else sys.stdout,
            err=None if as_json else sys.stderr,
        )
    except AskError as exc:
        await assistant.aclose()
        print(f"tradeagent: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    turn = answer.turn
    if as_json:
        print(render_json(answer, label))
    else:
        if turn.reply and not turn.reply.endswith("\n"):
            print()
        if turn.proposal_yaml:
            print(f"\n# --- draft (Hummingbot YAML), from the {label} ---")
            print(turn.proposal_yaml, end="" if turn.proposal_yaml.endswith("\n") else "\n")
        if turn.usage is not None:
            print(turn.usage.line(), file=sys.stderr)
    if turn.status == "failed":
        if not as_json:
            print(f"tradeagent: {turn.error}", file=sys.stderr)
        return EXIT_FAILED
    return 0
