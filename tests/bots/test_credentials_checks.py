"""Credential forms and the checks that run before any key leaves the machine."""

from __future__ import annotations

import pytest

from fakes.keys import private_key
from tradeagent.desk.credentials import (
    check,
    form_fields,
    likely_cause,
    normalized,
)
from tradeagent.hb import ConfigField

C = "hyperliquid_perpetual"
ADDRESS = "0x8ba1f109551bD432803012645Ac136ddd64DBA72"
KEY = private_key("credentials-checks")
HL_MAP = {
    f"{C}_address": ConfigField(type="SecretStr", required=True),
    f"{C}_secret_key": ConfigField(type="SecretStr", required=True),
    f"{C}_mode": ConfigField(
        type="Literal", required=False, allowed_values=["arb_wallet", "api_wallet"]
    ),
    "use_vault": ConfigField(type="bool", required=False),
}
FIELDS = form_fields(C, HL_MAP)


def problems(**values: object) -> dict[str, str]:
    return {p.field: p.message for p in check(C, FIELDS, values)}


def test_form_puts_choices_first_and_secrets_last_with_wallet_help() -> None:
    assert [f.name for f in FIELDS] == [f"{C}_mode", "use_vault", f"{C}_address", f"{C}_secret_key"]
    assert [f.kind for f in FIELDS] == ["choice", "bool", "secret", "secret"]
    mode = FIELDS[0]
    assert mode.choices == ("arb_wallet", "api_wallet")
    assert "arb_wallet: your main wallet signs" in mode.help
    assert "api_wallet (recommended)" in mode.help and "MAIN account" in mode.help
    assert "vault or sub-account" in FIELDS[1].help
    assert FIELDS[2].label == f"{C}_address *"


def test_good_keys_pass_and_are_sent_trimmed() -> None:
    values = {f"{C}_address": f" {ADDRESS}\n", f"{C}_secret_key": KEY[2:], "use_vault": False}
    assert problems(**values) == {}
    assert normalized(FIELDS, values) == {
        f"{C}_address": ADDRESS,
        f"{C}_secret_key": KEY[2:],
        "use_vault": False,
    }


def test_vault_address_with_hl_prefix_is_accepted() -> None:
    assert problems(**{f"{C}_address": "HL:" + ADDRESS, f"{C}_secret_key": KEY}) == {}


@pytest.mark.parametrize(
    ("address", "key", "field", "words"),
    [
        (ADDRESS, ADDRESS, "secret_key", "same as the address"),
        (ADDRESS, "0x" + "ab" * 20, "secret_key", "is an address (0x + 40 hex)"),
        (KEY, KEY, "address", "looks like a private key"),
        (ADDRESS, " ".join(["abandon"] * 12), "secret_key", "looks like a seed phrase"),
        ("0x1234", KEY, "address", "0x followed by 40 hex digits (got 6 characters)"),
        ("0x" + "g" * 40, KEY, "address", "0x followed by 40 hex digits"),
        (ADDRESS, KEY[:-2], "secret_key", "64 hex digits (got 62 characters, hex)"),
        (ADDRESS, "0xnot-a-key", "secret_key", "(got 9 characters, not hex)"),
        (ADDRESS, "", "secret_key", "is required"),
        ("", KEY, "address", "is required"),
    ],
)
def test_hyperliquid_mistakes_are_caught_without_repeating_the_value(
    address: str, key: str, field: str, words: str
) -> None:
    found = problems(**{f"{C}_address": address, f"{C}_secret_key": key})
    assert words in found[f"{C}_{field}"]
    for message in found.values():
        for value in (address, key):
            if len(value) > 8:
                assert value[2:12] not in message


def test_choice_and_switch_values_are_checked() -> None:
    found = problems(
        **{f"{C}_address": ADDRESS, f"{C}_secret_key": KEY, f"{C}_mode": "vault", "use_vault": "?"}
    )
    assert found[f"{C}_mode"] == f"{C}_mode must be one of: arb_wallet, api_wallet."
    assert found["use_vault"] == "use_vault must be yes or no."


def test_other_connectors_get_required_checks_and_old_hyperliquid_names_the_shape_checks() -> None:
    binance = form_fields(
        "binance", {"binance_api_key": ConfigField(type="SecretStr", required=True)}
    )
    assert "Secret: typed masked" in binance[0].help
    assert [p.field for p in check("binance", binance, {"binance_api_key": ""})] == [
        "binance_api_key"
    ]
    old = form_fields(
        C,
        {
            f"{C}_api_key": ConfigField(type="SecretStr", required=True),
            f"{C}_api_secret": ConfigField(type="SecretStr", required=True),
        },
    )
    found = check(C, old, {f"{C}_api_key": ADDRESS, f"{C}_api_secret": ADDRESS})
    assert [p.field for p in found] == [f"{C}_api_secret"]


@pytest.mark.parametrize(
    ("server", "cause"),
    [
        ("Hyperliquid private key does not derive to the supplied wallet address.", "arb_wallet"),
        ("User or API Wallet 0xabc does not exist.", "not approved"),
        ("The private key must be exactly 32 bytes long, instead of 42 bytes.", "cut-off key"),
        ("Must deposit before performing actions. User: 0xabc", "nothing is deposited"),
        ("Cannot connect to host api.hyperliquid.xyz:443 ssl:default", "cannot reach"),
        ("Invalid API-key, IP, or permissions for action.", "refused these keys"),
    ],
)
def test_server_rejections_get_a_likely_cause(server: str, cause: str) -> None:
    found = likely_cause(server)
    assert found is not None and cause in found


def test_an_unknown_rejection_has_no_invented_cause() -> None:
    assert likely_cause("Something odd happened") is None
