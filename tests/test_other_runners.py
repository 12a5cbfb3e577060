"""Async tests that another runner runs, one test at a time (tornado's gen_test mark,
pytest-twisted's ensureDeferred, aiounittest's async_test, a module's own sync wrapper):
asyncio-marker leaves them alone. Marked, pytest-asyncio took them over: the gen_test test
ran on pytest-asyncio's loop instead of ``io_loop`` and failed, the decorated ones failed
("a coroutine was expected", NotACoroutineError) or warned (a mark on a sync function)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME

INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"


def _marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text(INI)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_a.py").write_text(source)
    run([Path(".")], RunOptions(transforms=[BY_NAME["asyncio-marker"]], target=None, write=True))
    return (tmp_path / "tests/test_a.py").read_text()


LEFT_ALONE = [
    "import pytest\n\n\n@pytest.mark.gen_test\nasync def test_a(io_loop):\n    pass\n",
    "import pytest\n\n\nclass TestA:\n    @pytest.mark.gen_test(timeout=5)\n    async def test_a(self, io_loop):\n        pass\n",
    "import pytest\nimport pytest_twisted\n\n\n@pytest_twisted.ensureDeferred\nasync def test_a():\n    pass\n",
    "import pytest\nfrom aiounittest import async_test\n\n\n@async_test\nasync def test_a():\n    pass\n",
    "import pytest\nfrom aiounittest.helpers import async_test as run_it\n\n\n@run_it(loop=None)\nasync def test_a():\n    pass\n",
    (
        "import asyncio\nimport functools\n\nimport pytest\n\n\ndef async_test(f):\n"
        "    @functools.wraps(f)\n    def wrapper(*args, **kwargs):\n        return asyncio.run(f(*args, **kwargs))\n\n"
        "    return wrapper\n\n\n@async_test\nasync def test_a():\n    pass\n"
    ),
]


@pytest.mark.parametrize("source", LEFT_ALONE)
def test_another_runners_async_test_gets_no_asyncio_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    assert _marked(tmp_path, monkeypatch, source) == source


MARKED = [
    # a wrapper that stays async, and a decorator of the module that is not a wrapper maker
    (
        "import functools\n\nimport pytest\n\n\ndef traced(f):\n    @functools.wraps(f)\n"
        "    async def wrapper(*args, **kwargs):\n        return await f(*args, **kwargs)\n\n"
        "    return wrapper\n\n\n@traced\nasync def test_a():\n    pass\n"
    ),
    "import pytest\n\n\ndef tag(f):\n    f.tagged = True\n    return f\n\n\n@tag\nasync def test_a():\n    pass\n",
    "import pytest\nfrom unittest import mock\n\n\n@mock.patch('os.getcwd')\nasync def test_a(getcwd):\n    pass\n",
]


@pytest.mark.parametrize("source", MARKED)
def test_other_decorated_async_tests_are_still_marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    after = _marked(tmp_path, monkeypatch, source)
    assert after.count("@pytest.mark.asyncio\n") == 1


def test_a_module_with_both_marks_only_the_asyncio_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = (
        "import pytest\n\n\n@pytest.mark.gen_test\nasync def test_tornado(io_loop):\n    pass\n\n\n"
        "async def test_asyncio():\n    pass\n"
    )
    after = _marked(tmp_path, monkeypatch, source)
    assert after == source.replace("\n\n\nasync def test_asyncio", "\n\n\n@pytest.mark.asyncio\nasync def test_asyncio")
