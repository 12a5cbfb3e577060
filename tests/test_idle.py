"""Transform.certainly_idle: a transform that says it has nothing to do in a file must have
nothing to do there (no edit, no note, no request), because the engine then does not parse
the file with LibCST at all. Every golden before-file is a case where each transform that
does something must say "maybe"; the tables below hold snippets of each kind.
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from migrate_async.engine import (
    candidate_transforms,
    decode,
    migrate_source,
    migrate_tree,
    parse,
    survey_facts,
)
from migrate_async.engine.prefilter import certainly_idle
from migrate_async.goldens import BEFORE_ROOT
from migrate_async.project import FileFacts, ProjectResolver
from migrate_async.transforms import BY_NAME, REGISTRY, Transform
from migrate_async.transforms.glance import Glance

ANSWERING = [t for t in REGISTRY if t.certainly_idle.__func__ is not Transform.certainly_idle.__func__]
BEFORE_FILES = sorted(p for p in BEFORE_ROOT.rglob("*.py"))


def _does_something(transform: type[Transform], module, text: str, facts: FileFacts) -> bool:
    result = migrate_tree(module, text, facts, [transform])
    return bool(
        result.changed(text) or result.edits or result.notes or result.config_requests or result.conftest_requests
        or result.requirement_requests
    )


@pytest.mark.parametrize("path", BEFORE_FILES, ids=lambda p: str(p.relative_to(BEFORE_ROOT)))
def test_every_golden_before_file_is_maybe_where_a_transform_acts(path: Path) -> None:
    """Each answering transform, alone on the file as the goldens run it: where it edits,
    notes or requests anything, it said "maybe"."""
    data = path.read_bytes()
    resolver = ProjectResolver(None)
    text, _ = decode(data, path.name)
    glance = Glance.parse(text)
    module = None
    for transform in ANSWERING:
        facts = survey_facts(path, [transform], resolver)
        if not candidate_transforms(data, facts, [transform]):
            continue
        assert glance is not None  # every golden parses
        if not transform.certainly_idle(glance, facts):
            continue
        module = module if module is not None else parse(text, path.name)
        assert not _does_something(transform, module, text, facts), f"{transform.name} said idle but acts"


def test_the_goldens_of_each_transform_are_maybe() -> None:
    """The before-file of every one-file golden pair that changes gets "maybe" from its own
    transform (the guard above, said the other way round, so a predicate that answers idle
    for everything cannot pass). In a project case a file may change for what another file
    asked of it (a conftest.py definition): those run through the engine in test_goldens."""
    resolver = ProjectResolver(None)
    asked = 0
    for transform in ANSWERING:
        root = BEFORE_ROOT / transform.name
        for path in sorted(root.glob("*.py")):
            after = Path(str(path).replace("fixtures_before", "fixtures_after"))
            if not after.exists() or after.read_bytes() == path.read_bytes():
                continue
            facts = survey_facts(path, [transform], resolver)
            if not candidate_transforms(path.read_bytes(), facts, [transform]):
                continue
            glance = Glance.parse(path.read_text(encoding="utf-8"))
            assert glance is not None
            asked += 1
            assert not transform.certainly_idle(glance, facts), f"{transform.name}: {path.relative_to(BEFORE_ROOT)}"
    assert asked > 40


# -- tables: (transform, snippet, idle) -------------------------------------------------
MAYBE, IDLE = False, True
TABLE = [
    # marker-args
    ("marker-args", "import pytest\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n", IDLE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio(loop_scope='module')\nasync def test_a():\n    pass\n", IDLE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio(scope='module')\nasync def test_a():\n    pass\n", MAYBE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio('module')\nasync def test_a():\n    pass\n", MAYBE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio(**kw)\nasync def test_a():\n    pass\n", MAYBE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio\ndef test_a():\n    pass\n", MAYBE),
    ("marker-args", "import pytest\n@pytest.fixture\n@pytest.mark.asyncio\nasync def a():\n    pass\n", MAYBE),
    ("marker-args", "from pytest import fixture as f, mark\n@f\n@mark.asyncio\nasync def a():\n    pass\n", MAYBE),
    ("marker-args", "import pytest, respx\n@pytest.mark.asyncio\n@respx.mock\nasync def test_a():\n    pass\n", IDLE),
    ("marker-args", "import pytest\npytestmark = pytest.mark.asyncio\nasync def test_a():\n    pass\n", IDLE),
    ("marker-args", "import pytest\npytestmark = pytest.mark.asyncio\ndef test_a():\n    pass\n", MAYBE),
    ("marker-args", "import pytest\npytestmark = pytest.mark.asyncio\nclass TestA:\n    def test_a(self):\n        pass\n", MAYBE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio\nclass TestA:\n    def test_a(self):\n        pass\n", MAYBE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio\nclass TestA:\n    async def test_a(self):\n        pass\n", IDLE),
    ("marker-args", "import pytest\n@pytest.mark.asyncio_event_loop\nclass TestA:\n    async def test_a(self):\n        pass\n", MAYBE),
    ("marker-args", "import pytest\ndef describe():\n    @pytest.mark.asyncio\n    def inner():\n        pass\n", IDLE),
    ("marker-args", "import pytest\ndef describe():\n    @pytest.mark.asyncio(scope='x')\n    async def inner():\n        pass\n", MAYBE),
    # (a mark called with a function marks it; in a decorator, or with a string, it is an argument)
    ("marker-args", "from pytest import mark\ndef both(spec):\n    return mark.asyncio(mark.slow(spec))\n", IDLE),
    ("marker-args", "from pytest import mark\ndef both(spec):\n    return mark.asyncio('module')\n", MAYBE),
    ("marker-args", "from pytest import mark\ndef both(spec):\n    return mark.asyncio(*spec)\n", MAYBE),
    ("marker-args", "from pytest import mark\n@mark.asyncio(scope)\nasync def test_a():\n    pass\n", MAYBE),
    ("marker-args", "from pytest import mark\n@mark.slow(mark.asyncio(scope))\nasync def test_a():\n    pass\n", MAYBE),
    # asyncio-marker
    ("asyncio-marker", "import pytest\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n", IDLE),
    ("asyncio-marker", "import pytest\nasync def test_a():\n    pass\n", MAYBE),
    ("asyncio-marker", "import pytest\nasync def helper():\n    pass\n", IDLE),
    ("asyncio-marker", "import pytest\ndef test_a():\n    async def test_inner():\n        pass\n", IDLE),
    ("asyncio-marker", "import pytest\npytestmark = [pytest.mark.asyncio, pytest.mark.slow]\nasync def test_a():\n    pass\n", IDLE),
    ("asyncio-marker", "import pytest\npytestmark = [pytest.mark.asyncio]\npytestmark += [pytest.mark.slow]\nasync def test_a():\n    pass\n", MAYBE),
    ("asyncio-marker", "import pytest\nslow = pytest.mark.slow\npytestmark = [pytest.mark.asyncio, slow]\nasync def test_a():\n    pass\n", MAYBE),
    ("asyncio-marker", "import pytest\n@pytest.mark.anyio\nasync def test_a():\n    pass\n", IDLE),
    ("asyncio-marker", "import pytest\n@pytest.mark.asyncio\nclass TestA:\n    async def test_a(self):\n        pass\n", IDLE),
    ("asyncio-marker", "import pytest\nclass Base:\n    pass\n@pytest.mark.asyncio\nclass TestA(Base):\n    async def test_a(self):\n        pass\n", MAYBE),
    ("asyncio-marker", "import pytest\n@pytest.mark.asyncio\nclass TestA:\n    pytestmark = m\n    async def test_a(self):\n        pass\n", MAYBE),
    ("asyncio-marker", "import pytest\nclass TestA:\n    async def test_a(self):\n        pass\n", MAYBE),
    ("asyncio-marker", "import something as pytest\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n", MAYBE),
    ("asyncio-marker", "import pytest\ndef f():\n    import os as pytest\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n", MAYBE),
    # (a class pytest does not collect by its name hides its methods, unless one inherits them)
    ("asyncio-marker", "import pytest\nclass Helper:\n    async def test_a(self):\n        pass\n", IDLE),
    ("asyncio-marker", "import pytest\nclass Helper:\n    class TestInner:\n        async def test_a(self):\n"
     "            pass\n", IDLE),
    ("asyncio-marker", "import pytest\nclass Base:\n    async def test_a(self):\n        pass\nclass TestA(Base):\n"
     "    pass\n", MAYBE),
    ("asyncio-marker", "import pytest\nclass TestA:\n    class Helper:\n        pass\n    async def test_a(self):\n"
     "        pass\n", MAYBE),
    # async-fixture
    ("async-fixture", "import pytest\n@pytest.fixture\nasync def a():\n    pass\n", MAYBE),
    ("async-fixture", "from pytest import fixture\n@fixture(scope='module')\nasync def a():\n    pass\n", MAYBE),
    ("async-fixture", "import pytest_asyncio\n@pytest_asyncio.fixture\nasync def a():\n    pass\n", IDLE),
    ("async-fixture", "import pytest\n@pytest.fixture\ndef a():\n    pass\nasync def test_b(a):\n    pass\n", IDLE),
    ("async-fixture", "import pytest\ndef outer():\n    @pytest.fixture\n    async def a():\n        pass\n", IDLE),
    ("async-fixture", "from .helpers import fixture\n@fixture\nasync def a():\n    pass\n", MAYBE),
    # fixture-loop-scope
    ("fixture-loop-scope", "import pytest_asyncio\n@pytest_asyncio.fixture(scope='module')\nasync def a():\n    pass\n", MAYBE),
    ("fixture-loop-scope", "import pytest_asyncio\n@pytest_asyncio.fixture(scope='function')\nasync def a():\n    pass\n", IDLE),
    ("fixture-loop-scope", "import pytest_asyncio\n@pytest_asyncio.fixture(scope='module', loop_scope='module')\nasync def a():\n    pass\n", IDLE),
    ("fixture-loop-scope", "import pytest_asyncio\n@pytest_asyncio.fixture(scope='module', loop_scope='function')\nasync def a():\n    pass\n", MAYBE),
    ("fixture-loop-scope", "import pytest_asyncio\n@pytest_asyncio.fixture(scope=s)\nasync def a():\n    pass\n", MAYBE),
    ("fixture-loop-scope", "import pytest_asyncio\n@pytest_asyncio.fixture(**kw)\nasync def a():\n    pass\n", MAYBE),
    # asyncio-sleep
    ("asyncio-sleep", "import time\nasync def test_a():\n    time.sleep(1)\n", MAYBE),
    ("asyncio-sleep", "from time import sleep as nap\nasync def test_a():\n    x = nap(1)\n", MAYBE),
    ("asyncio-sleep", "import time\nasync def test_a():\n    t = time.time()\n", IDLE),
    ("asyncio-sleep", "import time\ndef test_a():\n    time.sleep(1)\nasync def test_b():\n    pass\n", IDLE),
    ("asyncio-sleep", "import asyncio\nasync def test_a():\n    await asyncio.sleep(1)\n", IDLE),
    ("asyncio-sleep", "import time\nasync def test_a():\n    f = lambda: time.sleep(1)\n", MAYBE),
    ("asyncio-sleep", "from . import time\nasync def test_a():\n    time.sleep(1)\n", MAYBE),
    # the rewrite reads an async def's decorators and annotation inside it (a note there)
    ("asyncio-sleep", "import time\nimport pytest\n@pytest.mark.parametrize('d', [time.sleep(0)])\nasync def test_a(d):\n    pass\n", MAYBE),
    ("asyncio-sleep", "import time\nasync def test_a() -> time.sleep(0):\n    pass\n", MAYBE),
    # (a name imported inside a function is read each way it is imported)
    ("asyncio-sleep", "async def test_a():\n    from unittest.mock import AsyncMock\n    AsyncMock()\n", IDLE),
    ("asyncio-sleep", "import time\ndef f():\n    from x import time\nasync def test_a():\n    time.sleep(1)\n", MAYBE),
    ("asyncio-sleep", "from time import sleep\ndef f():\n    from x import sleep\nasync def test_a():\n    sleep(1)\n", MAYBE),
    ("asyncio-sleep", "import time\nasync def test_a():\n    from . import helper\n    helper.sleep(1)\n", MAYBE),  # (unsure)
    # get-running-loop
    ("get-running-loop", "import asyncio\nasync def test_a():\n    asyncio.get_event_loop()\n", MAYBE),
    ("get-running-loop", "from asyncio import get_event_loop as gel\nasync def test_a():\n    gel()\n", MAYBE),
    ("get-running-loop", "import asyncio\nasync def test_a():\n    asyncio.get_running_loop().stop()\n", MAYBE),
    ("get-running-loop", "import asyncio\nasync def test_a():\n    asyncio.get_running_loop().call_soon(f)\n", IDLE),
    ("get-running-loop", "import asyncio\ndef test_a():\n    loop = asyncio.new_event_loop()\n    loop.close()\n", IDLE),
    # (what takes the current loop counts directly in what pytest runs outside any loop)
    ("get-running-loop", "import asyncio, pytest\n@pytest.fixture\ndef f():\n    return asyncio.Future()\n", MAYBE),
    ("get-running-loop", "import asyncio\ndef test_a():\n    asyncio.ensure_future(g())\n", MAYBE),
    ("get-running-loop", "import asyncio\nfrom aiohttp import ClientSession as CS\ndef test_a():\n    CS()\n", MAYBE),
    ("get-running-loop", "import asyncio\nclass TestA:\n    def setup_method(self):\n        self.make()\n"
     "    def make(self):\n        self.f = asyncio.Future()\n", MAYBE),
    ("get-running-loop", "import asyncio\nclass A:\n    def setup_method(self):\n        self.make()\n"
     "    def make(self):\n        self.f = asyncio.Future()\n", MAYBE),
    ("get-running-loop", "import asyncio, pytest\n@pytest.fixture\ndef f():\n    def inner():\n"
     "        return asyncio.Future()\n    return inner\n", IDLE),
    ("get-running-loop", "import asyncio\nclass Helper:\n    def __init__(self):\n        self.t = asyncio.ensure_future(g())\n", IDLE),
    ("get-running-loop", "import asyncio\ndef make():\n    return asyncio.Future()\n", IDLE),
    ("get-running-loop", "import asyncio\nasync def test_a():\n    asyncio.ensure_future(g())\n", IDLE),
    ("get-running-loop", "import asyncio\nasync def test_a():\n    f = asyncio.Future()\n    def test_b():\n"
     "        asyncio.Future()\n", IDLE),
    # (the running loop stopped or closed: through a call, a name bound to it, or one bound to that)
    ("get-running-loop", "from asyncio import get_running_loop as grl\nasync def test_a():\n    grl().close()\n", MAYBE),
    ("get-running-loop", "import asyncio\nasync def test_a():\n    loop = asyncio.get_running_loop()\n    loop.stop()\n", MAYBE),
    ("get-running-loop", "import asyncio\nasync def test_a():\n    loop = asyncio.get_running_loop()\n    other = loop\n"
     "    other.stop()\n", MAYBE),
    ("get-running-loop", "import asyncio\nasync def test_a(q):\n    loop = asyncio.get_running_loop()\n    q.close()\n", IDLE),
    ("get-running-loop", "import asyncio\nasync def test_a(q):\n    self.loop = asyncio.get_running_loop()\n"
     "    self.loop.close()\n", IDLE),
    # httpx-asgi-transport
    ("httpx-asgi-transport", "import httpx\nasync def test_a(app):\n    httpx.AsyncClient(app=app)\n", MAYBE),
    ("httpx-asgi-transport", "import httpx\nasync def test_a(app):\n    httpx.AsyncClient(transport=httpx.ASGITransport(app))\n", IDLE),
    # sync-to-async
    ("sync-to-async", "def test_a(event_loop):\n    event_loop.run_until_complete(f())\n", MAYBE),
    ("sync-to-async", "import pytest\n@pytest.mark.usefixtures('event_loop')\ndef test_a():\n    pass\n", MAYBE),
    ("sync-to-async", "import asyncio\ndef test_a():\n    asyncio.new_event_loop().run_until_complete(f())\n", MAYBE),
    ("sync-to-async", "async def test_a(event_loop):\n    await f()\n", IDLE),
    ("sync-to-async", "async def test_a():\n    await loop.run_until_complete(f())\n", IDLE),
    # event-loop-argument
    ("event-loop-argument", "async def test_a(event_loop):\n    pass\n", MAYBE),
    ("event-loop-argument", "import pytest\n@pytest.fixture\nasync def f(*, event_loop):\n    pass\n", MAYBE),
    ("event-loop-argument", "import pytest\n@pytest.mark.usefixtures('event_loop')\nasync def test_a():\n    pass\n", MAYBE),
    ("event-loop-argument", "import pytest\npytestmark = pytest.mark.usefixtures('event_loop')\nasync def test_a():\n    pass\n",
     MAYBE),
    ("event-loop-argument", "async def test_a(request):\n    request.getfixturevalue('event_loop')\n", MAYBE),
    ("event-loop-argument", "from helpers import counting_loop as event_loop\nasync def test_a():\n    pass\n", MAYBE),
    ("event-loop-argument", "import asyncio\nasync def test_a():\n    event_loop = asyncio.get_running_loop()\n"
     "    await asyncio.sleep(1, loop=event_loop)\n", MAYBE),
    ("event-loop-argument", "import asyncio\nasync def test_a():\n    event_loop = asyncio.get_running_loop()\n"
     "    assert event_loop.is_running()\n", IDLE),
    ("event-loop-argument", "import asyncio\nasync def test_a():\n    \"\"\"Runs in pytest-asyncio's event_loop.\"\"\"\n", IDLE),
    # (what keeps a plan without a loop: a generator no async one can be, a test naming itself, a
    # get_event_loop() bound; what the survey tells decides only what becomes of the plans)
    ("sync-to-async", "import pytest\n@pytest.fixture\ndef f():\n    yield 1\nasync def g(event_loop):\n    pass\n", IDLE),
    ("sync-to-async", "def test_a():\n    yield from x()\nasync def f():\n    return 'event_loop'\n", MAYBE),
    ("sync-to-async", "import pytest\n@pytest.fixture\ndef f():\n    yield 1\n    return 2\nasync def g(event_loop):\n"
     "    pass\n", MAYBE),
    ("sync-to-async", "def test_a():\n    return test_a.__name__\nasync def f():\n    return 'event_loop'\n", MAYBE),
    ("sync-to-async", "import asyncio\ndef test_a():\n    loop = asyncio.get_event_loop()\n    loop.close()\n", MAYBE),
    ("sync-to-async", "import asyncio\ndef test_a():\n    loop = asyncio.new_event_loop()\n    loop.close()\n", IDLE),
    # aiohttp-plugin
    ("aiohttp-plugin", "pytest_plugins = 'aiohttp.pytest_plugin'\nasync def test_a(test_client):\n    pass\n", MAYBE),
    ("aiohttp-plugin", "pytest_plugins = ['tests.helpers']\nasync def test_a():\n    pass\n", MAYBE),
    ("aiohttp-plugin", "import aiohttp\nasync def test_a(aiohttp_client):\n    await aiohttp_client(app)\n", IDLE),
    # (without the legacy plugin, a legacy name is no one's: see the tests below for the plugin)
    ("aiohttp-plugin", "import aiohttp\nasync def test_a(test_client):\n    await test_client(app)\n", IDLE),
    ("aiohttp-plugin", "import aiohttp\nasync def test_a(request):\n    request.getfixturevalue('unused_port')\n", IDLE),
    # httpx, get-running-loop, sleep: a file ast cannot read is always "maybe" (engine)
]


@pytest.mark.parametrize("name,code,idle", TABLE, ids=[f"{t[0]}-{i}" for i, t in enumerate(TABLE)])
def test_table(name: str, code: str, idle: bool) -> None:
    transform = BY_NAME[name]
    facts = FileFacts(path="tests/test_x.py")
    glance = Glance.parse(code)
    assert glance is not None
    assert transform.certainly_idle(glance, facts) is idle
    if idle:  # and it is right
        module = parse(code, "test_x.py")
        assert not _does_something(transform, module, code, facts)


def test_survey_findings_make_it_maybe() -> None:
    """A transform whose survey told the file something says "maybe" (the file may be
    rewritten for what another file holds). (sync-to-async: what its survey tells decides
    only what becomes of the functions it plans, which the file alone shows: the sync
    project cases below.)"""
    code = "def test_a(loop):\n    assert loop\n"
    glance = Glance.parse(code)
    assert glance is not None
    for name in ("get-running-loop",):
        facts = FileFacts(path="tests/test_x.py", survey=((name, ({"x": "y"},)),))
        assert BY_NAME[name].certainly_idle(glance, facts) is False


def test_aiohttp_plugin_is_maybe_below_the_legacy_plugin() -> None:
    """A conftest.py above that loads aiohttp's legacy plugin makes the file "maybe" (its
    options in strings get a note there), and a project declaring pytest-aiohttp renames
    1.0's alias, which a name check alone catches."""
    from packaging.requirements import Requirement

    from migrate_async.project import ProjectFacts
    from migrate_async.project.requirements import Declared
    from migrate_async.transforms.aiohttp_plugin import AiohttpSurvey

    transform = BY_NAME["aiohttp-plugin"]
    code = "import aiohttp\nasync def test_a(aiohttp_client):\n    args = ['--aiohttp-fast']\n"
    glance = Glance.parse(code)
    assert glance is not None
    alone = FileFacts(path="tests/test_x.py")
    assert transform.certainly_idle(glance, alone) is True
    module = parse(code, "test_x.py")
    assert not _does_something(transform, module, code, alone)
    below = FileFacts(path="tests/test_x.py", survey=(("aiohttp-plugin", (AiohttpSurvey(True, frozenset()),)),))
    assert transform.certainly_idle(glance, below) is False
    assert _does_something(transform, module, code, below)

    code = "import aiohttp\nasync def test_a(aiohttp_unused_port):\n    aiohttp_unused_port()\n"
    glance = Glance.parse(code)
    assert glance is not None
    declaration = Declared(Requirement("pytest-aiohttp>=1.0"), "pytest-aiohttp>=1.0", Path("pyproject.toml"), 1, "test")
    declared = FileFacts(path="tests/test_x.py", project=ProjectFacts(companions=(declaration,)))
    assert transform.certainly_idle(glance, declared) is False
    assert _does_something(transform, parse(code, "test_x.py"), code, declared)


