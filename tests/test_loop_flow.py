"""pytest_model.loop_flow: who consumes a fixture, and whether any consumer is async."""

from __future__ import annotations

import ast
import textwrap

from migrate_async.project import ProjectFacts
from migrate_async.pytest_model.loop_flow import (
    FileRequests,
    LoopFlow,
    ast_file_requests,
)

CONFTEST = textwrap.dedent(
    """\
    import pytest

    @pytest.fixture
    def server(event_loop):
        ...

    @pytest.fixture
    def port(server):
        ...

    @pytest.fixture
    async def client(port):
        ...

    @pytest.fixture
    def clock(event_loop):
        ...

    @pytest.fixture
    def facade(event_loop):
        ...
    """
)

TESTS = textwrap.dedent(
    """\
    async def test_port(port):
        ...

    def test_client(client):
        ...

    class TestClock:
        async def test_clock(self, clock):
            ...

        def test_clock_sync(self, clock):
            ...

    def test_facade(facade, event_loop):
        ...

    def helper(server):
        ...
    """
)


def _requests(source: str, is_test_module: bool) -> FileRequests:
    return ast_file_requests(ast.parse(source), ProjectFacts(), is_test_module=is_test_module)


def test_the_survey_reads_fixtures_and_tests() -> None:
    conftest = _requests(CONFTEST, False)
    assert [(name, is_async) for name, is_async, _ in conftest.fixtures] == [
        ("server", False), ("port", False), ("client", True), ("clock", False), ("facade", False)
    ]
    assert conftest.async_roots == conftest.sync_roots == frozenset()  # a conftest.py holds no tests
    tests = _requests(TESTS, True)
    assert tests.async_roots == {"port", "clock"}
    assert tests.sync_roots == {"client", "clock", "facade", "event_loop"}  # helpers request nothing


def test_consumers_through_fixtures_across_files() -> None:
    flow = LoopFlow([_requests(CONFTEST, False), _requests(TESTS, True)])
    # port's value is built from server's: an async test reaches server through it
    assert flow.only_async("server") and flow.only_async("port")
    # a sync test gets client from an async fixture: port and server reach no sync code through it
    assert flow.reaches_sync("client") and not flow.reaches_sync("server")
    # async and sync tests both take clock; only sync code takes facade
    assert flow.reaches_async("clock") and flow.reaches_sync("clock") and not flow.only_async("clock")
    assert not flow.reaches_async("facade") and flow.reaches_sync("facade")


def test_a_fixture_nobody_requests_reaches_nothing() -> None:
    flow = LoopFlow([_requests(CONFTEST, False)])
    assert not flow.reaches_async("clock") and not flow.reaches_sync("clock")
    # an async fixture consumes what it requests (and what that requests), even when
    # nothing requests it
    assert flow.only_async("port") and flow.only_async("server")


OWN_LOOPS = textwrap.dedent(
    """\
    import asyncio
    import pytest


    @pytest.fixture(scope="module")
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()


    @pytest.mark.asyncio
    async def test_uses_server(server):
        ...
    """
)

CLASS_LOOP = textwrap.dedent(
    """\
    import asyncio
    import pytest


    class TestOwn:
        @pytest.fixture
        def event_loop(self):
            yield asyncio.new_event_loop()

        async def test_port(self, port):
            ...


    async def test_shared(clock):
        ...
    """
)


def test_tests_on_an_event_loop_of_their_own_are_seen() -> None:
    # server's consumers below include a module that overrode event_loop: no one running
    # loop serves them all; a class's override counts for its own tests only
    flow = LoopFlow([_requests(CONFTEST, False), _requests(OWN_LOOPS, True)])
    assert flow.reaches_own_loops("server") and not flow.reaches_own_loops("clock")
    flow = LoopFlow([_requests(CONFTEST, False), _requests(CLASS_LOOP, True)])
    assert flow.reaches_own_loops("port") and flow.reaches_own_loops("server")  # port is built from server
    assert not flow.reaches_own_loops("clock")


def test_a_conftest_fixture_whose_tests_ran_on_loops_of_their_own_stays(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import REGISTRY

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "requirements.txt").write_text("pytest-asyncio==0.21.2\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(textwrap.dedent(
        """\
        import asyncio
        import pytest


        @pytest.fixture
        def server(event_loop):
            srv = event_loop.run_until_complete(asyncio.start_server(lambda r, w: None, "127.0.0.1", 0))
            yield srv
            srv.close()
        """
    ))
    (tmp_path / "tests" / "test_mod.py").write_text(OWN_LOOPS)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    conftest = next(f for f in result.files if f.path.endswith("conftest.py"))
    assert not conftest.changed
    [note] = [n for n in conftest.notes if n.kind == "consumers-on-other-loops"]
    assert note.left and note.line == 6
