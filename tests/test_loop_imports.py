"""Removing event_loop from a module removes it from every import of it (issue 25,
patterns 1 and 2): the survey's reading of the imports, the import edit, and a helper
whose import the rewrite cannot follow (left, with notes)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import libcst as cst

from migrate_async.engine import RunOptions, run
from migrate_async.goldens import BEFORE_ROOT
from migrate_async.imports.edits import remove_imports_fast
from migrate_async.pytest_model.event_loop import exports_name, loop_imports
from migrate_async.transforms import REGISTRY


def test_bindings_of_event_loop_from_other_modules() -> None:
    tree = ast.parse(
        "import pkg.test_utils\n"
        "import pkg.test_utils as tu\n"
        "from . import helpers\n"
        "from pytest_asyncio.plugin import unused_tcp_port, event_loop\n"
        "from lib import event_loop as loop\n"
        "from lib import *\n"
        "event_loop = tu.event_loop\n"
        "event_loop = pkg.test_utils.event_loop\n"
        "event_loop = helpers.event_loop\n"
        "event_loop = make_loop\n"
    )
    found = [(b.line, b.module, b.level, b.how, b.from_plugin) for b in loop_imports(tree)]
    assert found == [
        (4, "pytest_asyncio.plugin", 0, "import", True),
        (5, "lib", 0, "alias", False),
        (7, "pkg.test_utils", 0, "assign", False),
        (8, "pkg.test_utils", 0, "assign", False),
        (9, "helpers", 1, "assign", False),
    ]
    assert exports_name(ast.parse('__all__ = ("a", "event_loop")'), "event_loop")
    assert not exports_name(ast.parse('__all__ = ["a"]\nevent_loop = 1'), "event_loop")


def test_the_last_name_of_a_parenthesized_import_goes_with_its_own_comment() -> None:
    module = cst.parse_module(
        "from pkg.test_utils import (\n"
        "    assert_run,  # the helper\n"
        "    event_loop,  # noqa: F401 (a fixture)\n"
        ")\n"
        "from pkg.test_utils import event_loop\n"
    )
    result = remove_imports_fast(module, [("pkg.test_utils", "event_loop", None)], {"event_loop"})
    assert result is not None
    assert result.code == "from pkg.test_utils import (\n    assert_run,  # the helper\n)\n"


def test_a_fixture_taken_by_assignment_keeps_the_helper_as_it_was(tmp_path: Path, monkeypatch) -> None:
    work = tmp_path / "project"
    shutil.copytree(BEFORE_ROOT / "all" / "helper_fixture_imported_by_tests", work)
    (work / "tests" / "test_assigned.py").write_text(
        "import pytest\n\nfrom pkg import test_utils\n\nevent_loop = test_utils.event_loop\n\n\n"
        "@pytest.mark.asyncio\nasync def test_steps(event_loop):\n    assert event_loop.steps >= 0\n"
    )
    helper = (work / "pkg" / "test_utils.py").read_bytes()
    monkeypatch.chdir(work)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))
    assert (work / "pkg" / "test_utils.py").read_bytes() == helper
    assert not (work / "tests" / "conftest.py").exists()
    assert "from pkg.test_utils import assert_run, event_loop" in (work / "tests" / "test_steps.py").read_text()
    notes = {n.path: n for n in result.all_notes}  # (at their lines in the files as written)
    assert notes["tests/test_assigned.py"].left
    assert "by assignment" in notes["tests/test_assigned.py"].message
    assert notes["tests/test_steps.py"].left
    assert "was left" in notes["tests/test_steps.py"].message
    assert "tests/test_assigned.py:5 takes it by assignment" in notes["pkg/test_utils.py"].message


def test_every_spelling_of_all_loses_the_name_its_import_loses(tmp_path, monkeypatch) -> None:
    # __all__ annotated, and extended with +=: the name goes from both (a star import of the
    # module would fail on a name __all__ lists and the module no longer has)
    import shutil
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.goldens import BEFORE_ROOT
    from migrate_async.transforms import REGISTRY

    shutil.copytree(BEFORE_ROOT / "all" / "plugin_fixture_reexported", tmp_path / "p")
    helpers = tmp_path / "p" / "tests" / "helpers.py"
    text = helpers.read_text().replace("__all__ = [", "__all__: list[str] = [") + '__all__ += ["event_loop"]\n'
    helpers.write_text(text)
    monkeypatch.chdir(tmp_path / "p")
    run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None, write=True))
    result = helpers.read_text()
    assert '__all__: list[str] = ["unused_tcp_port", "start_echo_server"]\n' in result
    assert "event_loop" not in result
