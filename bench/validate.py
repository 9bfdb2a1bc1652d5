"""How long validating a typical config takes (budget: <= 1 ms), and the rest of a preview
refresh: YAML in/out, hash, risk checks, summary.

.venv/bin/python bench/validate.py [ROUNDS]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tradeagent.strategy import (
    check_config,
    config_hash,
    describe,
    dump_yaml,
    load_yaml,
    money_at_risk,
    parse_config,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "controller-schemas.json"


def measure(label: str, action: Callable[[], object], rounds: int) -> None:
    for _ in range(50):  # warm caches and pydantic's first-call paths
        action()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - start) / 1e3)
    samples.sort()
    p50 = statistics.median(samples)
    p90 = samples[int(len(samples) * 0.90)]
    p99 = samples[int(len(samples) * 0.99)]
    print(f"{label:<38} median {p50:8.1f} µs   p90 {p90:8.1f} µs   p99 {p99:8.1f} µs")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    controllers = json.loads(EXAMPLES.read_text(encoding="utf-8"))["controllers"]
    typical = controllers["bollinger_v1"]["example_config"]
    text = dump_yaml(parse_config(typical))
    config = parse_config(typical)
    print(f"{rounds} rounds each; budget: validate a typical config in <= 1000 µs")
    measure("parse_config(bollinger_v1 mapping)", lambda: parse_config(typical), rounds)
    for name in ("pmm_simple", "dman_v3", "grid_strike"):
        example = controllers[name]["example_config"]
        measure(f"parse_config({name} mapping)", lambda e=example: parse_config(e), rounds)
    measure("load_yaml(bollinger_v1 text)", lambda: load_yaml(text), rounds)
    measure("dump_yaml(config)", lambda: dump_yaml(config), rounds)
    measure("config_hash(config)", lambda: config_hash(config), rounds)
    measure("check_config(config) (every risk rule)", lambda: check_config(config), rounds)
    measure("money_at_risk + describe", lambda: (money_at_risk(config), describe(config)), rounds)


if __name__ == "__main__":
    main()
