"""The project's own sync functions and methods that run an event loop or take the current
one, by name (pytest_model/library_loops.py)."""

from __future__ import annotations

from pathlib import Path

from migrate_async.pytest_model.library_loops import LibraryLoops, library_loops

SYNC = '''
import asyncio


def async_to_sync(coro, loop=None):
    loop = loop or asyncio.get_event_loop()
    return loop.run_until_complete(coro)


def make_loop():
    return asyncio.new_event_loop()


def run_main(coro):
    return asyncio.run(coro)
'''
CLIENT = '''
from .sync import async_to_sync


class Client:
    def __init__(self):
        self.sent = []

    async def send(self, message):
        return message

    def send_sync(self, message):
        return async_to_sync(self.send(message))

    def later(self):
        def inner():
            return async_to_sync(self.send("x"))
        return inner


class Owner:
    def __init__(self):
        import asyncio
        self.loop = asyncio.get_event_loop()
'''


def _project(tmp_path: Path) -> Path:
    package = tmp_path / "src" / "mailer"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sync.py").write_text(SYNC)
    (package / "client.py").write_text(CLIENT)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("")
    (tests / "helpers.py").write_text("def drive(loop):\n    loop.run_until_complete(None)\n")
    return tmp_path


def test_names_that_run_or_take_a_loop_through_one_another(tmp_path: Path) -> None:
    found = library_loops(_project(tmp_path))
    assert found.runs == {"async_to_sync", "send_sync", "run_main"}
    assert found.takes == {"async_to_sync", "send_sync", "Owner"}  # Owner(): its __init__
    assert found.packages == {"mailer"}
    # a nested function may run later, on a loop: not its owner's doing; test code is not read
    assert "later" not in found.runs and "drive" not in found.runs


def test_what_a_call_may_reach() -> None:
    found = LibraryLoops(runs=frozenset({"send_sync", "get_running_loop"}), packages=frozenset({"mailer"}))
    imported = {"asyncio": "asyncio", "sync": "mailer.sync", "mock": "unittest.mock"}
    assert found.callee("client.send_sync", imported) == "send_sync"
    assert found.callee("sync.send_sync", imported) == "send_sync"
    assert found.callee("asyncio.get_running_loop", imported) is None
    assert found.callee("mock.send_sync", imported) is None


def test_nothing_known_without_a_root_or_past_the_size_bound(tmp_path: Path, monkeypatch) -> None:
    assert library_loops(None) == LibraryLoops()
    from migrate_async.pytest_model import library_loops as module

    monkeypatch.setattr(module, "_MAX_FILES", 1)
    module._read.cache_clear()
    try:
        assert library_loops(_project(tmp_path)) == LibraryLoops()
    finally:
        module._read.cache_clear()
