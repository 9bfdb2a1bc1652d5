"""Preflight: everything that can be checked before a bot is created, each check one line.

Static rules (risk policy, pair format, position mode, leverage caps, minimum order size from the
exchange facts, candles) come from :func:`tradeagent.strategy.check_config`; this module adds
what only the server knows: is it up and are we allowed in, can it start bots (Docker) and hear
them (MQTT), does the account exist and hold keys for each connector, is the pair listed and how
small may an order be (trading rules), and is a bot with the same name already running. In
LIVE, Hyperliquid's info API gives each perpetual's current leverage limit
(:mod:`tradeagent.desk.hyperliquid_limits`), which then replaces the table's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from tradeagent.desk.checks import Check, CheckReport, Verdict
from tradeagent.desk.hyperliquid_limits import (
    HL_PERPETUAL,
    AssetLimits,
    LimitsUnavailable,
    fetch_limits,
    limit_lines,
)
from tradeagent.desk.plan import DeployPlan, PlannedController
from tradeagent.hb import (
    AuthFailed,
    BotStatus,
    HummingbotClient,
    HummingbotError,
    InvalidRequest,
    MqttStatus,
    NotFound,
    TokenBalance,
    TradingRule,
    check_name,
)
from tradeagent.strategy import (
    BollinGridConfig,
    DrawdownCaps,
    Finding,
    GridStrikeConfig,
    RiskPolicy,
    RiskReport,
    check_config,
    facts_for,
    has_candles,
)
from tradeagent.strategy.formatting import money, quote_of

T = TypeVar("T")
GRID_MARGIN = Decimal("1.05")
"""Hummingbot's grid executor sizes every level at the minimum notional x 1.05."""

_RULE_CHECK = {
    "exchange.pair": ("pair", "pair"),
    "exchange.position_mode": ("position_mode", "position mode"),
    "exchange.max_leverage": ("leverage", "leverage"),
    "exchange.spot_leverage": ("leverage", "leverage"),
    "exchange.liquidation": ("leverage", "leverage"),
    "exchange.min_order": ("min_notional", "min order"),
    "exchange.candles_testnet": ("candles", "candles feed"),
    "exchange.candles_interval": ("candles", "candles feed"),
    "strategy.candles_elsewhere": ("candles", "candles feed"),
    "policy.drawdown_caps": ("drawdown_caps", "caps"),
}
"""Risk findings shown as one of the preflight's own lines; the others are "risk" lines."""

_PAPER_SUFFIX = "_paper_trade"


@dataclass(frozen=True)
class PreflightResult:
    report: CheckReport
    risk: dict[str, RiskReport]
    """Each controller's risk report (its money at risk feeds the confirmation)."""
    server_version: str = ""


async def preflight(
    client: HummingbotClient,
    plan: DeployPlan,
    *,
    live: bool,
    policy: RiskPolicy,
    hyperliquid_url: str | None = None,
) -> PreflightResult:
    """Run every check for ``plan``. Server trouble becomes failed lines, never exceptions.
    With ``hyperliquid_url``, Hyperliquid perpetuals are checked against the exchange's current
    limits (its info API) instead of the static table."""
    risk = _risk_reports(plan, live=live, policy=policy)
    checks: list[Check] = [*_name_check(plan)]
    server_lines, accounts, version = await _server(client)
    checks.extend(server_lines)
    if accounts is None:
        checks.append(
            Check(
                "server_checks",
                "other server checks",
                Verdict.SKIPPED,
                "not run: the server cannot be used",
            )
        )
        checks.extend(_static_lines(plan, risk, {}, live=live))
        return PreflightResult(CheckReport.of(checks), risk, version)
    markets = _markets(plan)
    connectors = sorted({connector for connector, _ in markets})
    has_account = plan.account in accounts
    on_hyperliquid = any(c.config.connector == HL_PERPETUAL for c in plan.controllers)
    venue, docker, mqtt, known, keys, bots, balances, *rules = await asyncio.gather(
        _venue_limits(hyperliquid_url) if hyperliquid_url and on_hyperliquid else _none(),
        _attempt(client.docker_running()),
        _attempt(client.mqtt_status()),
        _attempt(client.connectors()),
        _attempt(client.credentials(plan.account)) if has_account else _none(),
        _attempt(client.bots_status()),
        _attempt(client.portfolio_state(accounts=[plan.account], connectors=connectors))
        if has_account
        else _none(),
        *(
            _attempt(
                client.trading_rules(connector, sorted({p for c, p in markets if c == connector}))
            )
            for connector in connectors
        ),
    )
    checks.append(_docker_line(docker))
    checks.append(_mqtt_line(mqtt))
    checks.append(_account_line(plan.account, accounts))
    checks.extend(_connector_lines(connectors, known))
    checks.extend(_credential_lines(plan.account, connectors, accounts, keys, live=live))
    by_connector = dict(zip(connectors, rules, strict=True))
    checks.extend(_static_lines(plan, risk, by_connector, live=live, venue=venue))
    checks.append(_same_name_line(plan, bots))
    if isinstance(keys, list) and isinstance(balances, dict):
        checks.extend(_balance_lines(plan, risk, keys, balances.get(plan.account, {})))
    return PreflightResult(CheckReport.of(checks), risk, version)


