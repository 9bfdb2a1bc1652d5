"""Draft versions, draft files and the external editor helper, without the app."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from strategy_helpers import example

from tradeagent.strategy import dump_yaml
from tradeagent.tui.draft import (
    Draft,
    DraftFileError,
    DraftHistory,
    read_draft_file,
    write_draft_file,
)
from tradeagent.tui.external_editor import EditorError, edit_text, editor_command


def test_draft_from_config_and_from_bad_text() -> None:
    config = example("pmm_simple")
    good = Draft.from_config(config, "assistant")
    assert good.valid and good.text == dump_yaml(config) and good.config == config
    assert good.config_hash is not None
    bad = Draft.from_text("id: x\ncontroller_name: pmm_simple\nleverage: -1\n", "editor")
    assert not bad.valid and bad.config_hash is None
    assert [p.field for p in bad.problems] == ["leverage"]


def test_history_numbers_versions_and_skips_repeats() -> None:
    history = DraftHistory()
    first = history.record(Draft.from_text("id: a\n", "editor"))
    again = history.record(Draft.from_text("id: a\n", "editor", path=Path("a.yml")))
    second = history.record(Draft.from_text("id: b\n", "editor"))
    assert (first.version, again.version, second.version) == (1, 1, 2)
    assert again.path == Path("a.yml")
    assert len(history) == 2
    assert history.before("id: b\n") is not None
    assert history.before("id: b\n").text == "id: a\n"  # type: ignore[union-attr]
    assert history.before("id: a\n") == second


def test_reading_refuses_what_is_not_a_small_text_file(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yml"
    huge.write_text("# x\n" * 100_000, encoding="utf-8")
    with pytest.raises(DraftFileError, match="KB; a controller config is a few KB"):
        read_draft_file(huge)
    binary = tmp_path / "bin.yml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(DraftFileError, match="not UTF-8 text"):
        read_draft_file(binary)
    with pytest.raises(DraftFileError, match="not a regular file"):
        read_draft_file(tmp_path)
    with pytest.raises(DraftFileError, match="does not exist"):
        read_draft_file(tmp_path / "missing.yml")
    bom = tmp_path / "bom.yml"
    bom.write_bytes("\ufeffid: x\n".encode())
    assert read_draft_file(bom) == "id: x\n"


def test_writing_is_atomic_and_explains_failures(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "cfg.yml"
    write_draft_file(target, "id: one\n")
    write_draft_file(target, "id: two\n")
    assert target.read_text(encoding="utf-8") == "id: two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["cfg.yml"]  # no temp left over
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(DraftFileError, match="cannot write"):
        write_draft_file(blocker / "cfg.yml", "id: x\n")


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "editor"
    path.write_text(f"#!{sys.executable}\nimport sys, pathlib\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_external_editor_returns_the_saved_text_and_cleans_up(tmp_path: Path) -> None:
    seen = tmp_path / "seen"
    editor = _script(
        tmp_path,
        f"p = pathlib.Path(sys.argv[1]); pathlib.Path({str(seen)!r}).write_text(p.name + "
        "' ' + oct(p.stat().st_mode & 0o777)); p.write_text('id: edited\\n')",
    )
    assert edit_text("id: x\n", name="bb", command=[str(editor)]) == "id: edited\n"
    name, mode = seen.read_text().split()
    assert name.startswith("bb-") and name.endswith(".yml")
    assert mode == "0o600"


def test_external_editor_failure_is_explained(tmp_path: Path) -> None:
    editor = _script(tmp_path, "sys.exit(3)")
    with pytest.raises(EditorError, match="exited with status 3; the draft is unchanged"):
        edit_text("id: x\n", name="bb", command=[str(editor)])


def test_editor_command_from_the_environment(tmp_path: Path) -> None:
    editor = _script(tmp_path, "pass")
    os.environ.pop("VISUAL", None)  # it would win over $EDITOR
    os.environ["EDITOR"] = "/no/such/editor --wait"
    with pytest.raises(EditorError, match="Set \\$EDITOR"):
        editor_command()
    os.environ["VISUAL"] = f"{editor} --flag"
    assert editor_command() == [str(editor), "--flag"]
    os.environ["VISUAL"] = "'unterminated"
    with pytest.raises(EditorError, match="not a valid command"):
        editor_command()
