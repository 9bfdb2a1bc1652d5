"""Startup budgets: `tradeagent --version` wall time (≤ 0.25 s) and time to the first frame of
the headless app (≤ 1.0 s), each the median of several fresh processes.

    .venv/bin/python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_FRAME = """
import time
from tradeagent.settings import load_settings
from tradeagent.tui.app import make_app

app = make_app(load_settings().settings)
painted_at = []

def painted() -> None:
    painted_at.append(time.time())
    app.exit()

app.call_after_refresh(painted)
app.run(headless=True, size=(160, 45))
print(f"PAINTED={painted_at[0]!r}")
"""


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def first_frame(env: dict[str, str]) -> tuple[float, float]:
    """(spawn → first frame painted, spawn → process gone) for one fresh process."""
    spawned = time.time()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME], check=True, env=env, capture_output=True, text=True
    )
    gone = time.perf_counter() - start
    painted = float(result.stdout.split("PAINTED=")[1].split()[0])
    return painted - spawned, gone


def report(name: str, samples: list[float], budget: float) -> None:
    median = statistics.median(samples)
    verdict = "ok" if median <= budget else "OVER BUDGET"
    print(
        f"{name:<28} median {median * 1000:7.1f} ms   min {min(samples) * 1000:7.1f} ms   "
        f"max {max(samples) * 1000:7.1f} ms   budget {budget * 1000:.0f} ms   {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("tradeagent"))
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env["TRADEAGENT_CONFIG"] = str(Path(home) / "config.toml")
        env["TRADEAGENT_PATHS__DATA_DIR"] = str(Path(home) / "data")
        env["TRADEAGENT_PATHS__CACHE_DIR"] = str(Path(home) / "cache")
        env.pop("ANTHROPIC_API_KEY", None)
        wall([exe, "--version"], env)  # warm the OS file cache once
        version = [wall([exe, "--version"], env) for _ in range(args.runs)]
        helps = [wall([exe, "--help"], env) for _ in range(args.runs)]
        first_frame(env)
        runs = [first_frame(env) for _ in range(args.runs)]
    report("tradeagent --version", version, 0.25)
    report("tradeagent --help", helps, 0.25)
    report("spawn → first frame", [frame for frame, _ in runs], 1.0)
    print(
        f"{'(process exit after it)':<28} median "
        f"{statistics.median(gone for _, gone in runs) * 1000:7.1f} ms"
    )


if __name__ == "__main__":
    main()