LEGACY_CASES = [
    # (code, the names a conftest.py above defines, idle)
    ("import aiohttp\nasync def test_a(test_client):\n    pass\n", (), MAYBE),
    ("import aiohttp\nasync def test_a(test_client):\n    pass\n", ("test_client",), IDLE),
    ("import aiohttp\nasync def test_a(request):\n    request.getfixturevalue('test_server')\n", (), MAYBE),
    ("import aiohttp\nasync def test_a(loop_debug):\n    pass\n", (), MAYBE),
    ("import aiohttp\nasync def test_a(aiohttp_client):\n    args = ['-x' '--aiohttp-fast']\n", (), MAYBE),
    ("import aiohttp\nasync def test_a(aiohttp_client):\n    args = ['-x', '--asyncio-mode=auto']\n", (), IDLE),
    ("import aiohttp\nasync def test_a(aiohttp_client):\n    await aiohttp_client(app)\n", (), IDLE),
]


@pytest.mark.parametrize("code,defined,idle", LEGACY_CASES)
def test_aiohttp_plugin_below_the_legacy_plugin(code: str, defined: tuple[str, ...], idle: bool) -> None:
    """Below a conftest.py that loads the legacy plugin, every legacy name that no
    conftest.py above defines is renamed, and the names and options without a successor
    are noted: "maybe" where one is spelled, and "idle" is right where none is."""
    from migrate_async.transforms.aiohttp_plugin import AiohttpSurvey

    transform = BY_NAME["aiohttp-plugin"]
    facts = FileFacts(path="tests/test_x.py", survey=(("aiohttp-plugin", (AiohttpSurvey(True, frozenset(defined)),)),))
    glance = Glance.parse(code)
    assert glance is not None
    assert transform.certainly_idle(glance, facts) is idle
    assert _does_something(transform, parse(code, "test_x.py"), code, facts) is not idle


