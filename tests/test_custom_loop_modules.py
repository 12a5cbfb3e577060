"""Test modules whose own event_loop override makes a library's loop (aiokatcp 1.6.1:
``async_solipsism.EventLoop`` in three modules, one of them with a sync fixture that asks for
the loop): every module's loop type reaches the conftest's hook, and the module keeps the
import the hook reads through ``item.module``. Before, the module whose sync fixture
sync-to-async made async lost its hook branch (the second pass of event-loop-fixture dropped
the first pass's request): its tests ran on a real loop and ``asyncio.sleep(1000)`` hung; and
a module whose override was the import's only reader lost the import the hook reads."""

from __future__ import annotations

import ast
from pathlib import Path

from migrate_async.engine import RunOptions, run
from migrate_async.engine.source import resolve_selection

ONLY_OVERRIDE = """\
import asyncio

import async_solipsism
import pytest


@pytest.fixture
def event_loop():
    loop = async_solipsism.EventLoop()
    yield loop
    loop.close()


async def test_sleep():
    await asyncio.sleep(1000)
    assert asyncio.get_running_loop().time() >= 1000
"""

WITH_SYNC_FIXTURE = """\
import asyncio

import async_solipsism
import pytest


@pytest.fixture
def event_loop():
    loop = async_solipsism.EventLoop()
    yield loop
    loop.close()


async def test_sleep():
    await asyncio.sleep(1000)
    assert isinstance(asyncio.get_running_loop(), async_solipsism.EventLoop)


@pytest.fixture
def clock(event_loop):
    return event_loop.time


async def test_clock(clock):
    assert clock() < 1
"""


def _migrated(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    (tmp_path / "requirements.txt").write_text("pytest-asyncio==0.18.3\nasync-solipsism\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_a.py").write_text(ONLY_OVERRIDE)
    (tests / "test_b.py").write_text(WITH_SYNC_FIXTURE)
    result = run([tmp_path], RunOptions(transforms=resolve_selection(), target=None, write=True))
    assert result.all_errors == []
    return {name: (tests / name).read_text() for name in ("conftest.py", "test_a.py", "test_b.py")}


def test_each_module_s_loop_type_reaches_the_hook(tmp_path: Path) -> None:
    files = _migrated(tmp_path)
    hook = files["conftest.py"]
    for module in ("test_a.py", "test_b.py"):
        assert f'item.path == Path(__file__).parent / "{module}"' in hook
    assert hook.count("item.module.async_solipsism.EventLoop") == 2
    assert "def event_loop" not in files["test_a.py"] and "def event_loop" not in files["test_b.py"]
    assert "async def clock" in files["test_b.py"]  # (sync-to-async: it runs on the test's loop)


def test_a_module_keeps_the_import_the_hook_reads(tmp_path: Path) -> None:
    files = _migrated(tmp_path)
    tree = ast.parse(files["test_a.py"])
    imported = {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    assert "async_solipsism" in imported


def test_the_kept_import_says_why_where_the_module_no_longer_reads_it(tmp_path: Path) -> None:
    # (pyflakes/ruff F401 would call it unused, and ``ruff --fix`` would delete it)
    files = _migrated(tmp_path)
    assert "import async_solipsism  # noqa: F401 (conftest.py's loop factory hook reads it)\n" in files["test_a.py"]
    # test_b.py still reads it itself: nothing to say
    assert "import async_solipsism\n" in files["test_b.py"] and "noqa" not in files["test_b.py"]


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    first = _migrated(tmp_path)
    again = run([tmp_path], RunOptions(transforms=resolve_selection(), target=None, write=True))
    assert again.changed_files == []
    assert {name: (tmp_path / "tests" / name).read_text() for name in first} == first
