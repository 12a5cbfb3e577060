"""Finding pytest's configuration the way pytest does, and editing it without damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.project import ProjectFacts, config_files
from migrate_async.project.config_files import (
    INI,
    MISSING,
    TOML_INI_OPTIONS,
    TOML_NATIVE,
    ConfigError,
    edit_config,
    find_config,
)


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


def _edited_pyproject(tmp_path: Path, original: str, settings=None) -> str:
    _write(tmp_path / "pyproject.toml", original)
    _, _, new = edit_config(find_config(tmp_path), settings or {"asyncio_default_fixture_loop_scope": "fixture-scope"})
    return new


SCOPE = 'asyncio_default_fixture_loop_scope = "fixture-scope"\n'


def test_new_table_goes_after_out_of_order_tool_tables(tmp_path: Path) -> None:
    original = (
        '[tool.black]\nline-length = 88\n\n[project]\nname = "demo"\n\n'
        "[tool.ruff]\nline-length = 88\n\n# how to build\n[build-system]\nrequires = []\n"
    )
    assert _edited_pyproject(tmp_path, original) == original.replace(
        "line-length = 88\n\n# how to build\n",
        "line-length = 88\n\n[tool.pytest.ini_options]\n" + SCOPE + "\n# how to build\n",
    )


def test_new_table_at_the_end_of_an_out_of_order_file(tmp_path: Path) -> None:
    original = '[tool.black]\nline-length = 88\n\n[project]\nname = "demo"\n\n[tool.ruff]\nline-length = 88\n'
    assert _edited_pyproject(tmp_path, original) == original + "\n[tool.pytest.ini_options]\n" + SCOPE


def test_new_table_before_a_table_that_follows_without_a_blank_line(tmp_path: Path) -> None:
    original = '[tool.ruff]\nx = 1\n[project]\nname = "demo"\n'
    assert _edited_pyproject(tmp_path, original) == (
        '[tool.ruff]\nx = 1\n\n[tool.pytest.ini_options]\n' + SCOPE + '\n[project]\nname = "demo"\n'
    )


def test_ini_options_split_from_its_subtables(tmp_path: Path) -> None:
    original = (
        '[tool.pytest.ini_options]\nasyncio_mode = "strict"\n\n[project]\nname = "demo"\n\n'
        "[tool.pytest.ini_options.extra]\nx = 1\n"
    )
    assert _edited_pyproject(tmp_path, original) == original.replace('"strict"\n', '"strict"\n' + SCOPE)


def test_key_goes_in_the_table_not_after_its_subtable(tmp_path: Path) -> None:
    original = "[tool.pytest]\nxfail_strict = true\n\n[tool.pytest.extra]\nx = 1\n"
    new = _edited_pyproject(tmp_path, original, {"asyncio_mode": "strict"})
    assert new == original.replace("true\n", 'true\nasyncio_mode = "strict"\n')


def test_explicit_tool_table_out_of_order(tmp_path: Path) -> None:
    original = '[tool]\nx = 1\n\n[project]\nname = "demo"\n\n[tool.ruff]\nline-length = 88\n'
    assert _edited_pyproject(tmp_path, original) == original + "\n[tool.pytest.ini_options]\n" + SCOPE


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        (
            'tool.pytest.ini_options.asyncio_mode = "strict"\n\n[project]\nname = "demo"\n',
            'tool.pytest.ini_options.asyncio_mode = "strict"\ntool.pytest.ini_options.' + SCOPE + '\n[project]\nname = "demo"\n',
        ),
        (
            '[tool]\npytest.ini_options.asyncio_mode = "strict"\n\n[project]\nname = "demo"\n',
            '[tool]\npytest.ini_options.asyncio_mode = "strict"\npytest.ini_options.' + SCOPE + '\n[project]\nname = "demo"\n',
        ),
    ],
)
def test_dotted_keys(tmp_path: Path, original: str, expected: str) -> None:
    assert _edited_pyproject(tmp_path, original) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # after the last asyncio_* key; the comment above testpaths stays with it
        ('asyncio_mode = "strict"\n# where the tests are\ntestpaths = ["tests"]\n',
         'asyncio_mode = "strict"\n' + SCOPE + '# where the tests are\ntestpaths = ["tests"]\n'),
        # a comment below the last key, then a blank line: it is about that key
        ('testpaths = ["tests"]\n# only these\n\n[tool.ruff]\nx = 1\n',
         'testpaths = ["tests"]\n# only these\n' + SCOPE + '\n[tool.ruff]\nx = 1\n'),
        # a comment right above the next header is about that header
        ('testpaths = ["tests"]\n# Lint settings\n[tool.ruff]\nx = 1\n',
         'testpaths = ["tests"]\n' + SCOPE + '# Lint settings\n[tool.ruff]\nx = 1\n'),
        # at the end of the file, a comment below the last key is about it
        ('testpaths = ["tests"]\n# only these\n', 'testpaths = ["tests"]\n# only these\n' + SCOPE),
        # no key yet: right under the header
        ('\n[tool.ruff]\nx = 1\n', SCOPE + '\n[tool.ruff]\nx = 1\n'),
    ],
)
def test_toml_key_placement(tmp_path: Path, body: str, expected: str) -> None:
    header = "[tool.pytest.ini_options]\n"
    assert _edited_pyproject(tmp_path, header + body) == header + expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("asyncio_mode = strict\n# where the tests are\ntestpaths = tests\n",
         "asyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n# where the tests are\ntestpaths = tests\n"),
        ("testpaths = tests\n# only these\n\n[flake8]\nx = 1\n",
         "testpaths = tests\n# only these\nasyncio_default_fixture_loop_scope = function\n\n[flake8]\nx = 1\n"),
        ("testpaths = tests\n# only these\n", "testpaths = tests\n# only these\nasyncio_default_fixture_loop_scope = function\n"),
    ],
)
def test_ini_key_placement(tmp_path: Path, body: str, expected: str) -> None:
    _write(tmp_path / "pytest.ini", "[pytest]\n" + body)
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_default_fixture_loop_scope": "function"})
    assert new == "[pytest]\n" + expected


def test_new_ini_section_is_set_apart(tmp_path: Path) -> None:
    _write(tmp_path / "pytest.ini", "# nothing yet\n[coverage:run]\nbranch = true\n")
    _, _, new = edit_config(find_config(tmp_path), {"asyncio_mode": "strict"})
    assert new == "# nothing yet\n[coverage:run]\nbranch = true\n\n[pytest]\nasyncio_mode = strict\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("pyproject.toml", "[tool.pytest.ini_options]\nx = = 1\n", "pyproject.toml:2:5: cannot read: not valid TOML"),
        ("pytest.ini", "x = 1\n", "pytest.ini:1:1: cannot read: not valid INI (a line before the first [section] header)"),
        ("pytest.ini", "[pytest]\nx = 1\nx = 2\n", "pytest.ini:3:1: cannot read: 'x' is set twice in [pytest]"),
        ("pytest.ini", b"[pytest]\nx = \xff\n", "pytest.ini:1:1: cannot read: not UTF-8"),
    ],
)
def test_read_errors_are_one_relative_line(tmp_path: Path, monkeypatch, name: str, text, expected: str) -> None:
    (tmp_path / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        find_config(tmp_path)
    assert str(caught.value) == expected


def test_a_failed_edit_is_reported_in_plain_words(tmp_path: Path, monkeypatch) -> None:
    def fails(*args):
        raise AttributeError("'OutOfOrderTableProxy' object has no attribute 'append'")

    monkeypatch.setattr(config_files, "_add_table", fails)
    _write(tmp_path / "pyproject.toml", '[project]\nname = "demo"\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        edit_config(find_config(tmp_path), {"asyncio_default_fixture_loop_scope": "fixture-scope"})
    assert str(caught.value) == (
        "pyproject.toml:1:1: cannot edit this file safely; add asyncio_default_fixture_loop_scope = "
        "fixture-scope to [tool.pytest.ini_options] by hand"
    )


def test_an_edit_that_changes_more_than_the_settings_is_refused() -> None:
    old = '[tool.ruff]\nx = 1\n'
    config_files._check_toml(old, old + '\n[tool.pytest.ini_options]\nasyncio_mode = "strict"\n', ["tool", "pytest", "ini_options"], {"asyncio_mode": "strict"})
    with pytest.raises(config_files._EditRefused):
        config_files._check_toml(old, '[tool.ruff]\nx = 1\nasyncio_mode = "strict"\n', ["tool", "pytest", "ini_options"], {"asyncio_mode": "strict"})


@pytest.mark.parametrize(
    "original",
    [
        'tool.black.line-length = 88\n\n[project]\nname = "demo"\n',
        'tool.black.line-length = 88\n[project]\nname = "demo"\n',
    ],
)
def test_new_table_after_a_dotted_tool_key(tmp_path: Path, original: str) -> None:
    assert _edited_pyproject(tmp_path, original) == (
        'tool.black.line-length = 88\n\n[tool.pytest.ini_options]\n' + SCOPE + '\n[project]\nname = "demo"\n'
    )


@pytest.mark.parametrize(
    "text, error",
    [
        ('tool = "a string"\n', None),
        ('[tool]\npytest = "x"\n', "[tool.pytest] must be a table"),
        ('[tool.pytest]\nini_options = "x"\n', "[tool.pytest.ini_options] must be a table"),
        ('[project]\nentry-points = 3\n', None),
    ],
)
def test_valid_toml_whose_tables_are_not_tables(tmp_path: Path, text: str, error: str | None) -> None:
    # valid TOML, none of our tables: never a traceback, a one-line reason where pytest would read it
    from migrate_async.project.settings import load_settings
    from migrate_async.pytest_model.loading import _from_pyproject

    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    assert load_settings(tmp_path).values == {}
    assert _from_pyproject(path) == []
    if error is None:
        assert config_files.load_config_file(path) is None
    else:
        with pytest.raises(ConfigError) as caught:
            config_files.load_config_file(path)
        assert caught.value.reason == error


# -- which reader reads a TOML text (tomllib where there is one, else tomlkit) -------------

#: valid TOML (pytest's tomllib reads it) that tomlkit 0.15 rejects: a sub-table of an array
#: of tables' last element, after another table ("Key "jobs" already exists")
AOT_SUBTABLE_LATER = (
    '[project]\nname = "demo"\n\n[[tool.ci.jobs]]\nname = "a"\n\n'
    '[tool.pytest.ini_options]\nasyncio_mode = "strict"\n\n[tool.ci.jobs.extra]\nb = 1\n'
)


@pytest.mark.skipif(config_files._tomllib is None, reason="Python 3.10: tomlkit reads every text")
def test_a_text_only_tomllib_reads_is_read_and_not_edited(tmp_path: Path, monkeypatch) -> None:
    # pytest reads this file, so the run reads it (it had been "not valid TOML"); tomlkit
    # cannot edit it, so an edit is refused with a by-hand note instead of a traceback
    path = _write(tmp_path / "pyproject.toml", AOT_SUBTABLE_LATER)
    assert config_files.read_toml(path)["tool"]["ci"]["jobs"] == [{"name": "a", "extra": {"b": 1}}]
    monkeypatch.chdir(tmp_path)
    config = find_config(tmp_path)
    assert config.kind == TOML_INI_OPTIONS and config.get_str("asyncio_mode") == "strict"
    with pytest.raises(ConfigError, match="cannot edit this file safely"):
        edit_config(config, {"asyncio_default_fixture_loop_scope": "function"})


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{b = ", "}"), ("[{b = ", "}]")])
def test_toml_nested_too_deep_is_a_read_error_not_a_traceback(tmp_path: Path, opening: str, closing: str) -> None:
    # tomllib recurses once per level (RecursionError some hundreds deep): tomlkit reads it
    # then, and says where it gives up
    inner = "1" if "b =" in opening else ""
    path = _write(tmp_path / "pyproject.toml", "[tool.x]\na = " + opening * 3000 + inner + closing * 3000 + "\n")
    with pytest.raises(ConfigError) as caught:
        config_files.read_toml(path)
    assert caught.value.reason == "cannot read: not valid TOML"


@pytest.mark.skipif(config_files._tomllib is None, reason="Python 3.10: tomlkit reads every text")
def test_an_edit_tomllib_reads_otherwise_than_tomlkit_is_refused() -> None:
    # tomlkit reads "\x41" as "A"; tomllib (pytest's reader) rejects the escape: an edit
    # whose result pytest could not read is not made, though tomlkit sees only the new key
    old = '[tool.x]\na = "A"\n'
    new = '[tool.x]\na = "\\x41"\n\n[tool.pytest.ini_options]\nasyncio_mode = "strict"\n'
    path = ["tool", "pytest", "ini_options"]
    config_files._check_toml(old, old + new[new.index("\n\n"):], path, {"asyncio_mode": "strict"})
    with pytest.raises(config_files._EditRefused):
        config_files._check_toml(old, new, path, {"asyncio_mode": "strict"})


@pytest.mark.parametrize(
    "text",
    [
        '[tool.x]\na = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27\nd = 07:32:00\n',
        '[tool.x]\na = 1_000\nb = 0xDEAD_BEEF\nc = 0o755\nd = 0b11\ne = 6.626e-34\nf = inf\n',
        'tool.pytest.ini_options.asyncio_mode = "strict"\n[project]\nname = "x"\n',
        '[tool.pytest.ini_options]\na = "1"\n[project]\nname = "x"\n[tool.black]\nb = 2\n',
        '[[tool.x.y]]\na = 1\n[[tool.x.y]]\na = 2\n[tool.x.y.z]\nc = 3\n',
        '[tool]\npytest = { ini_options = { minversion = "7" } }\n',
    ],
)
def test_both_readers_mean_the_same(monkeypatch, text: str) -> None:
    # what the run reads on Python 3.10 (tomlkit) is what it reads on 3.11+ (tomllib)
    read = config_files.toml_data(text)
    monkeypatch.setattr(config_files, "_tomllib", None)
    assert config_files.toml_data(text) == read
    assert list(config_files.toml_data(text)["tool"]) == list(read["tool"])
