"""Property tests: for generated modules every transform either leaves the code byte-identical
or returns code that parses, and running it again changes nothing.

Two generators: hypothesmith's grammar-based random programs (odd but valid Python), and
modules assembled from fragments of legacy async test-suites (so that the transforms do work).
"""

from __future__ import annotations

import ast

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate_async.engine import migrate_tree
from migrate_async.project import FileFacts, ProjectFacts
from migrate_async.transforms import REGISTRY
from migrate_async.transforms.transform import MigrationContext

FACTS = {
    mode: FileFacts(project=ProjectFacts(mode=mode), path="test_generated.py")
    for mode in ("strict", "auto")
}


def _run_one(transform, code: str, facts: FileFacts) -> str:
    """Run a transform directly, without the trigger pre-filter."""
    module = cst.parse_module(code)
    context = MigrationContext(facts=facts, source=code, filename=facts.path)
    return transform(context).transform_module(module).code


def _check(transform, code: str, facts: FileFacts) -> None:
    out = _run_one(transform, code, facts)
    if out == code:
        return
    ast.parse(out)
    assert _run_one(transform, out, facts) == out, f"{transform.name} is not idempotent"


@pytest.mark.parametrize("transform", REGISTRY, ids=[t.name for t in REGISTRY])
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(code=hypothesmith.from_node(cst.Module))
def test_random_programs(transform, code: str) -> None:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return  # hypothesmith can produce code newer or older than this Python
    _check(transform, code, FACTS["strict"])


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
    "time.sleep(0.01)", "sleep(0.01)", "await asyncio.sleep(0)", "x = time.sleep(1)", "return 1", "yield 1",
    "loop = asyncio.get_event_loop()", "f = lambda: time.sleep(1)", "pass", "assert True",
    "event_loop.run_until_complete(asyncio.sleep(0))",
]
MODULE_STATEMENTS = [
    "pytestmark = pytest.mark.asyncio", "pytestmark = [pytest.mark.asyncio, pytest.mark.slow]",
    'pytestmark = pytest.mark.asyncio(scope="module")', "pytestmark = pytest.mark.anyio", "x = 1",
]


@st.composite
def functions(draw, indent: str = "") -> str:
    decorators = draw(st.lists(st.sampled_from(DECORATORS), max_size=3))
    is_async = draw(st.booleans())
    name = draw(st.sampled_from(["test_one", "test_two", "helper", "event_loop", "db", "test_loop"]))
    params = draw(st.sampled_from(["", "event_loop", "db", "self", "request, event_loop"]))
    body = draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=4))
    lines = [f"{indent}{d}" for d in decorators]
    lines.append(f"{indent}{'async ' if is_async else ''}def {name}({params}):")
    lines += [f"{indent}    {statement}" for statement in body]
    return "\n".join(lines)


@st.composite
def legacy_modules(draw) -> str:
    parts = ["\n".join(draw(st.lists(st.sampled_from(IMPORTS), max_size=6, unique=True)))]
    parts += draw(st.lists(st.sampled_from(MODULE_STATEMENTS), max_size=1))
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            methods = draw(st.lists(functions(indent="    "), min_size=1, max_size=3))
            decorator = draw(st.sampled_from(["", "@pytest.mark.asyncio\n", '@pytest.mark.asyncio_event_loop\n']))
            parts.append(f"{decorator}class TestGroup:\n" + "\n\n".join(methods))
        else:
            parts.append(draw(functions()))
    return "\n\n\n".join(parts) + "\n"


def _valid(code: str) -> bool:
    try:
        compile(code, "<generated>", "exec", flags=ast.PyCF_ONLY_AST)
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("mode", ["strict", "auto"])
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(code=legacy_modules())
def test_legacy_fragments_every_transform(mode: str, code: str) -> None:
    if not _valid(code):
        return  # e.g. ``await`` or ``yield`` in a place Python rejects
    for transform in REGISTRY:
        _check(transform, code, FACTS[mode])


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(code=legacy_modules())
def test_legacy_fragments_whole_pipeline(code: str) -> None:
    if not _valid(code):
        return
    facts = FACTS["strict"]
    module = cst.parse_module(code)
    out = migrate_tree(module, code, facts, REGISTRY).code
    if out == code:
        return
    ast.parse(out)
    assert migrate_tree(cst.parse_module(out), out, facts, REGISTRY).code == out, "the pipeline is not idempotent"
