"""A project whose migrated tests need pytest-asyncio while nothing the run reads declares it
(engine/undeclared_plugin.py): one note, at its test requirements or its configuration, saying
what to declare by hand; none where the project declares it in any form, and none where the
run changes nothing or changes only what needs no plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.pytest_model import aiohttp
from migrate_async.transforms import REGISTRY

KIND = "plugin-not-declared"

AIOHTTP_SUITE = {
    "setup.cfg": "[tool:pytest]\naddopts = --cov=demo\n",
    "tests/test_a.py": (
        "import pytest\n"
        "from aiohttp import web\n\n\n"
        "@pytest.fixture\n"
        "def app(loop):\n"
        "    async def make():\n"
        "        return web.Application()\n"
        "    return loop.run_until_complete(make())\n\n\n"
        "async def test_root(aiohttp_client, app):\n"
        "    client = await aiohttp_client(app)\n"
        "    assert client\n"
    ),
}

PLAIN_SUITE = {
    "pytest.ini": "[pytest]\n",
    "tests/test_a.py": (
        "import pytest\n\n\n@pytest.fixture\nasync def thing():\n    return 1\n\n\n"
        "@pytest.mark.asyncio\nasync def test_a(thing):\n    assert thing\n"
    ),
}

SETUP_PY = 'from setuptools import setup\nsetup(name="demo", version="0", install_requires=["aiohttp"],\n      tests_require=["pytest", "pytest-cov"])\n'


def _project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _run(root: Path, monkeypatch, transforms=None):
    monkeypatch.chdir(root)
    chosen = transforms if transforms is not None else [t for t in REGISTRY if t.default]
    return run([Path(".")], RunOptions(transforms=chosen, target=None, write=False))


def _notes(result) -> list:
    return [n for n in result.all_notes if n.kind == KIND]


def test_the_aiohttp_repro_says_what_to_declare_at_tests_require(tmp_path: Path, monkeypatch) -> None:
    result = _run(_project(tmp_path, {**AIOHTTP_SUITE, "setup.py": SETUP_PY}), monkeypatch)
    assert any(f.changed for f in result.files)
    notes = _notes(result)
    assert len(notes) == 1
    note = notes[0]
    assert (note.path, note.line) == ("setup.py", 3)  # the tests_require line (pytest's)
    assert "pytest-asyncio>=1.5" in note.message
    assert f"{aiohttp.DISTRIBUTION}>={aiohttp.FLOOR}" in note.message


def test_without_plugin_fixtures_only_pytest_asyncio_is_named(tmp_path: Path, monkeypatch) -> None:
    files = {**PLAIN_SUITE, "requirements-dev.txt": "pytest\n"}
    result = _run(_project(tmp_path, files), monkeypatch)
    notes = _notes(result)
    assert len(notes) == 1
    assert (notes[0].path, notes[0].line) == ("requirements-dev.txt", 1)
    assert "pytest-asyncio>=" in notes[0].message
    assert aiohttp.DISTRIBUTION not in notes[0].message


@pytest.mark.parametrize(
    "declaring",
    [
        {},
        {"setup.py": 'from setuptools import setup\nsetup(name="demo", install_requires=["aiohttp"])\n'},
        {"requirements.txt": "aiohttp>=3.8,<4\n"},
        {"requirements-dev.txt": "pytest-cov\n", "setup.py": 'from setuptools import setup\nsetup(install_requires=["pytest"])\n'},
    ],
)
def test_no_test_dependency_the_run_reads_means_no_note(declaring: dict[str, str], tmp_path: Path, monkeypatch) -> None:
    result = _run(_project(tmp_path, {**PLAIN_SUITE, **declaring}), monkeypatch)
    assert any(f.changed for f in result.files)
    assert _notes(result) == []  # declared where the run cannot see: nothing to go by


def test_the_extras_of_setup_cfg_take_it(tmp_path: Path, monkeypatch) -> None:
    cfg = "[metadata]\nname = demo\n\n[options.extras_require]\ntest =\n    pytest\n    pytest-cov\n"
    result = _run(_project(tmp_path, {**PLAIN_SUITE, "setup.cfg": cfg}), monkeypatch)
    assert [(n.path, n.line) for n in _notes(result)] == [("setup.cfg", 6)]


def test_once_per_project(tmp_path: Path, monkeypatch) -> None:
    files = {**PLAIN_SUITE, "tests/test_b.py": PLAIN_SUITE["tests/test_a.py"], "requirements-dev.txt": "pytest\n"}
    result = _run(_project(tmp_path, files), monkeypatch)
    assert len(_notes(result)) == 1


@pytest.mark.parametrize(
    "declaring",
    [
        {"requirements-dev.txt": "pytest\npytest-asyncio\n"},
        {"requirements-dev.txt": "pytest-asyncio==0.21.1\n"},
        {"setup.py": SETUP_PY.replace('"pytest-cov"', '"pytest-cov", "pytest-asyncio"')},
        {"pyproject.toml": '[project]\nname = "demo"\nversion = "0"\n[project.optional-dependencies]\ntest = ["pytest_asyncio>=0.23"]\n'},
        {"tox.ini": "[testenv]\ndeps =\n    pytest\n    py311: pytest-asyncio\n"},
    ],
)
def test_a_project_that_declares_it_in_any_form_gets_no_note(declaring: dict[str, str], tmp_path: Path, monkeypatch) -> None:
    result = _run(_project(tmp_path, {**PLAIN_SUITE, **declaring}), monkeypatch)
    assert any(f.changed for f in result.files)
    assert _notes(result) == []


def test_must_not_touch_a_run_that_changes_nothing_says_nothing(tmp_path: Path, monkeypatch) -> None:
    migrated = {
        "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
        "tests/test_a.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    assert True\n",
    }
    result = _run(_project(tmp_path, migrated), monkeypatch)
    assert not any(f.changed for f in result.files) and not result.configs
    assert _notes(result) == []


def test_edits_that_need_no_plugin_say_nothing(tmp_path: Path, monkeypatch) -> None:
    files = {
        "pytest.ini": "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
        "tests/test_a.py": "import time\n\n\nasync def test_a():\n    time.sleep(0)\n",
    }
    result = _run(_project(tmp_path, files), monkeypatch)
    assert any(f.changed for f in result.files)
    assert _notes(result) == []


def test_a_declaration_is_placed_at_its_own_line_not_at_a_longer_name_that_starts_like_it() -> None:
    from migrate_async.project.requirements import line_of

    lines = ["[options.extras_require]", "test =", "    pytest-cov", "    pytest"]
    assert line_of(lines, "pytest") == 4
    assert line_of(['dependencies = ["pytest-cov", "pytest"]'], "pytest") == 1
    assert line_of(["pytest-cov"], "pytest") == 1  # (only inside a longer name: the first that holds it)
    assert line_of(["a", "pytest-asyncio==0.21.1", "pytest-asyncio==0.21.1 ; python_version < '3.8'"], "pytest-asyncio==0.21.1") == 2
