"""Scheduled import edits: the fast paths, and LibCST's visitors for what they leave."""

from __future__ import annotations

import libcst as cst
import pytest

from migrate_async.cstkit.name_index import NameIndex
from migrate_async.imports import edits
from migrate_async.imports.resolve import ImportMap
from migrate_async.pytest_model.collection import unittest_base
from migrate_async.transforms.transform import MigrationContext, Transform


class _Imports(Transform):
    """Schedules the import edits it is given, and replaces ``time.sleep`` calls with ``pause``."""

    name = "imports-under-test"

    def __init__(self, context: MigrationContext, add=(), remove=(), keep=()) -> None:
        super().__init__(context)
        self._add = add
        self._remove = remove
        self._keep = keep

    def visit_Module(self, node: cst.Module) -> bool:
        for request in self._add:
            self.add_needed_import(*request)
        for request in self._remove:
            self.remove_unused_import(*request)
        for local, reason in self._keep:
            edits.keep_import(self.context, local, reason)
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if isinstance(updated_node.func, cst.Attribute) and updated_node.func.attr.value == "sleep":
            return updated_node.with_changes(func=cst.Name("pause"))
        return updated_node


def _run(source: str, add=(), remove=(), keep=()) -> str:
    transform = _Imports(MigrationContext(source=source), add=add, remove=remove, keep=keep)
    return transform.transform_module(cst.parse_module(source)).code


def test_plain_imports_are_added_and_removed_on_the_fast_path() -> None:
    source = "import time\n\nimport pytest\n\n\ndef test_x():\n    time.sleep(1)\n"
    assert _run(source, add=[("asyncio",), ("helpers", "pause")], remove=[("time",)]) == (
        "import asyncio\n\nimport pytest\nfrom helpers import pause\n\n\ndef test_x():\n    pause(1)\n"
    )


def test_an_aliased_import_goes_to_libcsts_visitor(monkeypatch: pytest.MonkeyPatch) -> None:
    # an alias is beyond the fast path: LibCST's AddImportsVisitor adds it (imported only then)
    helped = []
    real = edits.run_import_visitor
    monkeypatch.setattr(edits, "run_import_visitor", lambda which, context, tree: helped.append(which) or real(which, context, tree))
    source = "import pytest\n\n\ndef test_x():\n    pass\n"
    assert _run(source, add=[("helpers", "pause", "wait")]) == (
        "import pytest\nfrom helpers import pause as wait\n\n\ndef test_x():\n    pass\n"
    )
    assert helped == ["add"]


def test_imports_inside_blocks_and_functions_stay() -> None:
    # only top-level import lines are removed (as LibCST's RemoveImportsVisitor does)
    in_block = "import sys\nif sys.version_info >= (3, 8):\n    import time\n\n\ndef test_x():\n    time.sleep(1)\n"
    assert _run(in_block, remove=[("time",)]) == in_block.replace("time.sleep", "pause")
    in_function = "def test_x():\n    import time\n    time.sleep(1)\n"
    assert _run(in_function, remove=[("time",)]) == in_function.replace("time.sleep", "pause")


def test_a_fallback_blocks_import_of_the_module_is_no_read_of_it() -> None:
    # ``from time import ...`` inside a version guard spells the module: the top-level
    # ``import time`` is unused once its reads are gone, and the guarded import stays
    source = (
        "import sys\nimport time\n\nif sys.version_info < (3, 8):\n    from time import monotonic as clock\n"
        "else:\n    from time import perf_counter as clock\n\n\ndef test_x():\n    time.sleep(clock())\n"
    )
    assert _run(source, remove=[("time",)]) == source.replace("import time\n", "", 1).replace("time.sleep", "pause")
    # a name the block binds is the block's: it is never removed here
    guarded = "import sys\nif sys.version_info < (3, 8):\n    import time\nelse:\n    import time\n\n\ndef test_x():\n    time.sleep(1)\n"
    assert _run(guarded, remove=[("time",)]) == guarded.replace("time.sleep", "pause")
    # a read inside the block still counts
    read = "import sys\nimport time\n\nif sys.version_info < (3, 8):\n    START = time.time()\n"
    assert _run(read, remove=[("time",)]) == read


def test_an_import_still_read_stays() -> None:
    source = "import time\n\n\ndef test_x():\n    time.sleep(1)\n    return time.time()\n"
    assert _run(source, remove=[("time",)]) == "import time\n\n\ndef test_x():\n    pause(1)\n    return time.time()\n"


