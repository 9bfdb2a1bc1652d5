"""What a deploy will do: which configs, under which bot name and account, with which caps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from functools import cached_property
from typing import Any

from tradeagent.hb import DEFAULT_BOT_IMAGE
from tradeagent.strategy import ControllerConfigBase, config_hash, to_mapping

_TIMESTAMPED = r"-\d{8}-\d{6}"


class PlanError(ValueError):
    """A deploy that cannot even be planned (no configs, two with the same id)."""


@dataclass(frozen=True)
class PlannedController:
    """One controller config, saved on the server under its ``id``."""

    config: ControllerConfigBase

    @property
    def name(self) -> str:
        return self.config.id

    @cached_property
    def config_hash(self) -> str:
        return config_hash(self.config)

    @cached_property
    def mapping(self) -> dict[str, Any]:
        """The body saved via ``POST /controllers/configs/{name}``."""
        return to_mapping(self.config)

    @property
    def kind(self) -> str:
        return self.config.KIND


@dataclass(frozen=True)
class DeployPlan:
    bot_name: str
    """Base name; the server appends ``-YYYYMMDD-HHMMSS``."""
    account: str
    controllers: tuple[PlannedController, ...]
    image: str = DEFAULT_BOT_IMAGE
    max_global_drawdown_quote: Decimal | None = None
    max_controller_drawdown_quote: Decimal | None = None
    allow_same_name: bool = False
    """The trader means to run a second bot with the same base name."""

    @property
    def capital(self) -> Decimal:
        return sum((c.config.total_amount_quote for c in self.controllers), Decimal(0))

    def is_instance(self, bot: str) -> bool:
        """True for bot names the server makes from this plan's base name."""
        return is_instance_of(self.bot_name, bot)

    def to_json(self) -> dict[str, Any]:
        return {
            "bot_name": self.bot_name,
            "account": self.account,
            "image": self.image,
            "max_global_drawdown_quote": _plain(self.max_global_drawdown_quote),
            "max_controller_drawdown_quote": _plain(self.max_controller_drawdown_quote),
            "allow_same_name": self.allow_same_name,
            "controllers": [
                {"name": c.name, "config_hash": c.config_hash, "config": c.mapping}
                for c in self.controllers
            ],
        }


def is_instance_of(base: str, bot: str) -> bool:
    """True when ``bot`` is ``base`` plus the ``-YYYYMMDD-HHMMSS`` the server appends."""
    return re.fullmatch(re.escape(base) + _TIMESTAMPED, bot) is not None


def default_caps(
    configs: Sequence[ControllerConfigBase], global_pct: Decimal, controller_pct: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """Drawdown caps as fractions of the capital: the bot's (summed) and its largest
    controller's. A fraction of 0 means no default cap."""
    capital = sum((c.total_amount_quote for c in configs), Decimal(0))
    largest = max((c.total_amount_quote for c in configs), default=Decimal(0))
    bot = _cents(capital * global_pct) if global_pct > 0 else None
    controller = _cents(largest * controller_pct) if controller_pct > 0 else None
    return bot, controller


def make_plan(
    configs: Sequence[ControllerConfigBase],
    *,
    account: str,
    bot_name: str | None = None,
    image: str = DEFAULT_BOT_IMAGE,
    max_global_drawdown_quote: Decimal | None = None,
    max_controller_drawdown_quote: Decimal | None = None,
    allow_same_name: bool = False,
) -> DeployPlan:
    """A plan for ``configs``; the bot's base name defaults to the first config's id."""
    if not configs:
        raise PlanError("Nothing to deploy: give at least one controller config.")
    seen: set[str] = set()
    for config in configs:
        if config.id in seen:
            raise PlanError(
                f"Two configs have the id '{config.id}'. Each is saved on the server under its "
                "id, so give them different ids."
            )
        seen.add(config.id)
    return DeployPlan(
        bot_name=bot_name or configs[0].id,
        account=account,
        controllers=tuple(PlannedController(config) for config in configs),
        image=image,
        max_global_drawdown_quote=max_global_drawdown_quote,
        max_controller_drawdown_quote=max_controller_drawdown_quote,
        allow_same_name=allow_same_name,
    )


def _cents(value: Decimal) -> Decimal | None:
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return rounded if rounded > 0 else None


def _plain(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
