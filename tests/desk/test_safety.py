"""The model proposes; code decides. Nothing a model outputs can reach a deploy without the
confirmation: the assistant cannot import the client or the desk, the client's deploy is called
in one place, and that place takes only a confirmation the review hands out."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

import tradeagent
from tradeagent.desk import ConfirmationRefused, ConfirmedDeploy
from tradeagent.desk.deploy import deploy

SRC = Path(tradeagent.__file__).parent


def calls(attribute: str) -> list[tuple[str, int]]:
    """Every ``something.<attribute>(...)`` call in the source tree: (module file, line)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == attribute
            ):
                found.append((str(path.relative_to(SRC)), node.lineno))
    return found


def test_the_assistant_cannot_reach_the_server_or_the_desk() -> None:
    graph = grimp.build_graph("tradeagent")
    for target in ("tradeagent.hb", "tradeagent.desk", "tradeagent.sim", "tradeagent.tui"):
        # Direct or indirect imports, from any module of the package to any of the target's.
        chains = graph.find_shortest_chains(importer="tradeagent.ai", imported=target)
        assert not chains, f"tradeagent.ai reaches {target}: {chains}"


def test_the_clients_deploy_is_called_in_one_place() -> None:
    sites = [site for site in calls("deploy") if site[0] == "desk/deploy.py"]
    assert len(sites) == 1
    # Everywhere else, `.deploy(` is the desk's own deploy, which takes a confirmation.
    for module, line in calls("deploy"):
        if module.startswith(("hb/", "sim/")) or module == "desk/deploy.py":
            continue  # the client itself, and the simulator's server side
        source = (SRC / module).read_text().splitlines()[line - 1]
        assert "desk.deploy(" in source or "self.deploy(" in source, f"{module}:{line}"


def test_only_the_review_makes_a_confirmation() -> None:
    makers = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ConfirmedDeploy"
            ):
                makers.append(str(path.relative_to(SRC)))
    assert makers == ["desk/review.py"]
    with pytest.raises(ConfirmationRefused):
        ConfirmedDeploy(object(), "by a model", object())  # type: ignore[arg-type]


def test_the_desk_deploy_takes_only_a_confirmation() -> None:
    annotation = deploy.__annotations__["confirmed"]
    assert annotation in ("ConfirmedDeploy", ConfirmedDeploy)


def test_no_assistant_tool_deploys_stops_or_moves_money() -> None:
    words = ("deploy", "stop", "kill", "archive", "withdraw", "transfer", "order")
    for path in sorted((SRC / "ai").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            # Tool schemas name their tools in a "name" key.
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "name"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        assert not any(w in value.value.lower() for w in words), (
                            f"{path.name}: tool {value.value!r}"
                        )
