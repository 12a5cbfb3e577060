"""The order of import lines the project's import sorter keeps: read from isort's or ruff's
configuration (project/formatting.py) and followed when new imports are placed
(imports/placement.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import libcst as cst
import pytest

from migrate_async.engine.conftest_requests import (
    add_definitions,
    apply_conftest_requests,
)
from migrate_async.engine.results import FileOutcome, RunResult
from migrate_async.imports.placement import (
    ISORT,
    RUFF,
    ImportOrder,
    is_import_line,
    place_new_imports,
    top_level_import_codes,
)
from migrate_async.project import PytestConfig
from migrate_async.project.formatting import CodeStyle, detect_style, import_order
from migrate_async.transforms.transform import ConftestRequest

FORCE_SORTED = ImportOrder(sorter=ISORT, by_module=True, case_sensitive=True)
GOOGLE = ImportOrder(sorter=ISORT, by_module=True, lexicographical=True, group_by_package=True)


# -- reading the configuration -------------------------------------------------------------
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pyproject.toml": '[tool.isort]\nprofile = "black"\nforce_sort_within_sections = true\n'}, FORCE_SORTED),
        ({"setup.cfg": "[isort]\nforce_sort_within_sections = True\n"}, FORCE_SORTED),
        ({"setup.cfg": "[tool:isort]\nforce_sort_within_sections = 1\n"}, FORCE_SORTED),
        ({".isort.cfg": "[settings]\nforce_sort_within_sections = yes\n"}, FORCE_SORTED),
        ({".isort.cfg": "[isort]\nforce_sort_within_sections=true\n"}, FORCE_SORTED),
        ({"tox.ini": "[tox]\nenvlist = py311\n\n[isort]\nforce_sort_within_sections = on\n"}, FORCE_SORTED),
        ({"tox.ini": "[tool:isort]\nforce_sort_within_sections = true\norder_by_type = false\n"},
         ImportOrder(sorter=ISORT, by_module=True)),
        # isort's profiles that sort by module
        ({"pyproject.toml": '[tool.isort]\nprofile = "google"\n'}, GOOGLE),
        ({"setup.cfg": "[isort]\nprofile = open_stack\n"},
         ImportOrder(sorter=ISORT, by_module=True, case_sensitive=True, lexicographical=True)),
        # a setting beats the profile's
        ({"pyproject.toml": '[tool.isort]\nprofile = "google"\nforce_sort_within_sections = false\n'},
         ImportOrder(sorter=ISORT, lexicographical=True, group_by_package=True)),
        # isort's own spelling only: a key with dashes is not isort's
        ({"pyproject.toml": '[tool.isort]\nforce-sort-within-sections = true\n'}, ImportOrder(sorter=ISORT, case_sensitive=True)),
        # isort without the setting: today's order
        ({"pyproject.toml": '[tool.isort]\nprofile = "black"\n'}, ImportOrder(sorter=ISORT, case_sensitive=True)),
        # isort reads the first of its files that has settings, and no other
        ({".isort.cfg": "[settings]\nline_length = 100\n", "setup.cfg": "[isort]\nforce_sort_within_sections = true\n"},
         ImportOrder(sorter=ISORT, case_sensitive=True)),
        ({".isort.cfg": "[flake8]\nmax-line-length = 100\n", "setup.cfg": "[isort]\nforce_sort_within_sections = true\n"},
         FORCE_SORTED),
        # ruff's isort rules, in each place ruff reads them
        ({"pyproject.toml": "[tool.ruff.lint.isort]\nforce-sort-within-sections = true\n"}, ImportOrder(sorter=RUFF, by_module=True)),
        ({"pyproject.toml": "[tool.ruff.isort]\nforce-sort-within-sections = true\ncase-sensitive = true\n"},
         ImportOrder(sorter=RUFF, by_module=True, case_sensitive=True)),
        ({"ruff.toml": "[lint.isort]\nforce-sort-within-sections = true\n"}, ImportOrder(sorter=RUFF, by_module=True)),
        ({".ruff.toml": "[isort]\nforce-sort-within-sections = true\n"}, ImportOrder(sorter=RUFF, by_module=True)),
        ({"ruff.toml": "[lint.isort]\nforce-sort-within-sections = false\n[isort]\nforce-sort-within-sections = true\n"},
         ImportOrder(sorter=RUFF)),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 100\n"}, ImportOrder(sorter=RUFF)),
        # both: isort's, unless pre-commit runs ruff and not isort
        ({"pyproject.toml": "[tool.isort]\nforce_sort_within_sections = true\n[tool.ruff.lint]\nselect = ['I']\n"}, FORCE_SORTED),
        ({"pyproject.toml": "[tool.isort]\nforce_sort_within_sections = true\n[tool.ruff.lint]\nselect = ['I']\n",
          ".pre-commit-config.yaml": "repos:\n- repo: https://github.com/astral-sh/ruff-pre-commit\n  hooks:\n  - id: ruff\n"},
         ImportOrder(sorter=RUFF)),
        # nothing, or nothing readable
        ({}, ImportOrder()),
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, ImportOrder()),
        ({"setup.cfg": "[isort\nforce_sort_within_sections = true\n"}, ImportOrder()),
        ({"pyproject.toml": "[tool.isort\nforce_sort_within_sections = true\n"}, ImportOrder()),
        ({"setup.cfg": "[isort]\nforce_sort_within_sections = maybe\n"}, ImportOrder(sorter=ISORT, case_sensitive=True)),
    ],
)
def test_the_import_order_is_read_from_the_sorters_configuration(tmp_path: Path, files: dict[str, str], expected: ImportOrder) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert import_order([tmp_path]) == expected
    assert detect_style([tmp_path]).imports == expected


def test_the_nearest_folder_that_configures_a_sorter_wins(tmp_path: Path) -> None:
    inner = tmp_path / "pkg"
    inner.mkdir()
    (tmp_path / "setup.cfg").write_text("[isort]\nforce_sort_within_sections = true\n", encoding="utf-8")
    assert import_order([inner, tmp_path]) == FORCE_SORTED
    (inner / "pyproject.toml").write_text("[tool.ruff.lint.isort]\ncase-sensitive = true\n", encoding="utf-8")
    assert import_order([inner, tmp_path]) == ImportOrder(sorter=RUFF, case_sensitive=True)


def test_the_formatters_style_keeps_its_import_order(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.black]\nline-length = 100\n\n[tool.isort]\nprofile = "black"\nforce_sort_within_sections = true\n', encoding="utf-8"
    )
    style = detect_style([tmp_path])
    assert (style.formatter, style.line_length, style.imports) == ("black", 100, FORCE_SORTED)


# -- placing new imports -------------------------------------------------------------------
def _placed(text: str, new: list[str], order: ImportOrder, first_party: frozenset[str] = frozenset()) -> str:
    """``text`` with ``new`` import lines added after its last import (as LibCST adds them),
    then placed."""
    module = cst.parse_module(text)
    before = top_level_import_codes(module)
    body = list(module.body)
    last = max(i for i, stmt in enumerate(body) if is_import_line(stmt))
    for line in reversed(new):
        body.insert(last + 1, cst.parse_statement(line + "\n"))
    return place_new_imports(module.with_changes(body=body), before, first_party, order).code


CONFTEST = """\
import logging
from types import SimpleNamespace
import typing
from unittest.mock import Mock, patch

