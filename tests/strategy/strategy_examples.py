"""The validated example configs shipped with the Hummingbot API research (tests/data)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "controller-schemas.json"
SCHEMAS: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
NAMES: list[str] = list(SCHEMAS["controllers"])


def example(name: str) -> dict[str, Any]:
    """A fresh copy of the example config of controller ``name``."""
    return copy.deepcopy(SCHEMAS["controllers"][name]["example_config"])


def schema_fields(name: str) -> dict[str, Any]:
    return dict(SCHEMAS["controllers"][name]["fields"])
