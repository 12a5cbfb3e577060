"""What a project declares beside pytest-asyncio that the release it runs on cannot be
installed or collected with (engine/pin_checks.py, pytest_model/dependencies.py), said on the
run that raises the pins and on every run after it while it holds: aiogram 3.0.0 pins
typing-extensions~=4.7.1 at run time (pytest-asyncio 1.5 requires 4.12 or newer below Python
3.13) and declares pytest-lazy-fixture, which pytest 8 cannot run."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from typer.testing import CliRunner

from migrate_async.cli import app
from migrate_async.pytest_model.dependencies import admits_from, typing_extensions_below

OLD_TEST = "async def test_x():\n    pass\n"


def _project(root: Path, runtime: str = "", test: str = "", python: str = ">=3.9", extra_files: dict[str, str] | None = None) -> None:
    runtime_list = f'"{runtime}"' if runtime else ""
    test_list = ", ".join(f'"{r}"' for r in ["pytest~=7.4.0", "pytest-asyncio~=0.21.0", *filter(None, [test])])
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\nversion = "0"\nrequires-python = "{python}"\ndependencies = [{runtime_list}]\n\n'
        f"[project.optional-dependencies]\ntest = [{test_list}]\n\n"
        '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'
    )
    (root / "tests").mkdir()
    (root / "tests" / "test_a.py").write_text(OLD_TEST)
    for name, text in (extra_files or {}).items():
        (root / name).write_text(text)


def _invoke(root: Path, command: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(app, [command, str(root)])
    return outcome.exit_code, outcome.output


@pytest.mark.parametrize(
    ("specifier", "admits"),
    [
        ("~=4.7.1", False), ("==4.7.1", False), ("<4.12", False), ("<=4.11.0", False), ("==4.7.*", False),
        (">=4.0", True), ("~=4.12", True), (">4.12", True), ("==4.15.1", True), ("==4.*", True),
        (">=4.7,!=4.12.0", True), ("<5", True), ("", True),
        # (a pre- or post-release named: no version is made of it by appending a part)
        (">=4.12,<5.0a0", True), ("==4.12.0.post1", True), ("<4.12.0rc1", False), (">4.12.0.post1", True),
    ],
)
def test_admits_from(specifier: str, admits: bool) -> None:
    assert admits_from(SpecifierSet(specifier), Version("4.12")) is admits


def test_typing_extensions_below() -> None:
    assert typing_extensions_below(Version("0.21.1")) is None
    assert typing_extensions_below(Version("1.0")) == Version("3.10")
    assert typing_extensions_below(Version("1.5.0")) == Version("3.13")


def test_a_runtime_typing_extensions_below_the_plugins_is_left_unfinished_on_every_run(tmp_path: Path) -> None:
    _project(tmp_path, runtime="typing-extensions~=4.7.1")
    code, output = _invoke(tmp_path, "diff")
    assert "pyproject.toml:5:1: requirements: left unfinished: typing-extensions~=4.7.1 admits no typing-extensions 4.12" in output
    assert "pytest-asyncio 1.5 requires below Python 3.13" in output
    assert "[declared-with-clash]" in output
    _invoke(tmp_path, "apply")
    code, output = _invoke(tmp_path, "check")
    assert code == 1 and "[declared-with-clash]" in output  # (the pins are 1.x now: still said)


@pytest.mark.parametrize(
    ("runtime", "python", "files"),
    [
        ("typing-extensions>=4.7", ">=3.9", None),  # admits 4.12
        ("typing-extensions~=4.7.1", ">=3.13", None),  # no requirement on the Pythons it supports
        ("typing-extensions~=4.7.1; python_version < '3.8'", ">=3.9", None),  # a marker: not read
        ("", ">=3.9", {"requirements-docs.txt": "typing-extensions==4.7.1\n"}),  # another environment's
    ],
)
def test_no_clash_is_said_where_there_is_none(tmp_path: Path, runtime: str, python: str, files: dict[str, str] | None) -> None:
    _project(tmp_path, runtime=runtime, python=python, extra_files=files)
    code, output = _invoke(tmp_path, "diff")
    assert "declared-with-clash" not in output


def test_a_plugin_pytest_8_cannot_run_is_left_unfinished(tmp_path: Path) -> None:
    _project(tmp_path, test="pytest-lazy-fixture~=0.6.3")
    code, output = _invoke(tmp_path, "diff")
    assert "left unfinished: pytest-lazy-fixture~=0.6.3: its last release (0.6.3) fails at collection on pytest 8" in output
    assert "[plugin-broken-on-pytest-8]" in output


def test_a_project_the_run_leaves_on_old_pins_is_not_told(tmp_path: Path) -> None:
    # nothing to migrate: the project stays on pytest 7 and pytest-asyncio 0.21, where the plugin works
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0"\n\n[project.optional-dependencies]\n'
        'test = ["pytest~=7.4.0", "pytest-asyncio~=0.21.0", "pytest-lazy-fixture~=0.6.3"]\n\n'
        '[tool.pytest.ini_options]\nasyncio_mode = "auto"\nasyncio_default_fixture_loop_scope = "function"\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("def test_x():\n    pass\n")
    code, output = _invoke(tmp_path, "diff")
    assert "plugin-broken-on-pytest-8" not in output


@pytest.mark.parametrize(
    ("files", "docs_extra"),
    [
        # another extra of the same pyproject.toml (pip installs .[test] without .[docs])
        ({}, 'docs = ["typing-extensions==4.7.1"]\n'),
        # another tox environment's deps, and a tox factor the plugin's Pythons do not have
        ({"tox.ini": "[testenv]\ndeps = pytest-asyncio\n\n[testenv:lint]\ndeps = typing-extensions==4.7.1\n"}, ""),
        ({"tox.ini": "[testenv]\ndeps =\n    pytest-asyncio\n    py37: typing-extensions==4.7.1\n"}, ""),
    ],
)
def test_no_clash_is_said_for_a_pin_of_another_environment_of_the_same_file(tmp_path: Path, files: dict[str, str], docs_extra: str) -> None:
    _project(tmp_path, extra_files=files)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[project.optional-dependencies]\n", f"[project.optional-dependencies]\n{docs_extra}"))
    code, output = _invoke(tmp_path, "diff")
    assert "declared-with-clash" not in output


@pytest.mark.parametrize(
    "files",
    [
        {"requirements-test.txt": "pytest-asyncio\n-c constraints.txt\n", "constraints.txt": "pytest-lazy-fixture==0.6.3\n"},
        {"tox.ini": "[testenv]\ndeps = pytest-asyncio\n\n[testenv:legacy]\ndeps = pytest-lazy-fixture\n"},
    ],
)
def test_no_broken_plugin_is_said_where_it_is_not_installed_with_the_tests(tmp_path: Path, files: dict[str, str]) -> None:
    _project(tmp_path, extra_files=files)
    code, output = _invoke(tmp_path, "diff")
    assert "plugin-broken-on-pytest-8" not in output


@pytest.mark.parametrize(
    ("constraint", "said"),
    [
        ('{version = "~4.7", python = "<3.9"}', False),  # installed only on Pythons pytest-asyncio 1.5 does not run on
        ('{version = "~4.7", markers = "sys_platform == \'win32\'"}', False),
        ('{version = "~4.7"}', True),
        ('"~4.7"', True),
    ],
)
def test_a_poetry_constraint_with_a_condition_of_its_own_is_not_read(tmp_path: Path, constraint: str, said: bool) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "demo"\nversion = "0"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n'
        f"typing-extensions = {constraint}\n\n"
        '[tool.poetry.group.dev.dependencies]\npytest = "^7.4"\npytest-asyncio = "^0.21"\n\n'
        '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(OLD_TEST)
    code, output = _invoke(tmp_path, "diff")
    assert ("[declared-with-clash]" in output) is said
