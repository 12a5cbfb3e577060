"""A sync fixture that gives ``event_loop`` to ``asyncio.all_tasks`` (aiohappyeyeballs 2.4.4:
an autouse fixture that checks no task outlives the test): it inspects that loop rather than
handing it on, and the loop the tests run in under pytest-asyncio 1.x is another one. The note
says so, and how to do it on the running loop: an async fixture whose teardown, a task of its
own, leaves ``asyncio.current_task()`` out of the tasks it finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME

CONFTEST = '''import asyncio
from typing import Generator

import pytest


@pytest.fixture(autouse=True)
def verify_no_lingering_tasks(
    event_loop: asyncio.AbstractEventLoop,
) -> Generator[None, None, None]:
    tasks_before = asyncio.all_tasks(event_loop)
    yield

    tasks = asyncio.all_tasks(event_loop) - tasks_before
    for task in tasks:
        pytest.fail(f"Task still running: {task!r}")
    if tasks:
        event_loop.run_until_complete(asyncio.wait(tasks))


@pytest.fixture
def current(event_loop):
    return asyncio.current_task(loop=event_loop)


@pytest.fixture
def recorder(event_loop):
    return Recorder(event_loop)
'''

TESTS = '''import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleep():
    await asyncio.sleep(0)
'''


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/conftest.py").write_text(CONFTEST)
    (tmp_path / "tests/test_a.py").write_text(TESTS)
    return tmp_path


def test_the_note_says_the_fixture_inspects_the_loop_s_tasks(root: Path) -> None:
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["sync-to-async"]], target=None, write=False))
    notes = [n for n in result.all_notes if n.path == "tests/conftest.py"]
    inspected = [n for n in notes if n.kind == "loop-tasks-inspected"]
    assert [n.line for n in inspected] == [11, 14, 23]
    first = inspected[0].message
    assert "verify_no_lingering_tasks inspects the tasks of the loop 'event_loop' (asyncio.all_tasks(event_loop))" in first
    assert "passes the loop" not in first
    # the advice: an async fixture on the running loop, its teardown's own task left out
    assert "async fixture" in first and "asyncio.all_tasks() with no loop" in first
    assert "leave asyncio.current_task() out" in first
    assert first.endswith("; await what it gives run_until_complete() instead")  # its teardown's
    # asyncio.current_task(loop=...) is the same shape; the teardown advice is all_tasks's
    current = inspected[2].message
    assert "current inspects the tasks of the loop 'event_loop' (asyncio.current_task(loop=event_loop))" in current
    assert "asyncio.current_task() with no loop" in current and "leave asyncio.current_task() out" not in current
    assert "run_until_complete" not in current
    # a loop handed to other code keeps its note
    assert [n.line for n in notes if n.kind == "loop-passed-on"] == [28]


ONLY_ASYNC_CONSUMERS = '''import asyncio

import pytest


@pytest.fixture
def no_lingering(event_loop):
    before = asyncio.all_tasks(event_loop)
    yield
    assert not asyncio.all_tasks(event_loop) - before
'''


def test_a_fixture_only_async_tests_request_is_not_moved_to_the_running_loop(root: Path) -> None:
    # on the running loop, its teardown would find its own task and fail every test
    (root / "tests/conftest.py").write_text(ONLY_ASYNC_CONSUMERS)
    (root / "tests/test_a.py").write_text(TESTS.replace("test_sleep()", "test_sleep(no_lingering)"))
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["sync-to-async"]], target=None, write=True))
    assert (root / "tests/conftest.py").read_text() == ONLY_ASYNC_CONSUMERS
    assert [n.kind for n in result.all_notes] == ["loop-tasks-inspected"] * 2
