"""A project that does not use pytest-asyncio but turns warnings into errors (tricycle,
asyncclick: ``filterwarnings = error``): where pytest-asyncio is installed beside it (a shared
environment), its start-up warning that ``asyncio_default_fixture_loop_scope`` is unset stops
pytest. The "not used here" line says so, and what to add; setting the option instead would
stop pytest where pytest-asyncio is not installed (an unknown option, an error too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.engine.source import resolve_selection
from migrate_async.project.config_files import PytestConfig
from migrate_async.pytest_model.runners import UNSET_SCOPE_FILTER, unset_scope_warning_error


def _config(filters=None, addopts=None) -> PytestConfig:
    values = {}
    if filters is not None:
        values["filterwarnings"] = filters
    if addopts is not None:
        values["addopts"] = addopts
    return PytestConfig(Path("pytest.ini"), "ini", "pytest", values)


@pytest.mark.parametrize(
    ("filters", "addopts", "expected"),
    [
        (None, None, None),
        ("\nerror", None, "filterwarnings = error"),  # an INI line list
        (["error"], None, "filterwarnings = error"),  # a TOML list
        (["error", "ignore:ast.Str is deprecated:DeprecationWarning"], None, "filterwarnings = error"),  # tricycle
        (["error::DeprecationWarning"], None, "filterwarnings = error::DeprecationWarning"),
        (["error::pytest.PytestDeprecationWarning"], None, "filterwarnings = error::pytest.PytestDeprecationWarning"),
        (["error::UserWarning"], None, "filterwarnings = error::UserWarning"),  # (PytestWarning's base)
        (["error:The configuration option"], None, "filterwarnings = error:The configuration option"),
        (["ignore::DeprecationWarning", "error"], None, "filterwarnings = error"),  # the last match wins
        (["error::DeprecationWarning:pytest_asyncio"], None, "filterwarnings = error::DeprecationWarning:pytest_asyncio"),
        (None, "-W error", "-W error in addopts"),
        (None, "-q -Werror::DeprecationWarning", "-Werror::DeprecationWarning in addopts"),
        # not this warning, or ignored after
        (["error::RuntimeWarning"], None, None),
        (["error::mypkg.SlowWarning"], None, None),  # a category of its own: not this one's base
        (["error:some other message"], None, None),
        (["error", "ignore::DeprecationWarning"], None, None),
        (["error", "ignore:The configuration option \"asyncio_default_fixture_loop_scope\" is unset"], None, None),
        (["error", UNSET_SCOPE_FILTER], None, None),  # the advice itself
        (["error"], "-W ignore::pytest.PytestDeprecationWarning", None),  # the command line's come after
        (["error"], "-p no:warnings", None),  # pytest's warnings plugin off: no filters
        (["error:::other_module"], None, None),
        (["error::DeprecationWarning::12"], None, None),
        (["default"], None, None),
        # -W (addopts, the command line): pytest escapes its message and module, the module
        # matched whole (pytest_asyncio is not pytest_asyncio.plugin)
        (None, "-W error:::pytest_asyncio", None),
        (None, "-W error:::pytest_asyncio.plugin", "-W error:::pytest_asyncio.plugin in addopts"),
        (None, "-W error:The.configuration", None),
        (["error"], "-W ignore:::pytest_asyncio", "filterwarnings = error"),
    ],
)
def test_unset_scope_warning_error(filters, addopts, expected) -> None:
    assert unset_scope_warning_error(_config(filters, addopts)) == expected


TRIO_TESTS = "import trio\n\n\nasync def test_sleep():\n    await trio.sleep(0)\n"


@pytest.mark.parametrize("error", [True, False])
def test_the_not_used_line_says_what_to_add_where_warnings_are_errors(tmp_path: Path, error: bool) -> None:
    filters = '\nfilterwarnings = [\n    "error",\n]' if error else ""
    (tmp_path / "pyproject.toml").write_text(f"[tool.pytest.ini_options]\ntrio_mode = false{filters}\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(TRIO_TESTS)
    result = run([tmp_path], RunOptions(transforms=resolve_selection(), target=None, write=False))
    assert result.changed_files == []
    [line] = [line for line in result.left_alone if "not used here" in line]
    plain = "pytest-asyncio is not used here (not declared, not imported, no asyncio mark, no asyncio_* setting); nothing changed there"
    if not error:
        assert line.endswith(plain)
        return
    assert f"{plain}. " in line
    assert "filterwarnings = error" in line
    assert f"add the filterwarnings entry '{UNSET_SCOPE_FILTER}'" in line
    assert UNSET_SCOPE_FILTER == (
        'ignore:The configuration option "asyncio_default_fixture_loop_scope" is unset:pytest.PytestDeprecationWarning'
    )


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("anyio_mode = auto", "anyio runs the async tests here"),
        ("trio_mode = true", "trio runs the async tests here"),
    ],
)
def test_the_other_runner_line_says_it_too(tmp_path: Path, option: str, said: str) -> None:
    (tmp_path / "pytest.ini").write_text(f"[pytest]\n{option}\nfilterwarnings =\n    error\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(TRIO_TESTS)
    result = run([tmp_path], RunOptions(transforms=resolve_selection(), target=None, write=False))
    [line] = [line for line in result.left_alone if said in line]
    assert f"add the filterwarnings entry '{UNSET_SCOPE_FILTER}'" in line


def test_no_advice_where_pytest_asyncio_is_disabled(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:asyncio\nfilterwarnings =\n    error\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(TRIO_TESTS)
    result = run([tmp_path], RunOptions(transforms=resolve_selection(), target=None, write=False))
    [line] = [line for line in result.left_alone if "disabled" in line]
    assert "filterwarnings entry" not in line
