#!/usr/bin/env python3
"""Set up and run tradeagent with nothing but python3.

    python3 dev.py run [ARGS...]   create .venv, install tradeagent, start it (simulator)
    python3 dev.py test            create .venv, install the dev tools too, run every gate

The virtual environment lives in ./.venv and is reused by later runs (an install only happens when
pyproject.toml changed). Works on a bare Debian python3: when the venv module cannot provide pip
(no python3-venv package), pip is bootstrapped from its wheel on PyPI.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"

GATES: list[list[str]] = [
    ["ruff", "check", "src", "tests", "bench", "dev.py"],
    ["ruff", "format", "--check", "src", "tests", "bench", "dev.py"],
    ["mypy", "--strict", "src"],
    ["lint-imports"],
    ["pytest", "-q"],
]


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def run(cmd: list[str], **kwargs: object) -> None:
    result = subprocess.run(cmd, cwd=ROOT, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        say(f"failed ({result.returncode}): {' '.join(cmd)}")
        sys.exit(result.returncode)


def bootstrap_pip() -> None:
    """Install pip into a venv created without it (Debian without python3-venv)."""
    say("the venv has no pip; fetching the pip wheel from PyPI")
    request = urllib.request.Request(
        "https://pypi.org/simple/pip/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        index = json.load(response)
    wheels = [f for f in index["files"] if f["filename"].endswith("-py3-none-any.whl")]
    newest = wheels[-1]
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / newest["filename"]
        with urllib.request.urlopen(newest["url"], timeout=120) as response:
            wheel.write_bytes(response.read())
        run([str(PY), str(wheel / "pip"), "install", "--quiet", str(wheel)])


def ensure_venv() -> None:
    if PY.exists():
        return
    say(f"creating {VENV}")
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except (subprocess.CalledProcessError, OSError):
        venv.EnvBuilder(with_pip=False, clear=True).create(VENV)
    if subprocess.run([str(PY), "-m", "pip", "--version"], capture_output=True).returncode != 0:
        bootstrap_pip()


def install(extra: str) -> None:
    spec = f".[{extra}]" if extra else "."
    stamp = VENV / f".installed-{extra or 'app'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        # Source changes need no reinstall: the install is editable.
        return
    say(f"installing {spec} into {VENV}")
    run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(PY), "-m", "pip", "install", "--quiet", "-e", spec])
    stamp.write_text(digest)


def cmd_run(args: list[str]) -> None:
    ensure_venv()
    install("")
    exe = BIN / "tradeagent"
    os.execv(str(exe), [str(exe), *args])


def cmd_test(args: list[str]) -> None:
    ensure_venv()
    install("dev")
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    for gate in GATES:
        cmd = [*gate, *args] if gate[0] == "pytest" else gate
        say("$ " + " ".join(cmd))
        run([str(BIN / cmd[0]), *cmd[1:]], env=env)
    say("all gates passed")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test"}:
        print(__doc__)
        sys.exit(2)
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "run":
        cmd_run(rest)
    else:
        cmd_test(rest)


if __name__ == "__main__":
    main()
