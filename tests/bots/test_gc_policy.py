"""The collector settings the app runs with: young passes rare enough for the bots refresh."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tradeagent.tui import gc_policy


@pytest.fixture
def collector_as_found() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)
    gc.unfreeze()


def test_tune_makes_young_and_full_passes_rare(collector_as_found: None) -> None:
    gc.set_threshold(700, 10, 10)
    gc_policy.tune()
    assert gc.get_threshold() == (gc_policy.YOUNG_THRESHOLD, 10, gc_policy.FULL_EVERY)
    assert gc.get_freeze_count() > 0


def test_restore_undoes_tune(collector_as_found: None) -> None:
    gc.set_threshold(700, 10, 10)
    gc_policy.tune()
    gc_policy.tune()  # a second app in the same process must not lose the original settings
    gc_policy.restore()
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0
