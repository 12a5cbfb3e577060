"""Finding pytest's configuration the way pytest does, and editing it without damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.config_files import INI, MISSING, TOML_INI_OPTIONS, TOML_NATIVE, edit_config, find_config
from migrate_async.project import ProjectFacts


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("files", "expected_name", "kind", "section"),
    [
        ({"pytest.toml": "[pytest]\n", "pytest.ini": "[pytest]\n"}, "pytest.toml", TOML_NATIVE, "pytest"),
        ({"pytest.ini": "", "pyproject.toml": "[tool.pytest.ini_options]\n"}, "pytest.ini", INI, "pytest"),
        ({".pytest.ini": "[pytest]\n", "pyproject.toml": "[tool.pytest.ini_options]\n"}, ".pytest.ini", INI, "pytest"),
        ({"pyproject.toml": "[tool.pytest.ini_options]\nx = '1'\n", "tox.ini": "[pytest]\n"}, "pyproject.toml", TOML_INI_OPTIONS, "tool.pytest.ini_options"),
        ({"pyproject.toml": "[tool.pytest]\nasyncio_debug = true\n"}, "pyproject.toml", TOML_NATIVE, "tool.pytest"),
        ({"pyproject.toml": "[tool.black]\n", "tox.ini": "[pytest]\n"}, "tox.ini", INI, "pytest"),
        ({"tox.ini": "[tox]\n", "setup.cfg": "[tool:pytest]\n"}, "setup.cfg", INI, "tool:pytest"),
    ],
)
def test_config_is_found_in_pytest_order(tmp_path: Path, files, expected_name, kind, section) -> None:
    for name, text in files.items():
        _write(tmp_path / name, text)
    config = find_config(tmp_path / "tests")
    assert config.path == tmp_path / expected_name
    assert (config.kind, config.section) == (kind, section)


def test_nearest_folder_wins(tmp_path: Path) -> None:
    _write(tmp_path / "pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    _write(tmp_path / "sub" / "tox.ini", "[pytest]\nasyncio_mode = strict\n")
    assert find_config(tmp_path / "sub" / "deeper").path == tmp_path / "sub" / "tox.ini"


def test_setup_cfg_without_pytest_section_is_passed_by(tmp_path: Path) -> None:
    _write(tmp_path / "setup.cfg", "[metadata]\nname = shop\n")
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'shop'\n")
    config = find_config(tmp_path)
    assert config.kind == MISSING
    assert config.create_at == tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("[pytest]\n", "strict"),
        ("[pytest]\nasyncio_mode = auto\n", "auto"),
        ("[pytest]\naddopts = -ra --asyncio-mode=auto\n", "auto"),
        ("[pytest]\naddopts = -ra --asyncio-mode auto\n", "auto"),
        ("[pytest]\nasyncio_mode = auto\naddopts = --asyncio-mode=strict\n", "strict"),
        ("[pytest]\nasyncio_mode = legacy\n", "strict"),
    ],
)
def test_effective_mode(tmp_path: Path, text: str, mode: str) -> None:
    _write(tmp_path / "pytest.ini", text)
    assert ProjectFacts.from_config(find_config(tmp_path)).mode == mode


def test_native_toml_addopts_list(tmp_path: Path) -> None:
    _write(tmp_path / "pytest.toml", '[pytest]\naddopts = ["-ra", "--asyncio-mode=auto"]\npython_files = ["check_*.py"]\n')
    facts = ProjectFacts.from_config(find_config(tmp_path))
    assert facts.mode == "auto"
    assert facts.python_files == ("check_*.py",)


def test_ini_edit_keeps_comments_and_layout(tmp_path: Path) -> None:
    original = (
        "# project settings\n"
        "[pytest]\n"
        "# run quietly\n"
        "addopts = -ra\n"
        "    --strict-markers\n"
        "testpaths = tests\n"
        "\n"
        "[coverage:run]\n"
        "branch = true\n"
    )
    _write(tmp_path / "tox.ini", original)
    path, old, new = edit_config(find_config(tmp_path), {"asyncio_default_fixture_loop_scope": "function"})
    assert old == original
    assert new == original.replace(
        "testpaths = tests\n", "testpaths = tests\nasyncio_default_fixture_loop_scope = function\n"
    )


def test_ini_edit_replaces_an_existing_value(tmp_path: Path) -> None:
    _write(tmp_path / "pytest.ini", "[pytest]\nasyncio_mode = legacy  \nxfail_strict = true\n")
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_mode": "auto"})
    assert new == "[pytest]\nasyncio_mode = auto\nxfail_strict = true\n"


def test_setup_cfg_section_is_edited(tmp_path: Path) -> None:
    _write(tmp_path / "setup.cfg", "[metadata]\nname = shop\n\n[tool:pytest]\ntestpaths = tests\n")
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_mode": "strict"})
    assert new == "[metadata]\nname = shop\n\n[tool:pytest]\ntestpaths = tests\nasyncio_mode = strict\n"


def test_pyproject_ini_options_edit_keeps_comments(tmp_path: Path) -> None:
    original = (
        '[project]\nname = "shop"  # the shop\n\n'
        "[tool.pytest.ini_options]\n"
        "# tests live here\n"
        'testpaths = ["tests"]\n'
        "\n"
        "[tool.ruff]\nline-length = 100\n"
    )
    _write(tmp_path / "pyproject.toml", original)
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_default_fixture_loop_scope": "fixture-scope"})
    assert new == original.replace(
        'testpaths = ["tests"]\n', 'testpaths = ["tests"]\nasyncio_default_fixture_loop_scope = "fixture-scope"\n'
    )


def test_native_toml_gets_typed_values(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.pytest]\ntestpaths = ["tests"]\n')
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_debug": True, "asyncio_mode": "strict"})
    assert new == '[tool.pytest]\ntestpaths = ["tests"]\nasyncio_debug = true\nasyncio_mode = "strict"\n'


def test_missing_config_goes_into_pyproject(tmp_path: Path) -> None:
    original = '[project]\nname = "shop"\n\n[tool.ruff]\nline-length = 100\n'
    _write(tmp_path / "pyproject.toml", original)
    config = find_config(tmp_path / "tests")
    path, old, new = edit_config(config, {"asyncio_default_fixture_loop_scope": "fixture-scope"})
    assert path == tmp_path / "pyproject.toml"
    assert new == original + '\n[tool.pytest.ini_options]\nasyncio_default_fixture_loop_scope = "fixture-scope"\n'


def test_missing_config_creates_pytest_ini(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = find_config(tmp_path / "tests")
    path, old, new = edit_config(config, {"asyncio_default_fixture_loop_scope": "fixture-scope"})
    assert path == tmp_path / "pytest.ini"
    assert old == ""
    assert new == "[pytest]\nasyncio_default_fixture_loop_scope = fixture-scope\n"


def test_empty_ini_section_gets_the_option_under_its_header(tmp_path: Path) -> None:
    _write(tmp_path / "tox.ini", "[pytest]\n\n[testenv]\ndeps = pytest\n")
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_mode": "strict"})
    assert new == "[pytest]\nasyncio_mode = strict\n\n[testenv]\ndeps = pytest\n"


def test_crlf_config_stays_crlf(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_bytes(b"[pytest]\r\nasyncio_mode = strict\r\n")
    _, old, new = edit_config(find_config(tmp_path), {"asyncio_default_fixture_loop_scope": "function"})
    assert old == "[pytest]\r\nasyncio_mode = strict\r\n"
    assert new == "[pytest]\r\nasyncio_mode = strict\r\nasyncio_default_fixture_loop_scope = function\r\n"


def test_toml_comment_before_the_next_table_stays_with_it(tmp_path: Path) -> None:
    original = '[tool.pytest.ini_options]\nasyncio_mode = "strict"\n\n# Lint settings\n[tool.ruff]\nx = 1\n'
    _write(tmp_path / "pyproject.toml", original)
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_default_fixture_loop_scope": "fixture-scope"})
    assert new == original.replace(
        '"strict"\n', '"strict"\nasyncio_default_fixture_loop_scope = "fixture-scope"\n'
    )