# -- the server -----------------------------------------------------------------------------


async def _server(client: HummingbotClient) -> tuple[list[Check], list[str] | None, str]:
    """Reachable (``GET /``, no auth) and authenticated (the account list)."""
    try:
        info = await client.root()
    except HummingbotError as exc:
        fix = "start it (`docker compose up -d` on its host), check hummingbot.url, then retry"
        return [Check("server", "server", Verdict.FAIL, str(exc), fix)], None, ""
    version = f"{info.name or 'server'} {info.version}".strip()
    try:
        accounts = await client.accounts()
    except AuthFailed as exc:
        fix = "set hummingbot.username / hummingbot.password to the API's USERNAME / PASSWORD"
        return [Check("server", "server", Verdict.FAIL, str(exc), fix)], None, version
    except HummingbotError as exc:
        fix = "check the server's logs (`docker compose logs hummingbot-api`), then retry"
        return [Check("server", "server", Verdict.FAIL, str(exc), fix)], None, version
    line = Check("server", "server", Verdict.PASS, f"{version} at {client.url}, signed in")
    return [line], accounts, version


def _docker_line(result: bool | HummingbotError) -> Check:
    if result is True:
        return Check("docker", "docker", Verdict.PASS, "the API can start bot containers")
    detail = str(result) if isinstance(result, HummingbotError) else "the API cannot reach Docker"
    return Check(
        "docker",
        "docker",
        Verdict.FAIL,
        f"{detail}: bots cannot start",
        "start Docker on the API's host (`sudo systemctl start docker`), then retry",
    )


def _mqtt_line(result: MqttStatus | HummingbotError) -> Check:
    if isinstance(result, MqttStatus) and result.mqtt_connected:
        return Check("mqtt", "mqtt", Verdict.PASS, "connected to the broker bots report through")
    detail = (
        str(result)
        if isinstance(result, HummingbotError)
        else f"not connected to the broker ({result.client_state or 'disconnected'})"
    )
    return Check(
        "mqtt",
        "mqtt",
        Verdict.FAIL,
        f"{detail}: a bot would run unseen and could not be stopped from here",
        "check the broker (`docker compose ps emqx`) and the API's BROKER_* settings",
    )


def _account_line(account: str, accounts: list[str]) -> Check:
    if account in accounts:
        return Check("account", "account", Verdict.PASS, f"{account} exists")
    return Check(
        "account",
        "account",
        Verdict.FAIL,
        f"no account '{account}' on the server",
        f"use one of {', '.join(accounts) or '(none)'} (--account, hummingbot.account), "
        "or create it",
    )


def _connector_lines(connectors: list[str], known: list[str] | HummingbotError) -> list[Check]:
    if isinstance(known, HummingbotError):
        return [
            Check(
                "connector",
                "connector",
                Verdict.FAIL,
                f"cannot list the server's connectors: {known}",
                "retry when the server answers",
            )
        ]
    lines = []
    for connector in connectors:
        if connector in known:
            lines.append(Check("connector", "connector", Verdict.PASS, f"{connector} exists"))
        else:
            lines.append(
                Check(
                    "connector",
                    "connector",
                    Verdict.FAIL,
                    f"the server has no connector {connector}",
                    "check the spelling (e.g. hyperliquid_perpetual, binance_perpetual)",
                )
            )
    return lines


