"""A fixture that only hands out event_loop (pytest-aiohttp's ``loop``) becomes an async fixture
giving the running loop, only where no sync code requests it (sync-to-async, with what the
survey gathered from the modules below a conftest.py: Transform.gather, FileFacts.below)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import REGISTRY

ALIAS = "import pytest\n\n\n@pytest.fixture\ndef loop(event_loop):\n    return event_loop\n"
ASYNC_USER = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a(loop):\n    assert loop.is_running()\n"
SYNC_USER = "def test_b(loop):\n    assert loop.run_until_complete(noop()) is None\n\n\nasync def noop():\n    pass\n"


def _project(root: Path, files: dict[str, str]) -> None:
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _conftest_after(paths: list[Path]) -> str:
    run(paths, RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))
    return Path("tests/conftest.py").read_text()


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_only_async_users_below_the_alias_gives_the_running_loop(root: Path) -> None:
    _project(root, {"tests/conftest.py": ALIAS, "tests/test_a.py": ASYNC_USER, "tests/deep/test_c.py": ASYNC_USER})
    after = _conftest_after([Path(".")])
    assert "async def loop():\n    return asyncio.get_running_loop()\n" in after
    assert _conftest_after([Path(".")]) == after  # a second run changes nothing


def test_a_sync_user_below_keeps_the_alias(root: Path) -> None:
    _project(root, {"tests/conftest.py": ALIAS, "tests/test_a.py": ASYNC_USER, "tests/deep/test_b.py": SYNC_USER})
    assert _conftest_after([Path(".")]) == ALIAS


def test_a_run_that_did_not_see_every_module_below_keeps_the_alias(root: Path) -> None:
    # tests/other/ may hold sync users the run never read
    _project(root, {"tests/conftest.py": ALIAS, "tests/test_a.py": ASYNC_USER, "tests/other/test_b.py": SYNC_USER})
    assert _conftest_after([Path("tests/conftest.py"), Path("tests/test_a.py")]) == ALIAS


def test_in_a_test_module_its_own_users_decide(root: Path) -> None:
    _project(root, {"tests/test_a.py": ALIAS + "\n\n" + ASYNC_USER.split("\n\n\n", 1)[1]})
    run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))
    assert "async def loop():\n    return asyncio.get_running_loop()\n" in Path("tests/test_a.py").read_text()
