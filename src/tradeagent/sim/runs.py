"""The API's ``bot-runs`` table: one row per deploy, updated at stop and archive."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


class NoSuchRun(LookupError):
    """No bot run has this id."""


class BotRuns:
    def __init__(self, rows: list[dict[str, Any]] | None = None, next_id: int = 1) -> None:
        self.rows = rows or []
        self.next_id = next_id

    def deployed(self, name: str, account: str, deployment: dict[str, Any], wall: float) -> None:
        self.rows.append(
            {
                "id": self.next_id,
                "bot_name": name,
                "instance_name": name,
                "deployed_at": iso(wall),
                "stopped_at": None,
                "strategy_type": "controller",
                "strategy_name": "v2_with_controllers",
                "config_name": f"{name}.yml",
                "account_name": account,
                "image_version": deployment["image"],
                "deployment_status": "DEPLOYED",
                "run_status": "CREATED",
                "deployment_config": deployment,
                "final_status": None,
                "error_message": None,
            }
        )
        self.next_id += 1

    def stopped(self, name: str, final_status: dict[str, Any], wall: float) -> None:
        rows = self._of(name)
        if rows:
            rows[-1].update(run_status="STOPPED", stopped_at=iso(wall), final_status=final_status)

    def archived(self, name: str) -> None:
        for row in self._of(name):
            row["deployment_status"] = "ARCHIVED"

    def page(self, filters: dict[str, str | None], limit: int, offset: int) -> dict[str, Any]:
        rows = [
            row
            for row in reversed(self.rows)
            if all(value is None or row[key] == value for key, value in filters.items())
        ]
        page = rows[offset : offset + limit] if limit >= 0 else rows[offset:]
        # The real server reports the page length as "total".
        return {
            "status": "success",
            "data": page,
            "total": len(page),
            "limit": limit,
            "offset": offset,
        }

    def get(self, run_id: int) -> dict[str, Any]:
        for row in self.rows:
            if row["id"] == run_id:
                return row
        raise NoSuchRun(run_id)

    def delete(self, run_id: int) -> dict[str, Any]:
        row = self.get(run_id)
        self.rows.remove(row)
        return row

    def stats(self) -> dict[str, Any]:
        types: dict[str, int] = {}
        statuses: dict[str, int] = {}
        for row in self.rows:
            types[row["strategy_type"]] = types.get(row["strategy_type"], 0) + 1
            statuses[row["run_status"]] = statuses.get(row["run_status"], 0) + 1
        active = sum(
            1
            for row in self.rows
            if row["run_status"] in {"CREATED", "RUNNING"}
            and row["deployment_status"] == "DEPLOYED"
        )
        return {
            "total_runs": len(self.rows),
            "active_runs": active,
            "strategy_type_counts": types,
            "status_counts": statuses,
        }

    def _of(self, name: str) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["bot_name"] == name]


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()
