"""Every write: the exact request, the server's refusals in its own words, and what happens when
the reply is lost (never retried blindly; the server's state decides)."""

from __future__ import annotations

import re

import httpx
import pytest
from hb_contract import (
    ARCHIVE_NOT_ACTIVE,
    ARCHIVE_STARTED,
    BB_CONFIG,
    BOT,
    COMMAND_NOT_FOUND,
    COMMAND_OK,
    DEPLOY_DOCKER_FAILED,
    DEPLOY_NO_ACCOUNT,
    DEPLOY_NO_PASSWORD,
    DEPLOYED,
    MISSING_FIELD,
    bot,
    controller,
    fleet,
)
from hb_fakes import FakeApi

from tradeagent.hb import (
    BadResponse,
    DeployResult,
    InvalidRequest,
    NotApplied,
    NotFound,
    Outcome,
    OutcomeUnknown,
    Rejected,
    ServerError,
    TimedOut,
    UnconfirmedWrite,
)

DEPLOY = "/bot-orchestration/deploy-v2-controllers"
STATUS = "/bot-orchestration/status"
OLD = "ta-bb-20261101-080000"


def lost(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def dropped(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.")


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


# -- deploy ---------------------------------------------------------------------------------


async def test_deploy_sends_the_contract_body_and_returns_the_real_name(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.json("POST", DEPLOY, DEPLOYED)
    async with api.client() as hb:
        result = await hb.deploy(
            "ta-bb",
            ["bb_btc_hl"],
            max_global_drawdown_quote=50,
            max_controller_drawdown_quote=25,
        )
    assert result.unique_instance_name == BOT
    assert not result.recovered
    assert api.body("POST", DEPLOY) == {
        "instance_name": "ta-bb",
        "credentials_profile": "master_account",
        "controllers_config": ["bb_btc_hl"],
        "max_global_drawdown_quote": 50.0,
        "max_controller_drawdown_quote": 25.0,
        "image": "hummingbot/hummingbot:latest",
        "headless": True,
    }


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("my bot", "Bot name 'my bot' has a space. Use letters, digits, - and _."),
        ("a/b", "Bot name 'a/b' contains '/'. Use letters, digits, - and _."),
        ("", "Bot name '' is empty. Use letters, digits, - and _."),
        ("bot\n", "Bot name 'bot\n' has a whitespace character. Use letters, digits, - and _."),
    ],
)
async def test_deploy_refuses_bad_names_before_sending(
    api: FakeApi, name: str, problem: str
) -> None:
    async with api.client() as hb:
        with pytest.raises(InvalidRequest) as caught:
            await hb.deploy(name, ["bb_btc_hl"])
    assert str(caught.value) == problem
    assert caught.value.fields[0].where == "instance_name"
    assert api.requests == []


async def test_deploy_refuses_bad_controller_names_caps_and_empty_lists(api: FakeApi) -> None:
    async with api.client() as hb:
        with pytest.raises(InvalidRequest, match="Controller config name 'x y'"):
            await hb.deploy("ok", ["x y"])
        with pytest.raises(InvalidRequest, match="at least one saved controller config"):
            await hb.deploy("ok", [])
        with pytest.raises(InvalidRequest, match="Drawdown caps must be positive"):
            await hb.deploy("ok", ["c"], max_global_drawdown_quote=-5)
        with pytest.raises(InvalidRequest, match="Account name 'my account'"):
            await hb.deploy("ok", ["c"], account="my account")
    assert api.requests == []


async def test_deploy_accepts_config_names_with_the_yml_suffix(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.json("POST", DEPLOY, DEPLOYED)
    async with api.client() as hb:
        await hb.deploy("ta-bb", ["bb_btc_hl.yml"])
    assert api.body("POST", DEPLOY)["controllers_config"] == ["bb_btc_hl.yml"]


async def test_deploy_reply_without_the_real_name_is_unreadable(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.json("POST", DEPLOY, {"success": True, "message": "Instance created."})
    async with api.client() as hb:
        with pytest.raises(BadResponse) as caught:
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert "unique_instance_name: Field required" in str(caught.value)
    assert "`tradeagent doctor` shows it" in str(caught.value)


async def test_deploy_failure_inside_a_200_carries_the_servers_words(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.json("POST", DEPLOY, DEPLOY_DOCKER_FAILED)
    async with api.client() as hb:
        with pytest.raises(Rejected) as caught:
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    message = str(caught.value)
    assert message.startswith("Deploy of 'ta-bb' rejected by the server: 500 Server Error")
    assert message.endswith("Fix what it says, then deploy again.")


async def test_deploy_without_config_password_says_which_variable(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.json("POST", DEPLOY, DEPLOY_NO_PASSWORD)
    async with api.client() as hb:
        with pytest.raises(Rejected, match=re.escape("Set CONFIG_PASSWORD in the API's .env")):
            await hb.deploy("ta-bb", ["bb_btc_hl"])


async def test_deploy_with_an_unknown_account_is_not_a_server_crash(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.json("POST", DEPLOY, DEPLOY_NO_ACCOUNT, status=500)
    async with api.client() as hb:
        with pytest.raises(NotFound) as caught:
            await hb.deploy("ta-bb", ["bb_btc_hl"], account="nope_account")
    assert str(caught.value).startswith("Account 'nope_account' does not exist on the server")
    assert caught.value.status_code == 500
    assert "bots/credentials/nope_account" in (caught.value.server_text or "")


async def test_deploy_422_lists_the_fields(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.json("POST", DEPLOY, MISSING_FIELD, status=422)
    async with api.client() as hb:
        with pytest.raises(InvalidRequest) as caught:
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert caught.value.fields[0].loc == ("body", "instance_name")
    assert "instance_name: Field required" in str(caught.value)
    assert "master_account" not in str(caught.value)  # the echoed input stays out


async def test_deploy_whose_reply_is_lost_but_the_bot_started(api: FakeApi) -> None:
    api.on(
        "GET",
        STATUS,
        httpx.Response(200, json=fleet(**{OLD: bot()})),
        httpx.Response(200, json=fleet(**{OLD: bot(), BOT: bot(bb_btc_hl=controller())})),
    )
    api.on("POST", DEPLOY, lost)
    async with api.client() as hb:
        result = await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert isinstance(result, DeployResult)
    assert (result.unique_instance_name, result.recovered) == (BOT, True)
    assert result.controllers_deployed == ["bb_btc_hl"]
    assert len(api.sent("POST", DEPLOY)) == 1


async def test_deploy_whose_connection_drops_and_nothing_started(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet(**{OLD: bot()}))
    api.on("POST", DEPLOY, dropped)
    async with api.client() as hb:
        with pytest.raises(NotApplied) as caught:
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert caught.value.outcome is Outcome.NOT_SEEN
    assert "shows no new bot" in str(caught.value)
    assert len(api.sent("POST", DEPLOY)) == 1


async def test_deploy_whose_reply_is_lost_and_the_server_cannot_be_checked(api: FakeApi) -> None:
    api.on(
        "GET",
        STATUS,
        httpx.Response(200, json=fleet()),
        httpx.Response(503, text="starting"),
    )
    api.on("POST", DEPLOY, lost)
    async with api.client(retries=0) as hb:
        with pytest.raises(OutcomeUnknown) as caught:
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert isinstance(caught.value, UnconfirmedWrite)
    assert "a second deploy would start a second bot" in str(caught.value)


async def test_deploy_that_never_connected_is_a_plain_timeout(api: FakeApi) -> None:
    def no_connection(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("connect timed out", request=request)

    api.json("GET", STATUS, fleet())
    api.on("POST", DEPLOY, no_connection)
    async with api.client() as hb:
        with pytest.raises(TimedOut) as caught:
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert not caught.value.maybe_delivered
    assert len(api.sent("GET", STATUS)) == 1  # no check needed: nothing was sent


async def test_writes_are_not_retried_on_a_503(api: FakeApi) -> None:
    api.json("GET", STATUS, fleet())
    api.on("POST", DEPLOY, httpx.Response(503, text="busy"))
    async with api.client() as hb:
        with pytest.raises(ServerError, match="HTTP 503"):
            await hb.deploy("ta-bb", ["bb_btc_hl"])
    assert len(api.sent("POST", DEPLOY)) == 1


# -- stop, archive, start ------------------------------------------------------------------


async def test_stop_bot_cancels_orders_unless_told(api: FakeApi) -> None:
    api.json("POST", "/bot-orchestration/stop-bot", COMMAND_OK)
    async with api.client() as hb:
        await hb.stop_bot(BOT)
        await hb.stop_bot(BOT, skip_order_cancellation=True)
    sent = [r.content for r in api.sent("POST", "/bot-orchestration/stop-bot")]
    assert sent[0] == (
        b'{"bot_name":"ta-bb-20261124-090241","skip_order_cancellation":false,'
        b'"async_backend":false}'
    )
    assert b'"skip_order_cancellation":true' in sent[1]


async def test_stop_of_an_unknown_bot_is_not_found(api: FakeApi) -> None:
    api.json("POST", "/bot-orchestration/stop-bot", COMMAND_NOT_FOUND)
    async with api.client() as hb:
        with pytest.raises(NotFound) as caught:
            await hb.stop_bot("x")
    assert str(caught.value) == "Stop of bot 'x' failed: Bot x not found. Refresh the bots list."


async def test_stop_whose_reply_is_lost_and_the_bot_shows_stopped(api: FakeApi) -> None:
    # A real bot after stop: still "running", every controller report empty.
    api.on("POST", "/bot-orchestration/stop-bot", lost)
    api.json(
        "GET",
        f"/bot-orchestration/{BOT}/status",
        {"status": "success", "data": bot(bb_btc_hl={})},
    )
    async with api.client() as hb:
        ack = await hb.stop_bot(BOT)
    assert ack.recovered


async def test_stop_whose_reply_is_lost_and_the_bot_still_runs(api: FakeApi) -> None:
    api.on("POST", "/bot-orchestration/stop-bot", lost)
    api.json(
        "GET",
        f"/bot-orchestration/{BOT}/status",
        {"status": "success", "data": bot(bb_btc_hl=controller())},
    )
    async with api.client() as hb:
        with pytest.raises(OutcomeUnknown, match="may simply be stopping"):
            await hb.stop_bot(BOT)
    assert len(api.sent("POST", "/bot-orchestration/stop-bot")) == 1


async def test_stop_and_archive_sends_the_flags_as_query_parameters(api: FakeApi) -> None:
    path = f"/bot-orchestration/stop-and-archive-bot/{BOT}"
    api.json("POST", path, ARCHIVE_STARTED)
    async with api.client() as hb:
        ack = await hb.stop_and_archive_bot(BOT)
    request = api.sent("POST", path)[0]
    assert dict(request.url.params) == {
        "skip_order_cancellation": "false",
        "archive_locally": "true",
    }
    assert request.content == b""
    assert ack.message == f"Stop and archive process started for bot {BOT}"


async def test_stop_and_archive_of_an_inactive_bot(api: FakeApi) -> None:
    api.json("POST", "/bot-orchestration/stop-and-archive-bot/x", ARCHIVE_NOT_ACTIVE)
    async with api.client() as hb:
        with pytest.raises(NotFound, match="not found in active bots"):
            await hb.stop_and_archive_bot("x")


async def test_stop_and_archive_whose_reply_is_lost(api: FakeApi) -> None:
    path = f"/bot-orchestration/stop-and-archive-bot/{BOT}"
    api.on("POST", path, lost)
    api.on(
        "GET",
        STATUS,
        httpx.Response(200, json=fleet(**{BOT: bot()})),
        httpx.Response(200, json=fleet()),
    )
    async with api.client() as hb:
        with pytest.raises(NotApplied, match="still in the active list"):
            await hb.stop_and_archive_bot(BOT)
        ack = await hb.stop_and_archive_bot(BOT)
    assert ack.recovered


async def test_start_bot(api: FakeApi) -> None:
    api.json("POST", "/bot-orchestration/start-bot", COMMAND_OK)
    async with api.client() as hb:
        await hb.start_bot(BOT, log_level="INFO")
    assert api.body("POST", "/bot-orchestration/start-bot") == {
        "bot_name": BOT,
        "log_level": "INFO",
        "script": None,
        "conf": None,
        "async_backend": False,
    }


async def test_start_whose_reply_is_lost(api: FakeApi) -> None:
    api.on("POST", "/bot-orchestration/start-bot", dropped)
    api.on(
        "GET",
        f"/bot-orchestration/{BOT}/status",
        httpx.Response(200, json={"status": "success", "data": bot(bb_btc_hl={})}),
        httpx.Response(200, json={"status": "success", "data": bot(bb_btc_hl=controller())}),
    )
    async with api.client() as hb:
        with pytest.raises(OutcomeUnknown, match="does not show running yet"):
            await hb.start_bot(BOT)
        assert (await hb.start_bot(BOT)).recovered
    assert len(api.sent("POST", "/bot-orchestration/start-bot")) == 2


# -- one controller -------------------------------------------------------------------------


async def test_stop_and_resume_one_controller(api: FakeApi) -> None:
    path = f"/controllers/bots/{BOT}/bb_btc_hl/config"
    api.json("POST", path, {"message": f"Controller configuration for bot '{BOT}' updated"})
    async with api.client() as hb:
        ack = await hb.stop_controller(BOT, "bb_btc_hl")
        await hb.resume_controller(BOT, "bb_btc_hl")
    bodies = [r.content for r in api.sent("POST", path)]
    assert bodies == [b'{"manual_kill_switch":true}', b'{"manual_kill_switch":false}']
    assert "updated" in ack.message


async def test_kill_switch_whose_reply_is_lost(api: FakeApi) -> None:
    path = f"/controllers/bots/{BOT}/bb_btc_hl/config"
    configs = f"/controllers/bots/{BOT}/configs"
    api.on("POST", path, lost)
    api.on(
        "GET",
        configs,
        httpx.Response(200, json=[{**BB_CONFIG, "_config_name": "bb_btc_hl"}]),
        httpx.Response(
            200, json=[{**BB_CONFIG, "_config_name": "bb_btc_hl", "manual_kill_switch": True}]
        ),
    )
    async with api.client() as hb:
        with pytest.raises(NotApplied, match="does not show the change"):
            await hb.stop_controller(BOT, "bb_btc_hl")
        assert (await hb.stop_controller(BOT, "bb_btc_hl")).recovered


async def test_kill_switch_on_an_archived_bot(api: FakeApi) -> None:
    api.json("POST", "/controllers/bots/gone/c/config", {"detail": "Bot 'gone' not found"}, 404)
    async with api.client() as hb:
        with pytest.raises(NotFound, match=re.escape("Bot 'gone' not found. It may have been")):
            await hb.stop_controller("gone", "c")


# -- controller configs ---------------------------------------------------------------------


async def test_save_config_keeps_id_equal_to_its_name(api: FakeApi) -> None:
    api.json("POST", "/controllers/configs/btc", {"message": "saved"}, status=201)
    config = {k: v for k, v in BB_CONFIG.items() if k != "id"}
    async with api.client() as hb:
        await hb.save_controller_config("btc", config)
        with pytest.raises(InvalidRequest, match="id 'bb_btc_hl' differs from the name 'btc'"):
            await hb.save_controller_config("btc", BB_CONFIG)
    assert api.body("POST", "/controllers/configs/btc") == {**config, "id": "btc"}
    assert "id" not in config
    assert len(api.requests) == 1


async def test_save_config_whose_reply_is_lost(api: FakeApi) -> None:
    path = "/controllers/configs/bb_btc_hl"
    api.on("POST", path, dropped)
    api.on(
        "GET",
        path,
        httpx.Response(404, json={"detail": "Configuration 'bb_btc_hl' not found"}),
        httpx.Response(200, json=BB_CONFIG),
    )
    async with api.client() as hb:
        with pytest.raises(NotApplied, match="does not have this version"):
            await hb.save_controller_config("bb_btc_hl", BB_CONFIG)
        assert (await hb.save_controller_config("bb_btc_hl", BB_CONFIG)).recovered


async def test_delete_config(api: FakeApi) -> None:
    api.json("DELETE", "/controllers/configs/old", {"message": "deleted"})
    api.json(
        "DELETE", "/controllers/configs/gone", {"detail": "Configuration 'gone' not found"}, 404
    )
    async with api.client() as hb:
        assert (await hb.delete_controller_config("old")).message == "deleted"
        with pytest.raises(NotFound, match="It is already gone"):
            await hb.delete_controller_config("gone")


async def test_delete_config_whose_reply_is_lost(api: FakeApi) -> None:
    api.on("DELETE", "/controllers/configs/old", lost)
    api.json("GET", "/controllers/configs/old", {"detail": "Configuration 'old' not found"}, 404)
    async with api.client() as hb:
        assert (await hb.delete_controller_config("old")).recovered


async def test_validate_config(api: FakeApi) -> None:
    path = "/controllers/directional_trading/bollinger_v1/config/validate"
    api.on(
        "POST",
        path,
        httpx.Response(200, json={"message": "Configuration is valid"}),
        httpx.Response(400, json={"detail": "stop_loss: Input should be greater than 0"}),
    )
    async with api.client() as hb:
        ok = await hb.validate_controller_config("directional_trading", "bollinger_v1", BB_CONFIG)
        with pytest.raises(Rejected, match="stop_loss: Input should be greater than 0"):
            await hb.validate_controller_config("directional_trading", "bollinger_v1", {})
    assert ok.message == "Configuration is valid"


# -- accounts and credentials ---------------------------------------------------------------


async def test_accounts_are_added_and_deleted_by_query_parameter(api: FakeApi) -> None:
    api.on(
        "POST",
        "/accounts/add-account",
        httpx.Response(201, json={"message": "Account added successfully."}),
        httpx.Response(400, json={"detail": "Account already exists."}),
    )
    api.json("POST", "/accounts/delete-account", {"message": "Account deleted successfully."})
    async with api.client() as hb:
        await hb.add_account("desk")
        with pytest.raises(Rejected) as caught:
            await hb.add_account("desk")
        await hb.delete_account("desk")
    assert str(caught.value) == (
        "Creation of account 'desk' rejected by the server: Account already exists."
    )
    assert api.sent("POST", "/accounts/add-account")[0].url.params["account_name"] == "desk"
    assert api.sent("POST", "/accounts/delete-account")[0].content == b""


async def test_account_writes_whose_reply_is_lost(api: FakeApi) -> None:
    api.on("POST", "/accounts/add-account", lost)
    api.on("POST", "/accounts/delete-account", lost)
    api.json("GET", "/accounts/", ["master_account", "desk"])
    async with api.client() as hb:
        assert (await hb.add_account("desk")).recovered
        with pytest.raises(NotApplied, match="It is still there"):
            await hb.delete_account("desk")


KEYS = {
    "hyperliquid_perpetual_mode": "api_wallet",
    "use_vault": False,
    "hyperliquid_perpetual_address": "0x" + "ab" * 20,
    "hyperliquid_perpetual_secret_key": "0x" + "cd" * 32,
}
ADD = "/accounts/add-credential/master_account/hyperliquid_perpetual"
CREDS = "/accounts/master_account/credentials"


async def test_add_credential_sends_the_config_map_fields(api: FakeApi) -> None:
    api.json("GET", CREDS, [])
    api.json("POST", ADD, {"message": "Connector credentials added successfully."}, 201)
    async with api.client() as hb:
        ack = await hb.add_credential("master_account", "hyperliquid_perpetual", KEYS)
    assert api.body("POST", ADD) == KEYS
    assert ack.message == "Connector credentials added successfully."


async def test_credential_refusal_never_repeats_the_secret(api: FakeApi) -> None:
    echo = f"Invalid private key {KEYS['hyperliquid_perpetual_secret_key']} for wallet"
    api.json("GET", CREDS, [])
    api.json("POST", ADD, {"detail": echo}, 400)
    async with api.client() as hb:
        with pytest.raises(Rejected) as caught:
            await hb.add_credential("master_account", "hyperliquid_perpetual", KEYS)
    assert "Invalid private key **** for wallet" in str(caught.value)
    assert KEYS["hyperliquid_perpetual_secret_key"] not in str(caught.value)
    assert KEYS["hyperliquid_perpetual_secret_key"] not in (caught.value.server_text or "")


async def test_add_credential_whose_reply_is_lost(api: FakeApi) -> None:
    api.on(
        "GET",
        CREDS,
        httpx.Response(200, json=[]),
        httpx.Response(200, json=["hyperliquid_perpetual"]),
    )
    api.on("POST", ADD, lost)
    async with api.client() as hb:
        ack = await hb.add_credential("master_account", "hyperliquid_perpetual", KEYS)
    assert ack.recovered
    assert len(api.sent("POST", ADD)) == 1


async def test_replacing_keys_whose_reply_is_lost_cannot_be_confirmed(api: FakeApi) -> None:
    api.json("GET", CREDS, ["hyperliquid_perpetual"])
    api.on("POST", ADD, lost)
    async with api.client() as hb:
        with pytest.raises(OutcomeUnknown, match="before adding the keys again"):
            await hb.add_credential("master_account", "hyperliquid_perpetual", KEYS)


async def test_adding_keys_whose_reply_is_lost_and_nothing_stored(api: FakeApi) -> None:
    api.json("GET", CREDS, [])
    api.on("POST", ADD, lost)
    async with api.client() as hb:
        with pytest.raises(NotApplied, match="still be checking the keys with the exchange"):
            await hb.add_credential("master_account", "hyperliquid_perpetual", KEYS)


async def test_delete_credential(api: FakeApi) -> None:
    path = "/accounts/delete-credential/master_account/hyperliquid_perpetual"
    api.on("POST", path, httpx.Response(200, json={"message": "Credential deleted."}), lost)
    api.json("GET", CREDS, [])
    async with api.client() as hb:
        assert (await hb.delete_credential("master_account", "hyperliquid_perpetual")).message
        assert (await hb.delete_credential("master_account", "hyperliquid_perpetual")).recovered
