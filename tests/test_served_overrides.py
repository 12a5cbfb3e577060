"""An ``event_loop`` override below a sync fixture that requests the loop (a plugin's or a
conftest.py's ``loop(event_loop)`` alias): the check of the planned result gives the
override back only where tests that use the fixture are (engine/plan_check.py), sync-to-async
keeps the alias sync only for the users an override serves (its survey), and a file left as
it is keeps the loops of its wider-scoped async fixtures (engine/writes.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import REGISTRY

ALIAS = "import pytest\n\n\n@pytest.fixture\ndef loop(event_loop):\n    return event_loop\n"

SESSION_OVERRIDE = textwrap.dedent(
    """\
    import asyncio

    import pytest
    import pytest_asyncio


    @pytest.fixture(scope="session")
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()


    @pytest_asyncio.fixture(scope="session")
    async def shared():
        return asyncio.get_running_loop()
    """
)

ASYNC_TESTS = textwrap.dedent(
    """\
    import asyncio

    import pytest


    @pytest.mark.asyncio
    async def test_one(shared):
        assert shared is asyncio.get_running_loop()
    """
)

SYNC_ALIAS_USER = (
    "import asyncio\n\n\ndef test_alias(loop):\n"
    "    assert loop.run_until_complete(asyncio.sleep(0, 1)) == 1\n"
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.plugins.loops"]\n')
    for folder in ("tests", "tests/plugins", "tests/a", "tests/b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "tests" / "plugins" / "loops.py").write_text(ALIAS)
    (tmp_path / "tests" / "b" / "conftest.py").write_text(SESSION_OVERRIDE)
    (tmp_path / "tests" / "b" / "test_b.py").write_text(ASYNC_TESTS)
    return tmp_path


def _apply():
    return run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))


def test_an_override_beside_the_alias_users_is_migrated_in_one_run(root: Path) -> None:
    # the alias is used in tests/a only: tests/b's override never reached it
    (root / "tests" / "a" / "test_a.py").write_text(SYNC_ALIAS_USER)
    result = _apply()
    assert not [n for n in result.all_notes if n.kind == "withdrawn-edit"]
    assert "def event_loop" not in (root / "tests" / "b" / "conftest.py").read_text()
    assert "async def loop" in (root / "tests" / "plugins" / "loops.py").read_text()
    assert _apply().changed_files == []


def test_an_override_where_the_alias_is_used_is_given_back(root: Path) -> None:
    (root / "tests" / "b" / "test_alias.py").write_text(SYNC_ALIAS_USER)
    result = _apply()
    withdrawn = [n for n in result.all_notes if n.kind == "withdrawn-edit"]
    assert [n.path for n in withdrawn] == ["tests/plugins/loops.py"]
    assert (root / "tests" / "b" / "conftest.py").read_text() == SESSION_OVERRIDE
    # the file left as it is keeps its session fixture's loop: not a default of "function"
    # (ScopeMismatch), the fixture's own scope
    assert "asyncio_default_fixture_loop_scope = fixture-scope" in (root / "pytest.ini").read_text()
    assert _apply().changed_files == []


def test_a_request_by_a_test_under_an_override_leaves_the_override_to_the_migration(root: Path) -> None:
    # a sync test of tests/b that asks for event_loop itself: removing tests/b's override is
    # the migration (its async tests' session loop), and the request is reported
    (root / "tests" / "plugins" / "loops.py").write_text("")
    (root / "tests" / "b" / "test_sync.py").write_text(
        'import pytest\n\n\n@pytest.mark.usefixtures("event_loop")\ndef test_sync():\n    pass\n'
    )
    result = _apply()
    assert "def event_loop" not in (root / "tests" / "b" / "conftest.py").read_text()
    assert [n.kind for n in result.all_notes if n.path.endswith("test_sync.py")] == ["unprovided-fixture"]


def test_an_override_beside_a_sync_alias_users_is_not_given_back(root: Path) -> None:
    # the alias stays sync (a sync fixture of tests/a hands its loop on) and its request is
    # reported; tests/b's override, which never served it, is migrated all the same
    (root / "tests" / "a" / "test_a.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef client(loop):\n    return {'loop': loop}\n\n\n"
        "def test_a(client):\n    assert client['loop'] is not None\n"
    )
    result = _apply()
    assert not [n for n in result.all_notes if n.kind == "withdrawn-edit"]
    assert "def event_loop" not in (root / "tests" / "b" / "conftest.py").read_text()
    assert (root / "tests" / "plugins" / "loops.py").read_text() == ALIAS
    assert [n.path for n in result.all_notes if n.left] == ["tests/plugins/loops.py"]
    assert _apply().changed_files == []
