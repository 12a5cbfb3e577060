"""Two ways an ``event_loop`` override that made a library's loop (``async_solipsism.EventLoop``,
whose virtual clock makes ``asyncio.sleep(1000)`` return at once) was dropped silently:

- an auto-mode test module that imports the override from a helper module of the project
  and spells no pytest (``from tests.loops import event_loop``, async tests needing no
  mark): it was never surveyed, so no branch of the conftest's loop-factories hook served
  it and its tests slept on asyncio's own loop (1000 s). Now its import goes and the hook
  gives its tests the helper's loop;
- a test module's own override of that kind with sync tests requesting ``event_loop``: it
  was removed, and the sync tests got the plain asyncio loop of the fixture written in its
  place. Now it is kept for them (pytest-asyncio 1.x gives it to sync code as a plain
  fixture), with a note, while the hook gives its async tests that loop.

And what that widening must not touch: modules spelling no pytest with no override
anywhere, a sync-only importer, a conftest.py override of asyncio's own loop."""

from __future__ import annotations

from pathlib import Path

from migrate_async.engine import RunOptions, run
from migrate_async.engine.source import resolve_selection
from migrate_async.transforms import BY_NAME

HELPER = """\
import async_solipsism
import pytest


@pytest.fixture
def event_loop():
    loop = async_solipsism.EventLoop()
    yield loop
    loop.close()
"""

IMPORTER = """\
import asyncio

from tests.loops import event_loop  # noqa: F401


async def test_sleep():
    await asyncio.sleep(1000)
    assert asyncio.get_running_loop().time() >= 1000
"""

OWN_OVERRIDE = """\
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
"""

SYNC_USERS = """\
import asyncio

import async_solipsism
import pytest


@pytest.fixture
def event_loop():
    loop = async_solipsism.EventLoop()
    yield loop
    loop.close()


async def nap():
    await asyncio.sleep(1000)
    return asyncio.get_running_loop()


def test_driven(event_loop):
    assert isinstance(event_loop.run_until_complete(nap()), async_solipsism.EventLoop)


def test_reads_the_clock(event_loop):
    assert event_loop.time() == 0
"""


