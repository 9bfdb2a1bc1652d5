"""The post-deploy watch against simulated bots that work, err, hang, vanish or idle."""

from __future__ import annotations

from desk_harness import BB, PMM, Bench

from tradeagent.desk.watch import FindingKind, Watch, WatchFinding, WatchOptions


def watch(bench: Bench, bot: str, **options: float) -> tuple[Watch, list[WatchFinding]]:
    told: list[WatchFinding] = []
    settings = {"duration_s": 900.0, "appear_s": 60.0, "poll_s": 5.0, "idle_reports": 60}
    settings.update(options)
    found = Watch(
        bench.client,
        bench.journal,
        bot,
        WatchOptions(**settings),  # type: ignore[arg-type]
        kinds={"eth_mm": "market making", "btc_bb": "directional"},
        ref=42,
        pacer=bench.pacer,
        on_finding=told.append,
    )
    return found, told


async def deployed(bench: Bench, *configs: dict[str, object]) -> str:
    """Deployed just now: the watch sees it boot."""
    for body in configs:
        await bench.client.save_controller_config(str(body["id"]), body)
    result = await bench.client.deploy("ta-bot", [str(c["id"]) for c in configs])
    return result.unique_instance_name


async def test_a_healthy_market_maker_passes(bench: Bench) -> None:
    bot = await deployed(bench, PMM)
    watcher, told = watch(bench, bot)
    verdict = await watcher.run()
    assert verdict.passed, verdict.summary
    kinds = [f.kind for f in told]
    assert kinds[:2] == [FindingKind.RUNNING, FindingKind.TRADING]
    assert "passed the watch" in verdict.summary
    journalled = bench.journal.entries(kind="watch.finding")
    assert [e.payload["kind"] for e in journalled] == ["running", "trading"]
    assert {e.ref for e in journalled} == {"42"}
    (last,) = bench.journal.entries(kind="watch.verdict")
    assert last.payload["verdict"] == "passed"


async def test_error_logs_are_surfaced_at_once(bench: Bench) -> None:
    bot = await deployed(bench, PMM)
    bench.chaos.log_errors(bot)
    watcher, told = watch(bench, bot, duration_s=60)
    verdict = await watcher.run()
    errors = [f for f in told if f.kind is FindingKind.ERROR_LOG]
    assert errors, told
    assert "exceeds available balance" in errors[0].message
    assert errors[0].severity == "error" and errors[0].logs
    # Raised on the poll that first saw it, not at the end.
    assert errors[0].elapsed_s < 30
    assert verdict.verdict == "failed"


async def test_a_bot_that_hangs_after_starting_is_caught(bench: Bench) -> None:
    bot = await deployed(bench, PMM)
    watcher, told = watch(bench, bot, duration_s=180)
    hang_when_running = watcher.on_finding

    def on_finding(finding: WatchFinding) -> None:
        assert hang_when_running is not None
        hang_when_running(finding)
        if finding.kind is FindingKind.RUNNING:
            bench.chaos.silence(bot)

    watcher.on_finding = on_finding
    verdict = await watcher.run()
    silent = [f for f in told if f.kind is FindingKind.SILENT]
    assert len(silent) == 1, told
    assert "sent nothing" in silent[0].message
    assert verdict.verdict == "failed"


async def test_a_vanished_container_ends_the_watch(bench: Bench) -> None:
    bot = await deployed(bench, PMM)
    watcher, told = watch(bench, bot)
    tell = watcher.on_finding

    def on_finding(finding: WatchFinding) -> None:
        assert tell is not None
        tell(finding)
        if finding.kind is FindingKind.RUNNING:
            bench.chaos.vanish(bot)

    watcher.on_finding = on_finding
    verdict = await watcher.run()
    assert told[-1].kind is FindingKind.CONTAINER_GONE, told
    assert "container gone" in told[-1].message
    assert verdict.verdict == "failed" and "vanished" in verdict.summary
    assert bench.pacer.slept < 900  # it ended the watch early


async def test_a_bot_that_never_comes_up(bench: Bench) -> None:
    bot = await deployed(bench, PMM)
    bench.chaos.vanish(bot)  # dies before its first report
    watcher, told = watch(bench, bot)
    verdict = await watcher.run()
    assert [f.kind for f in told] == [FindingKind.NOT_STARTED]
    assert "never appeared" in told[0].message
    assert verdict.verdict == "failed"


async def test_a_bot_whose_controller_cannot_load_never_starts(bench: Bench) -> None:
    broken = {**PMM, "trading_pair": "ETH-USDT"}  # not a Hyperliquid perp market
    bot = await deployed(bench, broken)
    watcher, told = watch(bench, bot)
    verdict = await watcher.run()
    kinds = [f.kind for f in told]
    assert FindingKind.ERROR_LOG in kinds
    assert kinds[-1] is FindingKind.NOT_STARTED
    assert any("ETH-USDT" in line for line in told[-1].logs)
    assert verdict.verdict == "failed"


async def test_a_bot_that_never_trades_is_flagged_with_likely_reasons(bench: Bench) -> None:
    far = {**PMM, "buy_spreads": [0.4], "sell_spreads": [0.4]}
    bot = await deployed(bench, far)
    watcher, told = watch(bench, bot, idle_reports=20)
    verdict = await watcher.run()
    idle = [f for f in told if f.kind is FindingKind.NOT_TRADING]
    assert len(idle) == 1, told
    assert "after 20 reports" in idle[0].message
    assert "spreads or grid bounds" in idle[0].message
    assert verdict.verdict == "warnings"


async def test_a_directional_bot_waiting_for_a_signal(bench: Bench) -> None:
    bot = await deployed(bench, BB)
    watcher, told = watch(bench, bot, idle_reports=3, duration_s=30)
    await watcher.run()
    idle = [f for f in told if f.kind is FindingKind.NOT_TRADING]
    assert idle and "no entry signal yet" in idle[0].message