def test_aiohttp_plugin_leaves_the_project_s_own_fixtures() -> None:
    """A legacy name the project's plugins define is the project's own: not renamed."""
    from migrate_async.project import ProjectFacts
    from migrate_async.transforms.aiohttp_plugin import AiohttpSurvey

    transform = BY_NAME["aiohttp-plugin"]
    code = "import aiohttp\nasync def test_a(test_client):\n    pass\n"
    facts = FileFacts(
        path="tests/test_x.py",
        project=ProjectFacts(own_plugin_fixtures=frozenset({"test_client"})),
        survey=(("aiohttp-plugin", (AiohttpSurvey(True, frozenset()),)),),
    )
    glance = Glance.parse(code)
    assert glance is not None
    assert transform.certainly_idle(glance, facts) is True
    assert not _does_something(transform, parse(code, "test_x.py"), code, facts)


@pytest.mark.parametrize("code,idle", [
    ("import asyncio\nasync def test_a(loop):\n    pass\n", MAYBE),
    ("import pytest\n@pytest.mark.usefixtures('loop')\nasync def test_a():\n    pass\n", MAYBE),
    ("import asyncio\nasync def test_a(event_loop_policy):\n    loop = asyncio.get_running_loop()\n", IDLE),
])
def test_event_loop_argument_reads_the_plugin_loops(code: str, idle: bool) -> None:
    """Where the project loads a plugin's loop fixtures (pytest-aiohttp's ``loop``), a
    request of one is "maybe" as a request of ``event_loop`` is; a local name is not one."""
    from migrate_async.project import ProjectFacts

    transform = BY_NAME["event-loop-argument"]
    facts = FileFacts(path="tests/test_x.py", project=ProjectFacts(plugin_loops=frozenset({"loop"})))
    glance = Glance.parse(code)
    assert glance is not None
    assert transform.certainly_idle(glance, facts) is idle
    assert _does_something(transform, parse(code, "test_x.py"), code, facts) is not idle