def _credential_lines(
    account: str,
    connectors: list[str],
    accounts: list[str],
    keys: list[str] | HummingbotError | None,
    *,
    live: bool,
) -> list[Check]:
    if account not in accounts:
        return [Check("credentials", "credentials", Verdict.SKIPPED, f"no account '{account}'")]
    if isinstance(keys, HummingbotError) or keys is None:
        return [
            Check(
                "credentials",
                "credentials",
                Verdict.FAIL,
                f"cannot read the keys of {account}: {keys}",
                "retry when the server answers",
            )
        ]
    lines = []
    for connector in connectors:
        if connector in keys:
            lines.append(
                Check("credentials", "credentials", Verdict.PASS, f"{account} has {connector} keys")
            )
        elif connector.endswith(_PAPER_SUFFIX):
            lines.append(
                Check("credentials", "credentials", Verdict.PASS, f"{connector} needs no keys")
            )
        else:
            lines.append(
                Check(
                    "credentials",
                    "credentials",
                    Verdict.FAIL if live else Verdict.ADVISORY,
                    f"{account} has no {connector} keys"
                    + ("" if live else " (the simulator trades without them)"),
                    f"add them (palette → Accounts → c) for {connector}, or pick another account",
                )
            )
    return lines


def _same_name_line(plan: DeployPlan, bots: dict[str, BotStatus] | HummingbotError) -> Check:
    if isinstance(bots, HummingbotError):
        return Check(
            "same_name",
            "name",
            Verdict.FAIL,
            f"cannot list the running bots: {bots}",
            "retry when the server answers",
        )
    running = sorted(
        name for name, bot in bots.items() if plan.is_instance(name) and bot.is_running
    )
    if not running:
        return Check("same_name", "name", Verdict.PASS, f"no {plan.bot_name} bot running")
    if plan.allow_same_name:
        return Check(
            "same_name",
            "name",
            Verdict.ADVISORY,
            f"{', '.join(running)} already runs; a second one will start (as asked)",
        )
    return Check(
        "same_name",
        "name",
        Verdict.FAIL,
        f"{', '.join(running)} already runs",
        "stop it first, deploy under another name (--name), or confirm you want two "
        "(--allow-same-name; `a` on the confirmation)",
    )


def _balance_lines(
    plan: DeployPlan,
    risk: dict[str, RiskReport],
    keys: list[str],
    holdings: dict[str, list[TokenBalance]],
) -> list[Check]:
    """Collateral on each keyed connector against the margin its controllers tie up. Advisory:
    balances move, and other bots share them; too little shows up as orders that fail."""
    needed: dict[str, Decimal] = {}
    for controller in plan.controllers:
        connector = controller.config.connector
        needed[connector] = needed.get(connector, Decimal(0)) + risk[controller.name].money.margin
    lines = []
    for connector, margin in sorted(needed.items()):
        if connector not in keys:
            continue  # the credentials line already says it
        tokens = holdings.get(connector)
        quote = quote_of(plan.controllers[0].config.pair)
        if not tokens:
            lines.append(
                Check(
                    "balance",
                    "balance",
                    Verdict.SKIPPED,
                    f"the server reports no balance on {connector} for {plan.account}",
                )
            )
            continue
        available = Decimal(str(sum(t.available_units * t.price for t in tokens)))
        detail = (
            f"{money(available, quote)} available on {connector}; the bot ties up about "
            f"{money(margin, quote)} of margin"
        )
        if available >= margin:
            lines.append(Check("balance", "balance", Verdict.PASS, detail))
        else:
            lines.append(
                Check(
                    "balance",
                    "balance",
                    Verdict.ADVISORY,
                    detail + ": orders will fail once it runs out",
                    "deposit more, or lower total_amount_quote",
                )
            )
    return lines


# -- static rules, completed with the server's trading rules ---------------------------------


def _risk_reports(plan: DeployPlan, *, live: bool, policy: RiskPolicy) -> dict[str, RiskReport]:
    caps = DrawdownCaps(plan.max_global_drawdown_quote, plan.max_controller_drawdown_quote)
    reports = {}
    for controller in plan.controllers:
        others = [c.config for c in plan.controllers if c is not controller]
        reports[controller.name] = check_config(
            controller.config,
            policy,
            mode="LIVE" if live else "SIM",
            others_in_bot=others,
            drawdown_caps=caps,
        )
    return reports


