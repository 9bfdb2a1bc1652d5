"""The accounts screen: list, add an account, add keys through the masked form, delete keys.
Above all: a secret typed into the form never reaches a log, the journal, a notification or the
screen in clear."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from bots_helpers import AppMaker, settle
from fake_hb import FakeHb
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from fakes.keys import private_key
from tradeagent.desk.journal import Journal
from tradeagent.tui.app import TradeAgentApp
from tradeagent.tui.screens.accounts import AccountsScreen, ConnectorPickerScreen
from tradeagent.tui.screens.confirm import ConfirmScreen
from tradeagent.tui.screens.credential_form import CredentialFormScreen

ADDRESS = "0x8ba1f109551bD432803012645Ac136ddd64DBA72"
SECRET = private_key("accounts-screen")
SECRET_CORE = SECRET[2:26]  # any visible stretch of the key would contain this


async def open_accounts(
    pilot: Pilot[Any], app: TradeAgentApp, *, palette: bool = False
) -> AccountsScreen:
    await settle(pilot)
    if palette:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Accounts")
        await pilot.pause(0.3)
        await pilot.press("enter")
    else:
        app.action_accounts()
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, AccountsScreen)
    return screen


def rows(screen: AccountsScreen) -> list[tuple[str, str]]:
    table = screen.query_one("#accounts-table", DataTable)
    return [(str(r[0]), str(r[1])) for r in (table.get_row_at(i) for i in range(table.row_count))]


async def screen_of(pilot: Pilot[Any], kind: type[Any]) -> Any:
    """The screen of ``kind`` once it is on top. The worker that pushed it waits for its answer,
    so waiting for workers here would wait forever."""
    for _ in range(200):
        if isinstance(pilot.app.screen, kind):
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} never opened")


async def open_hyperliquid_form(pilot: Pilot[Any], app: TradeAgentApp) -> CredentialFormScreen:
    await pilot.press("c")
    await screen_of(pilot, ConnectorPickerScreen)
    await pilot.press(*"perp", "enter")
    form: CredentialFormScreen = await screen_of(pilot, CredentialFormScreen)
    return form


async def send(pilot: Pilot[Any]) -> None:
    """Enter in the form, then wait until the sending is over (the form may stay open)."""
    await pilot.press("enter")
    await pilot.pause()
    for worker in list(pilot.app.workers):
        if worker.group == "hb-write":
            await worker.wait()
    await pilot.pause()


async def fill(
    pilot: Pilot[Any], form: CredentialFormScreen, name: str, text: str, *, type_it: bool = False
) -> None:
    """Put ``text`` in a field: typed key by key, or pasted (set at once, as a paste does)."""
    field = form.query_one(f"#field-{name}", Input)
    field.focus()
    if type_it:
        await pilot.press(*text)
    else:
        field.value = text
        await pilot.pause()


def visible(app: TradeAgentApp) -> str:
    return app.export_screenshot()


async def test_accounts_list_and_add_account(make: AppMaker, fake: FakeHb) -> None:
    fake.accounts["hl_main"] = {"hyperliquid_perpetual": {}}
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_accounts(pilot, app, palette=True)
        assert rows(screen) == [("hl_main", "hyperliquid_perpetual"), ("master_account", "—")]
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"bad name", "enter")
        await pilot.pause()
        problem = str(app.screen.query_one("#account-name-problem", Static).render())
        assert "Use letters, digits, - and _" in problem
        app.screen.query_one("#account-name", Input).value = ""
        await pilot.press(*"desk_2", "enter")
        await settle(pilot)
        assert ("desk_2", "—") in rows(screen)
        assert fake.count("POST", "/accounts/add-account") == 1


async def test_keys_are_added_through_the_masked_form(make: AppMaker, fake: FakeHb) -> None:
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_accounts(pilot, app)
        form = await open_hyperliquid_form(pilot, app)
        for name in ("hyperliquid_perpetual_address", "hyperliquid_perpetual_secret_key"):
            assert form.query_one(f"#field-{name}", Input).password
        helps = " ".join(str(s.render()) for s in form.query(".field-help"))
        assert "arb_wallet: your main wallet signs" in helps
        assert "api_wallet (recommended)" in helps
        assert "vault or sub-account" in helps
        form.query_one("#field-hyperliquid_perpetual_mode", Select).value = "api_wallet"
        await fill(pilot, form, "hyperliquid_perpetual_address", ADDRESS)
        await fill(pilot, form, "hyperliquid_perpetual_secret_key", SECRET + " ", type_it=True)
        assert SECRET_CORE not in visible(app)
        await send(pilot)
        await settle(pilot)  # the form closed: the reload of the list can be waited for
        assert fake.accounts["master_account"]["hyperliquid_perpetual"] == {
            "hyperliquid_perpetual_mode": "api_wallet",
            "use_vault": False,
            "hyperliquid_perpetual_address": ADDRESS,
            "hyperliquid_perpetual_secret_key": SECRET,  # the pasted trailing space is gone
        }
        assert isinstance(app.screen, AccountsScreen)
        assert ("master_account", "hyperliquid_perpetual") in rows(app.screen)


@pytest.mark.parametrize(
    ("address", "key", "field", "words"),
    [
        (ADDRESS, ADDRESS, "secret_key", "same as the address"),
        (SECRET, SECRET, "address", "looks like a private key"),
        (ADDRESS, "", "secret_key", "is required"),
    ],
)
async def test_local_checks_stop_bad_keys_before_sending(
    make: AppMaker, fake: FakeHb, address: str, key: str, field: str, words: str
) -> None:
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_accounts(pilot, app)
        form = await open_hyperliquid_form(pilot, app)
        await fill(pilot, form, "hyperliquid_perpetual_address", address)
        if key:
            await fill(pilot, form, "hyperliquid_perpetual_secret_key", key)
        await send(pilot)
        assert isinstance(app.screen, CredentialFormScreen)
        problem = str(form.query_one(f"#problem-hyperliquid_perpetual_{field}", Static).render())
        assert words in problem
        assert key[2:20] not in problem or not key  # the value itself is never repeated
        assert "nothing left this machine" in str(form.query_one("#credentials-outcome").render())
        assert (
            fake.count("POST", "/accounts/add-credential/master_account/hyperliquid_perpetual") == 0
        )


async def test_server_rejection_shows_its_words_a_cause_and_never_the_secret(
    make: AppMaker,
    fake: FakeHb,
    caplog: pytest.LogCaptureFixture,
    clean_env: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.credential_rejection = (
        "Hyperliquid private key does not derive to the supplied wallet address. "
        f"Derived: 0x9999999999999999999999999999999999999999; key {SECRET[2:]}"
    )
    app = make()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await open_accounts(pilot, app)
        form = await open_hyperliquid_form(pilot, app)
        await fill(pilot, form, "hyperliquid_perpetual_address", ADDRESS)
        await fill(pilot, form, "hyperliquid_perpetual_secret_key", SECRET)
        await send(pilot)
        assert isinstance(app.screen, CredentialFormScreen)  # open, values kept, fixable
        outcome = str(form.query_one("#credentials-outcome", Static).render())
        assert "rejected by the server: Hyperliquid private key does not derive" in outcome
        assert "Likely cause: arb_wallet mode with the key of another wallet" in outcome
        assert SECRET_CORE not in outcome
        assert SECRET_CORE not in visible(app)
        assert form.values()["hyperliquid_perpetual_secret_key"] == SECRET
        await pilot.press("escape")
        await screen_of(pilot, AccountsScreen)
        assert all(field.value == "" for field in form.query(Input))  # wiped on close
        for note in app._notifications:
            assert SECRET_CORE not in note.message
        journal = app.journal
        assert isinstance(journal, Journal)
        entries = journal.entries(kind_prefix="credentials.")
        assert [e.kind for e in entries] == ["credentials.add.begin", "credentials.add.outcome"]
        assert entries[0].payload["connector"] == "hyperliquid_perpetual"
    for record in caplog.records:
        assert SECRET_CORE not in record.getMessage()
    for path in (clean_env / "data").glob("journal*"):
        assert SECRET_CORE.encode() not in path.read_bytes()
    assert fake.count("POST", "/accounts/add-credential/master_account/hyperliquid_perpetual") == 1


async def test_keys_are_deleted_after_confirmation(make: AppMaker, fake: FakeHb) -> None:
    fake.accounts["master_account"]["binance"] = {"binance_api_key": "k"}
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_accounts(pilot, app)
        assert rows(screen) == [("master_account", "binance")]
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert fake.count("POST", "/accounts/delete-credential/master_account/binance") == 0
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert fake.count("POST", "/accounts/delete-credential/master_account/binance") == 1
        assert rows(screen) == [("master_account", "—")]
        assert screen.check_action("delete_keys", ()) is None  # nothing left to delete


async def test_a_journal_that_cannot_be_written_is_said_and_the_action_still_goes(
    make: AppMaker, fake: FakeHb
) -> None:
    app = make()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_accounts(pilot, app)
        assert app.journal is not None
        app.journal.close()  # as a full disk or a broken file would make it refuse writes
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"desk_3", "enter")
        await settle(pilot)
        assert fake.count("POST", "/accounts/add-account") == 1  # confirmed: it was done
        said = [n.message for n in app._notifications if n.title == "Journal"]
        assert any("Cannot write to the journal" in m and "not recorded" in m for m in said), said
