"""Exchange credentials: the form a connector's config-map asks for, the checks that can run
before anything is sent, and what a server rejection most likely means.

Hyperliquid gets the most care (it is the top onboarding failure): address and key shapes, the
key pasted as the address (or the reverse), seed phrases, and the wallet modes explained.
Nothing here ever puts a typed value in a message: problems name the field and the rule only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tradeagent.hb import ConfigField

FieldKind = Literal["secret", "bool", "choice", "text"]

_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
_KEY = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")
_HEX = re.compile(r"^(0x)?[0-9a-fA-F]+$")
_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0", ""})

HL_MODE_HELP = {
    "arb_wallet": "arb_wallet: your main wallet signs; address = that wallet, key = its own "
    "private key (full control, can withdraw).",
    "api_wallet": "api_wallet (recommended): an API wallet from app.hyperliquid.xyz/API signs "
    "for your main account; address = the MAIN account, key = the API wallet's key "
    "(cannot withdraw).",
}
HL_VAULT_HELP = (
    "Only when the address is a vault or sub-account (it is then sent as vaultAddress); the key "
    "is the leader's or master's, or their API wallet's."
)


@dataclass(frozen=True)
class FormField:
    """One input of the credentials form."""

    name: str
    kind: FieldKind
    required: bool
    choices: tuple[str, ...] = ()
    help: str = ""

    @property
    def label(self) -> str:
        return self.name + (" *" if self.required else "")


@dataclass(frozen=True)
class Problem:
    """A value that must be fixed before sending. ``message`` never contains the value."""

    field: str
    message: str


def is_hyperliquid(connector: str) -> bool:
    return connector.startswith("hyperliquid")


def _role(connector: str, name: str) -> str:
    """What a Hyperliquid field is for (current and pre-2.11 key names)."""
    if name == "use_vault":
        return "vault"
    if name == f"{connector}_mode":
        return "mode"
    if name in (f"{connector}_address", f"{connector}_api_key"):
        return "address"
    if name in (f"{connector}_secret_key", f"{connector}_api_secret"):
        return "key"
    return ""


def form_fields(connector: str, config_map: Mapping[str, ConfigField]) -> list[FormField]:
    """The form for ``connector``: choices and switches first, then text, then secrets."""
    fields = []
    for name, spec in config_map.items():
        kind: FieldKind
        if spec.is_secret:
            kind = "secret"
        elif spec.type == "bool":
            kind = "bool"
        elif spec.allowed_values:
            kind = "choice"
        else:
            kind = "text"
        choices = tuple(str(v) for v in spec.allowed_values or ())
        fields.append(
            FormField(name, kind, spec.required, choices, _help(connector, name, kind, choices))
        )
    order = {"choice": 0, "bool": 1, "text": 2, "secret": 3}
    return sorted(fields, key=lambda f: order[f.kind])


def _help(connector: str, name: str, kind: FieldKind, choices: tuple[str, ...]) -> str:
    if is_hyperliquid(connector):
        role = _role(connector, name)
        if role == "mode":
            return " ".join(HL_MODE_HELP.get(choice, choice) for choice in choices)
        if role == "vault":
            return HL_VAULT_HELP
        if role == "address":
            return (
                "Your MAIN account address, 0x + 40 hex digits (a vault or sub-account address "
                "with use_vault). Never the API wallet's own address."
            )
        if role == "key":
            return (
                "A private key, 0x + 64 hex digits: the main wallet's (arb_wallet) or the API "
                "wallet's (api_wallet). Never an address or a seed phrase."
            )
    if kind == "secret":
        return "Secret: typed masked, sent only to your Hummingbot API, never shown or logged."
    return ""


def check(connector: str, fields: list[FormField], values: Mapping[str, Any]) -> list[Problem]:
    """Everything wrong that can be seen without asking the exchange."""
    problems: list[Problem] = []
    for spec in fields:
        value = values.get(spec.name)
        text = value.strip() if isinstance(value, str) else value
        if text is None or text == "":
            if spec.required:
                problems.append(Problem(spec.name, f"{spec.name} is required."))
        elif spec.kind == "choice" and text not in spec.choices:
            problems.append(
                Problem(spec.name, f"{spec.name} must be one of: {', '.join(spec.choices)}.")
            )
        elif (
            spec.kind == "bool"
            and not isinstance(text, bool)
            and str(text).lower() not in _TRUE | _FALSE
        ):
            problems.append(Problem(spec.name, f"{spec.name} must be yes or no."))
    if is_hyperliquid(connector):
        problems.extend(_hyperliquid(connector, fields, values))
    return problems


def _hyperliquid(
    connector: str, fields: list[FormField], values: Mapping[str, Any]
) -> list[Problem]:
    problems: list[Problem] = []
    names = {_role(connector, f.name): f.name for f in fields}
    address_field, key_field = names.get("address"), names.get("key")
    address = _text(values.get(address_field)) if address_field else ""
    key = _text(values.get(key_field)) if key_field else ""
    if address_field and address:
        bare = address[3:] if address.upper().startswith("HL:") else address
        if _KEY.fullmatch(bare):
            problems.append(
                Problem(
                    address_field,
                    f"{address_field} looks like a private key (64 hex digits), not an address. "
                    "Put your main account address here (0x + 40 hex) and the key below.",
                )
            )
        elif not _ADDRESS.fullmatch(bare):
            problems.append(
                Problem(
                    address_field,
                    f"{address_field} must be 0x followed by 40 hex digits "
                    f"(got {len(bare)} characters).",
                )
            )
    if key_field and key:
        if address and key.lower() == address.lower():
            problems.append(
                Problem(
                    key_field,
                    f"{key_field} is the same as the address. It must be a private key "
                    "(0x + 64 hex digits).",
                )
            )
        elif _ADDRESS.fullmatch(key):
            problems.append(
                Problem(
                    key_field,
                    f"{key_field} is an address (0x + 40 hex), not a private key. Paste the "
                    "private key: 0x + 64 hex digits.",
                )
            )
        elif len(key.split()) >= 12:
            problems.append(
                Problem(
                    key_field,
                    f"{key_field} looks like a seed phrase. Hummingbot needs the private key "
                    "(0x + 64 hex digits); export it from your wallet, or create an API wallet.",
                )
            )
        elif not _KEY.fullmatch(key):
            shape = "hex" if _HEX.fullmatch(key) else "not hex"
            problems.append(
                Problem(
                    key_field,
                    f"{key_field} must be 0x followed by 64 hex digits "
                    f"(got {len(key.removeprefix('0x'))} characters, {shape}).",
                )
            )
    return problems


def normalized(fields: list[FormField], values: Mapping[str, Any]) -> dict[str, Any]:
    """The body to send: text stripped (pasted keys often carry a newline), switches as
    booleans, empty optional fields left out so the connector's defaults apply."""
    body: dict[str, Any] = {}
    for spec in fields:
        value = values.get(spec.name)
        if spec.kind == "bool":
            body[spec.name] = value if isinstance(value, bool) else str(value).lower() in _TRUE
            continue
        text = _text(value)
        if text or spec.required:
            body[spec.name] = text
    return body


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


_CAUSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("does not derive",),
        "arb_wallet mode with the key of another wallet (often an API wallet's key): choose "
        "api_wallet, or paste the main wallet's own key.",
    ),
    (
        ("not a valid api wallet", "api wallet", "does not exist"),
        "the API wallet is not approved for this account, has expired, or was replaced by a "
        "newer one: approve a fresh one at https://app.hyperliquid.xyz/API and enter the MAIN "
        "account address.",
    ),
    (
        ("32 bytes", "private key format"),
        "the key field holds something other than a private key (an address, or a cut-off "
        "key): paste the 64-hex-digit key.",
    ),
    (
        ("wallet/vault address", "invalid hyperliquid wallet"),
        "the address is malformed: it must be 0x + 40 hex digits.",
    ),
    (
        ("must deposit",),
        "nothing is deposited for this address on this network (mainnet vs testnet), or the key "
        "signs for another account.",
    ),
    (
        ("cannot connect to host", "name or service not known", "temporary failure in name"),
        "the Hummingbot API's machine cannot reach the exchange (network or DNS there); the "
        "keys were not judged.",
    ),
    (
        ("timeout", "timed out"),
        "the exchange did not answer the Hummingbot API in time; try again in a minute.",
    ),
    (
        ("invalid api", "api-key", "signature", "unauthorized", "permission"),
        "the exchange refused these keys: check they belong to this exchange and network "
        "(mainnet or testnet), are not expired, and have trading permission.",
    ),
)


def likely_cause(server_text: str) -> str | None:
    """The most likely reason behind a server's rejection of credentials, if recognisable."""
    lowered = server_text.lower()
    for needles, cause in _CAUSES:
        if any(needle in lowered for needle in needles):
            return cause
    return None