def _static_lines(
    plan: DeployPlan,
    risk: dict[str, RiskReport],
    rules: dict[str, dict[str, TradingRule] | HummingbotError],
    *,
    live: bool,
    venue: dict[str, AssetLimits] | LimitsUnavailable | None = None,
) -> list[Check]:
    lines: list[Check] = []
    for controller in plan.controllers:
        report = risk[controller.name]
        findings: Iterable[Finding] = report.findings
        from_venue = venue is not None and controller.config.connector == HL_PERPETUAL
        if from_venue and not isinstance(venue, LimitsUnavailable):
            # The exchange's own number supersedes the table's.
            findings = [f for f in findings if f.rule != "exchange.max_leverage"]
        found = _finding_lines(controller.name, findings)
        lines.extend(found)
        failed_ids = {line.id for line in found}
        lines.extend(_pair_lines(controller, rules, failed_ids))
        if "min_notional" not in failed_ids:
            lines.extend(_min_notional_lines(controller, report, rules))
        if from_venue and venue is not None:
            lines.extend(limit_lines(controller, venue))
        elif "leverage" not in failed_ids:
            lines.extend(_leverage_lines(controller))
        if "position_mode" not in failed_ids:
            lines.extend(_position_mode_lines(controller))
        if "candles" not in failed_ids:
            lines.extend(_candles_lines(controller))
    lines.append(_caps_line(plan, risk, live=live))
    return lines


def _finding_lines(controller: str, findings: Iterable[Finding]) -> list[Check]:
    lines = []
    for finding in findings:
        if finding.rule == "policy.drawdown_caps":
            continue  # one bot-wide line, below
        check_id, label = _RULE_CHECK.get(finding.rule, ("risk", finding.rule.split(".")[-1]))
        where = f" ({finding.field})" if finding.field else ""
        lines.append(
            Check(
                check_id,
                label.replace("_", " "),
                Verdict.FAIL if finding.blocking else Verdict.ADVISORY,
                finding.message + where,
                finding.fix,
                controller=controller,
            )
        )
    return lines


def _pair_lines(
    controller: PlannedController,
    rules: dict[str, dict[str, TradingRule] | HummingbotError],
    failed_ids: set[str],
) -> list[Check]:
    lines = []
    for market in controller.config.markets():
        connector, pair = market.connector, market.trading_pair
        found = rules.get(connector)
        if found is None:
            continue  # no server answer to add (server down: already a failed line)
        if isinstance(found, NotFound):
            lines.append(
                Check(
                    "pair",
                    "pair",
                    Verdict.FAIL,
                    str(found),
                    f"use a pair {connector} lists, spelled as Hummingbot does (BASE-QUOTE)",
                    controller=controller.name,
                )
            )
        elif isinstance(found, HummingbotError):
            lines.append(
                Check(
                    "pair",
                    "pair",
                    Verdict.FAIL,
                    f"cannot read the trading rules of {connector}: {found}",
                    "retry when the server answers",
                    controller=controller.name,
                )
            )
        elif pair in found and "pair" not in failed_ids:
            lines.append(
                Check(
                    "pair",
                    "pair",
                    Verdict.PASS,
                    f"{pair} listed on {connector}",
                    controller=controller.name,
                )
            )
    return lines


def _min_notional_lines(
    controller: PlannedController,
    report: RiskReport,
    rules: dict[str, dict[str, TradingRule] | HummingbotError],
) -> list[Check]:
    config = controller.config
    lines = []
    for market in config.markets():
        found = rules.get(market.connector)
        rule = found.get(market.trading_pair) if isinstance(found, dict) else None
        facts = facts_for(market.connector)
        minimum = Decimal(str(rule.min_notional_size)) if rule is not None else None
        if (minimum is None or minimum <= 0) and facts is not None:
            minimum = facts.min_order_notional
        if minimum is None or minimum <= 0:
            continue
        margin = facts.min_notional_margin if facts is not None else Decimal(1)
        if isinstance(config, GridStrikeConfig | BollinGridConfig):
            margin = max(margin, GRID_MARGIN)
        needed = minimum * margin
        quote = quote_of(market.trading_pair)
        smallest = report.money.smallest_order
        label = f"min {money(minimum, quote)}"
        if smallest >= needed:
            lines.append(
                Check(
                    "min_notional",
                    label,
                    Verdict.PASS,
                    f"smallest order {money(smallest, quote)} ≥ {money(needed, quote)}",
                    controller=controller.name,
                )
            )
        else:
            lines.append(
                Check(
                    "min_notional",
                    label,
                    Verdict.FAIL,
                    f"the smallest order is {money(smallest, quote)}; {market.connector} "
                    f"needs {money(minimum, quote)} per order"
                    + (f" ({money(needed, quote)} with rounding margin)" if margin > 1 else ""),
                    "raise total_amount_quote, or use fewer positions / levels",
                    controller=controller.name,
                )
            )
    return lines


