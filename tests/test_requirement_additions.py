"""Declaring pytest-aiohttp where aiohttp's legacy plugin goes (engine/requirement_additions.py):
right after the project's own pytest-asyncio (else pytest) test requirement, in each
declaration format the project model reads; nowhere when the project declares it already or
declares its test dependencies nowhere the tool edits (then the note says what to add)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from migrate_async.engine import RunOptions, run
from migrate_async.engine.requirement_additions import (
    Addition,
    add_to,
    compiled,
    merged,
)
from migrate_async.project.requirements import Declared, declarations, declared, tox_factors
from migrate_async.pytest_model import aiohttp
from migrate_async.transforms import REGISTRY
from migrate_async.transforms.requests import RequirementRequest

DECLARE = "declare-pytest-aiohttp"
ADDED = f"pytest-aiohttp>={aiohttp.FLOOR}"

SUITE = {
    "pytest.ini": "[pytest]\ntestpaths = tests\n",
    "tests/conftest.py": 'pytest_plugins = "aiohttp.pytest_plugin"\n',
    "tests/test_api.py": (
        "async def test_index(test_client, aiohttp_unused_port):\n"
        "    assert test_client\n"
    ),
}


def _project(root: Path, files: dict[str, str], suite: dict[str, str] = SUITE) -> Path:
    for name, text in {**suite, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def _apply(root: Path, monkeypatch, write: bool = True):
    monkeypatch.chdir(root)
    return run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=write))


def _declare_notes(result) -> list:
    return [n for n in result.all_notes if n.kind == DECLARE]


# -- each format, through a whole run ------------------------------------------------------


FORMATS = [
    pytest.param(
        "setup.cfg",
        "[options]\ninstall_requires =\n    aiohttp>=3.8\n\n[options.extras_require]\ntest =\n"
        "    pytest>=8.4  # runner\n    pytest-asyncio>=1.5\n    coverage\n",
        "[options]\ninstall_requires =\n    aiohttp>=3.8\n\n[options.extras_require]\ntest =\n"
        f"    pytest>=8.4  # runner\n    pytest-asyncio>=1.5\n    {ADDED}\n    coverage\n",
        id="setup.cfg extras_require",
    ),
    pytest.param(
        "tox.ini",
        "[tox]\nenvlist = py312\n\n[testenv]\ndeps =\n  pytest>=8.4\n  pytest-asyncio>=1.5  # async\ncommands = pytest\n",
        f"[tox]\nenvlist = py312\n\n[testenv]\ndeps =\n  pytest>=8.4\n  pytest-asyncio>=1.5  # async\n  {ADDED}\ncommands = pytest\n",
        id="tox.ini deps",
    ),
    pytest.param(
        "tox.ini",
        "[testenv]\ndeps = pytest-asyncio>=1.5\ncommands = pytest\n",
        f"[testenv]\ndeps = pytest-asyncio>=1.5\n    {ADDED}\ncommands = pytest\n",
        id="tox.ini deps on one line",
    ),
    pytest.param(
        "Pipfile",
        '[packages]\naiohttp = "*"\npytest-asyncio = "*"\n\n[dev-packages]\npytest = ">=8.4"\npytest-asyncio = "==1.5.0"  # CI\nmypy = "*"\n',
        '[packages]\naiohttp = "*"\npytest-asyncio = "*"\n\n[dev-packages]\npytest = ">=8.4"\npytest-asyncio = "==1.5.0"  # CI\n'
        f'pytest-aiohttp = ">={aiohttp.FLOOR}"\nmypy = "*"\n',
        id="Pipfile dev-packages, never packages",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool.poetry.dependencies]\npython = "^3.10"\naiohttp = "^3.8"\n\n'
        '[tool.poetry.group.dev.dependencies]\npytest = "^8.4"\npytest-asyncio = "^1.5"\nruff = "*"\n',
        '[tool.poetry.dependencies]\npython = "^3.10"\naiohttp = "^3.8"\n\n'
        f'[tool.poetry.group.dev.dependencies]\npytest = "^8.4"\npytest-asyncio = "^1.5"\npytest-aiohttp = "^{aiohttp.FLOOR}"\nruff = "*"\n',
        id="poetry group, caret as its neighbour",
    ),
    pytest.param(
        "pyproject.toml",
        '[project]\nname = "x"\nrequires-python = ">=3.10"\ndependencies = ["aiohttp", "pytest"]\n\n'
        '[dependency-groups]\ntest = ["pytest>=8.4", "pytest-asyncio>=1.5"]\nlint = ["ruff"]\n',
        '[project]\nname = "x"\nrequires-python = ">=3.10"\ndependencies = ["aiohttp", "pytest"]\n\n'
        f'[dependency-groups]\ntest = ["pytest>=8.4", "pytest-asyncio>=1.5", "{ADDED}"]\nlint = ["ruff"]\n',
        id="dependency-groups, never [project] dependencies",
    ),
    pytest.param(
        "requirements-dev.txt",
        "-r requirements.txt\r\npytest==8.4.2 \\\r\n    # pinned by renovate\r\npytest-asyncio==1.5.0  # async tests\r\nmypy",
        f"-r requirements.txt\r\npytest==8.4.2 \\\r\n    # pinned by renovate\r\npytest-asyncio==1.5.0  # async tests\r\n{ADDED}\r\nmypy",
        id="requirements file, CRLF, no final newline",
    ),
    pytest.param(
        "requirements-dev.txt",
        "pytest==8.4.2 \\\n    --no-binary :all:\nmypy\n",
        f"pytest==8.4.2 \\\n    --no-binary :all:\n{ADDED}\nmypy\n",
        id="requirements file: after pytest's continuation lines, no pytest-asyncio declared",
    ),
    pytest.param(
        "requirements-dev.txt",
        'pytest>=8.4\npytest-asyncio==1.5.0; python_version >= "3.10"  # new Pythons only\nmypy\n',
        f'pytest>=8.4\npytest-asyncio==1.5.0; python_version >= "3.10"  # new Pythons only\n{ADDED}; python_version >= "3.10"\nmypy\n',
        id="requirements file: the neighbour's environment marker goes with it",
    ),
]


@pytest.mark.parametrize("name, before, after", FORMATS)
def test_each_format_gets_it_right_after_its_neighbour(name: str, before: str, after: str, tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {name: before})
    result = _apply(root, monkeypatch)
    assert (root / name).read_bytes().decode() == after
    assert _declare_notes(result) == []
    again = _apply(root, monkeypatch)
    assert again.changed_files == []  # a second run changes nothing


def test_diff_shows_it_and_check_reports_it_without_writing(tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {"requirements-dev.txt": "pytest>=8.4\n"})
    result = _apply(root, monkeypatch, write=False)
    (outcome,) = [c for c in result.configs if c.path == "requirements-dev.txt"]
    assert f"+{ADDED}\n" in outcome.diff and not outcome.written
    assert outcome.settings["requirements"] == [ADDED]
    assert "requirements-dev.txt" in result.changed_files
    assert (root / "requirements-dev.txt").read_text() == "pytest>=8.4\n"


# -- where it goes when there are several places, and where it never goes ------------------


def test_each_place_that_lists_pytest_asyncio_gets_it_and_the_pytest_only_ones_do_not(tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {
        "requirements-dev.txt": "pytest>=8.4\npytest-asyncio>=1.5\n",
        "tox.ini": "[testenv]\ndeps =\n    pytest-asyncio>=1.5\ncommands = pytest\n\n[testenv:lint]\ndeps = pytest\n",
        "test-requirements.txt": "pytest>=8.4\n",
    })
    _apply(root, monkeypatch)
    assert (root / "requirements-dev.txt").read_text() == f"pytest>=8.4\npytest-asyncio>=1.5\n{ADDED}\n"
    assert (root / "tox.ini").read_text() == (
        f"[testenv]\ndeps =\n    pytest-asyncio>=1.5\n    {ADDED}\ncommands = pytest\n\n[testenv:lint]\ndeps = pytest\n"
    )
    assert (root / "test-requirements.txt").read_text() == "pytest>=8.4\n"


def test_a_file_that_installs_it_gets_a_pytest_the_target_runs_on(tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {"requirements-dev.txt": "pytest==7.4.4\npytest-cov\n"})
    _apply(root, monkeypatch)
    assert (root / "requirements-dev.txt").read_text() == f"pytest==8.4.0\n{ADDED}\npytest-cov\n"


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"setup.py": 'from setuptools import setup\nsetup(extras_require={"test": ["pytest", "pytest-asyncio"]})\n'}, id="setup.py only"),
        pytest.param({}, id="nothing declared"),
        pytest.param({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["aiohttp", "pytest-asyncio"]\n'}, id="runtime dependencies only"),
        pytest.param({"requirements-dev.txt": "pytest==8.4.2 \\\n    --hash=sha256:" + "0" * 64 + "\n"}, id="hash-pinned requirements"),
        pytest.param({"requirements-dev.txt": "# This file is autogenerated by pip-compile with Python 3.12\npytest==8.4.2\n"}, id="pip-compile output"),
    ],
)
def test_no_place_the_tool_edits_keeps_the_note_and_adds_nothing(files: dict[str, str], tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, files)
    result = _apply(root, monkeypatch)
    for name, text in files.items():
        assert (root / name).read_text() == text
    (note,) = _declare_notes(result)
    assert (note.path, note.line) == ("tests/conftest.py", 1)
    assert f"declare {ADDED} with the project's test dependencies" in note.message
    assert not declared([root], aiohttp.DISTRIBUTION)


@pytest.mark.parametrize(
    "where",
    [
        {"setup.py": 'from setuptools import setup\nsetup(tests_require=["pytest-aiohttp>=1.1"])\n'},
        {"tox.ini": "[testenv]\ndeps =\n    pytest-aiohttp\n"},
        {"Pipfile": '[packages]\npytest-aiohttp = "*"\n'},
    ],
)
def test_declared_anywhere_means_no_second_declaration(where: dict[str, str], tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {"requirements-dev.txt": "pytest>=8.4\npytest-asyncio>=1.5\n", **where})
    result = _apply(root, monkeypatch)
    assert (root / "requirements-dev.txt").read_text() == "pytest>=8.4\npytest-asyncio>=1.5\n"
    assert len(declared([root], aiohttp.DISTRIBUTION)) == 1
    assert _declare_notes(result) == []
    assert not [c for c in result.configs if c.path == "requirements-dev.txt"]


def test_a_run_that_leaves_the_legacy_plugin_asks_for_nothing(tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, {"requirements-dev.txt": "pytest>=8.4\n"})
    monkeypatch.chdir(root)
    selected = [t for t in REGISTRY if t.default and t.name != "aiohttp-plugin"]
    run([Path(".")], RunOptions(transforms=selected, target=None, write=True))
    assert (root / "requirements-dev.txt").read_text() == "pytest>=8.4\n"


# -- the pieces ------------------------------------------------------------------------------


def _addition(root: Path, neighbour: str, minimum: str = "1.0.5") -> Addition:
    after = next(d for d in declarations([root]) if d.name == neighbour)
    request = RequirementRequest("pytest-aiohttp", minimum, ("pytest-asyncio", "pytest"), "aiohttp-plugin", DECLARE)
    return Addition(request, after)


def test_an_inline_table_is_left_and_said(tmp_path: Path) -> None:
    text = '[tool.poetry.group.dev]\ndependencies = {pytest = "^8.4"}\n'
    (tmp_path / "pyproject.toml").write_text(text)
    addition = _addition(tmp_path, "pytest")
    new, left = add_to(tmp_path / "pyproject.toml", text, [addition])
    assert new == text and left == [addition]


def test_the_highest_minimum_asked_for_wins() -> None:
    low = RequirementRequest("pytest_aiohttp", "1.0.5", ("pytest",), "aiohttp-plugin", DECLARE)
    high = low._replace(name="pytest-aiohttp", minimum="1.1.0")
    assert merged([low, high, low]) == [high]


def test_the_written_requirement_is_packagings() -> None:
    request = RequirementRequest("pytest-aiohttp", "1.0.5", (), "aiohttp-plugin", DECLARE)
    neighbour = Declared(Requirement("pytest-asyncio>=1.5"), "pytest-asyncio>=1.5", Path("r.txt"), 1, "r.txt")
    text = Addition(request, neighbour).text
    assert text == str(Requirement(text)) == ADDED
    # the neighbour's environment marker goes with it: installed where the neighbour is
    marked = Declared(Requirement('pytest-asyncio>=1.5; python_version >= "3.10"'), "", Path("r.txt"), 1, "r.txt")
    assert Addition(request, marked).text == f'{ADDED}; python_version >= "3.10"'


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pytest==8.4\n", False),
        ("# via -r requirements.in\npytest==8.4\n", False),
        ("#    uv pip compile requirements.in\npytest==8.4\n", True),
        ("pytest==8.4 --hash=sha256:abc\n", True),
        ("pytest==8.4  # --hash is not an option in a comment\n", False),
    ],
)
def test_compiled(text: str, expected: bool) -> None:
    assert compiled(text) is expected


def test_a_pytest_pin_is_raised_for_an_addition_only_where_the_addition_is_made(tmp_path: Path, monkeypatch) -> None:
    text = '[tool.poetry.group.dev]\ndependencies = {pytest = "^7.4"}\n'
    root = _project(tmp_path, {"pyproject.toml": text})
    result = _apply(root, monkeypatch)
    assert (root / "pyproject.toml").read_text() == text
    assert [n.kind for n in result.all_notes if n.path == "pyproject.toml"] == ["requirement-not-added"]
    assert len(_declare_notes(result)) == 1


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("py311: pytest-asyncio==0.21.1", ("py311: ", "pytest-asyncio==0.21.1")),
        ("py38,py39: pytest-asyncio<0.22", ("py38,py39: ", "pytest-asyncio<0.22")),
        ("!pypy-django32:  pytest", ("!pypy-django32:  ", "pytest")),
        ("pytest-asyncio==0.21.1", None),
        ("git+https://example.org/pkg.git#egg=pkg", None),
        ("pytest ; python_version >= '3.8'", None),
    ],
)
def test_tox_factor_conditions_are_read(entry: str, expected) -> None:
    assert tox_factors(entry) == expected


def test_factor_conditioned_pins_in_tox_are_raised_in_place(tmp_path: Path, monkeypatch) -> None:
    """``py311: pytest-asyncio==0.21.1`` is pytest-asyncio for those envs: raised with its
    condition kept (it was not read at all, so a py311 env kept 0.21 beside pytest-aiohttp);
    the addition goes after the unconditioned pytest, for every env."""
    root = _project(tmp_path, {
        "tox.ini": (
            "[testenv]\ndeps =\n    pytest>=7\n    py38: pytest-asyncio==0.20.3\n"
            "    py311: pytest-asyncio==0.21.1\ncommands = pytest\n"
        ),
    })
    _apply(root, monkeypatch)
    assert (root / "tox.ini").read_text() == (
        "[testenv]\ndeps =\n    pytest>=8.4\n    pytest-aiohttp>=1.0.5\n    py38: pytest-asyncio==1.5.0\n"
        "    py311: pytest-asyncio==1.5.0\ncommands = pytest\n"
    )
    assert [d.text for d in declared([root], "pytest-asyncio")] == ["py38: pytest-asyncio==1.5.0", "py311: pytest-asyncio==1.5.0"]
