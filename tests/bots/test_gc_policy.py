"""The collector is relaxed while the app refreshes, and put back as it was afterwards."""

from __future__ import annotations

import gc

from tradeagent.tui.gc_policy import YOUNG_THRESHOLD, RelaxedCollector


def test_relax_then_restore_leaves_the_collector_as_found() -> None:
    before = gc.get_threshold()
    collector = RelaxedCollector()
    collector.relax()
    try:
        assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
        assert gc.get_freeze_count() > 0
        collector.relax()  # twice is once
    finally:
        collector.restore()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    collector.restore()  # and restoring again changes nothing
    assert gc.get_threshold() == before