def _leverage_lines(controller: PlannedController) -> list[Check]:
    config = controller.config
    leverage: int | None = getattr(config, "leverage", None)
    if leverage is None:
        return []
    facts = facts_for(config.connector)
    cap = facts.leverage_cap(config.pair) if facts is not None else None
    label = f"leverage ≤ {cap}x" if cap is not None else f"leverage {leverage}x"
    detail = f"{leverage}x" + (
        "" if cap is not None else " (the exchange maximum is not known here)"
    )
    return [Check("leverage", label, Verdict.PASS, detail, controller=controller.name)]


def _position_mode_lines(controller: PlannedController) -> list[Check]:
    config = controller.config
    mode = getattr(config, "position_mode", None)
    facts = facts_for(config.connector)
    if mode is None or facts is None or not facts.is_perpetual:
        return []
    return [
        Check(
            "position_mode",
            str(mode),
            Verdict.PASS,
            f"{facts.venue} supports {' / '.join(facts.position_modes or (mode,))}",
            controller=controller.name,
        )
    ]


def _candles_lines(controller: PlannedController) -> list[Check]:
    config = controller.config
    if not has_candles(config):
        return []
    connector: str = getattr(config, "candles_connector", "") or ""
    pair: str = getattr(config, "candles_trading_pair", "") or ""
    interval: str = getattr(config, "interval", "") or ""
    if not connector or not pair:
        return [
            Check(
                "candles",
                "candles feed",
                Verdict.FAIL,
                "candles_connector / candles_trading_pair not set: the bot would get no candles",
                "set both (usually the traded connector and pair)",
                controller=controller.name,
            )
        ]
    return [
        Check(
            "candles",
            "candles feed",
            Verdict.PASS,
            f"{interval} candles of {pair} on {connector}",
            controller=controller.name,
        )
    ]


def _caps_line(plan: DeployPlan, risk: dict[str, RiskReport], *, live: bool) -> Check:
    bot, each = plan.max_global_drawdown_quote, plan.max_controller_drawdown_quote
    quote = quote_of(plan.controllers[0].config.pair)
    if bot is not None and each is not None:
        return Check(
            "drawdown_caps",
            "caps",
            Verdict.PASS,
            f"bot drawdown {money(bot, quote)} · controller drawdown {money(each, quote)}",
        )
    missing = " and ".join(
        name for name, value in (("bot", bot), ("controller", each)) if value is None
    )
    policy_blocks = any(
        f.rule == "policy.drawdown_caps" and f.blocking
        for report in risk.values()
        for f in report.findings
    )
    blocking = live or policy_blocks
    why = "required in LIVE" if live else "required by the risk policy" if policy_blocks else ""
    return Check(
        "drawdown_caps",
        "caps",
        Verdict.FAIL if blocking else Verdict.ADVISORY,
        f"no {missing} drawdown cap" + (f" ({why})" if why else ""),
        "set them (--max-drawdown / --max-controller-drawdown, or desk.global_drawdown_pct / "
        "desk.controller_drawdown_pct)",
    )


def _name_check(plan: DeployPlan) -> list[Check]:
    try:
        check_name(plan.bot_name, "Bot name", "instance_name")
    except InvalidRequest as exc:
        return [
            Check("bot_name", "bot name", Verdict.FAIL, str(exc), "choose another name (--name)")
        ]
    return []


def _markets(plan: DeployPlan) -> list[tuple[str, str]]:
    found = []
    for controller in plan.controllers:
        for market in controller.config.markets():
            if (market.connector, market.trading_pair) not in found:
                found.append((market.connector, market.trading_pair))
    return found


async def _attempt(call: Awaitable[T]) -> T | HummingbotError:
    try:
        return await call
    except HummingbotError as exc:
        return exc


async def _venue_limits(url: str) -> dict[str, AssetLimits] | LimitsUnavailable:
    try:
        return await fetch_limits(url)
    except LimitsUnavailable as exc:
        return exc


async def _none() -> Any:
    return None
