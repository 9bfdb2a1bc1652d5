"""Keep Python's full garbage-collection passes off the screen's critical path.

Textual leaves cyclic garbage behind with every frame it draws (strips that cache themselves),
so full passes run often, and each one walks every object alive: 30-700 ms of frozen screen on a
busy 2-core box (``bench/chat_stream.py``). What is alive after start-up and after loading the
SDKs lives as long as the app, so it is frozen out of those passes; full passes are made rare
and run on purpose when the screen is idle (after a reply).

Young passes are made rarer too: every bots refresh builds and drops some 20,000 short-lived
objects (the parsed status reply and its rows). With Python's default threshold of 700 that is
about 30 passes per refresh, 28 ms of CPU on average for 100 bots (``bench/bots_pane.py``); from
20,000 on, a couple.
"""

from __future__ import annotations

import gc

FULL_EVERY = 1000
"""Full passes after this many younger ones (Python's default: 10)."""
YOUNG_THRESHOLD = 20_000
"""Allocations between young passes (Python's default: 700)."""


_saved_threshold: tuple[int, int, int] | None = None


def tune() -> None:
    """Call once the app is up; :func:`restore` undoes it when the app ends."""
    global _saved_threshold
    freeze_long_lived()
    if _saved_threshold is None:
        _saved_threshold = gc.get_threshold()
    young, middle, _ = _saved_threshold
    gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, FULL_EVERY)


def restore() -> None:
    """Back to Python's collector settings, and let the frozen objects be collected again
    (several apps in one process, as in the tests, must not pile them up)."""
    global _saved_threshold
    gc.unfreeze()
    if _saved_threshold is not None:
        gc.set_threshold(*_saved_threshold)
        _saved_threshold = None


def freeze_long_lived() -> None:
    """Everything alive now stays alive (modules just imported, the app): stop scanning it."""
    gc.freeze()


def collect_now() -> None:
    """A full pass, for a moment when nothing moves on screen."""
    gc.collect()
