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
"""

from tradeagent.strategy.errors import ConfigError, Problem
from tradeagent.strategy.fields import CANDLE_INTERVALS, OrderType, PositionMode, TradeType
from tradeagent.strategy.models import (
    CONTROLLER_CLASSES,
    ArbitrageControllerConfig,
    BollingerV1Config,
    BollingerV2Config,
    BollinGridConfig,
    ConnectorPair,
    ControllerConfig,
    ControllerConfigBase,
    DirectionalTradingBase,
    DManMakerV2Config,
    DManV3Config,
    GridStrikeConfig,
    InitialPosition,
    MACDBBV1Config,
    MarketMakingBase,
    PMMDynamicConfig,
    PMMSimpleConfig,
    SuperTrendV1Config,
    TrailingStop,
    TripleBarrier,
    has_candles,
    hot_updatable_fields,
)
from tradeagent.strategy.parsing import parse_config, with_changes
from tradeagent.strategy.serialize import config_hash, to_mapping
from tradeagent.strategy.yaml_io import MAX_YAML_BYTES, dump_yaml, load_yaml, read_yaml

__all__ = [
    "CANDLE_INTERVALS",
    "CONTROLLER_CLASSES",
    "MAX_YAML_BYTES",
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
    "DirectionalTradingBase",
    "GridStrikeConfig",
    "InitialPosition",
    "MACDBBV1Config",
    "MarketMakingBase",
    "OrderType",
    "PMMDynamicConfig",
    "PMMSimpleConfig",
    "PositionMode",
    "Problem",
    "SuperTrendV1Config",
    "TradeType",
    "TrailingStop",
    "TripleBarrier",
    "config_hash",
    "dump_yaml",
    "has_candles",
    "hot_updatable_fields",
    "load_yaml",
    "parse_config",
    "read_yaml",
    "to_mapping",
    "with_changes",
]