def test_sync_to_async_reads_the_plugin_loops() -> None:
    """A sync test requesting a plugin's loop (pytest-aiohttp's ``loop``) is planned as one
    requesting ``event_loop`` is: "maybe"."""
    from migrate_async.project import ProjectFacts

    transform = BY_NAME["sync-to-async"]
    code = "def test_a(loop):\n    pass\nasync def f():\n    return 'event_loop'\n"
    glance = Glance.parse(code)
    assert glance is not None
    facts = FileFacts(path="tests/test_x.py", project=ProjectFacts(plugin_loops=frozenset({"loop"})))
    assert transform.certainly_idle(glance, facts) is False
    assert _does_something(transform, parse(code, "test_x.py"), code, facts)
    assert transform.certainly_idle(glance, FileFacts(path="tests/test_x.py")) is True
    assert not _does_something(transform, parse(code, "test_x.py"), code, FileFacts(path="tests/test_x.py"))


def test_get_running_loop_reports_stopped_loops_in_test_code_only() -> None:
    """A module that is neither a test module nor a conftest.py gets no note for a stopped
    running loop: idle there, "maybe" in a test module."""
    transform = BY_NAME["get-running-loop"]
    code = "import asyncio\nasync def helper():\n    asyncio.get_running_loop().stop()\n"
    glance = Glance.parse(code)
    assert glance is not None
    for is_test, idle in ((False, True), (True, False)):
        facts = FileFacts(path="tests/helpers.py", is_test_module=is_test)
        assert transform.certainly_idle(glance, facts) is idle
        assert _does_something(transform, parse(code, "helpers.py"), code, facts) is not idle


