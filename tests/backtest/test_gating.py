"""The event-driven gate against the plain one that visits every signal."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reference import plain_gate

from tradeagent.backtest.closes import BUY, SELL
from tradeagent.backtest.gating import gate


@st.composite
def signals(draw: st.DrawFn) -> tuple[list[int], list[int], list[int], list[int]]:
    """Rising rows (60 s apart, with gaps), sides, and the row terminating each signal's
    executor (after its row; often on a later signal's row, where ties matter)."""
    steps = draw(st.lists(st.integers(1, 4), max_size=60))
    rows = [sum(steps[: k + 1]) for k in range(len(steps))]
    sides = draw(st.lists(st.sampled_from([BUY, SELL]), min_size=len(rows), max_size=len(rows)))
    lives = draw(st.lists(st.integers(1, 25), min_size=len(rows), max_size=len(rows)))
    return (
        rows,
        sides,
        [60 * row for row in rows],
        [r + life for r, life in zip(rows, lives, strict=True)],
    )


@settings(max_examples=400, deadline=None)
@given(
    signals(),
    st.integers(1, 4),
    st.sampled_from([0, 59, 60, 120, 300]),
    st.booleans(),
)
def test_gate_matches_the_plain_gate(
    case: tuple[list[int], list[int], list[int], list[int]],
    max_per_side: int,
    cooldown: int,
    shorts_count_longs: bool,
) -> None:
    rows, sides, opened, ends = case
    asked: list[int] = []

    def terminate(i: int) -> int:
        asked.append(i)
        return ends[i]

    options = {
        "max_per_side": max_per_side,
        "cooldown": cooldown,
        "shorts_count_longs": shorts_count_longs,
    }
    expected = plain_gate(rows, sides, opened, ends.__getitem__, **options)  # type: ignore[arg-type]
    got = gate(rows, sides, opened, terminate, **options)  # type: ignore[arg-type]
    assert got == expected
    assert asked == expected  # asked once per created executor, in order


def test_gate_skips_a_full_side_until_an_executor_terminates() -> None:
    # Signals on every row; each executor lives 10 rows; one per side, no cooldown.
    rows = list(range(40))
    created = gate(
        rows,
        [BUY] * 40,
        [60 * row for row in rows],
        lambda i: rows[i] + 10,
        max_per_side=1,
        cooldown=0,
        shorts_count_longs=True,
    )
    assert created == [0, 10, 20, 30]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(1, 30), min_size=1, max_size=8),
    st.sampled_from([BUY, SELL]),
    st.lists(st.integers(1, 40), min_size=1, max_size=200),
    st.integers(1, 3),
    st.sampled_from([0, 60, 300]),
    st.booleans(),
)
def test_gate_matches_the_plain_gate_on_runs_of_one_side(
    runs: list[int],
    first: int,
    lives: list[int],
    max_per_side: int,
    cooldown: int,
    shorts_count_longs: bool,
) -> None:
    # Signals on every row in long one-side runs, as a trend indicator produces them.
    sides = [first * (-1) ** k for k, length in enumerate(runs) for _ in range(length)]
    rows = list(range(len(sides)))
    ends = [row + lives[row % len(lives)] for row in rows]
    options = {
        "max_per_side": max_per_side,
        "cooldown": cooldown,
        "shorts_count_longs": shorts_count_longs,
    }
    opened = [60 * row for row in rows]
    expected = plain_gate(rows, sides, opened, ends.__getitem__, **options)  # type: ignore[arg-type]
    assert gate(rows, sides, opened, ends.__getitem__, **options) == expected  # type: ignore[arg-type]
