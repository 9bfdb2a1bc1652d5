"""The risk policy (limits a trader sets in settings ``[risk]``) and every check of a draft.

``check_config`` returns findings: *blocking* ones stop a deploy, *warnings* are shown and logged.
Exchange rules (pair format, position mode, leverage caps, minimum order size, candle intervals)
always apply; policy limits apply unless the policy is switched off, which LIVE refuses unless
``allow_live_without_policy`` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tradeagent.strategy.bases import (
    ControllerConfigBase,
    DirectionalTradingBase,
    MarketMakingBase,
)
from tradeagent.strategy.exchanges import ExchangeFacts, facts_for, market_of, pair_problem
from tradeagent.strategy.exposure import MoneyAtRisk, money_at_risk
from tradeagent.strategy.fields import PositionMode
from tradeagent.strategy.formatting import money, pct, quote_of
from tradeagent.strategy.models import (
    DManV3Config,
    GridStrikeConfig,
    IndicatorConfig,
)

Mode = Literal["SIM", "LIVE"]
Severity = Literal["blocking", "warning"]


class RiskPolicy(BaseModel):
    """Risk limits applied to every draft and again at deploy. Defaults are conservative."""

    model_config = ConfigDict(extra="forbid", validate_default=True, frozen=True)

    enabled: bool = Field(default=True, description="Apply the risk policy at all.")
    allow_live_without_policy: bool = Field(
        default=False,
        description="Permit LIVE deploys with enabled=false. Leave false unless you mean it.",
    )
    max_amount_per_controller: Decimal = Field(
        default=Decimal("1000"), gt=0, description="Max total_amount_quote of one controller."
    )
    max_amount_per_bot: Decimal = Field(
        default=Decimal("5000"), gt=0, description="Max summed total_amount_quote of one bot."
    )
    max_leverage: int = Field(
        default=5, ge=1, le=200, description="Max leverage of any controller."
    )
    require_stop_loss: bool = Field(
        default=True, description="Directional controllers must set stop_loss."
    )
    max_stop_loss: Decimal = Field(
        default=Decimal("0.10"), gt=0, lt=1, description="Widest stop_loss allowed (0.10 = 10%)."
    )
    require_drawdown_caps: bool = Field(
        default=True, description="Deploys must set global and per-controller drawdown caps."
    )
    allowed_connectors: list[str] = Field(
        default_factory=list, description="Connectors allowed to trade; empty = any."
    )
    allowed_pairs: list[str] = Field(
        default_factory=list, description="Trading pairs allowed; empty = any."
    )
    min_order_notional: dict[str, Decimal] = Field(
        default_factory=dict,
        description="Per-connector minimum order notional overrides (quote units).",
    )


@dataclass(frozen=True)
class Finding:
    """One check that did not pass."""

    severity: Severity
    rule: str
    """Stable id of the check, e.g. ``leverage.policy`` (for logs and the journal)."""
    field: str | None
    message: str
    """What is wrong, in one line."""
    fix: str
    """What to change, in one line."""

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"


@dataclass(frozen=True)
class DrawdownCaps:
    """The deploy's drawdown limits (quote units); None = not set."""

    bot: Decimal | None
    controller: Decimal | None


@dataclass(frozen=True)
class RiskReport:
    findings: tuple[Finding, ...]
    checks_run: int
    money: MoneyAtRisk

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.blocking)

    @property
    def passed(self) -> int:
        failed_rules = {f.rule for f in self.findings}
        return self.checks_run - len(failed_rules)

    @property
    def ok(self) -> bool:
        return not self.blocking


@dataclass(frozen=True)
class _Context:
    config: ControllerConfigBase
    policy: RiskPolicy
    mode: Mode
    money: MoneyAtRisk
    others_in_bot: Sequence[ControllerConfigBase]
    drawdown_caps: DrawdownCaps | None

    @property
    def policy_applies(self) -> bool:
        return self.policy.enabled


_Rule = Callable[[_Context], Iterator[Finding]]
_RULES: list[_Rule] = []


def _rule(function: _Rule) -> _Rule:
    _RULES.append(function)
    return function


def check_config(
    config: ControllerConfigBase,
    policy: RiskPolicy | None = None,
    *,
    mode: Mode = "SIM",
    others_in_bot: Sequence[ControllerConfigBase] = (),
    drawdown_caps: DrawdownCaps | None = None,
) -> RiskReport:
    """Run every check. ``drawdown_caps`` None means "not chosen yet" (the preview): missing caps
    are then a warning; at deploy pass the caps and a missing one blocks."""
    context = _Context(
        config, policy or RiskPolicy(), mode, money_at_risk(config), others_in_bot, drawdown_caps
    )
    findings = [finding for rule in _RULES for finding in rule(context)]
    order = {"blocking": 0, "warning": 1}
    findings.sort(key=lambda f: order[f.severity])
    return RiskReport(tuple(findings), len(_RULES), context.money)


