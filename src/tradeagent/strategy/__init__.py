"""The strategy domain: Hummingbot V2 controller configs as validated, frozen pydantic models.

Pure: no I/O, nothing else of tradeagent imported. Public API (names are stable):

Models
    ``ControllerConfig``        discriminated union (on ``controller_name``) of the 11 stock
                                controllers; ``ControllerConfigBase`` their common base,
                                ``DirectionalTradingBase`` / ``MarketMakingBase`` the two families.
    ``CONTROLLER_CLASSES``      controller_name -> model class.
    ``TrailingStop``, ``TripleBarrier``, ``ConnectorPair``, ``InitialPosition``, and the enums
    ``PositionMode``, ``OrderType``, ``TradeType`` (Hummingbot's encodings).

Parsing and I/O
    ``parse_config(mapping)``   validate parsed YAML/JSON -> ``ControllerConfig``.
    ``load_yaml(text)``         YAML text (str or bytes, safe: size, alias and depth limits)
                                -> ``ControllerConfig``.
    ``dump_yaml(config)``       -> the YAML text Hummingbot loads (every field explicit).
    ``to_mapping(config)``      -> JSON-compatible dict (the body for POST /controllers/configs).
    ``with_changes(config, {field: value})`` -> a validated copy (models are frozen).
    ``config_hash(config)``     SHA-256 of the canonical JSON; the identity of a config.

Errors
    ``ConfigError``             raised by the above; ``.problems`` is a tuple of ``Problem``
                                (field, value, why, allowed, line) with ``.message`` and
                                ``.as_dict()``; ``str(error)`` is the human message.

Risk, money, words
    ``RiskPolicy``              the limits (settings ``[risk]``).
    ``check_config(config, policy, mode=, others_in_bot=, drawdown_caps=)`` -> ``RiskReport``
                                (``.findings`` of ``Finding``: severity blocking|warning, rule,
                                field, message, fix; ``.blocking``, ``.warnings``, ``.money``).
    ``money_at_risk(config)``   -> ``MoneyAtRisk`` (notional, margin, worst case at stop, fees,
                                order sizes).
    ``describe(config)``        -> ``Description`` (headline, terms, signal); ``risk_line``.

Exchanges and templates
    ``EXCHANGES`` / ``facts_for(connector)`` -> ``ExchangeFacts`` (each fact with its source).
    ``TEMPLATES`` / ``build_template(key, TemplateInputs(...))`` -> ``ControllerConfig``.
"""

from tradeagent.strategy.bases import (
    ControllerConfigBase,
    DirectionalTradingBase,
    MarketMakingBase,
)
from tradeagent.strategy.errors import ConfigError, Problem
from tradeagent.strategy.exchanges import (
    COMMON_CONNECTORS,
    EXCHANGES,
    ExchangeFacts,
    facts_for,
)
from tradeagent.strategy.exposure import MoneyAtRisk, money_at_risk
from tradeagent.strategy.fields import CANDLE_INTERVALS, OrderType, PositionMode, TradeType
from tradeagent.strategy.models import (
    CONTROLLER_CLASSES,
    ArbitrageControllerConfig,
    BollingerV1Config,
    BollingerV2Config,
    BollinGridConfig,
    ControllerConfig,
    DManMakerV2Config,
    DManV3Config,
    GridStrikeConfig,
    MACDBBV1Config,
    PMMDynamicConfig,
    PMMSimpleConfig,
    SuperTrendV1Config,
    has_candles,
    hot_updatable_fields,
)
from tradeagent.strategy.parsing import parse_config, with_changes
from tradeagent.strategy.parts import (
    ConnectorPair,
    InitialPosition,
    TrailingStop,
    TripleBarrier,
)
from tradeagent.strategy.risk import DrawdownCaps, Finding, RiskPolicy, RiskReport, check_config
from tradeagent.strategy.serialize import config_hash, to_mapping
from tradeagent.strategy.summary import Description, describe, risk_line
from tradeagent.strategy.templates import (
    RISK_LEVELS,
    TEMPLATES,
    RiskLevel,
    Template,
    TemplateInputs,
    build_template,
)
from tradeagent.strategy.yaml_io import MAX_YAML_BYTES, dump_yaml, load_yaml, read_yaml

__all__ = [
    "CANDLE_INTERVALS",
    "COMMON_CONNECTORS",
    "CONTROLLER_CLASSES",
    "EXCHANGES",
    "MAX_YAML_BYTES",
    "RISK_LEVELS",
    "TEMPLATES",
    "ArbitrageControllerConfig",
    "BollinGridConfig",
    "BollingerV1Config",
    "BollingerV2Config",
    "ConfigError",
    "ConnectorPair",
    "ControllerConfig",
    "ControllerConfigBase",
    "DManMakerV2Config",
    "DManV3Config",
    "Description",
    "DirectionalTradingBase",
    "DrawdownCaps",
    "ExchangeFacts",
    "Finding",
    "GridStrikeConfig",
    "InitialPosition",
    "MACDBBV1Config",
    "MarketMakingBase",
    "MoneyAtRisk",
    "OrderType",
    "PMMDynamicConfig",
    "PMMSimpleConfig",
    "PositionMode",
    "Problem",
    "RiskLevel",
    "RiskPolicy",
    "RiskReport",
    "SuperTrendV1Config",
    "Template",
    "TemplateInputs",
    "TradeType",
    "TrailingStop",
    "TripleBarrier",
    "build_template",
    "check_config",
    "config_hash",
    "describe",
    "dump_yaml",
    "facts_for",
    "has_candles",
    "hot_updatable_fields",
    "load_yaml",
    "money_at_risk",
    "parse_config",
    "read_yaml",
    "risk_line",
    "to_mapping",
    "with_changes",
]