def _project(root: Path, files: dict[str, str]) -> Path:
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    (root / "requirements.txt").write_text("pytest-asyncio==0.18.3\nasync-solipsism\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _apply(root: Path, transforms=None):
    options = RunOptions(transforms=transforms or resolve_selection(), target=None, write=True)
    result = run([root], options)
    assert result.all_errors == []
    return result


def _notes(result) -> list[str]:
    return [n.format() for n in result.all_notes]


def test_an_importer_spelling_no_pytest_is_served_by_the_hook(tmp_path: Path) -> None:
    root = _project(tmp_path, {"tests/__init__.py": "", "tests/loops.py": HELPER, "tests/test_a.py": IMPORTER})
    result = _apply(root)
    test_a = (root / "tests" / "test_a.py").read_text()
    assert "event_loop" not in test_a and "async def test_sleep" in test_a
    hook = (root / "tests" / "conftest.py").read_text()
    assert 'item.path == Path(__file__).parent / "test_a.py"' in hook
    assert "from async_solipsism import EventLoop" in hook
    assert [n for n in _notes(result) if "event-loop-fixture" in n] == []
    assert _apply(root).changed_files == []  # a second run changes nothing


def test_an_importer_and_a_module_with_its_own_override_each_get_their_branch(tmp_path: Path) -> None:
    root = _project(tmp_path, {
        "tests/__init__.py": "", "tests/loops.py": HELPER, "tests/test_a.py": IMPORTER, "tests/test_b.py": OWN_OVERRIDE,
    })
    _apply(root)
    hook = (root / "tests" / "conftest.py").read_text()
    for module in ("test_a.py", "test_b.py"):
        assert f'item.path == Path(__file__).parent / "{module}"' in hook
    assert "item.module.async_solipsism.EventLoop" in hook


def test_an_importer_alone_with_event_loop_fixture_selected(tmp_path: Path) -> None:
    root = _project(tmp_path, {"tests/__init__.py": "", "tests/loops.py": HELPER, "tests/test_a.py": IMPORTER})
    _apply(root, [BY_NAME["event-loop-fixture"]])
    assert "from tests.loops import" not in (root / "tests" / "test_a.py").read_text()
    assert "test_a.py" in (root / "tests" / "conftest.py").read_text()


def test_a_sync_only_importer_is_left_alone(tmp_path: Path) -> None:
    sync_only = "from tests.loops import event_loop  # noqa: F401\n\n\ndef test_time(event_loop):\n    assert event_loop.time() == 0\n"
    root = _project(tmp_path, {"tests/__init__.py": "", "tests/loops.py": HELPER, "tests/test_s.py": sync_only})
    result = _apply(root, [BY_NAME["event-loop-fixture"]])
    assert result.changed_files == [] and _notes(result) == []


def test_modules_spelling_no_pytest_with_no_override_are_not_touched(tmp_path: Path) -> None:
    files = {
        "tests/__init__.py": "",
        "tests/util.py": "import asyncio\n\n\ndef current():\n    return asyncio.get_event_loop()\n",
        "tests/test_u.py": (
            "import asyncio\n\nfrom tests.util import current\n\n\nasync def test_current():\n"
            "    event_loop = current()\n    assert event_loop is asyncio.get_running_loop()\n"
        ),
    }
    root = _project(tmp_path, files)
    result = _apply(root, [BY_NAME["event-loop-fixture"]])
    assert result.changed_files == [] and _notes(result) == []


def test_a_custom_loop_override_is_kept_for_its_sync_tests(tmp_path: Path) -> None:
    root = _project(tmp_path, {"tests/test_b.py": SYNC_USERS})
    result = _apply(root, [BY_NAME["event-loop-fixture"]])
    test_b = (root / "tests" / "test_b.py").read_text()
    assert test_b == SYNC_USERS  # kept: the sync tests drive (and read) that loop
    assert "item.module.async_solipsism.EventLoop" in (root / "tests" / "conftest.py").read_text()
    kept = [n for n in _notes(result) if "override-kept-for-sync-users" in n]
    assert len(kept) == 1 and "(test_driven, test_reads_the_clock)" in kept[0]


def test_the_kept_note_names_the_sync_users_left_after_sync_to_async(tmp_path: Path) -> None:
    root = _project(tmp_path, {"tests/test_b.py": SYNC_USERS})
    result = _apply(root)
    test_b = (root / "tests" / "test_b.py").read_text()
    assert "def event_loop" in test_b and "async def test_driven" in test_b
    assert "def test_reads_the_clock(event_loop)" in test_b
    kept = [n for n in _notes(result) if "override-kept-for-sync-users" in n]
    assert len(kept) == 1 and "(test_reads_the_clock)" in kept[0]
    assert "def event_loop" not in (root / "tests" / "conftest.py").read_text()  # no asyncio stand-in


CONFTEST = """\
import asyncio

import pytest


class StepLoop(asyncio.SelectorEventLoop):
    pass


@pytest.fixture
def event_loop():
    loop = {factory}
    yield loop
    loop.close()
"""

BELOW = """\
import asyncio


async def test_async():
    assert asyncio.get_running_loop()


def test_sync(event_loop):
    assert event_loop
"""


def test_a_sync_user_of_a_removed_conftest_custom_loop_is_left_unfinished(tmp_path: Path) -> None:
    root = _project(tmp_path, {"tests/conftest.py": CONFTEST.format(factory="StepLoop()"), "tests/test_x.py": BELOW})
    result = _apply(root)
    left = [n for n in result.all_notes if n.left]
    assert len(left) == 1 and left[0].kind == "sync-user-of-removed-override"
    assert "StepLoop() loops" in left[0].format() and "test_x.py:8" in left[0].format()


def test_a_sync_user_of_a_removed_conftest_asyncio_loop_gets_no_note(tmp_path: Path) -> None:
    conftest = CONFTEST.format(factory="asyncio.new_event_loop()")
    root = _project(tmp_path, {"tests/conftest.py": conftest, "tests/test_x.py": BELOW})
    result = _apply(root)
    assert [n.format() for n in result.all_notes if n.left] == []
    assert "def event_loop" in (root / "tests" / "conftest.py").read_text()  # the asyncio stand-in serves it


MIXED_IMPORTER = """\
import asyncio

from tests.loops import event_loop  # noqa: F401


async def test_sleep():
    await asyncio.sleep(1000)


def test_reads_the_clock(event_loop):
    assert event_loop.time() == 0
"""


def test_an_imported_custom_loop_override_is_kept_for_the_importer_s_sync_tests(tmp_path: Path) -> None:
    root = _project(tmp_path, {"tests/__init__.py": "", "tests/loops.py": HELPER, "tests/test_m.py": MIXED_IMPORTER})
    result = _apply(root)
    assert (root / "tests" / "test_m.py").read_text() == MIXED_IMPORTER  # the import serves the sync test
    hook = (root / "tests" / "conftest.py").read_text()
    assert 'Path(__file__).parent / "test_m.py"' in hook and "from async_solipsism import EventLoop" in hook
    kept = [n for n in result.all_notes if n.kind == "override-kept-for-sync-users"]
    assert len(kept) == 1 and not kept[0].left and "(test_reads_the_clock)" in kept[0].format()


HELPER_BELOW = """\
import asyncio


def start(event_loop):
    return event_loop.run_until_complete(asyncio.sleep(0))


class Runner:
    def test_like(self, event_loop):
        return event_loop
"""

BELOW_WITH_HELPER = BELOW + """

def helper(event_loop):
    return event_loop
"""


def test_a_plain_function_with_an_event_loop_parameter_below_a_removed_custom_loop_is_no_sync_user(tmp_path: Path) -> None:
    # a module that is no test module (helpers.py), a function that is no test (helper, start),
    # a method of a class pytest does not collect: no fixture is requested, nothing is left
    root = _project(tmp_path, {
        "tests/conftest.py": CONFTEST.format(factory="StepLoop()"), "tests/test_x.py": BELOW_WITH_HELPER,
        "tests/helpers.py": HELPER_BELOW,
    })
    result = _apply(root)
    left = [n.format() for n in result.all_notes if n.kind == "sync-user-of-removed-override"]
    assert len(left) == 1 and "test_x.py:8" in left[0], left
