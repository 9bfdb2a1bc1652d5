"""The tape's compounded growth against math.prod over the same factors, bit for bit."""

from __future__ import annotations

import math

import numpy as np
from handmade import make_candles
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeagent.backtest.tape import Tape


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(2, 300),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 60)), max_size=40),
)
def test_compounded_is_the_sequential_product(
    seed: int, n: int, entries: list[tuple[int, int]]
) -> None:
    rng = np.random.default_rng(seed)
    candles = make_candles(100.0 * np.exp(np.cumsum(rng.normal(0, 0.01, n))))
    tape = Tape.build(candles, 60 * 30)
    starts = np.asarray([start % n for start, _ in entries], dtype=np.int64)
    offsets = np.asarray([offset % tape.width for _, offset in entries], dtype=np.int64)
    got = tape.compounded(starts, offsets)
    expected = [
        math.prod(tape.growth[start + 1 : start + offset + 1].tolist())
        for start, offset in zip(starts.tolist(), offsets.tolist(), strict=True)
    ]
    assert got.tolist() == [float(value) for value in expected]