def test_unreadable_text_goes_to_libcst() -> None:
    chosen = [BY_NAME["asyncio-sleep"]]
    assert certainly_idle("async def f(:\n", FileFacts(), chosen) is False
    assert certainly_idle("import asyncio\nasync def f():\n    await asyncio.sleep(1)\n", FileFacts(), chosen) is True


def test_a_transform_without_an_answer_means_libcst() -> None:
    code = "import pytest\nasync def test_a(event_loop):\n    pass\n"
    assert certainly_idle(code, FileFacts(), [BY_NAME["event-loop-fixture"]]) is False


def test_migrate_source_skips_idle_text_and_keeps_the_rest() -> None:
    idle = textwrap.dedent(
        """\
        import pytest

        @pytest.mark.asyncio
        async def test_a():
            pass
        """
    )
    assert migrate_source(idle).code == idle
    legacy = idle.replace("@pytest.mark.asyncio\n", "")
    assert "@pytest.mark.asyncio" in migrate_source(legacy).code


SURVEY_ANY = [t for t in REGISTRY if t.triggers.survey_any]


@pytest.mark.parametrize("path", BEFORE_FILES, ids=lambda p: str(p.relative_to(BEFORE_ROOT)))
def test_a_survey_finds_nothing_where_its_survey_any_strings_are_missing(path: Path) -> None:
    """``Triggers.survey_any`` keeps files from the survey: each golden before-file that the
    other survey strings let through but whose bytes lack every one of these gives the
    survey nothing, as a conftest.py, a plugin module (read as one) or a test module."""
    data = path.read_bytes()
    text, _ = decode(data, path.name)
    for transform in SURVEY_ANY:
        if transform.triggers.surveys(data) or not dataclasses.replace(transform.triggers, survey_any=()).surveys(data):
            continue
        for conftest in (False, True):
            facts = FileFacts(path=str(path), is_conftest=conftest, is_test_module=not conftest)
            assert transform.survey(text, facts) is None, transform.name


