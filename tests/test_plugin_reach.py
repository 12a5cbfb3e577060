"""Where the survey facts of a module pytest loads as a plugin reach: the tests its fixtures
serve (pytest_model.loading.fixtures_reach), the way pytest registers them. A plugin
(``pytest_plugins``, ``-p``, ``pytest11``) serves every test of its project, behind every
conftest.py; a module a conftest.py star-imports serves that conftest.py's folder only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.engine.survey import Survey
from migrate_async.project import ProjectResolver
from migrate_async.pytest_model.loading import conftest_loads, fixtures_reach, loaded_by_conftest
from migrate_async.transforms import BY_NAME

MARKER = BY_NAME["asyncio-marker"]


def _runner_fixture(name: str) -> str:
    return (
        "import pytest\n\n\n"
        f'@pytest.fixture(params=[pytest.param(1, marks=pytest.mark.asyncio)])\ndef {name}(request):\n'
        "    return request.param\n"
    )


TEST = "async def test_it(runner):\n    pass\n"


def test_conftest_loads_tells_plugins_from_star_imports() -> None:
    source = b'from tests.helpers import *\nfrom .local import *\npytest_plugins = ["tests.plugins.a", "b"]\n'
    assert conftest_loads(source) == [
        ("tests.helpers", 0, False), ("local", 1, False), ("tests.plugins.a", 0, True), ("b", 0, True),
    ]
    assert loaded_by_conftest(source) == [("tests.helpers", 0), ("local", 1), ("tests.plugins.a", 0), ("b", 0)]


def test_a_plugin_serves_the_project_a_star_import_the_folder() -> None:
    root, folder = Path("/p"), Path("/p/tests/a")
    assert fixtures_reach(True, folder, root) == root
    assert fixtures_reach(False, folder, root) == folder


def _survey(root: Path, files: dict[str, str], reach: dict[str, list[str]]) -> tuple[Survey, dict[str, str]]:
    real = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        real[name] = os.path.realpath(path)
    survey = Survey([MARKER], ProjectResolver())
    survey.reach = {real[m]: [os.path.realpath(root / f) for f in folders] for m, folders in reach.items()}
    survey.plugins = frozenset(survey.reach)
    for name in files:
        survey.look_at(real[name], str(root / name), (root / name).read_bytes())
    survey.settle()
    return survey, real


def test_a_plugin_joins_every_chain_of_its_project_behind_each_conftest(tmp_path: Path) -> None:
    files = {
        "conftest.py": _runner_fixture("root_runner"),
        "tests/plugins/runners.py": _runner_fixture("plugin_runner"),
        "tests/deep/conftest.py": _runner_fixture("deep_runner"),
        "tests/deep/test_x.py": TEST,
    }
    survey, real = _survey(tmp_path, files, {"tests/plugins/runners.py": ["."]})
    found = dict(survey.entries_for(real["tests/deep/test_x.py"]))[MARKER.name]
    # outermost first: the plugin, then the conftest.py files (theirs win over its)
    assert found == (("plugin_runner",), ("root_runner",), ("deep_runner",))
    # the root conftest.py gets it too; the plugin module itself its own value once, last
    assert dict(survey.entries_for(real["conftest.py"]))[MARKER.name] == (("plugin_runner",), ("root_runner",))
    assert dict(survey.entries_for(real["tests/plugins/runners.py"]))[MARKER.name] == (("root_runner",), ("plugin_runner",))


def test_a_star_imported_module_joins_the_chains_of_its_conftest_folder_only(tmp_path: Path) -> None:
    files = {
        "tests/helpers/runners.py": _runner_fixture("runner"),
        "tests/a/conftest.py": "from tests.helpers.runners import *\n",
        "tests/a/test_x.py": TEST,
        "tests/b/test_y.py": TEST,
    }
    survey, real = _survey(tmp_path, files, {"tests/helpers/runners.py": ["tests/a"]})
    assert dict(survey.entries_for(real["tests/a/test_x.py"]))[MARKER.name] == (("runner",),)
    assert MARKER.name not in dict(survey.entries_for(real["tests/b/test_y.py"]))


def test_a_module_loaded_both_ways_joins_once_where_it_serves_widest(tmp_path: Path) -> None:
    files = {"tests/helpers/runners.py": _runner_fixture("runner"), "tests/a/test_x.py": TEST}
    survey, real = _survey(tmp_path, files, {"tests/helpers/runners.py": ["tests/a", "."]})
    assert dict(survey.entries_for(real["tests/a/test_x.py"]))[MARKER.name] == (("runner",),)


def test_a_plugin_gathers_from_the_modules_it_serves_not_its_own_folder(tmp_path: Path) -> None:
    survey, real = _survey(tmp_path, {"tests/plugins/runners.py": "", "conftest.py": ""}, {"tests/plugins/runners.py": ["."]})
    assert survey.serves(real["tests/plugins/runners.py"]) == [os.path.realpath(tmp_path)]
    assert survey.serves(real["conftest.py"]) == [os.path.realpath(tmp_path)]


PLUGIN_RUNNER = _runner_fixture("runner").replace("marks=pytest.mark.asyncio", 'marks=pytest.mark.asyncio(loop_scope="module")')


@pytest.mark.parametrize("named", [".", "tests/test_x.py"])
def test_a_run_marks_no_test_that_a_plugin_fixture_gives_its_mark(tmp_path: Path, monkeypatch, named: str) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.plugins.runners"]\n')
    (tmp_path / "tests" / "plugins").mkdir(parents=True)
    (tmp_path / "tests" / "plugins" / "runners.py").write_text(PLUGIN_RUNNER)
    (tmp_path / "tests" / "test_x.py").write_text(TEST + "\n\nasync def test_other():\n    pass\n")
    monkeypatch.chdir(tmp_path)
    run([Path(named)], RunOptions(transforms=[MARKER], target=None, write=True))
    # (a run over the test module alone reads the root conftest.py for its plugins too)
    assert (tmp_path / "tests" / "test_x.py").read_text() == (
        "import pytest\n\n\n" + TEST + "\n\n@pytest.mark.asyncio\nasync def test_other():\n    pass\n"
    )


def test_a_conftest_a_conftest_below_star_imports_still_serves_its_own_folder(tmp_path: Path) -> None:
    # tests/a/conftest.py: ``from tests.conftest import *``; tests/conftest.py serves tests/ as before
    files = {
        "tests/conftest.py": _runner_fixture("runner"),
        "tests/a/conftest.py": "from tests.conftest import *\n",
        "tests/test_x.py": TEST,
        "tests/a/test_y.py": TEST,
        "tests/b/test_z.py": TEST,
    }
    survey, real = _survey(tmp_path, files, {"tests/conftest.py": ["tests/a"]})
    for name in ("tests/test_x.py", "tests/a/test_y.py", "tests/b/test_z.py"):
        assert dict(survey.entries_for(real[name]))[MARKER.name] == (("runner",),), name
    assert dict(survey.entries_for(real["tests/conftest.py"]))[MARKER.name] == (("runner",),)
    assert survey.serves(real["tests/conftest.py"]) == [os.path.realpath(tmp_path / "tests")]


def test_a_run_marks_no_test_beside_a_conftest_a_conftest_below_star_imports(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "tests" / "a").mkdir(parents=True)
    (tmp_path / "tests" / "__init__.py").write_text("")
    (tmp_path / "tests" / "a" / "__init__.py").write_text("")
    (tmp_path / "tests" / "conftest.py").write_text(PLUGIN_RUNNER)
    (tmp_path / "tests" / "a" / "conftest.py").write_text("from tests.conftest import *\n")
    for name in ("tests/test_x.py", "tests/a/test_y.py"):
        (tmp_path / name).write_text(TEST)
    monkeypatch.chdir(tmp_path)
    run([Path(".")], RunOptions(transforms=[MARKER], target=None, write=True))
    for name in ("tests/test_x.py", "tests/a/test_y.py"):
        assert (tmp_path / name).read_text() == TEST, name


def test_the_scan_has_p_plugins_before_the_pytest_plugins_modules(tmp_path: Path, monkeypatch) -> None:
    """pytest registers a -p plugin at its start, a conftest.py's pytest_plugins module while
    it loads the conftest.py: the later one's fixture of the same name wins (the session's
    fixtures, "registered later => more specific"), so it is the nearer in the chain."""
    from migrate_async.discovery import discover
    from migrate_async.engine.scan import _plugin_modules

    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p tests.plugins.early\n")
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.plugins.late"]\n')
    (tmp_path / "tests" / "plugins").mkdir(parents=True)
    for name in ("__init__.py", "plugins/__init__.py", "plugins/early.py", "plugins/late.py", "test_x.py"):
        (tmp_path / "tests" / name).write_text("")
    monkeypatch.chdir(tmp_path)
    reach: dict[str, list[str]] = {}
    _plugin_modules(discover([Path(".")]), ProjectResolver(), set(), set(), frozenset(), reach)
    plugins = os.path.realpath(tmp_path / "tests" / "plugins")
    assert list(reach) == [os.path.join(plugins, "early.py"), os.path.join(plugins, "late.py")]