def _quote(config: ControllerConfigBase) -> str:
    return quote_of(config.pair)


# --------------------------------------------------------------------------- policy switch


@_rule
def _policy_switch(context: _Context) -> Iterator[Finding]:
    if context.policy.enabled:
        return
    live_refused = context.mode == "LIVE" and not context.policy.allow_live_without_policy
    yield Finding(
        "blocking" if live_refused else "warning",
        "policy.disabled",
        None,
        "the risk policy is switched off: amount, leverage and stop limits are not checked"
        + (" (LIVE refuses this)" if live_refused else ""),
        "set risk.enabled = true in the config file"
        + (" (or risk.allow_live_without_policy = true if you mean it)" if live_refused else ""),
    )


# --------------------------------------------------------------------------- policy limits


@_rule
def _allowed_markets(context: _Context) -> Iterator[Finding]:
    if not context.policy_applies:
        return
    policy = context.policy
    for market in context.config.markets():
        connector, pair, prefix = market.connector, market.trading_pair, market.prefix
        if policy.allowed_connectors and connector not in policy.allowed_connectors:
            yield Finding(
                "blocking",
                "policy.connector",
                f"{prefix}connector_name",
                f"{connector} is not in the allowed connectors",
                f"use one of {', '.join(policy.allowed_connectors)}, or add it to "
                "risk.allowed_connectors",
            )
        if policy.allowed_pairs and pair not in policy.allowed_pairs:
            yield Finding(
                "blocking",
                "policy.pair",
                f"{prefix}trading_pair",
                f"{pair} is not in the allowed pairs",
                f"use one of {', '.join(policy.allowed_pairs)}, or add it to risk.allowed_pairs",
            )


@_rule
def _amount(context: _Context) -> Iterator[Finding]:
    if not context.policy_applies:
        return
    config, policy = context.config, context.policy
    quote = _quote(config)
    amount = config.total_amount_quote
    if amount > policy.max_amount_per_controller:
        yield Finding(
            "blocking",
            "policy.amount_per_controller",
            "total_amount_quote",
            f"{money(amount, quote)} is above the per-controller limit of "
            f"{money(policy.max_amount_per_controller, quote)}",
            f"lower total_amount_quote to {money(policy.max_amount_per_controller, quote)} or "
            "less, or raise risk.max_amount_per_controller",
        )
    bot_total = amount + sum(other.total_amount_quote for other in context.others_in_bot)
    if bot_total > policy.max_amount_per_bot:
        yield Finding(
            "blocking",
            "policy.amount_per_bot",
            "total_amount_quote",
            f"the bot would deploy {money(bot_total, quote)}, above the per-bot limit of "
            f"{money(policy.max_amount_per_bot, quote)}",
            "deploy fewer or smaller controllers, or raise risk.max_amount_per_bot",
        )


@_rule
def _leverage_policy(context: _Context) -> Iterator[Finding]:
    leverage = getattr(context.config, "leverage", 1)
    if context.policy_applies and leverage > context.policy.max_leverage:
        yield Finding(
            "blocking",
            "policy.leverage",
            "leverage",
            f"{leverage}x is above the policy maximum of {context.policy.max_leverage}x",
            f"set leverage to {context.policy.max_leverage} or less",
        )


