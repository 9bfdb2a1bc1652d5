"""Chat streaming budget: 5,000 tokens, as fast as the fake Messages API can send them, into the
real chat pane of the headless app. Budget: event-loop lag ≤ 20 ms max.

The fake server runs in its own process (as the real API would be elsewhere), so it takes no
CPU time or GIL from the app being measured. Reports the maximum and p99 event-loop lag while
the reply streams, and the time from the last byte the server sent to the last token painted.

Wall-clock lag includes time the OS gave to other processes; on a shared box that can dwarf the
app's own work. So the bench also reports the CPU time of the longest single event-loop step
(what the app itself blocks the loop for) and the machine's load average.

    .venv/bin/python bench/chat_stream.py [--tokens 5000] [--runs 3] [--paced 100]
"""

from __future__ import annotations

import argparse
import asyncio
import asyncio.events
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "tests" / "fakes" / "anthropic_server.py"

from tradeagent.ai.claude import ClaudeAssistant  # noqa: E402
from tradeagent.ai.tools import ToolBox  # noqa: E402
from tradeagent.desk.journal import Journal, journal_path  # noqa: E402
from tradeagent.settings import load_settings  # noqa: E402
from tradeagent.tui.app import make_app  # noqa: E402
from tradeagent.tui.widgets.chat_turn import TurnView  # noqa: E402

BUDGET_MS = 20.0
TICK_S = 0.002
STEADY_AFTER_S = 0.25
TEXT = (
    "the stop sits below the lower band so a failed reversion exits quickly while winners run "
    "to the take profit; spreads widen with volatility and the grid keeps inventory small"
)


def tokens(count: int) -> list[str]:
    """Markdown like a long answer: headings, paragraphs, bullet lists, bold words."""
    words = TEXT.split(" ")
    out: list[str] = []
    for i in range(count):
        word = words[i % len(words)]
        if i % 97 == 0:
            out.append("\n\n## Step " + str(i // 97 + 1) + "\n\n")
        elif i % 41 == 0:
            out.append("\n- **" + word + "**")
        elif i % 53 == 0:
            out.append(".\n\n" + word.capitalize())
        else:
            out.append(" " + word)
    return out


class StepMeter:
    """CPU time of each event-loop step (callback) while ``on``."""

    def __init__(self) -> None:
        self.steps: list[float] = []
        self.on = False
        original = asyncio.events.Handle._run
        meter = self

        def timed(handle: asyncio.events.Handle) -> None:
            if not meter.on:
                original(handle)
                return
            start = time.thread_time()
            original(handle)
            meter.steps.append(time.thread_time() - start)

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]


METER = StepMeter()


class ServerProcess:
    """The fake Messages API in a child process, streaming ``stream`` to every request."""

    def __init__(self, stream: list[str], folder: Path, per_second: float = 0.0) -> None:
        token_file = folder / "tokens.json"
        token_file.write_text(json.dumps(stream))
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(SERVER),
                "--tokens-file",
                str(token_file),
                "--per-second",
                str(per_second),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def last_byte_sent_at(self) -> float:
        with urllib.request.urlopen(self.url + "/_stats", timeout=10) as response:
            return float(json.load(response)["last_byte_sent_at"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@dataclass(frozen=True)
class Run:
    max_lag: float
    p99: float
    steady_max: float
    """Max lag once the reply is under way (the first and last frames re-draw the footer)."""
    tail: float
    wall: float
    step: float
    step_p99: float


async def one_run(stream: list[str], server: ServerProcess, home: Path) -> Run:
    expected = "".join(stream)
    assistant = ClaudeAssistant(
        api_key="sk-ant-bench",
        model="claude-sonnet-5-5",
        max_tokens=8000,
        effort="low",
        toolbox=ToolBox(),
        base_url=server.url,
        open_retries=0,
    )
    journal = Journal(journal_path(home), server="sim", mode="SIM")
    app = make_app(load_settings().settings, assistant=assistant, journal=journal)
    lags: list[tuple[float, float]] = []
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()  # the assistant loaded, as it is by first use
        await pilot.pause(0.2)
        streaming = True

        async def monitor() -> None:
            while streaming:
                start = time.monotonic()
                await asyncio.sleep(TICK_S)
                lags.append((start, time.monotonic() - start - TICK_S))

        watcher = asyncio.create_task(monitor())
        METER.steps.clear()
        METER.on = True
        started = time.monotonic()
        app.query_one("#prompt").value = "explain everything"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        METER.on = False
        ended = time.monotonic()
        streaming = False
        await watcher
        shown = app.query(TurnView).last().reply_source
        assert shown == expected, "the screen lost tokens"
        painted = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: painted.set_result(time.monotonic()))
        painted_at = await painted
    journal.close()
    ordered = sorted(lag for _, lag in lags)
    steady = [lag for at, lag in lags if started + STEADY_AFTER_S <= at <= ended - STEADY_AFTER_S]
    return Run(
        max_lag=ordered[-1],
        p99=ordered[int(len(ordered) * 0.99) - 1],
        steady_max=max(steady, default=0.0),
        tail=painted_at - server.last_byte_sent_at(),
        wall=painted_at - started,
        step=max(METER.steps),
        step_p99=sorted(METER.steps)[int(len(METER.steps) * 0.99) - 1],
    )


def scenario(count: int, runs: int, per_second: float) -> None:
    stream = tokens(count)
    with tempfile.TemporaryDirectory() as folder:
        server = ServerProcess(stream, Path(folder), per_second)
        try:
            results = [
                asyncio.run(one_run(stream, server, Path(folder) / f"home{run}"))
                for run in range(runs)
            ]
        finally:
            server.stop()
    max_lag = max(r.max_lag for r in results) * 1000
    p99 = statistics.median(r.p99 for r in results) * 1000
    steady = max(r.steady_max for r in results) * 1000
    tail = statistics.median(r.tail for r in results) * 1000
    wall = statistics.median(r.wall for r in results)
    step = max(r.step for r in results) * 1000
    step_p99 = statistics.median(r.step_p99 for r in results) * 1000
    pace = f"{per_second:g} tokens/s" if per_second else "as fast as the server can send"
    print(f"chat stream: {count} tokens, {pace}, × {runs} runs, into the real chat pane")
    print(f"  event-loop lag   max {max_lag:.1f} ms · p99 {p99:.1f} ms (budget ≤ {BUDGET_MS} ms)")
    print(f"  max lag once under way (after {STEADY_AFTER_S:g} s)   {steady:.1f} ms")
    print(
        f"  event-loop steps (the app's own work)   max {step:.1f} ms CPU · p99 {step_p99:.1f} ms"
    )
    print(f"  last byte → last token on screen   {tail:.1f} ms (median)")
    print(f"  whole reply   {wall:.2f} s wall, {count / wall:,.0f} tokens/s (median)")
    print(f"  load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print("  verdict:", "OK" if max_lag <= BUDGET_MS else "OVER BUDGET")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--paced", type=float, default=100.0, help="also a paced run at this rate (0: skip)"
    )
    args = parser.parse_args()
    scenario(args.tokens, args.runs, 0.0)
    if args.paced:
        # A real model streams ~50-150 tokens/s: the steady state a trader actually sees.
        scenario(min(args.tokens, int(args.paced * 10)), 1, args.paced)


if __name__ == "__main__":
    main()
