"""A plugin module a project registers under the ``pytest11`` entry point group is loaded by
pytest as one named in ``pytest_plugins`` is: the run treats both alike (its fixtures are
migrated as a conftest.py's, with the same notes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import REGISTRY

PYPROJECT = '''[project]
name = "acme"
version = "1.0"

[project.optional-dependencies]
test = ["pytest-asyncio==0.21.1", "pytest<8"]
{entry_points}
[tool.pytest.ini_options]
asyncio_mode = "strict"
'''

PLUGIN = '''import asyncio

import pytest


@pytest.fixture
def started(event_loop):
    event_loop.run_until_complete(asyncio.sleep(0))
    return True
'''

TESTS = '''import pytest


@pytest.mark.asyncio
async def test_started(started):
    assert started
'''


def _project(root: Path, by_entry_point: bool) -> None:
    entry_points = '\n[project.entry-points.pytest11]\nacme = "acme.plugin"\n' if by_entry_point else ""
    (root / "pyproject.toml").write_text(PYPROJECT.format(entry_points=entry_points))
    (root / "src/acme").mkdir(parents=True)
    (root / "src/acme/__init__.py").write_text("")
    (root / "src/acme/plugin.py").write_text(PLUGIN)
    (root / "tests").mkdir()
    (root / "tests/test_started.py").write_text(TESTS)
    if not by_entry_point:
        (root / "tests/conftest.py").write_text('pytest_plugins = ["acme.plugin"]\n')


@pytest.mark.parametrize("by_entry_point", [True, False], ids=["pytest11", "pytest_plugins"])
def test_a_pytest11_plugin_is_migrated_as_a_pytest_plugins_module(by_entry_point: bool, tmp_path: Path, monkeypatch) -> None:
    _project(tmp_path, by_entry_point)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))
    assert result.all_errors == []
    plugin = (tmp_path / "src/acme/plugin.py").read_text()
    assert "@pytest_asyncio.fixture\nasync def started():\n    await asyncio.sleep(0)\n" in plugin
    # nothing is left: the plugin's fixture, made async, serves the test wherever it is
    assert [n.format() for n in result.all_notes if n.left] == []
