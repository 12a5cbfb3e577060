"""The project model: declared requirements (requirements.py), which plugin runs the async
tests (pytest_model/runners.py), and the target a project's pins allow."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from migrate_async.engine import RunOptions, run
from migrate_async.goldens import BEFORE_ROOT
from migrate_async.project import (
    NEWEST_TARGET,
    ProjectResolver,
    parse_version,
    target_from_pins,
)
from migrate_async.project.config_files import find_config
from migrate_async.project.requirements import (
    declaration_folders,
    declarations,
    declared,
    floor,
)
from migrate_async.pytest_model.runners import (
    configures_pytest_asyncio,
    disabled_by,
    hook_runs_coroutines,
    other_runner,
)
from migrate_async.transforms import REGISTRY


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def _pins(root: Path) -> list[tuple[str, int, str, str]]:
    return [(d.path.name, d.line, d.where, str(d.requirement.specifier)) for d in declared([root], "pytest_asyncio")]


# -- where projects declare pytest-asyncio ----------------------------------------------------


def test_pyproject_tables(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": """
        [project]
        name = "p"
        dependencies = ["attrs"]

        [project.optional-dependencies]
        test = [
            "pytest>=8",
            "pytest-asyncio>=0.20,<1",  # the old pin
        ]

        [dependency-groups]
        dev = [{include-group = "test"}, "pytest_asyncio==1.4.0"]

        [tool.poetry.group.test.dependencies]
        pytest-asyncio = "^0.21"

        [tool.pdm.dev-dependencies]
        lint = ["Pytest-Asyncio~=1.2"]

        [tool.hatch.envs.test]
        extra-dependencies = ["pytest-asyncio>=1.3; python_version >= '3.10'"]
    """})
    assert _pins(tmp_path) == [
        ("pyproject.toml", 8, "[project.optional-dependencies] test", "<1,>=0.20"),
        ("pyproject.toml", 12, "[dependency-groups] dev", "==1.4.0"),
        ("pyproject.toml", 15, "[tool.poetry.group.test.dependencies]", "<0.22,>=0.21"),
        ("pyproject.toml", 18, "[tool.pdm.dev-dependencies] lint", "~=1.2"),
        ("pyproject.toml", 21, "[tool.hatch.envs.test] extra-dependencies", ">=1.3"),
    ]
    assert [d.text for d in declared([tmp_path], "pytest-asyncio")][0] == "pytest-asyncio>=0.20,<1"


def test_requirements_files_follow_includes_once(tmp_path: Path) -> None:
    _write(tmp_path, {
        "requirements-dev.txt": """
            -r requirements/test.txt
            --constraint=constraints.txt
            ruff  # linters
        """,
        "requirements/test.txt": """
            # the runner
            pytest==8.4.2
            pytest-asyncio==1.2.0 \\
                --hash=sha256:0000
            -r ../requirements-dev.txt
            not a requirement !!
        """,
        "constraints.txt": "pytest-asyncio<1.3\n",
    })
    assert _pins(tmp_path) == [
        ("test.txt", 3, "requirements", "==1.2.0"),
        ("constraints.txt", 1, "requirements", "<1.3"),
    ]


def test_setup_cfg_setup_py_tox_and_pipfile(tmp_path: Path) -> None:
    _write(tmp_path, {
        "setup.cfg": """
            [options]
            install_requires =
                attrs
            [options.extras_require]
            test =
                pytest-asyncio==0.21.1
        """,
        "setup.py": """
            from setuptools import setup

            TESTS = ["pytest", "pytest-asyncio>=0.23"]
            setup(name="p", tests_require=TESTS, extras_require={"dev": ["pytest-asyncio==0.24.0"]})
        """,
        "tox.ini": """
            [tox]
            envlist = py311
            [testenv]
            deps =
                pytest-asyncio>=1.0
                {[base]deps}
                -rreq-tox.txt
        """,
        "req-tox.txt": "pytest-asyncio==1.1.0\n",
        "Pipfile": """
            [dev-packages]
            pytest-asyncio = "==1.5.0"
            attrs = "*"
        """,
    })
    assert _pins(tmp_path) == [
        ("setup.cfg", 6, "[options.extras_require] test", "==0.21.1"),
        ("setup.py", 3, "setup() tests_require", ">=0.23"),
        ("setup.py", 4, "setup() extras_require dev", "==0.24.0"),
        ("tox.ini", 5, "[testenv] deps", ">=1.0"),
        ("req-tox.txt", 1, "requirements", "==1.1.0"),
        ("Pipfile", 2, "[dev-packages]", "==1.5.0"),
    ]


def test_unreadable_dependency_files_declare_nothing(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": "[project\n", "setup.py": "setup(\n", "requirements.txt": "pytest-asyncio==1.4.0\n"})
    assert [d.path.name for d in declarations([tmp_path])] == ["requirements.txt"]


def test_declarations_are_read_up_to_the_project_root_and_not_above_the_run(tmp_path: Path) -> None:
    _write(tmp_path, {"repo/pyproject.toml": "", "repo/tests/pytest.ini": "[pytest]\n"})
    repo = tmp_path / "repo"
    assert declaration_folders(repo / "tests", tmp_path) == [repo / "tests", repo]
    assert declaration_folders(repo / "tests", repo / "tests") == [repo / "tests"]  # the run began there
    assert declaration_folders(repo, tmp_path) == [repo]  # a project root: no further


@pytest.mark.parametrize(
    "spec, expected",
    [("==1.4.0", "1.4.0"), (">=0.20,<1", "0.20"), ("~=1.2", "1.2"), ("<1.3", None), ("==1.*", "1"), ("", None)],
)
def test_floor(spec: str, expected: str | None) -> None:
    assert floor(SpecifierSet(spec)) == (Version(expected) if expected else None)


@pytest.mark.parametrize(
    "requirements, target",
    [
        ("pytest-asyncio==1.4.0\n", (1, 4)),
        ("pytest-asyncio>=1.2,<2\n", (1, 2)),
        ("pytest-asyncio==1.9.0\n", NEWEST_TARGET),  # newer than we know: our newest
        ("pytest-asyncio>=0.20,<1\n", NEWEST_TARGET),  # on 0.x: migrated to the default
        ("pytest-asyncio\n", NEWEST_TARGET),
        ("pytest-asyncio==1.4.0\npytest-asyncio>=0.23\n", NEWEST_TARGET),  # the lowest pin decides
        ("attrs\n", NEWEST_TARGET),
    ],
)
def test_target_from_pins(tmp_path: Path, requirements: str, target: tuple[int, int]) -> None:
    (tmp_path / "requirements.txt").write_text(requirements)
    pins = tuple(declared([tmp_path], "pytest-asyncio"))
    assert target_from_pins(pins, tmp_path)[0] == target


def test_an_explicit_target_overrides_the_pins(tmp_path: Path) -> None:
    _write(tmp_path, {"pytest.ini": "[pytest]\n", "requirements.txt": "pytest-asyncio==1.4.0\n"})
    pinned = ProjectResolver(None, tmp_path).facts_for_dir(tmp_path)
    asked = ProjectResolver((1, 5), tmp_path, "--target-version").facts_for_dir(tmp_path)
    assert (pinned.target, pinned.target_source) == ((1, 4), "pytest-asyncio==1.4.0 in requirements.txt:1")
    assert (asked.target, asked.target_source) == ((1, 5), "--target-version")
    assert pinned.on_pytest_asyncio_1 and asked.on_pytest_asyncio_1  # the pins say what the project has


# -- which plugin runs the async tests --------------------------------------------------------


def _config(tmp_path: Path, text: str):
    (tmp_path / "pytest.ini").write_text("[pytest]\n" + textwrap.dedent(text))
    return find_config(tmp_path)


@pytest.mark.parametrize(
    "addopts, disabled",
    [
        ("-p no:asyncio", "-p no:asyncio in pytest.ini"),
        ("-pno:asyncio --strict-markers", "-p no:asyncio in pytest.ini"),
        ("-p no:pytest_asyncio.plugin", "-p no:pytest_asyncio.plugin in pytest.ini"),
        ("-p asyncio", None),
        ("-p no:cacheprovider", None),
        ("--strict-markers", None),
    ],
)
def test_disabled_by(tmp_path: Path, addopts: str, disabled: str | None) -> None:
    assert disabled_by(_config(tmp_path, f"addopts = {addopts}\n")) == disabled


def test_other_runner(tmp_path: Path) -> None:
    assert other_runner(_config(tmp_path, "anyio_mode = auto\n")) == "anyio runs the async tests here (anyio_mode = auto in pytest.ini)"
    assert other_runner(_config(tmp_path, "trio_mode = true\n")).startswith("pytest-trio runs")
    # a configuration that also sets pytest-asyncio up mixes the two: not decided here
    assert other_runner(_config(tmp_path, "anyio_mode = auto\nasyncio_mode = strict\n")) is None
    assert configures_pytest_asyncio(_config(tmp_path, "addopts = --asyncio-mode=auto\n")) == "--asyncio-mode=auto in pytest.ini"


@pytest.mark.parametrize(
    "source, line",
    [
        ("import inspect\ndef pytest_pyfunc_call(pyfuncitem):\n    if inspect.iscoroutinefunction(pyfuncitem.obj):\n        pass\n", 2),
        ("import trio\n\n\ndef pytest_pyfunc_call(pyfuncitem):\n    trio.run(pyfuncitem.obj)\n", 4),
        ("def pytest_pyfunc_call(pyfuncitem):\n    loop.run_until_complete(pyfuncitem.obj())\n", 1),
        ("def pytest_pyfunc_call(pyfuncitem):\n    pyfuncitem.config.run(1)\n", None),  # runs no coroutine
        ("def pytest_pyfunc_call(pyfuncitem):\n    log(pyfuncitem)\n", None),
        ("def pytest_pyfunc_call(:\n", None),
        ("def pytest_collection_modifyitems(items):\n    pass\n", None),
    ],
)
def test_hook_runs_coroutines(source: str, line: int | None) -> None:
    assert hook_runs_coroutines(source.encode()) == line


# -- the run ----------------------------------------------------------------------------------


def _copy(case: str, tmp_path: Path) -> Path:
    work = tmp_path / case
    shutil.copytree(BEFORE_ROOT / "all" / case, work)
    return work


def _default() -> list:
    return [t for t in REGISTRY if t.default]


@pytest.mark.parametrize("case", ["anyio_plugin_disabled_asyncio", "own_coroutine_runner_hook", "unittest_only_suite"])
def test_all_files_and_explicit_files_do_not_change_whose_tests_they_are(case: str, tmp_path: Path, monkeypatch) -> None:
    work = _copy(case, tmp_path)
    monkeypatch.chdir(work)
    tests = sorted(str(p.relative_to(work)) for p in work.rglob("test_*.py"))
    for paths, all_files in (([Path(".")], True), ([Path(t) for t in tests], False)):
        result = run(paths, RunOptions(transforms=_default(), target=None, write=False, all_files=all_files))
        assert result.changed_files == [] and result.all_notes == []
        assert len(result.left_alone) == 1 and "nothing changed there" in result.left_alone[0]


def test_a_project_that_declares_pytest_asyncio_is_migrated(tmp_path: Path, monkeypatch) -> None:
    work = _copy("unittest_only_suite", tmp_path)
    _write(work, {"tests/test_legacy.py": "async def test_x():\n    pass\n"})
    monkeypatch.chdir(work)
    quiet = run([Path(".")], RunOptions(transforms=_default(), target=None))
    assert quiet.changed_files == []
    (work / "requirements-dev.txt").write_text("pytest>=8\npytest-asyncio==0.21.1\n")
    result = run([Path(".")], RunOptions(transforms=_default(), target=None))
    assert "tests/test_legacy.py" in result.changed_files and result.left_alone == []
    assert result.targets == ["pytest.ini: target pytest-asyncio 1.5 (default)"]


def test_the_text_summary_says_why_and_where_from(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from migrate_async.cli import app

    for case, expected in (
        ("anyio_plugin_disabled_asyncio", "pyproject.toml: pytest-asyncio is disabled here (-p no:asyncio in pyproject.toml)"),
        ("pinned_1_4_dependency_group", "pyproject.toml: target pytest-asyncio 1.4 (pytest-asyncio==1.4.0 in pyproject.toml:8)"),
    ):
        work = _copy(case, tmp_path)
        monkeypatch.chdir(work)
        result = CliRunner().invoke(app, ["diff", "."], catch_exceptions=False)
        assert result.exit_code == 0
        assert expected in result.stderr, result.stderr


# -- raising the pins -------------------------------------------------------------------------

from migrate_async.engine.requirement_edits import needs_raising, with_floor  # noqa: E402
from migrate_async.project.python_claims import tox_env_names  # noqa: E402
from migrate_async.project.requirements import written_requirement  # noqa: E402


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pytest-asyncio==0.21.1", "pytest-asyncio==1.5.0"),  # exact stays exact
        ("pytest-asyncio==0.18.*", "pytest-asyncio==1.5.*"),  # a wildcard as deep
        ("pytest-asyncio==0.*", "pytest-asyncio~=1.5"),  # ==1.* would admit 1.0
        ("pytest-asyncio >= 0.20, <1", "pytest-asyncio>=1.5"),
        ("Pytest_Asyncio[testing]~=0.23 ; python_version >= '3.10'", "Pytest_Asyncio[testing]~=1.5 ; python_version >= '3.10'"),
        ("pytest-asyncio<1;python_version<'3.13'", "pytest-asyncio>=1.5;python_version<'3.13'"),
        ("pytest-asyncio @ https://example.org/p.whl", None),
    ],
)
def test_with_floor_changes_only_the_version(text: str, expected: str | None) -> None:
    assert with_floor(text, "1.5") == expected


@pytest.mark.parametrize(
    "requirement, raised",
    [("pytest-asyncio==0.21.1", True), ("pytest-asyncio>=0.20,<1", True), ("pytest-asyncio<2", False),
     ("pytest-asyncio>=1.5", False), ("pytest-asyncio", False), ("pytest-asyncio==1.5.0", False),
     # a pin at or above the floor is never lowered (==1.5.1 would become ==1.5.0)
     ("pytest-asyncio==1.5.1", False), ("pytest-asyncio~=1.5.1", False), ("pytest-asyncio>=1.6,<2", False)],
)
def test_needs_raising(tmp_path: Path, requirement: str, raised: bool) -> None:
    (tmp_path / "requirements.txt").write_text(requirement + "\n")
    (declaration,) = declared([tmp_path], "pytest-asyncio")
    assert needs_raising(declaration, Version("1.5")) is raised


_LEGACY_TEST = "import pytest\n\n\n@pytest.fixture\nasync def db():\n    return 1\n"


def _legacy_project(root: Path, files: dict[str, str]) -> Path:
    return _write(root, {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_db.py": _LEGACY_TEST, **files})


def test_pins_in_ini_toml_and_setup_py_are_raised_or_reported(tmp_path: Path, monkeypatch) -> None:
    _legacy_project(tmp_path, {
        "setup.cfg": "[options.extras_require]\ntest =\n    pytest>=7  # runner\n    pytest-asyncio==0.21.1\n",
        "tox.ini": "[tox]\nenvlist = py\n\n[testenv]\ndeps =\n    pytest-asyncio<1\ncommands = pytest\n",
        "Pipfile": '[dev-packages]\npytest-asyncio = "==0.21.1"  # CI\n',
        "setup.py": 'from setuptools import setup\nsetup(tests_require=["pytest-asyncio==0.23.8"])\n',
        "pyproject.toml": '[tool.poetry.group.test.dependencies]\npytest-asyncio = {version = "^0.21", optional = true}\n',
    })
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=_default(), target=None, write=True))
    assert (tmp_path / "setup.cfg").read_text() == (
        "[options.extras_require]\ntest =\n    pytest>=8.4  # runner\n    pytest-asyncio==1.5.0\n"
    )
    assert "    pytest-asyncio>=1.5\ncommands = pytest\n" in (tmp_path / "tox.ini").read_text()
    assert (tmp_path / "Pipfile").read_text() == '[dev-packages]\npytest-asyncio = "==1.5.0"  # CI\n'
    assert 'pytest-asyncio = {version = "^1.5", optional = true}' in (tmp_path / "pyproject.toml").read_text()
    assert "pytest-asyncio==0.23.8" in (tmp_path / "setup.py").read_text()  # never edited
    (note,) = [n for n in result.all_notes if n.path == "setup.py"]
    assert note.line == 2 and "raise 'pytest-asyncio==0.23.8' to pytest-asyncio==1.5.0 by hand" in note.message
    again = run([Path(".")], RunOptions(transforms=_default(), target=None, write=True))
    assert again.changed_files == []


@pytest.mark.parametrize(
    "files, target, claim",
    [
        ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.8"\n'}, None, "pyproject.toml:3: requires-python '>=3.8'"),
        (
            {"setup.cfg": "[metadata]\nclassifiers =\n    Programming Language :: Python :: 3 :: Only\n    Programming Language :: Python :: 3.9\n    Programming Language :: Python :: 3.12\n"},
            None,
            "setup.cfg:4: the classifier 'Programming Language :: Python :: 3.9'",
        ),
        ({"setup.py": 'from setuptools import setup\nsetup(\n    python_requires=">=3.9",\n)\n'}, None, "setup.py:3: python_requires '>=3.9'"),
        ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9"\n'}, "1.2", None),  # 1.2 still installs on 3.9
        ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\n'}, None, None),
        # Poetry's own table: its python constraint (alternatives too) and its classifiers
        ({"pyproject.toml": '[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.7"\n'}, None,
         "pyproject.toml:5: python = '^3.7'"),
        ({"pyproject.toml": '[tool.poetry.dependencies]\npython = ">=3.11 || ^3.8"\n'}, None,
         "pyproject.toml:2: python = '>=3.11 || ^3.8'"),
        ({"pyproject.toml": '[tool.poetry]\nclassifiers = ["Programming Language :: Python :: 3.9"]\n'}, None,
         "pyproject.toml:2: the classifier 'Programming Language :: Python :: 3.9'"),
        # tox's envlist: its pyXY factors, generative forms expanded (tox 4's env_list too)
        ({"tox.ini": "[tox]\nenvlist =\n    py{38,39,310}-aiohttp{3,4}\n    lint\n"}, None,
         "tox.ini:2: the tox environment 'py38-aiohttp3'"),
        ({"tox.ini": "[tox]\nenv_list = py3.9, py311, pypy3\n"}, None, "tox.ini:2: the tox environment 'py3.9'"),
        ({"tox.ini": "[tox]\nenv_list = py3{8-12}-{a,b}\n"}, None, "tox.ini:2: the tox environment 'py38-a'"),
        ({"tox.ini": "[tox]\nenvlist = py310, py311, pypy3, lint\n"}, None, None),
    ],
)
def test_a_raised_pin_the_oldest_python_cannot_install_is_said(tmp_path: Path, monkeypatch, files, target, claim) -> None:
    _legacy_project(tmp_path, {"requirements-dev.txt": "pytest>=7\npytest-asyncio==0.21.1\n", **files})
    monkeypatch.chdir(tmp_path)
    version = parse_version(target) if target else None
    result = run([Path(".")], RunOptions(transforms=_default(), target=version))
    notes = [n for n in result.all_notes if "needs Python" in n.message]
    if claim is None:
        assert notes == []
        return
    (note,) = notes
    assert (note.path, note.line) == ("requirements-dev.txt", 2)
    assert f"({claim})" in note.message and "pytest-asyncio 1.5 needs Python 3.10 or newer" in note.message
    keep = "--target-version 1.2" if "3.9" in claim else "no pytest-asyncio 1.x installs on it"
    assert keep in note.message


@pytest.mark.parametrize(
    "envlist, names",
    [
        ("py{38,39}-{a,b}", ["py38-a", "py38-b", "py39-a", "py39-b"]),
        ("py3{8,9}{-x,}, lint", ["py38-x", "py38", "py39-x", "py39", "lint"]),
        ("py3{8-10, 12}-aiohttp\n  py { 38 , 39 }", ["py38-aiohttp", "py39-aiohttp", "py310-aiohttp", "py312-aiohttp", "py38", "py39"]),
        # tox does not nest braces, nor read an unclosed one: nothing is claimed from them
        ("py{3{8,9},310}, py311, py{37", ["py311"]),
    ],
)
def test_tox_env_names_expand_as_tox_does(envlist: str, names: list[str]) -> None:
    assert tox_env_names(envlist) == names


def test_pins_stay_where_the_run_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    _write(tmp_path, {
        "pytest.ini": "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n",
        "requirements.txt": "pytest-asyncio==0.21.1\n",
        "tests/test_ok.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_ok():\n    pass\n",
    })
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=_default(), target=None))
    assert result.changed_files == []


def test_an_explicit_older_target_raises_to_that_target(tmp_path: Path, monkeypatch) -> None:
    _legacy_project(tmp_path, {"requirements.txt": "pytest-asyncio==0.21.1\n"})
    monkeypatch.chdir(tmp_path)
    run([Path(".")], RunOptions(transforms=_default(), target=(0, 24), write=True))
    assert (tmp_path / "requirements.txt").read_text() == "pytest-asyncio==0.24.0\n"


@pytest.mark.parametrize(
    "line, requirement",
    [
        ("pytest-asyncio==0.21.1\t# pinned", "pytest-asyncio==0.21.1"),
        ("pytest-asyncio==0.21.1  # pinned", "pytest-asyncio==0.21.1"),
        ("pytest-asyncio==0.21.1\t--hash=sha256:abc", "pytest-asyncio==0.21.1"),
        ("pytest-asyncio @ https://example.org/p.whl#sha256=abc", "pytest-asyncio @ https://example.org/p.whl#sha256=abc"),
        ("# pytest-asyncio==0.21.1", None),
    ],
)
def test_a_written_requirement_ends_at_whitespace_before_its_comment_or_options(line: str, requirement: str | None) -> None:
    found = written_requirement(line)
    assert (None if found is None else str(found)) == requirement


def test_a_pin_with_a_tab_before_its_comment_is_raised(tmp_path: Path, monkeypatch) -> None:
    _legacy_project(tmp_path, {
        "requirements.txt": "pytest-asyncio==0.21.1\t# pinned\n",
        "tox.ini": "[testenv]\ndeps =\n    pytest-asyncio<1\t# CI\n",
    })
    monkeypatch.chdir(tmp_path)
    run([Path(".")], RunOptions(transforms=_default(), target=None, write=True))
    assert (tmp_path / "requirements.txt").read_text() == "pytest-asyncio==1.5.0\t# pinned\n"
    assert (tmp_path / "tox.ini").read_text() == "[testenv]\ndeps =\n    pytest-asyncio>=1.5\t# CI\n"


def test_a_one_line_ini_value_stays_on_one_line(tmp_path: Path, monkeypatch) -> None:
    _legacy_project(tmp_path, {"tox.ini": "[testenv]\ndeps = pytest-asyncio<1\n"})
    monkeypatch.chdir(tmp_path)
    run([Path(".")], RunOptions(transforms=_default(), target=None, write=True))
    assert (tmp_path / "tox.ini").read_text() == "[testenv]\ndeps = pytest-asyncio>=1.5\n"


def test_a_file_named_alone_still_gets_its_config_key_and_the_summary_says_whose_it_is(tmp_path: Path, monkeypatch) -> None:
    _legacy_project(tmp_path, {"requirements.txt": "pytest-asyncio>=1.5\n", "tests/test_other.py": _LEGACY_TEST})
    monkeypatch.chdir(tmp_path)
    named = run([Path("tests/test_db.py")], RunOptions(transforms=_default(), target=None))
    assert named.changed_files == ["tests/test_db.py", "pytest.ini"]
    assert named.project_wide == [
        "pytest.ini: asyncio_default_fixture_loop_scope comes from the project configuration: it applies "
        "to every test under it, not only to the files named"
    ]
    assert run([Path(".")], RunOptions(transforms=_default(), target=None)).project_wide == []


# -- what pytest loads is test code -------------------------------------------------------------


@pytest.mark.parametrize(
    "packaging",
    [
        {"pyproject.toml": '[project]\nname = "acme"\n\n[project.entry-points.pytest11]\nacme = "acme.plugin"\n'},
        {"setup.cfg": "[metadata]\nname = acme\n\n[options.entry_points]\npytest11 =\n    acme = acme.plugin:Plugin\n"},
        {"setup.py": 'from setuptools import setup\nsetup(name="acme", entry_points={"pytest11": ["acme = acme.plugin"]})\n'},
    ],
)
def test_a_pytest11_plugin_module_is_test_code(packaging: dict[str, str], tmp_path: Path, monkeypatch) -> None:
    _write(tmp_path, {
        **packaging,
        "requirements-test.txt": "pytest-asyncio>=1.5\n",
        "src/acme/__init__.py": "",
        "src/acme/plugin.py": "import pytest\n\n\n@pytest.fixture\nasync def acme_client():\n    return 1\n",
        "src/acme/other.py": "import pytest\n\n\n@pytest.fixture\ndef unrelated():\n    return 1\n",
    })
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=_default(), target=None))
    assert "src/acme/plugin.py" in result.changed_files
    assert result.left_out_with_fixtures == ["src/acme/other.py"]


def test_pins_in_out_of_order_toml_tables_are_raised(tmp_path: Path, monkeypatch) -> None:
    pyproject = (
        '[project]\nname = "demo"\n\n[tool.black]\nline-length = 88\n\n'
        '[project.optional-dependencies]\ntest = ["pytest-asyncio==0.21.1", "pytest<8"]\n\n'
        '[tool.poetry.dependencies]\npython = "^3.10"\npytest-asyncio = "^0.21"\n\n'
        '[build-system]\nrequires = []\n\n[tool.poetry.dependencies.extra]\nversion = "1"\n'
    )
    _legacy_project(tmp_path, {"pyproject.toml": pyproject})
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=_default(), target=None, write=True))
    assert result.all_errors == []
    assert (tmp_path / "pyproject.toml").read_text() == pyproject.replace(
        '["pytest-asyncio==0.21.1", "pytest<8"]', '["pytest-asyncio==1.5.0", "pytest>=8.4"]'
    ).replace('pytest-asyncio = "^0.21"', 'pytest-asyncio = "^1.5"')


# -- does one folder hold every test? -------------------------------------------------------
def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"src/app/__init__.py": "", "src/app/testing.py": ""}, True),  # not test modules
        ({"scripts/test_deploy.py": ""}, False),
        ({".venv/lib/test_x.py": "", "build/lib/test_y.py": "", ".tox/py/test_z.py": ""}, True),
        ({"env/pyvenv.cfg": "", "env/lib/test_x.py": ""}, True),  # a virtual environment
        ({"docs/conf.py": "", "docs/testing.py": ""}, True),  # names python_files does not match
    ],
)
def test_a_folder_holds_every_test_when_no_test_module_lies_outside(tmp_path: Path, files: dict[str, str], expected: bool) -> None:
    from migrate_async.project import holds_every_test

    _tree(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n", "tests/test_a.py": "", **files})
    project = ProjectResolver().facts_for_dir(tmp_path)
    assert holds_every_test(str(tmp_path / "tests"), project) is expected
    assert holds_every_test(str(tmp_path), project)


def test_testpaths_decide_which_folders_hold_the_tests(tmp_path: Path) -> None:
    from migrate_async.project import holds_every_test

    _tree(tmp_path, {"pytest.ini": "[pytest]\ntestpaths = tests/unit tests/integration\n", "tests/unit/test_a.py": "", "other/test_b.py": ""})
    project = ProjectResolver().facts_for_dir(tmp_path)
    assert holds_every_test(str(tmp_path / "tests"), project)  # other/ is not collected
    assert not holds_every_test(str(tmp_path / "tests" / "unit"), project)


@pytest.mark.parametrize(
    ("addopts", "outside", "expected"),
    [
        ("--ignore=test_build.py", "test_build.py", True),  # fastapi-users-db-sqlalchemy 4.0.5
        ("--ignore test_build.py", "test_build.py", True),
        ("--ignore=scripts", "scripts/test_x.py", True),
        ("--ignore-glob=*_build.py", "test_build.py", True),
        ("--ignore=other.py", "test_build.py", False),
        ("-p no:cacheprovider", "test_build.py", False),
    ],
)
def test_paths_ignored_in_addopts_are_not_outside_tests(tmp_path: Path, addopts: str, outside: str, expected: bool) -> None:
    from migrate_async.project import holds_every_test

    _tree(tmp_path, {"pytest.ini": f"[pytest]\naddopts = {addopts}\n", "tests/test_a.py": "", outside: ""})
    project = ProjectResolver().facts_for_dir(tmp_path)
    assert holds_every_test(str(tmp_path / "tests"), project) is expected


# -- function, or fixture-scope where it changes something --------------------------------
MODULE_FIXTURE = 'import pytest_asyncio\n\n\n@pytest_asyncio.fixture(scope="module")\nasync def db():\n    return 1\n'


def _default_scope(root: Path, paths: list[Path] | None = None) -> str | None:
    result = run(paths or [root], RunOptions(transforms=_default(), target=None, write=False))
    for config in result.configs:
        if "asyncio_default_fixture_loop_scope" in config.settings:
            return config.settings["asyncio_default_fixture_loop_scope"]
    return None


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "function"),  # every wider fixture now names its loop
        ({"tests/test_dyn.py": MODULE_FIXTURE.replace('"module"', "pick_scope")}, "fixture-scope"),
        ({"tests/test_broken.py": MODULE_FIXTURE + "async def (:\n"}, "fixture-scope"),
        ({"tests/test_kept.py": "# migrate-async: skip-file\n" + MODULE_FIXTURE}, "fixture-scope"),
        ({"support/fixtures.py": MODULE_FIXTURE.replace("db", "cache")}, "fixture-scope"),  # left out, defines a fixture
    ],
)
def test_the_default_fixture_loop_scope_is_function_unless_fixture_scope_changes_something(
    tmp_path: Path, extra: dict[str, str], expected: str
) -> None:
    _tree(tmp_path, {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/test_a.py": MODULE_FIXTURE, **extra})
    assert _default_scope(tmp_path) == expected


def test_a_run_over_one_folder_keeps_the_other_fixtures_loops(tmp_path: Path) -> None:
    _tree(tmp_path, {"pytest.ini": "[pytest]\nasyncio_mode = strict\n", "tests/unit/test_a.py": MODULE_FIXTURE, "tests/db/test_b.py": MODULE_FIXTURE})
    assert _default_scope(tmp_path, [tmp_path / "tests" / "unit"]) == "fixture-scope"
    assert _default_scope(tmp_path, [tmp_path]) == "function"


@pytest.mark.parametrize(("target", "claimed", "said"), [((0, 24), "3.8", False), ((0, 25), "3.8", True), ((1, 2), "3.9", False)])
def test_the_python_floor_follows_the_target(tmp_path: Path, monkeypatch, target, claimed, said) -> None:
    # pytest-asyncio 0.23 and 0.24 still install on Python 3.8; 0.25 to 1.2 on 3.9
    _legacy_project(tmp_path, {
        "requirements-dev.txt": "pytest-asyncio==0.21.1\n",
        "pyproject.toml": f'[project]\nname = "x"\nrequires-python = ">={claimed}"\n',
    })
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=_default(), target=target))
    assert any("needs Python" in n.message for n in result.all_notes) is said


@pytest.mark.parametrize(
    ("constraint", "raised"),
    [("0.21.1", "1.5.0"), ("^0.21", "^1.5"), ("~0.21", "~1.5"), ("^0.21,<0.22", ">=1.5"), (">=0.20,<1", ">=1.5"), ("==0.21.1", "==1.5.0")],
)
def test_poetry_and_pipfile_constraints_keep_their_style(constraint: str, raised: str) -> None:
    from migrate_async.engine.requirement_edits import _raised_constraint

    assert _raised_constraint(constraint, "1.5") == raised


def test_an_exact_pytest_pin_above_the_floor_stays(tmp_path: Path) -> None:
    # pytest==8.4.2 already runs pytest-asyncio 1.x: raising it to 8.4 would lower it to 8.4.0
    (tmp_path / "requirements.txt").write_text("pytest==8.4.2\n")
    (pin,) = declared([tmp_path], "pytest")
    assert needs_raising(pin, Version("8.4")) is False


def test_test_requirements_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "test-requirements.txt").write_text("pytest-asyncio==0.21.1\n")
    (tmp_path / "dev_requirements.txt").write_text("-r test-requirements.txt\npytest==7.4.0\n")
    assert [d.path.name for d in declared([tmp_path], "pytest-asyncio")] == ["test-requirements.txt"]
    assert [d.path.name for d in declared([tmp_path], "pytest")] == ["dev_requirements.txt"]
