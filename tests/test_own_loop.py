"""sync-to-async's ``event_loop`` fixture of the project's own (own_loop_code): who goes with
it (a test and every fixture it reaches, through fixtures that have no plan too), and that a
second run changes nothing once the created conftest.py holds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME

INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"

SCHEDULER = '''import asyncio

import pytest


class Scheduler:
    def __init__(self, loop):
        self.loop = loop

    async def wait_idle(self):
        idle = self.loop.create_future()
        self.loop.call_soon(idle.set_result, 0)
        return await idle


@pytest.fixture
def scheduler(event_loop):
    return Scheduler(event_loop)


def test_scheduler_is_made_idle(scheduler):
    # a sync consumer: the loop scheduler hands on does not reach async code alone
    assert not scheduler.loop.is_running()
'''

#: test_idle reaches scheduler (which keeps a loop of its own) only through loaded, which has no plan
THROUGH_UNPLANNED = SCHEDULER + '''

@pytest.fixture
def loaded(scheduler):
    return scheduler


def test_idle(loaded, event_loop):
    assert event_loop.run_until_complete(loaded.wait_idle()) == 0
'''

#: test_idle runs its loop through get_event_loop(), which has no loop parameter to keep
NO_LOOP_PARAM = SCHEDULER + '''

def test_idle(scheduler):
    loop = asyncio.get_event_loop()
    assert loop.run_until_complete(scheduler.wait_idle()) == 0
'''


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text(INI)
    (tmp_path / "tests").mkdir()
    return tmp_path


def _apply(select: str = "sync-to-async"):
    return run([Path(".")], RunOptions(transforms=[BY_NAME[select]], target=None, write=True))


def test_a_test_reaching_an_own_loop_fixture_through_an_unplanned_one_stays_sync(root: Path) -> None:
    (root / "tests/test_d.py").write_text(THROUGH_UNPLANNED)
    _apply()
    assert (root / "tests/test_d.py").read_text() == THROUGH_UNPLANNED  # test_idle keeps its event_loop
    assert "def event_loop(request):" in (root / "tests/conftest.py").read_text()


@pytest.mark.parametrize("source", [THROUGH_UNPLANNED, NO_LOOP_PARAM], ids=["through-unplanned", "no-loop-param"])
def test_a_second_run_changes_nothing(root: Path, source: str) -> None:
    (root / "tests/test_d.py").write_text(source)
    _apply()
    first = {p: p.read_text() for p in sorted(root.rglob("*.py"))}
    second = _apply()
    assert second.changed_files == []
    assert {p: p.read_text() for p in sorted(root.rglob("*.py"))} == first


def test_a_held_back_partner_says_why(root: Path) -> None:
    (root / "tests/test_d.py").write_text(NO_LOOP_PARAM)
    result = _apply()
    assert (root / "tests/test_d.py").read_text() == NO_LOOP_PARAM
    notes = [n.format() for n in result.all_notes]
    assert any("test_idle" in n and "scheduler" in n for n in notes), notes


ONE_LINE = '''import asyncio


async def get(x):
    return x


def test_oneline(event_loop): assert event_loop.run_until_complete(get(1)) == 1


def test_oneline_loop(event_loop): assert event_loop.run_until_complete(get(1)) < event_loop.time()
'''


def test_a_one_line_body_is_analysed(root: Path) -> None:
    (root / "tests/test_h.py").write_text(ONE_LINE)
    _apply()
    after = (root / "tests/test_h.py").read_text()
    assert "async def test_oneline(): assert await get(1) == 1\n" in after
    assert (
        "async def test_oneline_loop():\n    event_loop = asyncio.get_running_loop()\n"
        "    assert await get(1) < event_loop.time()\n"
    ) in after
    compile(after, "test_h.py", "exec")


MODULE_LOOP = '''import asyncio

import pytest


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


class Scheduler:
    def __init__(self, loop):
        self.loop = loop


def test_sched(event_loop):
    assert Scheduler(event_loop).loop is event_loop
'''

FUNCTION_LOOP = '''class Scheduler:
    def __init__(self, loop):
        self.loop = loop


def test_one(event_loop):
    assert Scheduler(event_loop).loop is event_loop
'''


def test_a_module_that_defines_event_loop_gets_none_in_a_conftest(root: Path) -> None:
    (root / "tests/test_a.py").write_text(MODULE_LOOP)
    result = _apply()
    assert not (root / "tests/conftest.py").exists()
    assert (root / "tests/test_a.py").read_text() == MODULE_LOOP
    assert result.all_notes == []


def test_a_module_with_a_loop_of_its_own_does_not_widen_the_others(root: Path) -> None:
    # test_a's module-scoped event_loop is its own: test_b's tests get a function-scoped one
    (root / "tests/test_a.py").write_text(MODULE_LOOP)
    (root / "tests/test_b.py").write_text(FUNCTION_LOOP)
    result = _apply()
    conftest = (root / "tests/conftest.py").read_text()
    assert "@pytest.fixture\ndef event_loop(request):" in conftest
    assert [n for n in result.all_notes if "two different definitions" in n.message] == []


MARKED = '''import asyncio

import pytest

pytestmark = pytest.mark.asyncio


async def where():
    return asyncio.get_running_loop()


@pytest.fixture
def fixture_loop(event_loop):
    return event_loop.run_until_complete(where())


def test_same_loop(fixture_loop, event_loop):
    assert event_loop.run_until_complete(where()) is fixture_loop


@pytest.mark.asyncio(loop_scope="function")
class TestScoped:
    def test_in_class(self, fixture_loop, event_loop):
        assert event_loop.run_until_complete(where()) is fixture_loop
'''


def test_a_mark_that_reaches_a_converted_test_with_another_loop_scope(root: Path) -> None:
    # a bare module mark gives the configured default (module); the test ran on its
    # fixture's loop, the function one: it gets a mark of its own. The class mark says
    # function already.
    (root / "pytest.ini").write_text(INI + "asyncio_default_test_loop_scope = module\n")
    (root / "tests/test_j.py").write_text(MARKED)
    _apply()
    after = (root / "tests/test_j.py").read_text()
    assert '@pytest.mark.asyncio(loop_scope="function")\nasync def test_same_loop(fixture_loop):' in after
    assert "    async def test_in_class(self, fixture_loop):" in after
    assert after.count('loop_scope="function"') == 2


CURRENT_LOOP = '''import asyncio


class Client:
    def __init__(self):
        self.loop = asyncio.get_event_loop()


def test_current_loop_side_effect(event_loop):
    fut = asyncio.get_event_loop().create_future()
    assert not fut.done()


def test_client_binds_loop(event_loop):
    assert Client().loop is not None


def test_unused(event_loop):
    assert True
'''


def test_an_unused_loop_parameter_stays_where_the_test_relies_on_the_current_loop(root: Path) -> None:
    # on 0.21 requesting event_loop made it current: get_event_loop() in the test, or in a
    # class of the module it builds, found it
    (root / "tests/test_a.py").write_text(CURRENT_LOOP)
    _apply()
    after = (root / "tests/test_a.py").read_text()
    assert after == CURRENT_LOOP.replace("def test_unused(event_loop):", "def test_unused():")
    assert "asyncio.set_event_loop(loop)" in (root / "tests/conftest.py").read_text()


CLASS_LOOP = '''import asyncio

import pytest

SEEN = []


async def where():
    return asyncio.get_running_loop()


class TestShared:
    @pytest.fixture(scope="class")
    def event_loop(self):
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()

    def test_one(self, event_loop):
        SEEN.append(event_loop.run_until_complete(where()))

    def test_two(self, event_loop):
        SEEN.append(event_loop.run_until_complete(where()))
        assert SEEN[0] is SEEN[1]

    def test_loop_object(self, event_loop):
        assert event_loop.run_until_complete(where()) is event_loop


def test_outside(event_loop):
    assert event_loop.run_until_complete(where()) is not None
'''


def test_a_class_override_gives_its_tests_its_loop_scope(root: Path) -> None:
    (root / "tests/test_c.py").write_text(CLASS_LOOP)
    _apply()
    after = (root / "tests/test_c.py").read_text()
    assert after.count('@pytest.mark.asyncio(loop_scope="class")\n    async def test_') == 3
    assert "@pytest.mark.asyncio\nasync def test_outside():" in after
    assert not (root / "tests/conftest.py").exists()


def test_a_conftest_fixture_that_needs_the_loop_object_says_why_it_stays(root: Path) -> None:
    conftest = "import pytest\n\n\n@pytest.fixture\ndef pending(event_loop):\n    return event_loop.create_future()\n"
    (root / "tests/conftest.py").write_text(conftest)
    (root / "tests/test_n.py").write_text("def test_pending(pending):\n    assert not pending.done()\n")
    result = _apply()
    assert (root / "tests/conftest.py").read_text() == conftest
    notes = [n.format() for n in result.all_notes]
    assert any("pending" in n and "conftest.py" in n and "sync-to-async" in n for n in notes), notes


def test_a_pytest_hook_that_drives_the_loop_is_told_to_use_asyncio_run() -> None:
    from migrate_async.engine import migrate_source

    source = (
        "import asyncio\n\n\nasync def ping():\n    return 1\n\n\n"
        "def pytest_sessionstart(session):\n    asyncio.get_event_loop().run_until_complete(ping())\n\n\n"
        "def start_server():\n    asyncio.get_event_loop().run_until_complete(ping())\n"
    )
    notes = [n.message for n in migrate_source(source, select=["sync-to-async"]).notes]
    hook = [n for n in notes if "pytest_sessionstart" in n]
    assert hook and "a hook cannot be a coroutine" in hook[0] and "asyncio.run()" in hook[0]
    helper = [n for n in notes if "start_server" in n]
    assert helper and "make start_server a coroutine" in helper[0]


#: the same fixtures with async consumers only: test_idle becomes async, so scheduler's loop
#: reaches async code alone and goes to the running loop (pytest_model.loop_flow)
ASYNC_ONLY = SCHEDULER.replace("\n\n\ndef test_scheduler_is_made_idle", "\n\n\ndef _unused").rsplit("\n\n\ndef _unused", 1)[0] + '''


@pytest.fixture
def loaded(scheduler):
    return scheduler


def test_idle(loaded, event_loop):
    assert event_loop.run_until_complete(loaded.wait_idle()) == 0
'''


def test_a_loop_that_reaches_only_async_code_goes_to_the_running_loop(root: Path) -> None:
    (root / "tests/test_d.py").write_text(ASYNC_ONLY)
    result = _apply()
    text = (root / "tests/test_d.py").read_text()
    assert "async def scheduler():\n    event_loop = asyncio.get_running_loop()\n    return Scheduler(event_loop)" in text
    assert "@pytest.mark.asyncio\nasync def test_idle(loaded):\n    assert await loaded.wait_idle() == 0" in text
    assert not (root / "tests/conftest.py").exists()
    assert result.all_notes == []
