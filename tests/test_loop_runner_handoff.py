"""A fixture that hands ``event_loop`` to project code that runs that loop itself
(``Client(loop=event_loop)`` whose ``__init__`` calls ``loop.run_until_complete``): on the
running loop an async fixture gets, that raises "This event loop is already running", so
sync-to-async does not put it there (pytest_model.project_helpers follows the callable)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.pytest_model.project_helpers import (
    drives_given_loop,
    module_callable,
)
from migrate_async.transforms import BY_NAME

SHOP = '''import asyncio


class Client:
    def __init__(self, name, *, loop):
        self.loop = loop
        self.greeting = loop.run_until_complete(self._hello(name))

    async def _hello(self, name):
        return f"hello {name}"


class Recorder:
    def __init__(self, loop):
        self.loop = loop
        self.done = loop.create_future()


def prime(loop, items):
    return loop.run_until_complete(asyncio.gather(*items))
'''

CONFTEST = '''import pytest

from shop import Client, Recorder
from shop import prime as warm


@pytest.fixture
def client(event_loop):
    return Client("tests", loop=event_loop)


@pytest.fixture
def recorder(event_loop):
    return Recorder(event_loop)


@pytest.fixture
def primed(event_loop):
    warm(event_loop, [])
    return event_loop
'''

TESTS = '''import pytest


@pytest.mark.asyncio
async def test_client(client):
    assert client.greeting == "hello tests"


@pytest.mark.asyncio
async def test_recorder(recorder):
    recorder.done.set_result(1)
    assert await recorder.done == 1


@pytest.mark.asyncio
async def test_primed(primed):
    assert primed is not None
'''


def _function(source: str, name: str):
    found = module_callable(ast.parse(source), name)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("source", "name", "position", "keyword", "line"),
    [
        (SHOP, "Client", None, "loop", 7),  # a class's __init__, by keyword
        (SHOP, "Client", 1, None, None),  # a keyword-only loop is not that position
        ("class C:\n    def __init__(self, loop):\n        loop.run_until_complete(g())\n", "C", 0, None, 3),
        (SHOP, "Recorder", 0, None, None),  # stores the loop, makes a future on it
        (SHOP, "prime", 0, None, 20),
        (SHOP, "prime", 1, None, None),  # the loop is not that argument
        ("class A:\n    def __init__(self, loop):\n        self._l = loop\n        self._l.run_forever()\n", "A", 0, None, 4),
        ("def f(loop):\n    def later():\n        loop.run_until_complete(g())\n    return later\n", "f", 0, None, None),
        ("def f(**kwargs):\n    kwargs['loop'].run_until_complete(g())\n", "f", None, "loop", None),
        ("async def f(loop):\n    loop.run_until_complete(g())\n", "f", 0, None, None),
    ],
)
def test_drives_given_loop(source: str, name: str, position, keyword, line) -> None:
    assert drives_given_loop(_function(source, name), position, keyword) == line


def test_a_class_without_its_own_init_is_not_read() -> None:
    assert module_callable(ast.parse("class B(A):\n    pass\n"), "B") is None


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\npythonpath = .\n")
    (tmp_path / "shop.py").write_text(SHOP)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/conftest.py").write_text(CONFTEST)
    (tmp_path / "tests/test_shop.py").write_text(TESTS)
    return tmp_path


def test_a_fixture_handing_the_loop_to_a_loop_runner_is_left_with_a_left_note(root: Path) -> None:
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["sync-to-async"]], target=None, write=True))
    conftest = (root / "tests/conftest.py").read_text()
    # the loop runners' fixtures stay as they were; the one that only stores the loop goes async
    assert "def client(event_loop):" in conftest
    assert "def primed(event_loop):" in conftest
    assert "async def recorder():" in conftest and "asyncio.get_running_loop()" in conftest
    left = [n for n in result.all_notes if n.kind == "loop-handed-to-loop-runner"]
    assert [(n.path, n.left) for n in left] == [("tests/conftest.py", True)] * 2
    assert "client hands the loop" in left[0].message
    assert "Client (shop.py:7) runs the loop it is given" in left[0].message
    assert "warm (shop.py:20)" in left[1].message


def test_before_1_0_the_note_is_not_left(root: Path) -> None:
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["sync-to-async"]], target=(0, 21), write=False))
    left = [n for n in result.all_notes if n.kind == "loop-handed-to-loop-runner"]
    assert len(left) == 2 and not any(n.left for n in left)
