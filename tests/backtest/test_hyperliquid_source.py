"""The Hyperliquid candle source against the loopback fake, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from fakes.hyperliquid import FakeClock, FakeHyperliquid, serve
from tradeagent.backtest.sources import CandleCache, CandleRequest, CandleSourceError, load_candles
from tradeagent.backtest.sources.hyperliquid import HyperliquidSource

NOW = 1_767_225_600 + 12 * 3600 + 17  # 2026-01-01 12:00:17 UTC: a candle is forming
MINUTE_NOW = NOW - NOW % 60


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(now=float(NOW))


@pytest.fixture
def fake(clock: FakeClock) -> FakeHyperliquid:
    return FakeHyperliquid(clock=clock)


@pytest.fixture
async def source(fake: FakeHyperliquid, clock: FakeClock) -> AsyncIterator[HyperliquidSource]:
    async with serve(fake) as url, httpx.AsyncClient(timeout=10) as client:
        yield HyperliquidSource(client, base_url=url, clock=clock.time, sleep=clock.sleep)


def btc(start: int, end: int, interval: str = "1m") -> CandleRequest:
    return CandleRequest("hyperliquid_perpetual", "BTC-USD", interval, start, end)


def cached_files(root: Path) -> list[Path]:
    return list(root.rglob("*.npz"))


def snapshots(fake: FakeHyperliquid) -> list[dict[str, object]]:
    return [body for body in fake.requests if body["type"] == "candleSnapshot"]


async def test_one_day_inside_the_horizon_is_complete_and_exact(
    source: HyperliquidSource, fake: FakeHyperliquid
) -> None:
    start, end = MINUTE_NOW - 86400, MINUTE_NOW - 60
    candles, window = await load_candles(source, btc(start, end), now=NOW)
    assert len(candles) == 1440
    assert window.complete and window.warnings == ()
    assert candles.timestamp[0] == start and candles.timestamp[-1] == end
    assert float(candles.close[100]) == fake.expected_close(start + 6000)
    [request] = snapshots(fake)
    assert request["req"] == {
        "coin": "BTC",
        "interval": "1m",
        "startTime": start * 1000,
        "endTime": end * 1000,
    }


async def test_thirty_days_at_1m_is_clamped_to_the_5000_candle_horizon_and_says_so(
    source: HyperliquidSource,
) -> None:
    start = MINUTE_NOW - 30 * 86400
    candles, window = await load_candles(source, btc(start, MINUTE_NOW), now=NOW)
    assert len(candles) == 4999  # the 5,000th is the candle still forming
    assert int(candles.timestamp[0]) == MINUTE_NOW - 4999 * 60
    text = " ".join(window.warnings)
    assert "last 5,000 1m candles" in text
    assert "covers only 3.5 of 30.0 days" in text
    assert "still-forming" in text


async def test_a_500_row_cap_is_walked_page_by_page(
    source: HyperliquidSource, fake: FakeHyperliquid
) -> None:
    fake.row_cap = 500
    start, end = MINUTE_NOW - 3 * 86400, MINUTE_NOW - 60
    candles, window = await load_candles(source, btc(start, end), now=NOW)
    assert len(candles) == 3 * 1440 and window.complete
    requests = snapshots(fake)
    assert len(requests) == 9  # 4,320 rows in pages of 500
    starts = [request["req"]["startTime"] for request in requests]  # type: ignore[index]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


async def test_missing_minutes_are_reported_as_gaps_not_filled(
    source: HyperliquidSource, fake: FakeHyperliquid
) -> None:
    start = MINUTE_NOW - 86400
    fake.missing_ms = {(start + 600) * 1000, (start + 660) * 1000, (start + 7200) * 1000}
    candles, window = await load_candles(source, btc(start, MINUTE_NOW - 60), now=NOW)
    assert len(candles) == 1437
    assert window.gaps == ((start + 600, start + 660), (start + 7200, start + 7200))
    assert any("2 gap(s)" in warning and "3 missing" in warning for warning in window.warnings)


async def test_rate_limit_backs_off_and_retries(
    source: HyperliquidSource, fake: FakeHyperliquid, clock: FakeClock
) -> None:
    fake.throttle_next = 2
    candles, _ = await load_candles(source, btc(MINUTE_NOW - 3600, MINUTE_NOW - 60), now=NOW)
    assert len(candles) == 60
    assert clock.slept[:2] == [2.0, 4.0]


async def test_local_weight_budget_paces_requests(fake: FakeHyperliquid, clock: FakeClock) -> None:
    async with serve(fake) as url, httpx.AsyncClient(timeout=10) as client:
        source = HyperliquidSource(
            client, base_url=url, clock=clock.time, sleep=clock.sleep, weight_per_minute=60
        )
        fake.row_cap = 500
        await load_candles(source, btc(MINUTE_NOW - 86400, MINUTE_NOW - 60), now=NOW)
    # meta (20) + three pages of 500, 500, 440 rows (20 + ⌈rows/60⌉ each) = 106 weight; the
    # bucket starts with 60 and refills 1 per second, so the source waits 46 s in total.
    assert sum(clock.slept) == 46.0


async def test_spot_pairs_resolve_through_spot_meta(
    source: HyperliquidSource, fake: FakeHyperliquid
) -> None:
    request = CandleRequest("hyperliquid", "HYPE-USDC", "5m", MINUTE_NOW - 7200, MINUTE_NOW - 300)
    candles, _ = await load_candles(source, request, now=NOW)
    assert len(candles) == 24
    assert snapshots(fake)[0]["req"]["coin"] == "@107"  # type: ignore[index]


async def test_hip3_coins_lower_case_the_dex_prefix(
    source: HyperliquidSource, fake: FakeHyperliquid
) -> None:
    request = CandleRequest(
        "hyperliquid_perpetual", "XYZ:XYZ100-USD", "1h", MINUTE_NOW - 86400, MINUTE_NOW - 3600
    )
    await load_candles(source, request, now=NOW)
    assert {"type": "meta", "dex": "xyz"} in fake.requests
    assert snapshots(fake)[0]["req"]["coin"] == "xyz:XYZ100"  # type: ignore[index]


async def test_unknown_pair_is_refused_before_asking_for_candles_with_a_hint(
    source: HyperliquidSource, fake: FakeHyperliquid
) -> None:
    request = CandleRequest("hyperliquid_perpetual", "PEPE-USD", "1m", NOW - 3600, NOW - 60)
    with pytest.raises(CandleSourceError, match="did you mean kPEPE"):
        await load_candles(source, request, now=NOW)
    assert snapshots(fake) == []


async def test_delisted_coin_is_flagged(source: HyperliquidSource) -> None:
    request = CandleRequest("hyperliquid_perpetual", "MATIC-USD", "1m", NOW - 3600, NOW - 60)
    _, window = await load_candles(source, request, now=NOW)
    assert any("delisted" in warning for warning in window.warnings)


async def test_intervals_hyperliquid_lacks_are_refused(source: HyperliquidSource) -> None:
    with pytest.raises(CandleSourceError, match="no 6h candles"):
        await load_candles(source, btc(NOW - 86400, NOW, "6h"), now=NOW)


async def test_fetched_candles_are_cached_on_disk(
    source: HyperliquidSource, fake: FakeHyperliquid, tmp_path: Path
) -> None:
    cache = CandleCache(tmp_path)
    request = btc(MINUTE_NOW - 7200, MINUTE_NOW - 3600)
    first, _ = await load_candles(source, request, cache=cache, now=NOW)
    asked = len(fake.requests)
    second, window = await load_candles(source, request, cache=cache, now=NOW)
    assert len(fake.requests) == asked
    assert np.array_equal(first.close, second.close)
    assert np.array_equal(first.timestamp, second.timestamp)
    assert window.complete
    assert cached_files(tmp_path / "candles" / "hyperliquid")


async def test_a_range_reaching_now_is_not_cached(
    source: HyperliquidSource, fake: FakeHyperliquid, tmp_path: Path
) -> None:
    cache = CandleCache(tmp_path)
    request = btc(MINUTE_NOW - 3600, MINUTE_NOW)
    await load_candles(source, request, cache=cache, now=NOW)
    await load_candles(source, request, cache=cache, now=NOW)
    assert len(snapshots(fake)) == 2
    assert not cached_files(tmp_path)


async def test_unreachable_server_is_a_clear_error(clock: FakeClock) -> None:
    async with httpx.AsyncClient(timeout=2) as client:
        source = HyperliquidSource(client, base_url="http://127.0.0.1:9", clock=clock.time)
        with pytest.raises(CandleSourceError, match="cannot reach Hyperliquid"):
            await load_candles(source, btc(NOW - 3600, NOW - 60), now=NOW)