from ifaddr import IP, Adapter
import pytest

import pyatv
"""


def test_a_new_import_goes_by_module_name_when_the_sorter_sorts_so() -> None:
    placed = _placed(CONFTEST, ["import pytest_asyncio", "import asyncio"], FORCE_SORTED, frozenset({"pyatv"}))
    assert placed == CONFTEST.replace("import logging\n", "import asyncio\nimport logging\n").replace(
        "import pytest\n", "import pytest\nimport pytest_asyncio\n"
    )
    assert _placed(CONFTEST, ["import pytest_asyncio"], ImportOrder(sorter=RUFF, by_module=True), frozenset({"pyatv"})) == (
        CONFTEST.replace("import pytest\n", "import pytest\nimport pytest_asyncio\n")
    )


def test_without_the_setting_import_lines_come_before_from_lines() -> None:
    expected = CONFTEST.replace("from ifaddr", "import pytest_asyncio\nfrom ifaddr")
    for order in (ImportOrder(), ImportOrder(sorter=ISORT, case_sensitive=True), ImportOrder(sorter=RUFF)):
        assert _placed(CONFTEST, ["import pytest_asyncio"], order, frozenset({"pyatv"})) == expected


STDLIB = "from abc import ABC\nimport logging\nfrom types import SimpleNamespace\n\nimport pytest\n"


@pytest.mark.parametrize(
    ("text", "new", "order", "expected"),
    [
        # a from-line sorts before a plain import of a longer name that starts the same
        (STDLIB, "import asyncio", FORCE_SORTED, "from abc import ABC\nimport asyncio\nimport logging\nfrom types import SimpleNamespace\n"),
        (STDLIB, "import asyncio", ImportOrder(), "import asyncio\nfrom abc import ABC\nimport logging\nfrom types import SimpleNamespace\n"),
        # ``import a`` < ``from a import b`` < ``import a.b`` (isort and ruff alike)
        ("import a\nimport a.b\n", "from a import c", FORCE_SORTED, "import a\nfrom a import c\nimport a.b\n"),
        ("import a\nimport a.b\n", "from a import c", ImportOrder(sorter=RUFF, by_module=True), "import a\nfrom a import c\nimport a.b\n"),
        ("from a import c\nimport ab\n", "import a.b", FORCE_SORTED, "from a import c\nimport a.b\nimport ab\n"),
        # natural order of numbers
        ("import py2\nimport py10\n", "import py3", FORCE_SORTED, "import py2\nimport py3\nimport py10\n"),
        # isort sorts by module telling case apart (order_by_type), ruff does not (case-sensitive = false)
        ("import Zeta\nimport beta\n", "import alpha", FORCE_SORTED, "import Zeta\nimport alpha\nimport beta\n"),
        ("import alpha\nimport Zeta\n", "import beta", ImportOrder(sorter=RUFF, by_module=True), "import alpha\nimport beta\nimport Zeta\n"),
        ("import Zeta\nimport beta\n", "import alpha", ImportOrder(sorter=RUFF, by_module=True, case_sensitive=True),
         "import Zeta\nimport alpha\nimport beta\n"),
        # google: a from-line counts by its module only, lower case
        ("import a\nfrom A import B\nimport a.b\n", "from a import b", GOOGLE, "import a\nfrom A import B\nfrom a import b\nimport a.b\n"),
        # a wrapped from-line is compared as one logical line
        ("from aa import (\n    x,\n    y,\n)\nimport ab\n", "import aa_b", FORCE_SORTED,
         "from aa import (\n    x,\n    y,\n)\nimport aa_b\nimport ab\n"),
    ],
)
def test_the_place_of_a_new_import_in_a_sorted_section(text: str, new: str, order: ImportOrder, expected: str) -> None:
    assert _placed(text, [new], order).split("\n\n")[0].rstrip("\n") + "\n" == expected


def _ruff_sorted(text: str, tmp_path: Path, *settings: str) -> str | None:
    binary = shutil.which("ruff")
    if binary is None:
        return None
    path = tmp_path / "sample.py"
    path.write_text(text, encoding="utf-8")
    options = [arg for setting in settings for arg in ("--config", f"lint.isort.{setting}")]
    subprocess.run([binary, "check", "--isolated", "--select", "I", "--fix", "--quiet", *options, str(path)], check=False)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("new", ["import asyncio", "import pytest_asyncio", "from contextlib import suppress", "import Crypto", "import a2"])
def test_ruff_leaves_a_placed_import_where_it_is(new: str, tmp_path: Path) -> None:
    text = (
        "from abc import ABC\nimport logging\nfrom types import SimpleNamespace\nimport typing\n\n"
        "import a10\nfrom ifaddr import IP, Adapter\nimport pytest\nimport Zeta\n"
    )
    placed = _placed(text, [new], ImportOrder(sorter=RUFF, by_module=True))
    ruff = _ruff_sorted(placed, tmp_path, "force-sort-within-sections=true")
    if ruff is None:
        pytest.skip("ruff is not installed")
    assert ruff == placed


# -- the definitions added to a conftest.py ----------------------------------------------
OWN_LOOP = "@pytest.fixture\ndef event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
SORTED_CONFTEST = "from abc import ABC\nimport logging\n\nfrom packaging.version import Version\nimport pytest\n"


def _request(folder: Path) -> ConftestRequest:
    return ConftestRequest(str(folder), "event_loop", OWN_LOOP, (("asyncio", None), ("pytest_asyncio", None)),
                           "sync-to-async", "a sync test needs a loop object", True)


def test_a_conftest_definitions_imports_follow_the_import_order() -> None:
    new = add_definitions(SORTED_CONFTEST, [_request(Path("tests"))], frozenset(), FORCE_SORTED)
    assert new.startswith(
        "from abc import ABC\nimport asyncio\nimport logging\n\nfrom packaging.version import Version\n"
        "import pytest\nimport pytest_asyncio\n\n\n"
    )
    default = add_definitions(SORTED_CONFTEST, [_request(Path("tests"))], frozenset())
    assert default.startswith("import asyncio\nfrom abc import ABC\nimport logging\n\nimport pytest_asyncio\nfrom packaging")


def test_the_engine_places_a_conftest_definitions_imports_in_the_projects_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "tests").mkdir()
    conftest = tmp_path / "tests" / "conftest.py"
    conftest.write_text(SORTED_CONFTEST)
    monkeypatch.chdir(tmp_path)
    asking = FileOutcome(path="tests/test_client.py", changed=True, conftest_requests=[_request(tmp_path / "tests")])
    style = CodeStyle(imports=FORCE_SORTED)
    plan = SimpleNamespace(project=SimpleNamespace(config=PytestConfig(tmp_path / "pytest.ini", "ini", "pytest"), style=style), changed=False)
    apply_conftest_requests(RunResult(files=[asking]), [plan], write=True)  # type: ignore[list-item]
    assert conftest.read_text().startswith(
        "from abc import ABC\nimport asyncio\nimport logging\n\nfrom packaging.version import Version\n"
        "import pytest\nimport pytest_asyncio\n\n\n@pytest.fixture\n"
    )