SURVEY_MODULE_ANY = [t for t in REGISTRY if t.triggers.survey_module_any]


@pytest.mark.parametrize("path", BEFORE_FILES, ids=lambda p: str(p.relative_to(BEFORE_ROOT)))
def test_a_survey_finds_nothing_in_a_test_module_without_its_survey_module_any_strings(path: Path) -> None:
    """``Triggers.survey_module_any`` keeps test modules from the survey: each golden
    before-file that the other survey strings let through but whose bytes lack every one
    of these gives the survey nothing when pytest loads it as a test module."""
    data = path.read_bytes()
    text, _ = decode(data, path.name)
    for transform in SURVEY_MODULE_ANY:
        if transform.triggers.surveys(data, conftest=False) or not transform.triggers.surveys(data, conftest=True):
            continue
        facts = FileFacts(path=str(path), is_conftest=False, is_test_module=True)
        assert transform.survey(text, facts) is None, transform.name


def test_survey_module_any_is_asked() -> None:
    """A test module naming a legacy fixture without the plugin is not surveyed; the same
    bytes in a conftest.py are, and so is a test module loading the legacy plugin."""
    triggers = BY_NAME["aiohttp-plugin"].triggers
    assert SURVEY_MODULE_ANY
    fixture = b"import pytest\n@pytest.fixture\ndef test_client():\n    pass\n"
    assert not triggers.surveys(fixture, conftest=False)
    assert triggers.surveys(fixture, conftest=True)
    assert triggers.surveys(b"import pytest\npytest_plugins = 'aiohttp.pytest_plugin'\n", conftest=False)


