"""Blocks that run only on older Pythons, read from ``sys.version_info`` comparisons."""

from __future__ import annotations

import libcst as cst
import pytest

from migrate_async.cstkit.version_guards import blocks_below, import_fallbacks
from migrate_async.imports.resolve import ImportMap


def _below(source: str) -> list[tuple[str, tuple[int, ...]]]:
    module = cst.parse_module(source)
    imports = ImportMap.collect(module)
    return [(module.code_for_node(block).strip(), version) for block, version in blocks_below(module.body, imports.qualify)]


@pytest.mark.parametrize(
    "guard, old_branch",
    [
        ("sys.version_info < (3, 8)", "body"),
        ("sys.version_info[:2] < (3, 8)", "body"),
        ("(3, 8) > sys.version_info", "body"),
        ("sys.version_info >= (3, 8)", "else"),
        ("(3, 8) <= sys.version_info", "else"),
    ],
)
def test_the_branch_that_runs_below_the_version(guard: str, old_branch: str) -> None:
    source = f"import sys\nif {guard}:\n    body = 1\nelse:\n    orelse = 1\n"
    assert _below(source) == [(f"{old_branch if old_branch == 'body' else 'orelse'} = 1", (3, 8))]


def test_through_from_imports_and_elif_chains() -> None:
    source = "from sys import version_info\nif DEBUG:\n    a = 1\nelif version_info < (3, 9):\n    b = 1\n"
    assert _below(source) == [("b = 1", (3, 9))]


@pytest.mark.parametrize(
    "guard",
    [
        "sys.version_info > (3, 8)",  # holds from 3.8.x on: neither branch is "below" exactly
        "sys.version_info < (3, 8) and FAST",
        "sys.version_info < MINIMUM",
        "PY37",
        "sys.version < '3.8'",
        "version_info < (3, 8)",  # not sys's: nothing imports it
        "sys.version_info[:1] < (3, 8)",  # (3,) < (3, 8): holds on every Python 3
        "sys.version_info[:2] < (3, 8, 1)",  # holds on 3.8.0 too
        "sys.version_info[:n] < (3, 8)",
    ],
)
def test_what_is_not_a_guard(guard: str) -> None:
    assert _below(f"import sys\nif {guard}:\n    a = 1\nelse:\n    b = 1\n") == []


def test_a_version_with_trailing_zeros_is_the_same_version() -> None:
    assert _below("import sys\nif sys.version_info < (3, 8, 0):\n    a = 1\n") == [("a = 1", (3, 8))]


def test_the_import_error_fallback_of_a_try_importing_from_a_standard_module() -> None:
    source = (
        "try:\n    from unittest.mock import AsyncMock\nexcept ImportError:\n    from asynctest import CoroutineMock as AsyncMock\n"
        "try:\n    import uvloop\nexcept ImportError:\n    uvloop = None\n"  # not from unittest
        "try:\n    from unittest import IsolatedAsyncioTestCase\nexcept:\n    pass\n"  # a bare except: anything failed
    )
    module = cst.parse_module(source)
    found = [module.code_for_node(block).strip() for block in import_fallbacks(module.body, frozenset({"unittest", "unittest.mock"}))]
    assert found == ["from asynctest import CoroutineMock as AsyncMock"]


def test_every_branch_after_a_from_guard_is_below() -> None:
    source = "import sys\nif sys.version_info >= (3, 8):\n    a = 1\nelif FAST:\n    b = 1\nelse:\n    c = 1\n"
    assert _below(source) == [("b = 1", (3, 8)), ("c = 1", (3, 8))]
