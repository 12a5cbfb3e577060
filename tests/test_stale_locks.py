"""A lock file that still locks the old pytest-asyncio is said on every run, not only on the
run that raised the pins: after `apply`, `check` must not go quiet while the project installs
the old plugin from its lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.engine.source import resolve_selection
from migrate_async.project.requirements import locked_version

MIGRATED_TEST = """\
import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleeps():
    assert await asyncio.sleep(0, 1) == 1
"""

PYPROJECT = """\
[project]
name = "shop"
version = "1.0"
requires-python = ">=3.10"

[project.optional-dependencies]
test = ["pytest>=8.4", "pytest-asyncio>=1.5"]

[tool.pytest.ini_options]
asyncio_mode = "strict"
asyncio_default_fixture_loop_scope = "function"
"""


def _toml_lock(version: str, name: str = "pytest-asyncio") -> str:
    return (
        'version = 1\n\n[[package]]\nname = "pytest"\nversion = "8.4.2"\n\n'
        f'[[package]]\nname = "{name}"\nversion = "{version}"\n'
    )


def _project(tmp_path: Path, lock_name: str, lock_text: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_shop.py").write_text(MIGRATED_TEST)
    (tmp_path / lock_name).write_text(lock_text)
    return tmp_path


def _lock_notes(root: Path) -> list[str]:
    result = run([root], RunOptions(transforms=resolve_selection(), target=None))
    assert result.changed_files == []  # already migrated: nothing to rewrite
    return [note.message for note in result.all_notes if note.kind == "lock-file-not-edited"]


@pytest.mark.parametrize("lock_name", ["uv.lock", "poetry.lock", "pdm.lock"])
def test_a_lock_below_the_declared_floor_is_said(tmp_path: Path, lock_name: str) -> None:
    root = _project(tmp_path, lock_name, _toml_lock("0.21.1", name="pytest_asyncio"))
    notes = _lock_notes(root)
    assert len(notes) == 1
    assert notes[0].startswith(f"{lock_name} locks pytest-asyncio 0.21.1, which ")
    assert "pyproject.toml:" in notes[0] and "(pytest-asyncio>=1.5) excludes: re-lock" in notes[0]


def test_a_pipfile_lock_is_read_too(tmp_path: Path) -> None:
    data = {"default": {}, "develop": {"pytest-asyncio": {"version": "==0.23.8"}}}
    root = _project(tmp_path, "Pipfile.lock", json.dumps(data))
    assert [n.split(",")[0] for n in _lock_notes(root)] == ["Pipfile.lock locks pytest-asyncio 0.23.8"]


@pytest.mark.parametrize(
    "lock_text",
    [
        _toml_lock("1.5.0"),  # re-locked
        'version = 1\n\n[[package]]\nname = "pytest"\nversion = "8.4.2"\n',  # does not lock it
        "this is [not toml",  # unreadable: nothing known
        _toml_lock("not a version"),
    ],
)
def test_a_lock_that_fits_or_says_nothing_is_not_said(tmp_path: Path, lock_text: str) -> None:
    assert _lock_notes(_project(tmp_path, "uv.lock", lock_text)) == []


def test_locked_version(tmp_path: Path) -> None:
    lock = tmp_path / "poetry.lock"
    lock.write_text(_toml_lock("0.21.1"))
    assert str(locked_version(lock, "pytest_asyncio")) == "0.21.1"
    assert str(locked_version(lock, "pytest")) == "8.4.2"
    assert locked_version(lock, "anyio") is None
    assert locked_version(tmp_path / "missing.lock", "pytest") is None