def test_a_runner_mark_fixture_counts_in_a_module_whose_sync_tests_may_turn_async() -> None:
    """asyncio-marker's survey of a test module: its fixtures carrying a runner's mark are
    looked for where the module has async tests or sync tests sync-to-async turns async
    (``event_loop``, ``run_until_complete``), not in a module of sync tests alone."""
    transform = BY_NAME["asyncio-marker"]
    fixture = (
        "import pytest\n\n\n@pytest.fixture(params=[pytest.param('trio', marks=pytest.mark.trio)])\n"
        "def backend(request):\n    return request.param\n\n\n"
    )
    module = FileFacts(path="test_x.py", is_test_module=True)
    for body in ("def test_a(backend, event_loop):\n    event_loop.run_until_complete(backend)\n",
                 "async def test_a(backend):\n    pass\n"):
        data = (fixture + body).encode()
        assert transform.triggers.surveys(data, conftest=False)
        assert transform.survey(fixture + body, module) == ("backend",)
    sync_only = fixture + "def test_a(backend):\n    assert backend\n"
    assert not transform.triggers.surveys(sync_only.encode(), conftest=False)
    assert transform.survey(sync_only, module) is None
    conftest = FileFacts(path="conftest.py", is_conftest=True)
    assert transform.triggers.surveys(sync_only.encode(), conftest=True)
    assert transform.survey(sync_only, conftest) == ("backend",)


@pytest.mark.parametrize("path", BEFORE_FILES, ids=lambda p: str(p.relative_to(BEFORE_ROOT)))
def test_a_file_a_survey_looks_at_holds_one_of_the_survey_needs(path: Path) -> None:
    """engine.survey.survey_needs: the few strings the scan asks before each transform's
    survey triggers; a golden before-file that any transform surveys holds one of them, as a
    conftest.py and as a test module, for the default selection and for every transform alone."""
    from migrate_async.engine.survey import survey_needs

    data = path.read_bytes()
    for selection in [REGISTRY, *([t] for t in REGISTRY)]:
        for conftest in (False, True):
            if any(t.triggers.surveys(data, conftest) for t in selection if t.triggers.survey):
                assert any(n in data for n in survey_needs([t for t in selection if t.triggers.survey], conftest))


