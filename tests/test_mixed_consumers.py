"""A fixture that hands the loop object on to sync and to async consumers (a class's
``executor(event_loop)`` override that a conftest.py fixture builds on, requested by a sync and
an async test): the sync ones keep a loop of the project's own, the async ones run on
pytest-asyncio's, so no one loop serves both. Left with a note (``check`` exits 1), never
silently given the stand-in loop; a class whose tests are all sync gets no note."""

from __future__ import annotations

from pathlib import Path

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import REGISTRY

PROJECT = {'pytest.ini': '[pytest]\nasyncio_mode = strict\ntestpaths = tests\n', 'tests/__init__.py': '', 'tests/test_sync_class.py': '"""A class whose tests are sync: they drive the executor\'s loop themselves."""\nimport asyncio\n\nimport pytest\n\nfrom .conftest import Executor\n\n\nclass TestBoundSync:\n    @pytest.fixture\n    def executor(self, event_loop):\n        return Executor(loop=event_loop)\n\n    def test_runs_on_bound_loop(self, app):\n        loop = app["executor"].loop\n        assert loop.run_until_complete(app["executor"].run(3)) == 6\n\n    def test_loop_not_running(self, app):\n        assert not app["executor"].loop.is_running()\n', 'tests/test_mixed.py': '"""Override consumed by a sync conftest fixture; one async test, one sync test."""\nimport asyncio\n\nimport pytest\n\nfrom .conftest import Executor\n\n\nclass TestMixed:\n    @pytest.fixture\n    def executor(self, event_loop):\n        return Executor(loop=event_loop)\n\n    @pytest.mark.asyncio\n    async def test_async(self, app):\n        assert await app["executor"].run(2) == 4\n\n    def test_sync(self, app):\n        assert app["executor"].loop.run_until_complete(app["executor"].run(5)) == 10\n', 'tests/conftest.py': 'import asyncio\n\nimport pytest\n\n\nclass Executor:\n    def __init__(self, loop=None):\n        self.loop = loop\n\n    async def run(self, value):\n        loop = self.loop or asyncio.get_running_loop()\n        done = loop.create_future()\n        loop.call_soon(done.set_result, value * 2)\n        return await done\n\n\n@pytest.fixture\ndef executor():\n    return Executor()\n\n\n@pytest.fixture\ndef app(executor):\n    return {"executor": executor}\n'}


def test_a_loop_for_sync_and_async_consumers_is_left_with_a_note(tmp_path: Path, monkeypatch) -> None:
    for name, text in PROJECT.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    left = [(n.path, n.line, n.kind) for f in result.files for n in f.notes if n.left]
    assert left == [("tests/test_mixed.py", 11, "loop-for-sync-and-async")]
    notes = [(n.path, n.kind) for f in result.files for n in f.notes]
    assert not [n for n in notes if n[0] == "tests/test_sync_class.py"]
