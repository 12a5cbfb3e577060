"""What pytest collects: test classes, unittest classes and their lineage, test functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ..cstkit.names import code_of, dotted_name

if TYPE_CHECKING:
    from ..imports.resolve import ImportMap


def is_async_function(func: cst.FunctionDef) -> bool:
    return func.asynchronous is not None


UNITTEST_BASE_SUFFIXES = ("TestCase", "AsyncTestCase")


def is_unittest_class(cls: cst.ClassDef, imports: "ImportMap | None" = None) -> bool:
    """Classes deriving from a ``*TestCase`` (unittest, IsolatedAsyncioTestCase, asynctest...),
    directly or, given the module's ImportMap, through a class of the same module."""
    for base in cls.bases:
        name = dotted_name(base.value)
        if name and name.split(".")[-1].endswith(UNITTEST_BASE_SUFFIXES):
            return True
        if imports is not None and name in imports.unittest_classes:
            return True
    return False


#: Bases that carry no pytest marks: a class deriving from them has no foreign lineage.
MARKLESS_BASES = frozenset({"object", "ABC", "abc.ABC"})


def class_lineage(
    node: cst.ClassDef, classes: dict[str, cst.ClassDef]
) -> tuple[list[cst.ClassDef], list[str]]:
    """The class and its bases defined at module level (``classes``: name → node), and the
    source of the other bases (imported ones, whose marks cannot be seen from here). Bases
    without marks (``object``, ``ABC``) and unittest TestCases are neither."""
    seen: list[cst.ClassDef] = []
    foreign: list[str] = []
    todo = [node]
    while todo:
        cls = todo.pop(0)
        if any(cls is s for s in seen):
            continue
        seen.append(cls)
        for base in cls.bases:
            if base.keyword is not None or base.star:
                continue
            name = dotted_name(base.value)
            local = classes.get(name) if name else None
            if local is not None and local is not cls:
                todo.append(local)
            elif name in MARKLESS_BASES:
                continue
            elif name and name.split(".")[-1].endswith(UNITTEST_BASE_SUFFIXES):
                continue  # is_unittest_class() sees it on the class that names it
            else:
                code = code_of(base.value)
                if code not in foreign:
                    foreign.append(code)
    return seen, foreign