def test_the_import_map_of_an_earlier_tree_is_reused_only_while_its_statements_are() -> None:
    index = NameIndex()
    module = cst.parse_module(
        "import pytest as pt\nfrom time import sleep\n\n\nclass Base(unittest.TestCase):\n    pass\n\n\n"
        "class TestX(Base):\n    def test_a(self):\n        pass\n\n\ndef test_b():\n    pass\n"
    )
    first = ImportMap.collect(module, index, unittest_base)
    assert first.names == {"pt": "pytest", "sleep": "time.sleep"}
    assert first.unittest_classes == {"Base", "TestX"}
    first.names["extra"] = "added by a caller"  # a copy: the next caller does not see it
    # functions and class bodies changed: the same map
    new_test = module.body[4].with_changes(name=cst.Name("test_c"))
    new_class = module.body[3].with_changes(body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Pass()])]))
    edited = module.with_changes(body=[*module.body[:3], new_class, new_test])
    again = ImportMap.collect(edited, index, unittest_base)
    assert again == ImportMap.collect(edited, unittest_base=unittest_base)
    assert "extra" not in again.names
    assert index.last_imports is not None and index.last_imports[1] is module
    # an import changed, or a class's bases: built afresh
    renamed = edited.with_changes(body=[cst.parse_statement("import pytest\n"), *edited.body[1:]])
    assert ImportMap.collect(renamed, index, unittest_base).names == {"pytest": "pytest", "sleep": "time.sleep"}
    plain = renamed.with_changes(body=[*renamed.body[:3], new_class.with_changes(bases=[]), new_test])
    assert ImportMap.collect(plain, index, unittest_base).unittest_classes == {"Base"}


@pytest.mark.parametrize(
    ("body", "stays"),
    [
        ('def hook(item):\n    return item.get_closest_marker("asyncio")\n', False),  # data handed to a call
        ('def hook(item):\n    return item.get_closest_marker(name="asyncio")\n', False),
        ('MARKS = ["asyncio"]\n', True),  # when in doubt, a string may be an annotation
        ('def f(x: "asyncio.Future") -> None:\n    pass\n', True),
        ('def f(x):\n    return cast("asyncio.Future", x)\n', True),
        ('def f(x):\n    return typing.cast("asyncio.Future", x)\n', True),
        ('def f(x):\n    return typed("asyncio.Future", x)\n', True),  # cast under another name
        # a mark's condition is code, evaluated in the module's globals
        ('@pytest.mark.skipif("not(hasattr(asyncio,\'run\'))")\ndef test_x():\n    pass\n', True),
        ('@pytest.mark.xfail("not hasattr(asyncio, \'TaskGroup\')", reason="old")\ndef test_x():\n    pass\n', True),
        ('@pytest.mark.skipif("sys.platform == \'win32\'")\ndef test_x():\n    pass\n', False),
        ("def f(item):\n    return item.asyncio\n", False),  # an attribute's name is not the module
        ("def f(item):\n    return g(asyncio=1)\n", False),  # nor a keyword's
    ],
)
def test_a_string_handed_to_an_ordinary_call_does_not_keep_an_import(body: str, stays: bool) -> None:
    source = f"import asyncio\n\n\n{body}"
    out = _run(source, remove=[("asyncio",)])
    assert out.startswith("import asyncio\n") is stays


_KEPT = [("lib", "the hook reads it")]
_MARK = "  # noqa: F401 (the hook reads it)"


@pytest.mark.parametrize(
    ("imports", "marked"),
    [
        ("import lib\n", "import lib" + _MARK + "\n"),
        ("import lib as lib\n", "import lib as lib" + _MARK + "\n"),
        ("from pkg import lib\n", "from pkg import lib" + _MARK + "\n"),
        # the other names of the line are read: the comment hides nothing else
        ("import lib, os\n", "import lib, os" + _MARK + "\n"),
        # a comment of the line's own stays in front
        ("import lib  # type: ignore\n", "import lib  # type: ignore" + _MARK + "\n"),
    ],
)
def test_a_kept_import_nothing_reads_gets_a_noqa_comment(imports: str, marked: str) -> None:
    body = "\n\ndef test_x():\n    time.sleep(os.sep)\n"
    assert _run(imports + body, keep=_KEPT) == marked + body.replace("time.sleep", "pause")


@pytest.mark.parametrize(
    "source",
    [
        "import lib\n\n\ndef test_x():\n    return lib.Loop()\n",  # still read: nothing to say
        "import lib, os\n\n\ndef test_x():\n    pass\n",  # os unused too: the comment would hide it
        "import lib  # noqa\n\n\ndef test_x():\n    pass\n",  # a noqa of the user's
        "import lib  # noqa: E402\n\n\ndef test_x():\n    pass\n",
        "from pkg import (\n    lib,\n)\n\n\ndef test_x():\n    pass\n",  # over lines: linters differ on where
        "try:\n    import lib\nexcept ImportError:\n    lib = None\n",  # not a top-level import line
        "import other\n\n\ndef test_x():\n    pass\n",  # nothing binds the name
    ],
)
def test_a_kept_import_is_left_as_it_is(source: str) -> None:
    assert _run(source, keep=_KEPT) == source
