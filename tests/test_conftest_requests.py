"""The engine adds the definitions transforms ask for to conftest.py files (conftest_requests.py)."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from types import SimpleNamespace
from typing import NamedTuple

import libcst as cst
import pytest

from migrate_async.engine import conftest_requests
from migrate_async.engine.conftest_requests import (
    add_definitions,
    apply_conftest_requests,
    conftest_for,
)
from migrate_async.engine.results import FileOutcome, RunResult
from migrate_async.project import PytestConfig
from migrate_async.project.formatting import CodeStyle
from migrate_async.pytest_model.conftest_code import LoopFactoryBranch
from migrate_async.transforms.transform import ConftestRequest

OWN_LOOP = (
    "@pytest.fixture\n"
    "def event_loop():\n"
    "    loop = asyncio.new_event_loop()\n"
    "    yield loop\n"
    "    loop.close()\n"
)
IMPORTS = (("asyncio", None), ("pytest", None))


def _request(folder: Path, name: str = "event_loop", code: str = OWN_LOOP, nearest: bool = True) -> ConftestRequest:
    return ConftestRequest(str(folder), name, code, IMPORTS, "sync-to-async", "a sync test needs a loop object", nearest)


def _plan(root: Path) -> SimpleNamespace:
    config = PytestConfig(root / "pytest.ini", "ini", "pytest")
    return SimpleNamespace(project=SimpleNamespace(config=config, style=CodeStyle()), changed=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "tests" / "unit").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nearest_conftest_at_or_above_the_folder_within_the_root(project: Path) -> None:
    folder = project / "tests" / "unit"
    assert conftest_for(_request(folder), project, set()) == folder / "conftest.py"  # none yet: created here
    (project / "tests" / "conftest.py").write_text("")
    assert conftest_for(_request(folder), project, set()) == project / "tests" / "conftest.py"
    assert conftest_for(_request(folder, nearest=False), project, set()) == folder / "conftest.py"
    # never above the root, even when a conftest.py is there
    (project / "tests" / "conftest.py").unlink()
    assert conftest_for(_request(folder), project / "tests", set()) == folder / "conftest.py"
    # a conftest.py this run is about to create counts as existing
    planned = {project / "tests" / "conftest.py"}
    assert conftest_for(_request(folder), project, planned) == project / "tests" / "conftest.py"


def test_a_new_conftest_holds_the_imports_then_the_definition() -> None:
    assert add_definitions("", [_request(Path("tests"))], frozenset()) == "import asyncio\n\nimport pytest\n\n\n" + OWN_LOOP


def test_an_existing_conftest_keeps_its_text_and_gets_imports_where_isort_puts_them() -> None:
    text = '"""Shared fixtures."""\n\nimport pytest\n\n\n@pytest.fixture\ndef user():\n    return "ada"\n'
    new = add_definitions(text, [_request(Path("tests"))], frozenset())
    assert new == (
        '"""Shared fixtures."""\n\nimport asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef user():\n'
        '    return "ada"\n\n\n' + OWN_LOOP
    )


def _run(project: Path, outcomes: list[FileOutcome], requests: list[ConftestRequest], write: bool) -> RunResult:
    result = RunResult(files=outcomes)
    outcomes[0].conftest_requests = requests
    apply_conftest_requests(result, [_plan(project)] * len(outcomes), write)
    return result


def test_a_created_conftest_is_shown_from_dev_null_and_written(project: Path) -> None:
    asking = FileOutcome(path="tests/unit/test_client.py", changed=True)
    result = _run(project, [asking], [_request(project / "tests" / "unit")] * 2, write=True)
    created = result.files[-1]
    assert created.path == "tests/unit/conftest.py" and created.created and created.written
    assert result.created_files == ["tests/unit/conftest.py"]
    assert created.diff.startswith("--- /dev/null\n+++ tests/unit/conftest.py\n")
    assert (project / "tests" / "unit" / "conftest.py").read_text().count("def event_loop") == 1  # merged once
    # a second run finds it defined and adds nothing
    again = _run(project, [FileOutcome(path="tests/unit/test_client.py")], [_request(project / "tests" / "unit")], write=True)
    assert [f.path for f in again.files if f.changed] == []


def test_a_conftest_the_run_already_rewrote_gets_the_definition_on_top_of_that(project: Path) -> None:
    conftest = project / "tests" / "conftest.py"
    before = "import pytest\n\n\n@pytest.fixture\ndef event_loop():\n    yield None\n"
    rewritten = "import pytest\n"
    conftest.write_text(rewritten)  # as the worker wrote it
    edited = FileOutcome(path="tests/conftest.py", changed=True, written=True, texts=(before, rewritten, "utf-8"))
    asking = FileOutcome(path="tests/unit/test_client.py", changed=True)
    result = RunResult(files=[edited, asking])
    asking.conftest_requests = [_request(project / "tests" / "unit")]
    apply_conftest_requests(result, [_plan(project)] * 2, write=True)
    assert len(result.files) == 2 and not edited.created
    assert conftest.read_text() == "import asyncio\n\nimport pytest\n\n\n" + OWN_LOOP
    assert edited.diff.startswith("--- tests/conftest.py\n") and "-    yield None" in edited.diff


def test_a_name_the_conftest_defines_is_not_added_and_two_different_definitions_are_a_note(project: Path) -> None:
    conftest = project / "tests" / "conftest.py"
    conftest.write_text("from helpers import event_loop\n")
    asking = FileOutcome(path="tests/test_a.py", changed=True)
    result = _run(project, [asking], [_request(project / "tests")], write=False)
    assert [f.path for f in result.files if f.changed] == ["tests/test_a.py"]
    conftest.unlink()
    other = _request(project / "tests" / "unit", code=OWN_LOOP.replace("new_event_loop", "SelectorEventLoop"))
    other = other._replace(asker=str(project / "tests" / "unit" / "test_b.py"))
    first = _request(project / "tests")._replace(asker=str(project / "tests" / "test_a.py"))
    result = _run(project, [asking], [first, other], write=False)
    assert len(result.notes) == 1 and "two different definitions of event_loop" in result.notes[0].message
    # the note names the files that asked, and whose was added
    assert "tests/test_a.py and tests/unit/test_b.py" in result.notes[0].message
    assert "tests/test_a.py's, was added: check tests/unit/test_b.py" in result.notes[0].message
    assert os.path.exists(conftest) is False  # diff writes nothing


def test_one_definition_asked_from_sibling_folders_goes_to_the_conftest_above_both(project: Path) -> None:
    """tests/unit has a conftest.py of its own, tests/api none: the nearest conftest.py of
    each would be tests/unit's for one and a new tests/api/conftest.py for the other; asked
    together, the definition goes once to the conftest.py of the folder above both."""
    (project / "tests" / "api").mkdir()
    (project / "tests" / "unit" / "conftest.py").write_text("import pytest\n")
    unit = FileOutcome(path="tests/unit/test_client.py", changed=True)
    api = FileOutcome(path="tests/api/test_routes.py", changed=True)
    unit.conftest_requests = [_request(project / "tests" / "unit")]
    api.conftest_requests = [_request(project / "tests" / "api")]
    result = RunResult(files=[unit, api])
    apply_conftest_requests(result, [_plan(project)] * 2, write=True)
    assert result.created_files == ["tests/conftest.py"]
    assert (project / "tests" / "conftest.py").read_text().count("def event_loop") == 1
    assert (project / "tests" / "unit" / "conftest.py").read_text() == "import pytest\n"
    assert not (project / "tests" / "api" / "conftest.py").exists()


def test_shared_folders_merges_only_the_same_definition_of_one_project(tmp_path: Path) -> None:
    unit, api, deep = tmp_path / "tests" / "unit", tmp_path / "tests" / "api", tmp_path / "tests" / "unit" / "deep"
    other_root = tmp_path / "other"
    wider = OWN_LOOP.replace("@pytest.fixture\n", '@pytest.fixture(scope="session")\n')
    asked = [
        (_request(unit), tmp_path),
        (_request(api), tmp_path),
        (_request(deep), tmp_path),  # below unit: tests holds all three
        (_request(unit, code=wider), tmp_path),  # another definition: asked alone
        (_request(api, nearest=False), tmp_path),  # the folder's own conftest.py: as asked
        (_request(other_root / "a"), other_root),  # another project
    ]
    common = os.path.realpath(tmp_path / "tests")
    assert conftest_requests.shared_folders(asked) == [
        common, common, common, str(unit), str(api), str(other_root / "a"),
    ]
    # one folder asking (twice): as it asked, whatever the spelling of the folder
    assert conftest_requests.shared_folders([(_request(unit), tmp_path), (_request(unit), tmp_path)]) == [str(unit)] * 2


def _refuse(*_args, **_kwargs):
    raise PermissionError(13, "Permission denied", "/an/absolute/.conftest.py.tmp")


def test_a_conftest_that_cannot_be_created_is_one_error_and_not_counted(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest_requests.files, "atomic_write", _refuse)
    plan = _plan(project)
    result = RunResult(files=[FileOutcome(path="tests/unit/test_client.py", changed=True, written=True)])
    result.files[0].conftest_requests = [_request(project / "tests" / "unit")]
    apply_conftest_requests(result, [plan], write=True)
    assert result.created_files == [] and result.changed_files == ["tests/unit/test_client.py"]
    assert result.all_errors == ["tests/unit/conftest.py: cannot write: Permission denied"]
    assert not (project / "tests" / "unit" / "conftest.py").exists()
    assert plan.changed is False


def test_a_rewritten_conftest_whose_definitions_cannot_be_added_keeps_its_first_change(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conftest = project / "tests" / "conftest.py"
    before = "import pytest\n\n\n@pytest.fixture\ndef event_loop():\n    yield None\n"
    rewritten = "import pytest\n"
    conftest.write_text(rewritten)
    first_diff = "--- tests/conftest.py\n+++ tests/conftest.py\n(the worker's diff)\n"
    edited = FileOutcome(path="tests/conftest.py", changed=True, written=True, diff=first_diff, texts=(before, rewritten, "utf-8"))
    asking = FileOutcome(path="tests/unit/test_client.py", changed=True, conftest_requests=[_request(project / "tests" / "unit")])
    result = RunResult(files=[edited, asking])
    monkeypatch.setattr(conftest_requests.files, "atomic_write", _refuse)
    apply_conftest_requests(result, [_plan(project)] * 2, write=True)
    assert edited.changed and edited.written and edited.diff == first_diff  # what is on disk
    assert result.all_errors == ["tests/conftest.py: cannot write: Permission denied"]
    assert conftest.read_text() == rewritten


def test_no_conftest_is_created_through_a_link_out_of_the_project(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (project / "tests" / "far").symlink_to(outside, target_is_directory=True)
    asking = FileOutcome(path="tests/far/test_client.py", changed=True)
    result = _run(project, [asking], [_request(project / "tests" / "far", nearest=False)], write=True)
    assert list(outside.iterdir()) == []
    assert result.created_files == []
    assert result.all_errors == []
    (note,) = result.notes
    assert note.path == "tests/far/test_client.py" and "outside the project" in note.message


# -- branches of the loop-factories hook (engine/function_branches.py merges them,
# -- pytest_model/conftest_code.py writes them) ------------------------------------------------


def _branch(project: Path, module: str, key: str = "StepLoop", class_name: str | None = None) -> ConftestRequest:
    factory = "asyncio.new_event_loop" if key == "asyncio" else f"item.module.{key}"
    imports = (("asyncio", None),) if key == "asyncio" else ()
    asker = project / module
    return ConftestRequest(
        str(asker.parent), "pytest_asyncio_loop_factories", "", (), "event-loop-fixture",
        "its tests ran on their own loop", True, str(asker), LoopFactoryBranch(key, factory, imports, class_name),
    )


def _branch_run(project: Path, requests: list[ConftestRequest]) -> tuple[RunResult, str | None]:
    asking = FileOutcome(path="tests/unit/test_a.py", changed=True)
    result = _run(project, [asking], requests, write=True)
    conftest = project / "tests" / "conftest.py"
    return result, conftest.read_text() if conftest.exists() else None


def test_a_hook_that_cannot_tell_items_apart_gets_no_branch_and_a_note(project: Path) -> None:
    hook = "def pytest_asyncio_loop_factories(config):\n    return {\"asyncio\": None}\n"
    (project / "tests" / "conftest.py").write_text(hook)
    result, text = _branch_run(project, [_branch(project, "tests/unit/test_a.py")])
    assert text == hook
    (note,) = result.notes
    assert note.path == "tests/conftest.py" and "does not take item" in note.message
    assert "tests/unit/test_a.py" in note.message


def test_asyncio_branches_where_no_hook_covers_the_tests_are_not_written(project: Path) -> None:
    # every test there has asyncio's loop already: a hook would only say so again
    result, text = _branch_run(project, [_branch(project, "tests/unit/test_a.py", key="asyncio")])
    assert text is None and not result.notes and not any(f.changed for f in result.files[1:])


def test_branches_go_in_once_each_in_request_order_with_one_fallback(project: Path) -> None:
    (project / "tests" / "conftest.py").write_text("import pytest\n")
    steps = _branch(project, "tests/unit/test_a.py")
    ticks = _branch(project, "tests/unit/test_b.py", key="TickLoop", class_name="TestTicks")
    _result, text = _branch_run(project, [steps, ticks, steps])
    assert text is not None
    assert text.count('return {"StepLoop": item.module.StepLoop}') == 1
    assert text.index("test_a.py") < text.index("test_b.py")
    assert "issubclass(item.cls, item.module.TestTicks)" in text  # its subclasses inherit the fixture
    assert text.count('return {"asyncio": asyncio.new_event_loop}') == 1
    assert text.startswith("import asyncio\nfrom pathlib import Path\n\nimport pytest\n")
    compile(text, "conftest.py", "exec")


@pytest.mark.parametrize("class_name", [None, "TestTicks", "TestTheTicksOfTheSchedulerWhileItRuns"])
@pytest.mark.parametrize("module", ["test_a.py", "integration/test_scheduler_ticks_under_load.py"])
def test_a_written_hook_is_black_clean(project: Path, module: str, class_name: str | None) -> None:
    import black

    (project / "tests" / "conftest.py").write_text("import pytest\n")
    _result, text = _branch_run(project, [_branch(project, f"tests/{module}", class_name=class_name)])
    assert text is not None and "Path(__file__).parent" in text
    assert black.format_str(text, mode=black.Mode()) == text


def test_a_class_branch_goes_before_its_module_branch(project: Path) -> None:
    # the module's own branch would answer first for the class's tests too
    (project / "tests" / "conftest.py").write_text("import pytest\n")
    module = _branch(project, "tests/unit/test_a.py")
    cls = _branch(project, "tests/unit/test_a.py", key="TickLoop", class_name="TestTicks")
    other = _branch(project, "tests/unit/test_b.py", key="TickLoop")
    _result, text = _branch_run(project, [other, module, cls])
    assert text is not None
    assert text.index("test_b.py") < text.index("TestTicks") < text.index('return {"StepLoop"')


class _Greeting(NamedTuple):
    """A branch of a function the engine knows nothing of: the merging is generic."""

    word: str
    narrow: bool = False
    same_as_fallback: bool = False

    def needs(self) -> tuple[tuple[str, str | None], ...]:
        return (("os", None),)

    def statement(self, module: PurePath, folder: PurePath, line_length: int) -> cst.BaseStatement:
        return cst.parse_statement(f"if name == {module.relative_to(folder).as_posix()!r}:\n    return {self.word!r}\n")

    def refusal(self, function: cst.FunctionDef) -> str | None:
        return None if function.params.params else "it takes nothing"

    def new_function(self, above: str | None) -> tuple[str, tuple[tuple[str, str | None], ...]]:
        return "def greeting(name):\n    return os.sep\n", ()

    def unplaced(self, asker: str, problem: str) -> str:
        return f"{asker} wanted {self.word}; {problem}"


def _greeting(project: Path, module: str, word: str) -> ConftestRequest:
    asker = project / module
    return ConftestRequest(str(asker.parent), "greeting", "", (), "greeter", "", True, str(asker), _Greeting(word))


def test_branches_of_any_function_are_merged_by_the_branch_s_own_rules(project: Path) -> None:
    (project / "tests" / "conftest.py").write_text('def greeting(name):\n    """Hello."""\n    return None\n')
    _result, text = _branch_run(project, [_greeting(project, "tests/unit/test_a.py", "hi"), _greeting(project, "tests/test_b.py", "yo")])
    assert text == (
        "import os\n\n\ndef greeting(name):\n"
        '    """Hello."""\n'
        "    if name == 'unit/test_a.py':\n        return 'hi'\n"
        "    if name == 'test_b.py':\n        return 'yo'\n"
        "    return None\n"
    )
    (project / "tests" / "conftest.py").write_text("def greeting():\n    return None\n")
    result, text = _branch_run(project, [_greeting(project, "tests/unit/test_a.py", "hi")])
    assert text == "def greeting():\n    return None\n"
    assert [n.message for n in result.notes] == ["tests/unit/test_a.py wanted hi; it takes nothing"]