@_rule
def _stop_loss(context: _Context) -> Iterator[Finding]:
    config, policy = context.config, context.policy
    if not context.policy_applies:
        return
    if isinstance(config, DirectionalTradingBase | MarketMakingBase):
        stop = config.stop_loss
        if stop is None:
            directional = isinstance(config, DirectionalTradingBase)
            yield Finding(
                "blocking" if directional and policy.require_stop_loss else "warning",
                "policy.stop_loss_required",
                "stop_loss",
                "no stop loss: a position can lose until the time limit closes it"
                if config.time_limit
                else "no stop loss and no time limit: a position's loss is unbounded",
                f"set stop_loss, e.g. {min(Decimal('0.03'), policy.max_stop_loss)}",
            )
        elif stop > policy.max_stop_loss:
            yield Finding(
                "blocking",
                "policy.max_stop_loss",
                "stop_loss",
                f"stop loss {pct(stop)} is wider than the policy maximum of "
                f"{pct(policy.max_stop_loss)}",
                f"set stop_loss to {policy.max_stop_loss} or less",
            )
        if isinstance(config, DManV3Config) and config.dynamic_target and stop is not None:
            yield Finding(
                "warning",
                "policy.dynamic_stop",
                "dynamic_target",
                "dynamic_target scales the stop with the band width: the real stop can be wider "
                f"than {pct(stop)}",
                "set dynamic_target: false for a fixed stop",
            )
    elif isinstance(config, GridStrikeConfig):
        grid_stop = context.money.stop
        if grid_stop is not None and grid_stop > policy.max_stop_loss:
            yield Finding(
                "blocking",
                "policy.max_stop_loss",
                "limit_price",
                f"a filled grid loses {pct(grid_stop)} at limit_price, wider than the policy "
                f"maximum of {pct(policy.max_stop_loss)}",
                "move limit_price closer to the grid, or narrow the grid",
            )
        if config.keep_position:
            yield Finding(
                "warning",
                "policy.grid_keeps_position",
                "keep_position",
                "the grid keeps its inventory when it stops: nothing limits the loss",
                "set keep_position: false",
            )


@_rule
def _drawdown_caps(context: _Context) -> Iterator[Finding]:
    if not context.policy_applies or not context.policy.require_drawdown_caps:
        return
    caps = context.drawdown_caps
    if caps is None:
        yield Finding(
            "warning",
            "policy.drawdown_caps",
            None,
            "no drawdown caps yet (required to deploy)",
            "choose the bot and controller drawdown caps at deploy",
        )
        return
    missing = [
        name
        for name, value in (("bot", caps.bot), ("controller", caps.controller))
        if value is None
    ]
    if missing:
        yield Finding(
            "blocking",
            "policy.drawdown_caps",
            None,
            f"no {' and '.join(missing)} drawdown cap",
            "set max_global_drawdown_quote and max_controller_drawdown_quote",
        )


# --------------------------------------------------------------------------- exchange rules


def _facts_or_warning(connector: str, prefix: str) -> tuple[ExchangeFacts | None, Finding | None]:
    facts = facts_for(connector)
    if facts is not None:
        return facts, None
    return None, Finding(
        "warning",
        "exchange.unknown",
        f"{prefix}connector_name",
        f"no exchange facts for {connector}: minimum order size, leverage and position mode "
        "are not checked here",
        "the deploy preflight checks them on the server; double-check the pair format",
    )


@_rule
def _pair_format(context: _Context) -> Iterator[Finding]:
    for market in context.config.markets():
        pair, prefix = market.trading_pair, market.prefix
        facts, unknown = _facts_or_warning(market.connector, prefix)
        if unknown is not None:
            yield unknown
            continue
        assert facts is not None
        problem = pair_problem(facts, pair)
        if problem:
            yield Finding(
                "blocking",
                "exchange.pair",
                f"{prefix}trading_pair",
                f"{pair}: {problem}",
                "use the pair exactly as Hummingbot names it on this connector",
            )


@_rule
def _position_mode(context: _Context) -> Iterator[Finding]:
    mode: PositionMode | None = getattr(context.config, "position_mode", None)
    if mode is None:
        return
    facts = facts_for(context.config.connector)
    if facts is None or not facts.position_modes or mode in facts.position_modes:
        return
    supported = " / ".join(facts.position_modes)
    yield Finding(
        "blocking",
        "exchange.position_mode",
        "position_mode",
        f"{facts.venue} supports {supported} only; Hummingbot logs 'mode not set' and runs "
        f"{supported} anyway",
        f"set position_mode: {facts.position_modes[0]}",
    )


@_rule
def _leverage_exchange(context: _Context) -> Iterator[Finding]:
    config = context.config
    leverage: int | None = getattr(config, "leverage", None)
    if leverage is None:
        return
    connector, pair = config.connector, config.pair
    facts = facts_for(connector)
    if market_of(connector) == "spot":
        if leverage != 1:
            yield Finding(
                "blocking",
                "exchange.spot_leverage",
                "leverage",
                f"{connector} is a spot market: leverage {leverage}x is not applied, and "
                "money-at-risk figures would be wrong",
                "set leverage: 1",
            )
        return
    cap = facts.leverage_cap(pair) if facts else None
    if cap is not None and leverage > cap:
        assert facts is not None
        yield Finding(
            "blocking",
            "exchange.max_leverage",
            "leverage",
            f"{facts.venue} allows at most {cap}x on {pair.split('-')[0]}; a failed leverage "
            "change is only logged and the bot trades at the account's previous leverage",
            f"set leverage to {cap} or less",
        )
    stop = context.money.stop
    if stop is not None and leverage > 1 and stop >= Decimal(1) / leverage / 2:
        yield Finding(
            "warning",
            "exchange.liquidation",
            "leverage",
            f"at {leverage}x a {pct(Decimal(1) / leverage)} move wipes out the margin; the "
            f"{pct(stop)} stop is close to or past liquidation",
            f"lower leverage to {max(1, int(Decimal(1) / (stop * 2)))}x or tighten the stop",
        )


