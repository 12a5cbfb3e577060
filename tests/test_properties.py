"""Property tests: for generated modules every transform either leaves the code byte-identical
or returns code that compiles, and running it again (on the new code, surveyed again) changes
nothing.

The modules are assembled from fragments of legacy async test-suites, in a project on disk
(a ``pytest.ini`` in strict or auto mode; the module is a test module or a conftest.py), so
that each transform sees the facts a run gives it. Each transform gets modules built around
fragments of the habits it migrates, and the test counts the modules it changed: a generator
that stops reaching a transform fails here instead of passing on untouched code. These runs
are derandomized, so that the counts checked are the same on every run. Last, hypothesmith's
random programs (odd but valid Python), new on every run, go into a module each transform
changes.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import NamedTuple

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from migrate_async.engine import migrate_tree, survey_facts
from migrate_async.project import FileFacts, ProjectResolver
from migrate_async.transforms import BY_NAME, REGISTRY
from migrate_async.transforms.transform import MigrationContext

MODES = ("strict", "auto")
#: Transforms that run in auto mode but whose work there the legacy fragments do not hold:
#: async-fixture only turns sync fixtures that patch socket.socket into async ones there.
AUTO_RARE = frozenset({"async-fixture"})
#: (transform, mode) pairs a run applies: none runs a strict-only transform in auto mode
WORKING = [
    (t.name, mode) for t in REGISTRY for mode in MODES
    if mode == "strict" or not (t.strict_only or t.name in AUTO_RARE)
]


def deterministic(examples: int) -> settings:
    """Settings of a derandomized run: the counts of changed modules checked below are then
    the same on every run."""
    return settings(
        max_examples=examples, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )


# --- the project a generated module lives in ------------------------------------------------

def _facts(folder: Path, mode: str, filename: str, code: str, transforms) -> FileFacts:
    """Write the module into a project of the given mode; its facts as a run over it gives them."""
    (folder / "pytest.ini").write_text(f"[pytest]\nasyncio_mode = {mode}\n")
    path = folder / filename
    path.write_text(code)
    return survey_facts(path, transforms, ProjectResolver())


def _run_one(transform, code: str, facts: FileFacts) -> str:
    """Run a transform directly, without the trigger pre-filter."""
    module = cst.parse_module(code)
    context = MigrationContext(facts=facts, source=code, filename=facts.path)
    return transform(context).transform_module(module).code


def _compile(code: str, filename: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # "perhaps you missed a comma?" and the like
        compile(code, filename, "exec", dont_inherit=True)


def _compiles(code: str) -> bool:
    try:
        _compile(code, "<generated>")
    except (SyntaxError, ValueError):  # ValueError: a null byte
        return False
    return True


def _check(transform, code: str, folder: Path, mode: str, filename: str) -> bool:
    """The property for one transform and one module; whether the transform changed it."""
    out = _run_one(transform, code, _facts(folder, mode, filename, code, [transform]))
    if out == code:
        return False
    _compile(out, "<transformed>")
    again = _run_one(transform, out, _facts(folder, mode, filename, out, [transform]))
    assert again == out, f"{transform.name} is not idempotent"
    return True


# --- fragments of legacy suites -------------------------------------------------------------

IMPORTS = [
    "import asyncio", "import time", "import pytest", "import pytest as pt", "import pytest_asyncio",
    "from time import sleep", "from pytest import fixture", "from pytest import mark",
    "import anyio", "import unittest",
]
DECORATORS = [
    "@pytest.fixture", '@pytest.fixture(scope="module")', '@pytest.fixture(scope="session", autouse=True)',
    "@pytest_asyncio.fixture", '@pytest_asyncio.fixture(scope="module")', "@pytest.mark.asyncio",
    '@pytest.mark.asyncio(scope="module")', '@pytest.mark.asyncio(loop_scope="module")', '@pytest.mark.asyncio("class")',
    "@pytest.mark.anyio", '@pytest.mark.parametrize("x", [1, 2])', "@fixture", "@mark.asyncio", "@pt.mark.asyncio",
    "@pytest.mark.asyncio_event_loop", "@staticmethod",
]
STATEMENTS = [
    "time.sleep(0.01)", "sleep(0.01)", "x = time.sleep(1)", "return 1",
    "loop = asyncio.get_event_loop()", "f = lambda: time.sleep(1)", "pass", "assert True",
    "event_loop.run_until_complete(asyncio.sleep(0))",
]
#: statements only an ``async def`` may hold, or that make a generator of it
ASYNC_STATEMENTS = ["await asyncio.sleep(0)"]
SYNC_STATEMENTS = ["yield 1"]
MODULE_STATEMENTS = [
    "pytestmark = pytest.mark.asyncio", "pytestmark = [pytest.mark.asyncio, pytest.mark.slow]",
    'pytestmark = pytest.mark.asyncio(scope="module")', "pytestmark = pytest.mark.anyio", "x = 1",
]


class Habits(NamedTuple):
    """Fragments of the legacy habits one transform migrates."""

    imports: tuple[str, ...]  # the imports they need
    module: tuple[str, ...]  # fragments at module level
    in_class: tuple[str, ...] = ()  # fragments in a test class
    files: tuple[str, ...] = ("test_generated.py", "conftest.py")  # where they may live


#: An async test for a fragment to serve (an ``event_loop`` override that serves none is left).
SERVED = "\n\n\n@pytest.mark.asyncio\nasync def test_on_the_loop():\n    await asyncio.sleep(0)"
SERVED_IN_CLASS = "\n\n@pytest.mark.asyncio\nasync def test_in_the_class(self):\n    await asyncio.sleep(0)"

FOCUS: dict[str, Habits] = {
    "event-loop-fixture": Habits(
        ("import asyncio", "import pytest"),
        (
            '@pytest.fixture(scope="module")\ndef event_loop():\n    loop = asyncio.new_event_loop()\n'
            "    yield loop\n    loop.close()" + SERVED,
            '@pytest.fixture(scope="session")\ndef event_loop():\n'
            "    loop = asyncio.get_event_loop_policy().new_event_loop()\n    yield loop\n    loop.close()" + SERVED,
            "@pytest.fixture\ndef event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()"
            + SERVED,
            '@pytest.fixture(scope="package")\ndef event_loop(request):\n    return asyncio.new_event_loop()' + SERVED,
        ),
        (
            '@pytest.fixture(scope="class")\ndef event_loop(self):\n    loop = asyncio.new_event_loop()\n'
            "    yield loop\n    loop.close()" + SERVED_IN_CLASS,
        ),
    ),
    "event-loop-argument": Habits(
        ("import asyncio", "import pytest", "import pytest_asyncio"),
        (
            "@pytest.mark.asyncio\nasync def test_ticks(event_loop):\n    await asyncio.sleep(0.01, loop=event_loop)",
            "@pytest_asyncio.fixture\nasync def ticker(event_loop):\n    event_loop.call_soon(print)\n    return 1",
            "@pytest.mark.asyncio\nasync def test_condition(event_loop):\n"
            "    cond = asyncio.Condition(loop=event_loop)\n    assert cond",
        ),
        ("@pytest.mark.asyncio\nasync def test_in_class(self, event_loop):\n    event_loop.call_soon(print)",),
        files=("test_generated.py",),  # mostly tests: only test modules hold them
    ),
    "sync-to-async": Habits(
        ("import asyncio", "import pytest"),
        (
            '@pytest.fixture(scope="module")\ndef catalog():\n    loop = asyncio.get_event_loop()\n'
            "    return loop.run_until_complete(asyncio.sleep(0, result=1))",
            "@pytest.fixture\ndef prices():\n"
            "    return asyncio.get_event_loop().run_until_complete(asyncio.sleep(0, result=2))",
        ),
        (
            "@pytest.fixture\ndef discounted(self):\n    loop = asyncio.get_event_loop()\n"
            "    return loop.run_until_complete(asyncio.sleep(0, result=2))",
        ),
    ),
    "get-running-loop": Habits(
        ("import asyncio", "import pytest"),
        (
            "@pytest.mark.asyncio\nasync def test_loop_time():\n    loop = asyncio.get_event_loop()\n"
            "    assert loop.time() > 0",
            "async def deadline(seconds):\n    return asyncio.get_event_loop().time() + seconds",
        ),
        ("@pytest.mark.asyncio\nasync def test_future(self):\n    future = asyncio.get_event_loop().create_future()",),
    ),
    "asynctest": Habits(
        ("import asynctest", "import pytest"),
        (
            "@pytest.fixture\ndef gateway():\n    gateway = asynctest.MagicMock()\n"
            '    gateway.charge = asynctest.CoroutineMock(return_value="r-100")\n    return gateway',
            "@pytest.mark.asyncio\nasync def test_mailer():\n"
            "    mailer = asynctest.Mock(send=asynctest.CoroutineMock())\n    await mailer.send()",
            "from asynctest import CoroutineMock\n\n\ndef make_backend():\n    return CoroutineMock(return_value=1)",
            "class TestCache(asynctest.TestCase):\n    async def test_load(self):\n        self.assertTrue(True)",
        ),
        ("def backend(self):\n    return asynctest.CoroutineMock()",),
    ),
    "httpx-asgi-transport": Habits(
        ("import httpx", "import pytest"),
        (
            "@pytest.mark.asyncio\nasync def test_greeting():\n"
            '    async with httpx.AsyncClient(app=app, base_url="http://greeter.test") as client:\n'
            '        await client.get("/")',
            'def make_client():\n    return httpx.AsyncClient(app=app, base_url="http://greeter.test")',
            "from httpx import AsyncClient\n\n\nasync def client():\n"
            '    async with AsyncClient(app=app, base_url="http://inventory.test") as client:\n        yield client',
        ),
        ("def client(self):\n    return httpx.AsyncClient(app=app)",),
    ),
    "marker-args": Habits(
        ("import pytest",),
        (
            "@pytest.mark.asyncio(forbid_global_loop=True)\nasync def test_grants():\n    pass",
            '@pytest.mark.asyncio(scope="module")\nasync def test_scoped():\n    pass',
            'pytestmark = pytest.mark.asyncio(scope="module")',
        ),
        ('@pytest.mark.asyncio(scope="class")\nasync def test_method(self):\n    pass',),
    ),
    "asyncio-marker": Habits(
        ("import asyncio", "import pytest"),
        (
            "async def test_unmarked():\n    await asyncio.sleep(0)",
            '@pytest.mark.parametrize("x", [1, 2])\nasync def test_unmarked_param(x):\n    await asyncio.sleep(0)',
        ),
        ("async def test_unmarked_method(self):\n    await asyncio.sleep(0)",),
        files=("test_generated.py",),  # it marks tests: only test modules hold them
    ),
    "async-fixture": Habits(
        ("import pytest",),
        (
            "@pytest.fixture\nasync def pool():\n    yield 1",
            "@pytest.fixture()\nasync def busy_pool(pool):\n    return pool",
        ),
        ("@pytest.fixture\nasync def resource(self):\n    return 1",),
    ),
    "fixture-loop-scope": Habits(
        ("import pytest_asyncio",),
        (
            '@pytest_asyncio.fixture(scope="module")\nasync def limiter():\n    return 1',
            '@pytest_asyncio.fixture(scope="session")\nasync def server():\n    yield 1',
        ),
        ('@pytest_asyncio.fixture(scope="class")\nasync def burst(self):\n    return 1',),
    ),
    "asyncio-sleep": Habits(
        ("import time", "import pytest"),
        (
            "@pytest.mark.asyncio\nasync def test_bucket():\n    time.sleep(0.02)",
            "async def wait_a_bit():\n    time.sleep(0.01)",
        ),
        ("@pytest.mark.asyncio\nasync def test_sleepy(self):\n    time.sleep(0.01)",),
    ),
    "aiohttp-plugin": Habits(
        ("import pytest", "from aiohttp import web"),
        (
            'pytest_plugins = "aiohttp.pytest_plugin"\n\n\nasync def test_index(test_client):\n'
            "    client = await test_client(web.Application())\n    await client.get(\"/\")",
            'pytest_plugins = ["aiohttp.pytest_plugin", "pytester"]\n\n\n'
            '@pytest.mark.usefixtures("test_server")\ndef test_port(unused_port):\n    assert unused_port()',
        ),
    ),
    "auto-mode": Habits(
        ("import asyncio", "import pytest"),
        (
            "@pytest.mark.asyncio\nasync def test_refund():\n    await asyncio.sleep(0)",
            "pytestmark = pytest.mark.asyncio",
        ),
        ("@pytest.mark.asyncio\nasync def test_marked_method(self):\n    await asyncio.sleep(0)",),
    ),
}


def test_every_transform_has_habits() -> None:
    assert sorted(FOCUS) == sorted(t.name for t in REGISTRY)


def _class(name: str, methods: list[str]) -> str:
    body = "\n\n".join("\n".join(f"    {line}" if line else line for line in m.split("\n")) for m in methods)
    return f"class {name}:\n{body}"


def _asyncio_only(fragments: list[str]) -> list[str]:
    """The fragments without anyio."""
    return [fragment for fragment in fragments if "anyio" not in fragment]


@st.composite
def functions(draw, anyio: bool = True) -> str:
    decorators = draw(st.lists(st.sampled_from(DECORATORS if anyio else _asyncio_only(DECORATORS)), max_size=3))
    is_async = draw(st.booleans())
    name = draw(st.sampled_from(["test_one", "test_two", "helper", "event_loop", "db", "test_loop"]))
    params = draw(st.sampled_from(["", "event_loop", "db", "self", "request, event_loop"]))
    own = ASYNC_STATEMENTS if is_async else SYNC_STATEMENTS
    body = draw(st.lists(st.sampled_from(STATEMENTS + own), min_size=1, max_size=4))
    lines = [*decorators, f"{'async ' if is_async else ''}def {name}({params}):"]
    lines += [f"    {statement}" for statement in body]
    return "\n".join(lines)


@st.composite
def legacy_modules(draw, focus: str | None = None, conftest: bool = False, anyio: bool | None = None) -> str:
    """A module of legacy fragments; with ``focus``, one or two of that transform's fragments
    among them (at module level, or in a test class of their own, away from the class marks of
    the others; a conftest.py holds no test classes), and by default no anyio (a module that
    runs anyio tests is one most transforms leave alone)."""
    anyio = focus is None if anyio is None else anyio
    imports = draw(st.lists(st.sampled_from(IMPORTS if anyio else _asyncio_only(IMPORTS)), max_size=6, unique=True))
    statements = MODULE_STATEMENTS if anyio else _asyncio_only(MODULE_STATEMENTS)
    blocks: list[str] = draw(st.lists(st.sampled_from(statements), max_size=1))
    if focus is not None:
        habits = FOCUS[focus]
        imports += [line for line in habits.imports if line not in imports]
        in_class = []
        for _ in range(draw(st.integers(1, 2))):
            if habits.in_class and not conftest and draw(st.booleans()):
                in_class.append(draw(st.sampled_from(habits.in_class)))
            else:
                blocks.append(draw(st.sampled_from(habits.module)))
        if in_class:
            blocks.append(_class("TestHabits", in_class))
    noise = []
    for _ in range(draw(st.integers(0 if focus else 1, 2 if focus else 3))):
        if draw(st.booleans()):
            noise.extend(draw(st.lists(functions(anyio), min_size=1, max_size=2)))
        else:
            blocks.append(draw(functions(anyio)))
    if noise:
        decorator = draw(st.sampled_from(["", "@pytest.mark.asyncio\n", "@pytest.mark.asyncio_event_loop\n"]))
        blocks.append(decorator + _class("TestGroup", noise))
    blocks = draw(st.permutations(blocks))
    return "\n\n\n".join(["\n".join(imports), *blocks]) + "\n"


@st.composite
def projects(draw, focus: str | None = None, anyio: bool | None = None) -> tuple[str, str]:
    """(file name, module): a test module, or a conftest.py for the fixtures a conftest holds."""
    filename = draw(st.sampled_from(FOCUS[focus].files if focus else Habits((), ()).files))
    return filename, draw(legacy_modules(focus, conftest=filename == "conftest.py", anyio=anyio))


# --- the properties -------------------------------------------------------------------------

#: At least this many of the examples must change for each (transform, mode): the measured
#: counts are well above it (every example holds fragments the transform migrates).
EXAMPLES = 12
MIN_CHANGED = 4


@pytest.mark.parametrize(("name", "mode"), WORKING, ids=[f"{n}-{m}" for n, m in WORKING])
def test_legacy_fragments_every_transform(name: str, mode: str, tmp_path: Path) -> None:
    transform = BY_NAME[name]
    changed = []

    @deterministic(EXAMPLES)
    @given(project=projects(focus=name))
    def check(project: tuple[str, str]) -> None:
        filename, code = project
        assume(_compiles(code))  # a module Python rejects is no input for a transform
        if _check(transform, code, tmp_path, mode, filename):
            changed.append(code)

    check()
    assert len(changed) >= MIN_CHANGED, f"{name} changed {len(changed)} of {EXAMPLES} modules in {mode} mode"


DEFAULTS = [t for t in REGISTRY if t.default]


@pytest.mark.parametrize("mode", MODES)
def test_legacy_fragments_whole_pipeline(mode: str, tmp_path: Path) -> None:
    changed = []

    @deterministic(15)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        focus = data.draw(st.sampled_from(sorted(FOCUS)))
        filename, code = data.draw(projects(focus, anyio=True))
        assume(_compiles(code))
        facts = _facts(tmp_path, mode, filename, code, DEFAULTS)
        out = migrate_tree(cst.parse_module(code), code, facts, DEFAULTS).code
        if out == code:
            return
        changed.append(code)
        _compile(out, "<transformed>")
        facts = _facts(tmp_path, mode, filename, out, DEFAULTS)
        assert migrate_tree(cst.parse_module(out), out, facts, DEFAULTS).code == out, "the pipeline is not idempotent"

    check()
    assert len(changed) >= 5, f"the pipeline changed {len(changed)} of 15 modules in {mode} mode"


def _fragments_module(focus: str) -> str:
    """The first habit of ``focus``, with the imports it needs: a module the transform changes."""
    habits = FOCUS[focus]
    return "\n".join(habits.imports) + "\n\n\n" + habits.module[0] + "\n"


@pytest.mark.parametrize("transform", REGISTRY, ids=[t.name for t in REGISTRY])
def test_fragments_module_changes(transform, tmp_path: Path) -> None:
    """What test_random_programs puts random programs into changes without them."""
    assert _check(transform, _fragments_module(transform.name), tmp_path, "strict", "test_generated.py")


@pytest.mark.parametrize("transform", REGISTRY, ids=[t.name for t in REGISTRY])
def test_random_programs(transform, tmp_path: Path) -> None:
    """A random program (odd but valid Python: unicode names, semicolons, odd spacing) between
    the imports and the habit of a module the transform changes: the output compiles and a
    second run changes nothing. Random on every run; the programs seldom stop the change (a
    star import may), so one of the three changing is all that is asked."""
    head, _, rest = _fragments_module(transform.name).partition("\n\n\n")
    changed = []

    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
    @given(program=hypothesmith.from_node(cst.Module))
    def check(program: str) -> None:
        code = f"{head}\n\n{program.rstrip()}\n\n\n{rest}"
        assume(_compiles(code))  # hypothesmith can produce code newer or older than this Python
        if _check(transform, code, tmp_path, "strict", "test_generated.py"):
            changed.append(program)

    check()
    assert changed, f"{transform.name} changed none of the modules with random programs"


# --- bugs the properties found, kept as cases ------------------------------------------------

AUTOUSE_EVENT_LOOP = """\
import asyncio
import pytest


@pytest.fixture(scope="module", autouse=True)
def event_loop():
    print("setting up")
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_one():
    await asyncio.sleep(0)
"""


def test_an_autouse_event_loop_override_becomes_one_autouse_setup_fixture(tmp_path: Path) -> None:
    # its setup fixture once got ``autouse=True`` twice, which does not compile
    transform = BY_NAME["event-loop-fixture"]
    out = _run_one(transform, AUTOUSE_EVENT_LOOP, _facts(tmp_path, "strict", "test_generated.py", AUTOUSE_EVENT_LOOP, [transform]))
    assert out != AUTOUSE_EVENT_LOOP
    assert out.count("autouse=True") == 1
    assert _check(transform, AUTOUSE_EVENT_LOOP, tmp_path, "strict", "test_generated.py")
