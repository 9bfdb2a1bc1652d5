"""``/accounts``: credentials profiles and the exchange keys stored in them.

Secrets are kept (and persisted privately) but no route ever returns them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tradeagent.sim.routes.deps import AUTH, Sim
from tradeagent.sim.simulator import ApiError
from tradeagent.sim.wire import SAFE_NAME

router = APIRouter(prefix="/accounts", tags=["Accounts"], dependencies=AUTH)


@router.get("/")
async def list_accounts(sim: Sim) -> list[str]:
    return list(sim.accounts)


@router.get("/{account_name}/credentials")
async def list_account_credentials(account_name: str, sim: Sim) -> list[str]:
    return sim.credentials(account_name)


@router.post("/add-account", status_code=201)
async def add_account(account_name: str, sim: Sim) -> dict[str, str]:
    if not SAFE_NAME.fullmatch(account_name):
        raise ApiError(
            400,
            f"Invalid account_name: '{account_name}'. "
            "Only letters, numbers, underscores and hyphens are allowed.",
        )
    sim.add_account(account_name)
    return {"message": "Account added successfully."}


@router.post("/delete-account")
async def delete_account(account_name: str, sim: Sim) -> dict[str, str]:
    sim.delete_account(account_name)
    return {"message": "Account deleted successfully."}


@router.post("/delete-credential/{account_name}/{connector_name}")
async def delete_credential(account_name: str, connector_name: str, sim: Sim) -> dict[str, str]:
    sim.delete_credential(account_name, connector_name)
    return {"message": "Credential deleted successfully."}


@router.post("/add-credential/{account_name}/{connector_name}", status_code=201)
async def add_credential(
    account_name: str, connector_name: str, credentials: dict[str, Any], sim: Sim
) -> dict[str, str]:
    sim.add_credential(account_name, connector_name, credentials)
    return {"message": "Connector credentials added successfully."}
