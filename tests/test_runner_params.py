"""A fixture whose params carry a runner's mark decides which plugin runs the tests that
use it (pytest_model.frameworks.param_runner_fixture): sync-to-async does not make such a
sync test a pytest-asyncio test, and asyncio-marker does not mark it; both ask the same
function. The goldens runner_param_fixtures_project, runner_param_fixture_above_project
and test_runner_param_fixture_local_loop show the whole runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.imports.resolve import ImportMap
from migrate_async.project import FileFacts
from migrate_async.pytest_model.frameworks import param_runner_fixture, runner_mark_fixtures
from migrate_async.transforms import BY_NAME

BACKEND = '''import pytest


@pytest.fixture(params=[pytest.param("asyncio", marks=pytest.mark.anyio), pytest.param("trio", marks=pytest.mark.trio)])
def backend(request):
    return request.param
'''


def _func(source: str) -> tuple[cst.FunctionDef, ImportMap]:
    module = cst.parse_module(textwrap.dedent(source))
    func = next(s for s in reversed(module.body) if isinstance(s, cst.FunctionDef))
    return func, ImportMap.collect(module)


@pytest.mark.parametrize(
    ("source", "graph", "expected"),
    [
        ("import pytest\ndef test_a(event_loop, backend): pass\n", None, "backend"),
        ("import pytest\n@pytest.mark.usefixtures('backend')\ndef test_a(event_loop): pass\n", None, "backend"),
        ("import pytest\ndef test_a(event_loop, client): pass\n", {"client": {"backend"}}, "backend"),
        ("import pytest\ndef test_a(event_loop, client): pass\n", {"client": {"db"}, "db": {"backend"}}, "backend"),
        ("import pytest\ndef test_a(event_loop, client): pass\n", None, None),  # (its closure not known)
        ("import pytest\ndef test_a(event_loop, client): pass\n", {"client": {"db"}}, None),
        ("import pytest\n@pytest.mark.usefixtures('other')\ndef test_a(event_loop): pass\n", None, None),
    ],
)
def test_param_runner_fixture(source: str, graph: dict | None, expected: str | None) -> None:
    func, imports = _func(source)
    assert param_runner_fixture(func, imports, {"backend"}, graph) == expected


def test_param_runner_fixture_without_marked_fixtures_is_none() -> None:
    func, imports = _func("def test_a(backend): pass\n")
    assert param_runner_fixture(func, imports, ()) is None


def test_runner_mark_fixtures_reads_the_registered_name() -> None:
    assert runner_mark_fixtures(BACKEND) == ("backend",)
    renamed = BACKEND.replace("@pytest.fixture(params", "@pytest.fixture(name='flavour', params")
    assert runner_mark_fixtures(renamed) == ("flavour",)
    assert runner_mark_fixtures("import pytest\n@pytest.fixture(params=[1, 2])\ndef n(request): pass\n") is None


def test_a_conftest_whose_only_sign_is_a_runner_mark_is_surveyed() -> None:
    """sync-to-async's survey_any: "marks=" lets a conftest.py through that names neither a
    loop nor a coroutine; a test module needs "async" or "loop" still (survey_module_any)."""
    transform = BY_NAME["sync-to-async"]
    conftest = BACKEND.replace('"asyncio", marks=pytest.mark.anyio', '"anyio", marks=pytest.mark.anyio')
    data = conftest.encode()
    assert b"async" not in data and b"loop" not in data
    assert transform.triggers.surveys(data, conftest=True)
    found = transform.survey(conftest, FileFacts(path="conftest.py", is_conftest=True, is_test_module=False))
    assert found is not None and found.runner_fixtures == frozenset({"backend"})
    module = conftest + "\n\ndef test_a(backend):\n    assert backend\n"
    assert not transform.triggers.surveys(module.encode(), conftest=False)


INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"

TESTS = '''import asyncio

import pytest


async def get(x):
    return x


def test_current_loop(backend):
    loop = asyncio.get_event_loop()
    assert loop.run_until_complete(get(backend)) == backend


def test_plain(event_loop):
    assert event_loop.run_until_complete(get(1)) == 1
'''


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text(INI)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/conftest.py").write_text(BACKEND)
    return tmp_path


def _apply(*names: str):
    return run([Path(".")], RunOptions(transforms=[BY_NAME[n] for n in names], target=None, write=True))


def test_a_test_without_a_loop_parameter_is_left_as_it_is_with_a_note(root: Path) -> None:
    (root / "tests/test_a.py").write_text(TESTS)
    result = _apply("sync-to-async")
    after = (root / "tests/test_a.py").read_text()
    assert "def test_current_loop(backend):\n    loop = asyncio.get_event_loop()\n" in after
    assert "async def test_plain():" in after
    assert (root / "tests/conftest.py").read_text() == BACKEND  # no event_loop of its own: none needs one
    notes = [n for n in result.all_notes if n.kind == "runner-from-fixture-params"]
    assert len(notes) == 1
    text = notes[0].format()
    assert "test_current_loop" in text and "backend (tests/conftest.py)" in text and "Left as it is" in text


def test_asyncio_marker_and_sync_to_async_agree(root: Path) -> None:
    """The default run: neither transform gives a test that uses backend an asyncio mark."""
    source = TESTS + "\n\nasync def test_async(backend):\n    assert await get(backend) == backend\n"
    (root / "tests/test_a.py").write_text(source)
    _apply("sync-to-async", "asyncio-marker")
    after = (root / "tests/test_a.py").read_text()
    assert after.count("@pytest.mark.asyncio") == 1
    assert "@pytest.mark.asyncio\nasync def test_plain():" in after
