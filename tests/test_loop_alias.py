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
# sync users the running loop, handed to them idle, does not serve as 0.21's event_loop did
SYNC_CLOSER = "def test_b(loop):\n    loop.close()\n"
SYNC_WITH_OTHER = "def test_b(loop, server):\n    assert loop.run_until_complete(server.ping()) is None\n"
SYNC_FIXTURE = "import pytest\n\n\n@pytest.fixture\ndef server(loop):\n    return loop\n\n\ndef test_b(server):\n    pass\n"


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


def test_a_sync_test_that_only_drives_the_loop_below_gets_the_running_loop_idle(root: Path) -> None:
    # a sync test that requests an async fixture gets pytest-asyncio's loop idle and current,
    # as it got 0.21's event_loop: run_until_complete works on it
    _project(root, {"tests/conftest.py": ALIAS, "tests/test_a.py": ASYNC_USER, "tests/deep/test_b.py": SYNC_USER})
    assert "async def loop():\n    return asyncio.get_running_loop()\n" in _conftest_after([Path(".")])


@pytest.mark.parametrize("sync_user", [SYNC_CLOSER, SYNC_WITH_OTHER, SYNC_FIXTURE], ids=["closes", "other", "fixture"])
def test_a_sync_user_below_keeps_the_alias(root: Path, sync_user: str) -> None:
    _project(root, {"tests/conftest.py": ALIAS, "tests/test_a.py": ASYNC_USER, "tests/deep/test_b.py": sync_user})
    assert _conftest_after([Path(".")]) == ALIAS


@pytest.mark.parametrize("sync_user", [SYNC_USER, SYNC_CLOSER], ids=["drives", "closes"])
def test_in_a_test_module_its_own_sync_tests_decide(root: Path, sync_user: str) -> None:
    _project(root, {"tests/test_a.py": ALIAS + "\n\n" + ASYNC_USER.split("\n\n\n", 1)[1] + "\n\n" + sync_user})
    run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))
    converted = "async def loop():\n    return asyncio.get_running_loop()\n" in Path("tests/test_a.py").read_text()
    assert converted == (sync_user is SYNC_USER)


def test_a_run_that_did_not_see_every_module_below_keeps_the_alias(root: Path) -> None:
    # tests/other/ may hold sync users the run never read
    _project(root, {"tests/conftest.py": ALIAS, "tests/test_a.py": ASYNC_USER, "tests/other/test_b.py": SYNC_USER})
    assert _conftest_after([Path("tests/conftest.py"), Path("tests/test_a.py")]) == ALIAS


def test_in_a_test_module_its_own_users_decide(root: Path) -> None:
    _project(root, {"tests/test_a.py": ALIAS + "\n\n" + ASYNC_USER.split("\n\n\n", 1)[1]})
    run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))
    assert "async def loop():\n    return asyncio.get_running_loop()\n" in Path("tests/test_a.py").read_text()


OWN_LOOP = (
    "import asyncio\n\nimport pytest\n\n\nclass MyLoop(asyncio.SelectorEventLoop):\n    pass\n\n\n"
    "@pytest.fixture\ndef event_loop():\n    loop = MyLoop()\n    yield loop\n    loop.close()\n"
)


@pytest.mark.parametrize(
    "files",
    [
        {"tests/sub/conftest.py": OWN_LOOP, "tests/sub/test_b.py": SYNC_USER},  # a conftest.py below
        {"tests/sub/test_b.py": OWN_LOOP + "\n\n" + SYNC_USER},  # the test module itself
    ],
    ids=["conftest-below", "module-itself"],
)
def test_an_idle_sync_user_served_by_an_event_loop_of_its_own_keeps_the_alias(root: Path, files: dict[str, str]) -> None:
    # there the alias hands out that loop (a custom class, say), not the running one
    _project(root, {"tests/conftest.py": ALIAS, "tests/test_a.py": ASYNC_USER, **files})
    after = _conftest_after([Path(".")])
    assert "def loop(event_loop):\n    return event_loop\n" in after