@_rule
def _min_order(context: _Context) -> Iterator[Finding]:
    config, policy = context.config, context.policy
    for market in config.markets():
        connector, pair = market.connector, market.trading_pair
        facts = facts_for(connector)
        minimum = policy.min_order_notional.get(connector)
        margin = Decimal(1)
        if minimum is None and facts is not None and facts.min_order_notional is not None:
            minimum = facts.min_order_notional
            margin = facts.min_notional_margin
        if minimum is None:
            continue
        smallest = context.money.smallest_order
        needed = minimum * margin
        if smallest < needed:
            quote = quote_of(pair)
            yield Finding(
                "blocking",
                "exchange.min_order",
                "total_amount_quote",
                f"the smallest order is {money(smallest, quote)}; {connector} needs at least "
                f"{money(minimum, quote)} per order"
                + (f" (keep {money(needed, quote)} for rounding)" if margin > 1 else ""),
                _min_order_fix(config, smallest, needed),
            )


def _min_order_fix(config: ControllerConfigBase, smallest: Decimal, needed: Decimal) -> str:
    factor = needed / smallest
    raise_to = (config.total_amount_quote * factor).quantize(Decimal(1)) + 1
    if isinstance(config, GridStrikeConfig):
        return f"raise min_order_amount_quote to {needed.quantize(Decimal('0.01'))} or more"
    if isinstance(config, DirectionalTradingBase) and config.max_executors_per_side > 1:
        return (
            f"raise total_amount_quote to {raise_to} or lower max_executors_per_side "
            f"(now {config.max_executors_per_side})"
        )
    if isinstance(config, MarketMakingBase):
        return f"raise total_amount_quote to {raise_to} or use fewer levels"
    return f"raise total_amount_quote to {raise_to} or more"


@_rule
def _candles(context: _Context) -> Iterator[Finding]:
    config = context.config
    if not isinstance(config, IndicatorConfig):
        return
    facts = facts_for(config.candles_connector)
    if facts is not None and facts.testnet:
        yield Finding(
            "blocking",
            "exchange.candles_testnet",
            "candles_connector",
            f"Hummingbot has no candle feed for {config.candles_connector}",
            f"set candles_connector: {facts.candles_connector} (mainnet prices)",
        )
    elif facts is not None and config.interval not in facts.candle_intervals:
        yield Finding(
            "blocking",
            "exchange.candles_interval",
            "interval",
            f"{facts.venue} candles do not come in {config.interval}",
            f"use one of {' '.join(sorted(facts.candle_intervals, key=_interval_seconds))}",
        )
    trade_facts = facts_for(config.connector)
    expected = trade_facts.candles_connector if trade_facts else config.connector
    if (config.candles_connector, config.candles_trading_pair) != (expected, config.pair):
        yield Finding(
            "warning",
            "strategy.candles_elsewhere",
            "candles_connector",
            "signals come from another market than the one traded",
            "intended? otherwise set candles_connector / candles_trading_pair to the traded market",
        )


_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000}


def _interval_seconds(interval: str) -> int:
    return int(interval[:-1]) * _UNIT_SECONDS[interval[-1]]


# --------------------------------------------------------------------------- strategy sanity


@_rule
def _exits(context: _Context) -> Iterator[Finding]:
    config = context.config
    if not isinstance(config, DirectionalTradingBase | MarketMakingBase):
        return
    fee_rate = context.money.fee_rate
    if config.take_profit is not None and config.take_profit <= fee_rate:
        yield Finding(
            "warning",
            "strategy.take_profit_below_fees",
            "take_profit",
            f"take profit {pct(config.take_profit)} does not cover the round-trip fees of about "
            f"{pct(fee_rate)}: winning trades lose money",
            f"raise take_profit above {pct(fee_rate)}",
        )
    trailing = config.trailing_stop
    if trailing is not None and trailing.trailing_delta >= trailing.activation_price:
        yield Finding(
            "warning",
            "strategy.trailing_stop",
            "trailing_stop.trailing_delta",
            "the trailing delta is not smaller than its activation: a trailed exit can close "
            "at a loss",
            "make trailing_delta smaller than activation_price",
        )
