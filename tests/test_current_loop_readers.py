"""Calls that take the current event loop (``aiohttp.ClientSession()``, ``asyncio.Future()``...)
in code pytest runs outside any loop: a sync ``pytest.fixture``, an xunit setup and the methods
it calls, a sync test. Since pytest-asyncio 1.4 no current loop is left set once an async test
has run, so they raise "There is no current event loop" (asyncpraw 7.6.1: 683 errors from one
``aiohttp.ClientSession()`` in a helper its ``setup_method`` calls). Left with a note, so that
``check`` exits 1; never where the call runs in a loop or is guarded."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME

CONFIG = "[pytest]\nasyncio_mode = auto\n"

FLAGGED = '''\
import asyncio
import unittest

import aiohttp
import pytest
from aiohttp import ClientSession


@pytest.fixture
def session():
    return aiohttp.ClientSession()


def setup_module():
    asyncio.ensure_future(asyncio.sleep(0))


class TestClient:
    def setup_method(self, method):
        self.connect()

    def connect(self):
        self.session = ClientSession(connector=aiohttp.TCPConnector())

    def test_sync(self):
        assert asyncio.Future().done() is False

    async def test_get(self, session):
        assert session


class TestLegacy(unittest.TestCase):
    @pytest.fixture(autouse=True)
    def _future(self):  # pytest runs a unittest class's fixtures outside any loop too
        self.future = asyncio.Future()

    def setUp(self):  # an IsolatedAsyncioTestCase's runs with its loop current: not said
        self.other = asyncio.Future()

    def test_legacy(self):
        assert self.future
'''

QUIET = '''\
import asyncio

import aiohttp
import pytest
import pytest_asyncio


@pytest_asyncio.fixture
def current():  # a sync pytest_asyncio fixture runs with the test's loop current
    return asyncio.Future()


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def factory():
    return lambda: aiohttp.ClientSession()  # runs where the test calls it


@pytest.fixture
def task(current):  # ensure_future hands back the task it is given: no loop taken
    return asyncio.ensure_future(current)


def make_session():  # a helper: its callers may be coroutines
    return aiohttp.ClientSession()


@pytest.fixture
def guarded():
    try:
        return asyncio.Future()
    except RuntimeError:
        return None


@pytest.fixture
def given(event_loop_policy):
    loop = event_loop_policy.new_event_loop()
    yield asyncio.ensure_future(asyncio.sleep(0), loop=loop)
    loop.close()


@pytest.fixture
def given_too():  # each given its loop: the session takes its connector's
    loop = asyncio.new_event_loop()
    connector = aiohttp.TCPConnector(loop=loop)
    yield asyncio.Future(loop=loop), aiohttp.ClientSession(loop=loop), aiohttp.ClientSession(connector=connector)
    loop.close()


class TestCase:
    def helper(self):  # no xunit setup calls it
        return aiohttp.ClientSession()

    async def test_session(self, session, factory, current):
        assert session and factory() and current
'''


def _left(tmp_path: Path, monkeypatch, source: str, target: tuple[int, int] | None = None) -> list[tuple[int, str]]:
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "test_client.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=target))
    assert not result.all_errors
    return [(n.line, n.message.split(" in ", 1)[1].split(",")[0]) for f in result.files for n in f.notes if n.left]


def test_calls_that_take_the_current_loop_outside_any_loop_are_left(tmp_path: Path, monkeypatch) -> None:
    assert _left(tmp_path, monkeypatch, FLAGGED) == [
        (11, "the sync fixture session"),
        (15, "setup_module"),
        (23, "connect"),  # the connector (the session takes its loop)
        (26, "the sync test test_sync"),
        (35, "the sync fixture _future"),
    ]


OWN_LOOP = '''\
import asyncio

import pytest


class TestOwnLoop:
    def setup_method(self):
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)  # the readers below take this one
        self.future = asyncio.Future()

    def teardown_method(self):
        self.loop.close()

    def test_sync(self):
        assert asyncio.Future().get_loop() is self.loop

    async def test_async(self):
        pass
'''


def test_a_module_that_makes_a_loop_current_says_nothing(tmp_path: Path, monkeypatch) -> None:
    assert _left(tmp_path, monkeypatch, OWN_LOOP) == []


def test_a_project_where_no_loop_runs_says_nothing(tmp_path: Path, monkeypatch) -> None:
    # no async test, fixture or loop in its test code: pytest-asyncio never unsets the
    # current loop, and the first asyncio.Future() gets one (the suite passes)
    sync_only = "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef future():\n    return asyncio.Future()\n\n\ndef test_future(future):\n    assert not future.done()\n"
    assert _left(tmp_path, monkeypatch, sync_only) == []
    # one async test in another module of it is enough
    (tmp_path / "test_other.py").write_text("async def test_other():\n    pass\n")
    assert _left(tmp_path, monkeypatch, sync_only) == [(8, "the sync fixture future")]


def test_where_a_loop_runs_or_is_given_nothing_is_said(tmp_path: Path, monkeypatch) -> None:
    assert _left(tmp_path, monkeypatch, QUIET) == []


@pytest.mark.parametrize("target", [(1, 3), (0, 21)])
def test_targets_that_leave_a_current_loop_say_nothing(tmp_path: Path, monkeypatch, target) -> None:
    assert _left(tmp_path, monkeypatch, FLAGGED, target=target) == []


IMPORTED_BASE = '''\
import asyncio

from tests.base import AsyncBase  # an IsolatedAsyncioTestCase, for all this module shows


class TestThing(AsyncBase):
    def test_sync_in_loop(self):  # IsolatedAsyncioTestCase runs it with its loop current
        assert not asyncio.Future().done()

    def setup_method(self, method):  # pytest calls it outside any loop, whatever the base
        self.future = asyncio.Future()

    async def test_async(self):
        pass
'''


def test_a_sync_test_of_a_class_based_elsewhere_is_not_said(tmp_path: Path, monkeypatch) -> None:
    assert _left(tmp_path, monkeypatch, IMPORTED_BASE) == [(11, "setup_method")]


def test_the_two_current_loop_tables_live_in_pytest_model_and_differ_on_purpose() -> None:
    # one place for the facts (pytest_model/outside_loop.py), asked by both transforms
    from migrate_async.pytest_model import outside_loop
    from migrate_async.transforms.sync_to_async import analysis

    assert analysis.CURRENT_LOOP_CALLS is outside_loop.CURRENT_LOOP_CALLS
    # what sync-to-async keeps a loop parameter for is not all reported where no loop runs
    assert "asyncio.run_coroutine_threadsafe" in outside_loop.CURRENT_LOOP_CALLS
    assert "asyncio.run_coroutine_threadsafe" not in outside_loop.CURRENT_LOOP_READERS
    # and an aiohttp session does not make a test keep its event_loop parameter
    assert "aiohttp.ClientSession" in outside_loop.CURRENT_LOOP_READERS
    assert "aiohttp.ClientSession" not in outside_loop.CURRENT_LOOP_CALLS


LIBRARY = '''\
import asyncio


class Client:
    def subscribe(self):
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        yield loop.run_until_complete(asyncio.sleep(0, result=1))
'''

THROUGH_LIBRARY = '''\
import asyncio

from stream.client import Client


async def tick():
    return 1


def test_after_the_library_ran_its_loop():
    client = Client()
    for value in client.subscribe():
        asyncio.ensure_future(tick())  # on the loop subscribe() made current


def test_alone():
    asyncio.ensure_future(tick())


async def test_async():
    assert await tick() == 1
'''


def test_a_reader_after_the_projects_own_loop_runner_is_said_but_not_left(tmp_path: Path, monkeypatch) -> None:
    """gql 3.4.1: a sync test iterates the project's sync subscribe(), which runs a loop and
    leaves it current, then calls asyncio.ensure_future(): it passes, so check must not fail."""
    (tmp_path / "stream").mkdir()
    (tmp_path / "stream" / "__init__.py").write_text("")
    (tmp_path / "stream" / "client.py").write_text(LIBRARY)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "test_stream.py").write_text(THROUGH_LIBRARY)
    monkeypatch.chdir(tmp_path)
    result = run([Path("test_stream.py")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = {n.line: n for f in result.files for n in f.notes}
    assert notes[13].kind == "current-loop-outside-any-loop" and not notes[13].left
    assert "unless client.subscribe()" in notes[13].message
    assert notes[17].left


THROUGH_OWN_HELPER = '''\
import asyncio

from stream.client import Client


async def tick():
    return 1


def subscribe_once(client):
    return next(client.subscribe())


def unrelated(client):
    return client


def test_through_the_modules_helper():
    subscribe_once(Client())
    asyncio.ensure_future(tick())  # on the loop subscribe() made current


def test_through_an_unrelated_helper():
    unrelated(Client())
    asyncio.ensure_future(tick())


def test_helper_after_the_reader():
    asyncio.ensure_future(tick())
    subscribe_once(Client())


async def test_async():
    assert await tick() == 1


def test_get_event_loop_after_the_helper():
    subscribe_once(Client())
    assert asyncio.get_event_loop() is not None
'''


def test_a_reader_after_a_module_helper_that_calls_the_projects_own_loop_runner_is_not_left(
    tmp_path: Path, monkeypatch
) -> None:
    """aiosmtpd 1.4.6: a sync test calls its module's main_n(), which calls the project's
    main() (it makes a loop current and runs it), then asyncio.get_event_loop(): it passes.
    The module's own sync function is followed one level; one that calls nothing that runs or
    takes a loop, or a call after the reader, excuses nothing."""
    (tmp_path / "stream").mkdir()
    (tmp_path / "stream" / "__init__.py").write_text("")
    (tmp_path / "stream" / "client.py").write_text(LIBRARY)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "test_stream.py").write_text(THROUGH_OWN_HELPER)
    monkeypatch.chdir(tmp_path)
    result = run([Path("test_stream.py")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = {n.line: n for f in result.files for n in f.notes}
    assert notes[20].kind == "current-loop-outside-any-loop" and not notes[20].left
    assert "unless subscribe_once(), which calls client.subscribe(), a sync API of the project" in notes[20].message
    assert notes[25].left and "unless" not in notes[25].message
    assert notes[29].left
    assert notes[39].kind == "get-event-loop-in-sync-code" and not notes[39].left
    assert "unless subscribe_once(), which calls client.subscribe()" in notes[39].message

CLOSING_LIBRARY = '''\
import asyncio


class SyncClient:
    def close(self):
        asyncio.get_event_loop().run_until_complete(asyncio.sleep(0))
'''

CLOSING_OTHER_THINGS = '''\
import asyncio


async def tick():
    return 1


def test_closes_a_file_then_reads_the_current_loop(tmp_path):
    f = open(tmp_path / "x", "w")
    f.close()
    loop = asyncio.new_event_loop()
    loop.close()
    asyncio.ensure_future(tick())


async def test_async():
    assert await tick() == 1
'''


def test_a_method_of_another_object_named_like_the_projects_loop_runner_does_not_excuse_a_reader(
    tmp_path: Path, monkeypatch
) -> None:
    """The project's SyncClient.close() runs a loop; the test's f.close() (open()'s) and
    loop.close() (asyncio's) are no call of it: the reader is still left, and check exits 1
    (the test fails under pytest-asyncio 1.5 once an async test has run)."""
    (tmp_path / "stream").mkdir()
    (tmp_path / "stream" / "__init__.py").write_text("")
    (tmp_path / "stream" / "client.py").write_text(CLOSING_LIBRARY)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "test_stream.py").write_text(CLOSING_OTHER_THINGS)
    monkeypatch.chdir(tmp_path)
    result = run([Path("test_stream.py")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = {n.line: n for f in result.files for n in f.notes}
    assert notes[13].kind == "current-loop-outside-any-loop" and notes[13].left
    assert "unless" not in notes[13].message


TAKER_CONFTEST = '''\
import pytest
from graphlib_x.executors import Executor


@pytest.fixture
def executor():
    return Executor()


@pytest.fixture
def given(request):
    return Executor(loop=None)
'''

TAKER_TESTS = '''\
import pytest
from graphlib_x.executors import Executor


@pytest.mark.parametrize("executor", [Executor()])  # import time: a loop is current
def test_sync(executor):
    assert executor


class TestGiven:
    @pytest.fixture
    def executor(self, event_loop):
        return Executor(loop=event_loop)

    async def test_async(self, executor):
        assert executor
'''


def test_an_imported_callable_the_project_hands_a_loop_is_left_where_it_gets_none(tmp_path: Path, monkeypatch) -> None:
    # aiohttp-graphql 1.1.0: AsyncioExecutor(loop=event_loop) in a test module, AsyncioExecutor()
    # in a sync conftest fixture (graphql-core 2 calls asyncio.get_event_loop()): 48 errors
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(TAKER_CONFTEST)
    (tmp_path / "tests" / "test_view.py").write_text(TAKER_TESTS)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    left = [(f.path, n.line, n.message.split(",")[0]) for f in result.files for n in f.notes if n.left]
    assert left == [("tests/conftest.py", 7, "Executor() in the sync fixture executor")]
    # no loop= anywhere in the project: nothing tells that Executor() takes a loop
    (tmp_path / "tests" / "test_view.py").write_text(TAKER_TESTS.replace("Executor(loop=event_loop)", "Executor()"))
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    assert [n for f in result.files for n in f.notes if n.left] == []


@pytest.mark.parametrize("loaded_by", ["pytest_plugins", "-p"])
def test_a_plugin_module_learns_the_callables_the_tests_it_serves_hand_a_loop(
    tmp_path: Path, monkeypatch, loaded_by: str
) -> None:
    # the same fixtures in a module loaded as a plugin, outside the tests' folder: its
    # fixtures serve every test, so what the test modules hand a loop reaches it, though
    # nothing of get-running-loop's own triggers is in it (it is not a candidate)
    (tmp_path / "tests" / "helpers").mkdir(parents=True)
    for package in ("tests", "tests/helpers"):
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "tests" / "helpers" / "fixtures.py").write_text(TAKER_CONFTEST)
    (tmp_path / "tests" / "test_view.py").write_text(TAKER_TESTS)
    if loaded_by == "-p":
        (tmp_path / "pytest.ini").write_text(CONFIG + "addopts = -p tests.helpers.fixtures\n")
    else:
        (tmp_path / "pytest.ini").write_text(CONFIG)
        (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.helpers.fixtures"]\n')
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    left = [(f.path, n.line, n.message.split(",")[0]) for f in result.files for n in f.notes if n.left]
    assert left == [("tests/helpers/fixtures.py", 7, "Executor() in the sync fixture executor")]
    # a run over the plugin module alone has not seen the tests it serves: it says nothing
    result = run([Path("tests/helpers")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    assert [n for f in result.files for n in f.notes if n.left] == []


POLICY_LIBRARY = '''\
import asyncio


class Service:
    def __init__(self, loop=None):
        # what mode-streaming 0.3.5 does: the policy's loop is the current loop
        self.loop = loop or asyncio.get_event_loop_policy().get_event_loop()
'''

POLICY_TESTS = '''\
import pytest
from svc.services import Service


def test_twice():
    assert Service().loop
    assert Service().loop


class TestGiven:
    @pytest.fixture
    def service(self, event_loop):
        return Service(loop=event_loop)

    async def test_async(self, service):
        assert service
'''


def test_a_call_of_the_same_reader_before_it_does_not_excuse_it(tmp_path: Path, monkeypatch) -> None:
    """mode-streaming 0.3.5: two ServiceThread() calls in one sync test, a class whose
    ``__init__`` reads ``asyncio.get_event_loop_policy().get_event_loop()`` (a sync API of
    the project that takes the current loop): the first one did not make a loop current for
    the second, both are left unfinished."""
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "services.py").write_text(POLICY_LIBRARY)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_services.py").write_text(POLICY_TESTS)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = sorted((n.line, n.left, "unless" in n.message) for f in result.files for n in f.notes)
    assert notes == [(6, True, False), (7, True, False)]


GET_EVENT_LOOP_TESTS = '''\
import asyncio


def helper():
    return asyncio.get_event_loop()


def test_data():
    loop = asyncio.get_event_loop()
    loop.run_until_complete(asyncio.sleep(0))


def test_through_a_helper():
    assert helper()


def test_on_the_project_s_loop(event_loop):
    # (the project's own event_loop fixture may make its loop current)
    assert asyncio.get_event_loop() is event_loop


async def test_async():
    await asyncio.sleep(0)
'''


def test_get_event_loop_in_a_sync_test_s_own_body_is_left(tmp_path: Path, monkeypatch) -> None:
    """bellows 0.20.3: a sync test calling asyncio.get_event_loop() itself fails once an
    async test has run (pytest-asyncio 1.4 leaves none current): left unfinished, so check
    does not pass it; in a helper (which may be called from a coroutine) it is only said."""
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "test_uart.py").write_text(GET_EVENT_LOOP_TESTS)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = sorted((n.line, n.kind, n.left) for f in result.files for n in f.notes)
    assert notes == [
        (5, "get-event-loop-in-sync-code", False), (9, "get-event-loop-in-sync-code", True),
        (19, "get-event-loop-in-sync-code", False),
    ]


USEFIXTURES_LOOP_TESTS = '''\
import asyncio

import pytest


@pytest.mark.usefixtures("event_loop")
def test_on_the_project_s_loop():
    # (requested by usefixtures: the project's own event_loop fixture may make its loop current)
    asyncio.get_event_loop().run_until_complete(asyncio.sleep(0))


async def test_async():
    await asyncio.sleep(0)
'''


def test_get_event_loop_in_a_sync_test_using_a_loop_fixture_is_said_not_left(tmp_path: Path, monkeypatch) -> None:
    """A loop fixture a sync test requests with usefixtures may make its loop current as one
    it names as a parameter may: the call is said, not left unfinished."""
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "test_uart.py").write_text(USEFIXTURES_LOOP_TESTS)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = sorted((n.line, n.kind, n.left) for f in result.files for n in f.notes)
    assert notes == [(9, "get-event-loop-in-sync-code", False)]


#: a conftest.py whose fixtures make a loop current for the sync tests that run with them:
#: one every test gets (autouse), one a test asks for by a name that does not say loop, and
#: a session one (set once: the first async test leaves none current, as with no fixture)
LOOP_SETTING_CONFTEST = '''\
import asyncio

import pytest


@pytest.fixture(autouse=True)
def current_loop_for_sync_code():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()
'''

LOOP_SETTING_BY_NAME = '''\
import asyncio

import pytest


@pytest.fixture
def with_current():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture(scope="session", autouse=True)
def once():
    asyncio.set_event_loop(asyncio.new_event_loop())
'''

READERS_BELOW = '''\
import asyncio


def test_reads():
    assert asyncio.get_event_loop()


def test_future(with_current):
    assert not asyncio.Future().done()


def test_bare():
    assert not asyncio.Future().done()


async def test_async():
    await asyncio.sleep(0)
'''


@pytest.mark.parametrize("conftest, left", [
    (LOOP_SETTING_CONFTEST, []),
    (LOOP_SETTING_BY_NAME, [(5, True), (13, True)]),
])
def test_a_conftest_fixture_that_makes_a_loop_current_excuses_the_readers_it_serves(
    tmp_path: Path, monkeypatch, conftest: str, left: list
) -> None:
    """A function-scoped fixture of a conftest.py above that sets a current loop (autouse,
    or asked for by the test) runs before each sync test it serves: the readers there find
    its loop under pytest-asyncio 1.4+, so they are said, not left unfinished (the suite
    passes). A session-wide one is undone by the first async test: no excuse."""
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "conftest.py").write_text(conftest)
    (tmp_path / "test_readers.py").write_text(READERS_BELOW)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = sorted((n.line, n.left) for f in result.files for n in f.notes if f.path.endswith("test_readers.py"))
    assert [n for n in notes if n[1]] == left
    assert {line for line, _ in notes} == {5, 9, 13}


READERS_USING = '''\
import asyncio

import pytest


@pytest.mark.usefixtures("with_current")
def test_future_used():
    assert not asyncio.Future().done()


def test_bare():
    assert not asyncio.Future().done()


async def test_async():
    await asyncio.sleep(0)
'''


def test_a_loop_setting_fixture_asked_for_by_usefixtures_excuses_the_reader(tmp_path: Path, monkeypatch) -> None:
    """``@pytest.mark.usefixtures("with_current")`` sets the fixture up for the test as a
    parameter would: its reader is said, not left unfinished; the test beside it is left."""
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "conftest.py").write_text(LOOP_SETTING_BY_NAME)
    (tmp_path / "test_readers.py").write_text(READERS_USING)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = sorted((n.line, n.left) for f in result.files for n in f.notes if f.path.endswith("test_readers.py"))
    assert notes == [(8, False), (12, True)]


OWN_CONTROLLER = '''\
import asyncio


class Controller:
    def __init__(self, loop=None):
        self.loop = asyncio.new_event_loop() if loop is None else loop
'''

CONTROLLER_TESTS = '''\
import asyncio

from pkg import Controller


def test_default():
    c = Controller()
    assert not c.loop.is_running()
    c.loop.close()


def test_given():
    loop = asyncio.new_event_loop()
    assert Controller(loop=loop).loop is loop
    loop.close()
'''


INHERITED_CONTROLLER = OWN_CONTROLLER.replace("class Controller:", "class BaseController:") + (
    "\n\nclass Mixin:\n    pass\n\n\nclass Controller(Mixin, BaseController):\n    pass\n"
)


#: another class of the same name elsewhere in the package, with an __init__ that makes no loop
OTHER_CONTROLLER = "class Controller:\n    def __init__(self, name=None):\n        self.name = name\n"


@pytest.mark.parametrize(
    ("library", "other"),
    [(OWN_CONTROLLER, None), (INHERITED_CONTROLLER, None), (INHERITED_CONTROLLER, OTHER_CONTROLLER)],
    ids=["own", "inherited", "inherited-beside-another-of-the-name"],
)
def test_a_project_callable_that_makes_its_own_loop_is_no_taker(
    tmp_path: Path, monkeypatch, library: str, other: str | None,
) -> None:
    """aiosmtpd 1.4.6: the project passes its own Controller loop= in one test and calls it
    without in another; Controller makes a loop of its own then (library_loops reads it), or
    inherits what does (not followed: no claim either, though another class of the name in
    the package has an __init__ that makes none): nothing is said, where a callable of
    another package would be (loop_takers)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text(library)
    if other is not None:
        (tmp_path / "pkg" / "ui.py").write_text(other)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_c.py").write_text(CONTROLLER_TESTS)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    assert [n.format() for f in result.files for n in f.notes] == []


HIDDEN_TAKER = '''\
import asyncio
import collections


class Connection(collections.defaultdict):
    def __init__(self, loop=None, **kwargs):
        super().__init__(asyncio.Future)  # each missing key: asyncio.Future(), on the current loop
        for key, value in kwargs.items():
            self[key].set_result(value)
'''

HIDDEN_TAKER_TESTS = '''\
import asyncio

from pkg import Connection


def test_plain():
    assert Connection(user="me")["user"].result() == "me"


def test_given():
    loop = asyncio.new_event_loop()
    assert Connection(loop=loop)
    loop.close()
'''


def test_a_project_callable_that_makes_no_loop_of_its_own_stays_a_taker(tmp_path: Path, monkeypatch) -> None:
    """aioftp 0.21.4: Connection() makes asyncio.Future()s through a defaultdict's factory,
    which no reading of its code shows; the project passes it loop= elsewhere and it makes no
    loop of its own: the call without one is still left unfinished."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text(HIDDEN_TAKER)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_c.py").write_text(HIDDEN_TAKER_TESTS)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    assert [(n.line, n.left) for f in result.files for n in f.notes] == [(7, True)]


THROUGH_A_FIXTURE_OR_A_PARAMETER = '''\
import asyncio

import pytest

from stream.client import Client


async def tick():
    return 1


def subscribe_once(client):
    return next(client.subscribe())


@pytest.fixture
def subscribed(client):
    return next(client.subscribe())


def test_a_fixture_called(subscribed):
    subscribed()
    assert asyncio.get_event_loop() is not None


def test_a_parameter_named_like_the_helper(subscribe_once):
    subscribe_once(Client())
    assert asyncio.get_event_loop() is not None


async def test_async():
    assert await tick() == 1
'''


def test_a_fixture_or_a_parameter_named_like_a_module_helper_excuses_no_reader(tmp_path: Path, monkeypatch) -> None:
    """What a sync test calls by a module function's name is not that function where a
    parameter of the test binds the name (a fixture's value), nor is a fixture function
    (its value is what the test's parameter holds; called directly, pytest fails it)."""
    (tmp_path / "stream").mkdir()
    (tmp_path / "stream" / "__init__.py").write_text("")
    (tmp_path / "stream" / "client.py").write_text(LIBRARY)
    (tmp_path / "pytest.ini").write_text(CONFIG)
    (tmp_path / "test_stream.py").write_text(THROUGH_A_FIXTURE_OR_A_PARAMETER)
    monkeypatch.chdir(tmp_path)
    result = run([Path("test_stream.py")], RunOptions(transforms=[BY_NAME["get-running-loop"]], target=None))
    notes = {n.line: n for f in result.files for n in f.notes}
    assert notes[23].left and "unless" not in notes[23].message
    assert notes[28].left and "unless" not in notes[28].message
