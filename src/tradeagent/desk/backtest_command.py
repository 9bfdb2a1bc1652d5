"""`tradeagent backtest`: read a config file, run the job, render text or JSON.

Takes plain values from the caller (cli.py passes them from settings); raises `CommandFailed`
with the exit code and a message a trader can act on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tradeagent.backtest import BacktestError, BacktestResult, CandleError
from tradeagent.backtest.report import format_comparison, format_result
from tradeagent.backtest.sources import CandleSourceError
from tradeagent.desk.backtesting import BacktestJob, ServerRun, build_job, run_job, run_on_server
from tradeagent.hb import HummingbotClient, HummingbotError
from tradeagent.strategy import ConfigError, ControllerConfigBase, load_yaml

EXIT_INVALID = 2  # the input is wrong: config, options, candle file
EXIT_FAILED = 1  # the input is fine but the run failed: network, server


class CommandFailed(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class HummingbotAccess:
    url: str
    username: str
    password: str
    timeout: float
    long_timeout: float


@dataclass(frozen=True)
class BacktestCommand:
    cache_dir: Path | None
    hummingbot: HummingbotAccess | None = None
    record: Callable[[BacktestResult], None] | None = None
    """Called with each finished backtest (the CLI journals it for the deploy gate)."""

    async def run(
        self,
        config_file: Path,
        *,
        as_json: bool,
        engine: str,
        days: float | None,
        start: str | None,
        end: str | None,
        source: str,
        seed: int,
        mode: str,
        trade_cost: float,
        resolution: str,
    ) -> str:
        config = read_config(config_file)
        if engine == "server" and source != "hummingbot":
            raise CommandFailed(
                "--engine server compares with the Hummingbot API's backtester, which downloads "
                "the exchange's candles: use it with --source hummingbot",
                EXIT_INVALID,
            )
        if engine == "server" and mode != "hummingbot":
            raise CommandFailed(
                "--engine server compares Hummingbot-mode numbers: drop --mode realistic",
                EXIT_INVALID,
            )
        try:
            job = build_job(
                config,
                days=days,
                start=start,
                end=end,
                source=source,
                seed=seed,
                mode="realistic" if mode == "realistic" else "hummingbot",
                trade_cost=trade_cost,
                resolution=resolution,
            )
        except BacktestError as exc:
            raise CommandFailed(str(exc), EXIT_INVALID) from None
        client = self._client() if source == "hummingbot" else None
        try:
            async with httpx.AsyncClient(timeout=30.0) as http:
                result = await self._local(job, http, client)
                server = (
                    await run_on_server(job, result, client)
                    if engine == "server" and client
                    else None
                )
        except HummingbotError as exc:
            raise CommandFailed(str(exc), EXIT_FAILED) from None
        finally:
            if client is not None:
                await client.aclose()
        if self.record is not None:
            self.record(result)
        return render(result, server, as_json=as_json)

    async def _local(
        self, job: BacktestJob, http: httpx.AsyncClient, client: HummingbotClient | None
    ) -> BacktestResult:
        try:
            return await run_job(job, cache_dir=self.cache_dir, http=http, hummingbot=client)
        except (BacktestError, CandleError) as exc:
            raise CommandFailed(str(exc), EXIT_INVALID) from None
        except CandleSourceError as exc:
            code = EXIT_INVALID if job.source.kind == "file" else EXIT_FAILED
            raise CommandFailed(str(exc), code) from None

    def _client(self) -> HummingbotClient:
        access = self.hummingbot
        if access is None:
            raise CommandFailed(
                "--source hummingbot needs a Hummingbot API: set hummingbot.url in the config "
                "file (tradeagent config init writes a template)",
                EXIT_INVALID,
            )
        return HummingbotClient(
            access.url,
            access.username,
            access.password,
            timeout=access.timeout,
            long_timeout=access.long_timeout,
        )


def read_config(path: Path) -> ControllerConfigBase:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise CommandFailed(f"cannot read {path}: {exc.strerror or exc}", EXIT_INVALID) from None
    try:
        return load_yaml(text, source=str(path))
    except ConfigError as exc:
        raise CommandFailed(str(exc), EXIT_INVALID) from None


def render(result: BacktestResult, server: ServerRun | None, *, as_json: bool) -> str:
    if as_json:
        data: dict[str, Any] = result.to_dict()
        if server is not None:
            data["server"] = {
                "results": server.summary,
                "total_executors": server.executors,
                "differences": [
                    {"key": d.key, "local": d.local, "server": d.server} for d in server.differences
                ],
            }
        return json.dumps(data, indent=1, allow_nan=False)
    text = format_result(result)
    if server is not None:
        text += "\n\nHummingbot API backtester (same config, window and fee):\n"
        text += format_comparison(result, server.summary, server.differences)
    return text