def test_survey_needs_prefer_the_strings_looked_for_anyway() -> None:
    from migrate_async.engine.survey import survey_needs

    triggers = BY_NAME["event-loop-fixture"].triggers  # survey_any=(pytest, import): event_loop stands instead
    assert triggers.survey_needs(False, (b"loop",)) == (b"event_loop", b"pytest_asyncio_loop_factories")
    # (nothing looked for anyway: the fewest strings; a tie goes to survey_any, the narrower)
    assert triggers.survey_needs(False) == (b"pytest", b"import")
    assert BY_NAME["aiohttp-plugin"].triggers.survey_needs(False, (b"loop",)) == (b"aiohttp",)
    assert b"aiohttp" not in survey_needs([BY_NAME["aiohttp-plugin"]], True)
    assert survey_needs([BY_NAME["sync-to-async"], BY_NAME["event-loop-fixture"]], False) == (b"async", b"loop")


def test_survey_any_is_asked() -> None:
    """The reverse guard: a file holding the survey strings but none of survey_any is not
    surveyed, and with one of them it is."""
    triggers = BY_NAME["aiohttp-plugin"].triggers
    assert SURVEY_ANY
    assert not triggers.surveys(b"import pytest\nasync def test_a(aiohttp_client):\n    pass\n")
    assert triggers.surveys(b"import pytest\npytest_plugins = 'aiohttp.pytest_plugin'\n")
    assert triggers.surveys(b"import pytest\n@pytest.fixture\ndef test_client():\n    pass\n")


def test_every_loop_fixture_name_says_loop() -> None:
    """sync-to-async's survey_any (b"loop") stands for every loop fixture its survey looks
    for: pytest-asyncio's and the plugin loops a project may load."""
    from migrate_async.pytest_model import aiohttp_loop, event_loop

    assert "loop" in event_loop.FIXTURE_NAME
    assert all("loop" in name for name in aiohttp_loop.LOOP_FIXTURES)


#: below a conftest.py whose override becomes a loop-factories hook, its loop scope is
#: carried to the modules by marks: a module without sync tests gets a module mark
_LOOP_FACTORY_CONFTEST = '''\
import asyncio

import pytest


class CountingLoop(asyncio.SelectorEventLoop):
    pass


@pytest.fixture(scope="session")
def event_loop():
    loop = CountingLoop()
    yield loop
    loop.close()
'''

_BELOW_AN_OVERRIDE = {
    # nothing to carry: sync tests, no coroutine, no loop spelled
    "test_sync.py": ("import pytest\n\n\ndef test_a():\n    with pytest.raises(KeyError):\n        {}['x']\n", IDLE),
    "test_sync_and_class.py": ("import pytest\n\n\ndef test_a():\n    pass\n\n\nclass TestB:\n    def test_b(self):\n        pass\n", IDLE),
    # a module mark would reach these sync tests: "maybe" (the transform reads the classes)
    "test_sync_class.py": ("import pytest\n\n\nclass TestA:\n    def test_a(self):\n        pass\n", MAYBE),
    "test_decorated.py": ("import pytest\n\n\n@pytest.mark.parametrize('x', [1])\ndef test_a(x):\n    pass\n", MAYBE),
    "test_fixtures_only.py": ("import pytest\n\n\n@pytest.fixture\ndef thing():\n    return 1\n", MAYBE),
    # a coroutine, the loop fixture or asyncio spelled: the override's meaning may reach it
    "test_async.py": ("import pytest\n\n\ndef test_a():\n    pass\n\n\nasync def test_b():\n    pass\n", MAYBE),
    "test_requests.py": ("import pytest\n\n\ndef test_a(event_loop):\n    pass\n", MAYBE),
    "test_mark.py": ("import pytest\n\npytestmark = pytest.mark.asyncio\n\n\ndef test_a():\n    pass\n", MAYBE),
}


@pytest.mark.parametrize("name", sorted(_BELOW_AN_OVERRIDE))
def test_event_loop_fixture_below_an_override(tmp_path: Path, name: str) -> None:
    """event-loop-fixture, whose survey reaches every module below an override, is idle in a
    test module with nothing the override's meaning is carried to; where it says so, it is
    right (the module as a run over it would see it, the survey of the conftest.py included)."""
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    (tmp_path / "tests" / "unit" / "test_unit.py").write_text("import pytest\n\n\n@pytest.mark.asyncio\nasync def test_u():\n    pass\n")
    below = tmp_path / "tests" / "integration"
    below.mkdir()
    (below / "conftest.py").write_text(_LOOP_FACTORY_CONFTEST)
    code, idle = _BELOW_AN_OVERRIDE[name]
    path = below / name
    path.write_text(code)
    transform = BY_NAME["event-loop-fixture"]
    facts = survey_facts(path, [transform], ProjectResolver(None, tmp_path))
    assert candidate_transforms(code.encode(), facts, [transform])
    glance = Glance.parse(code)
    assert glance is not None
    assert transform.certainly_idle(glance, facts) is idle
    if idle:
        assert not _does_something(transform, parse(code, name), code, facts)
    else:  # where it says "maybe", it may act: a module mark, a loop scope, a note
        acts = _does_something(transform, parse(code, name), code, facts)
        # (a module of fixtures alone gets no module mark: no test of it runs in a loop)
        assert acts is (name in {"test_async.py", "test_requests.py"})
