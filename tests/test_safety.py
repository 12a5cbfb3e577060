"""Never lose data: encodings, line endings, modes, atomic writes, invalid output."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import libcst as cst
import pytest

from migrate_async import engine
from migrate_async.engine import RunOptions, atomic_write, process_file, run
from migrate_async.project import NEWEST_TARGET, ProjectResolver
from migrate_async.transforms import BY_NAME, REGISTRY
from migrate_async.transforms.transform import Transform
from migrate_async.transforms.triggers import Triggers

SLEEPY = "import time\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_wait():\n    time.sleep(0.001)\n"
SLEEPY_FIXED = "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_wait():\n    await asyncio.sleep(0.001)\n"


def _apply(root: Path, *names: str) -> engine.RunResult:
    transforms = [BY_NAME[n] for n in names] if names else [t for t in REGISTRY if t.default]
    return run([root], RunOptions(transforms=transforms, target=NEWEST_TARGET, write=True))


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_crlf_endings_are_kept(root: Path) -> None:
    path = root / "test_crlf.py"
    path.write_bytes(SLEEPY.replace("\n", "\r\n").encode())
    _apply(root, "asyncio-sleep")
    assert path.read_bytes() == SLEEPY_FIXED.replace("\n", "\r\n").encode()


def test_lone_cr_endings_are_kept_to_the_last(root: Path) -> None:
    # LibCST sees no trailing newline in such a file, and its code for the tree would
    # drop the final "\r"
    path = root / "test_cr.py"
    path.write_bytes(SLEEPY.replace("\n", "\r").encode())
    _apply(root, "asyncio-sleep")
    assert path.read_bytes() == SLEEPY_FIXED.replace("\n", "\r").encode()
    assert engine.parse_module("x = 1\r# c\r").has_trailing_newline
    assert not engine.parse_module("x = 1").has_trailing_newline


def test_latin1_with_coding_cookie_is_kept(root: Path) -> None:
    source = "# -*- coding: latin-1 -*-\n# caf\xe9 r\xe9sum\xe9\n" + SLEEPY
    path = root / "test_latin1.py"
    path.write_bytes(source.encode("latin-1"))
    _apply(root, "asyncio-sleep")
    expected = "# -*- coding: latin-1 -*-\n# caf\xe9 r\xe9sum\xe9\n" + SLEEPY_FIXED
    assert path.read_bytes() == expected.encode("latin-1")


def test_bom_is_kept(root: Path) -> None:
    path = root / "test_bom.py"
    path.write_bytes(b"\xef\xbb\xbf" + SLEEPY.encode())
    _apply(root, "asyncio-sleep")
    assert path.read_bytes() == b"\xef\xbb\xbf" + SLEEPY_FIXED.encode()


def test_mode_bits_are_kept_on_a_read_only_file(root: Path) -> None:
    path = root / "test_readonly.py"
    path.write_text(SLEEPY)
    path.chmod(0o444)
    _apply(root, "asyncio-sleep")
    assert path.read_text() == SLEEPY_FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    executable = root / "test_exec.py"
    executable.write_text(SLEEPY)
    executable.chmod(0o750)
    _apply(root, "asyncio-sleep")
    assert stat.S_IMODE(executable.stat().st_mode) == 0o750


def test_no_temp_files_are_left_behind(root: Path) -> None:
    (root / "test_a.py").write_text(SLEEPY)
    _apply(root)
    assert sorted(p.name for p in root.iterdir()) == ["pytest.ini", "test_a.py"]


def test_second_apply_changes_nothing(root: Path) -> None:
    (root / "test_a.py").write_text(SLEEPY.replace("@pytest.mark.asyncio\n", ""))
    first = _apply(root)
    assert first.changed_files
    second = _apply(root)
    assert second.changed_files == []


def test_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "test_x.py"
    path.write_text("new content from the editor\n")
    with pytest.raises(OSError, match="changed on disk"):
        atomic_write(path, b"our rewrite\n", expected_old=b"what we read\n")
    assert path.read_text() == "new content from the editor\n"


class _Breaker(Transform):
    """A transform with a bug: it produces code that does not parse."""

    name = "breaker"
    summary = "test double"
    triggers = Triggers(all=(b"sleep",))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        self.count_edit()
        return updated_node.with_changes(footer=[cst.EmptyLine(comment=None)], header=[]).with_changes(
            body=[*updated_node.body, cst.SimpleStatementLine([cst.Expr(cst.Name("def"))])]
        )


class _Crasher(Transform):
    name = "crasher"
    summary = "test double"
    triggers = Triggers(all=(b"sleep",))

    def visit_Module(self, node: cst.Module) -> bool:
        raise ValueError("boom")


@pytest.mark.parametrize("double", [_Breaker, _Crasher])
def test_broken_transform_never_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, double) -> None:
    monkeypatch.setitem(BY_NAME, double.name, double)
    path = tmp_path / "test_x.py"
    path.write_text(SLEEPY)
    facts = ProjectResolver().facts_for_file(path)
    outcome = process_file(path, "test_x.py", facts, (double.name,), write=True)
    assert outcome.error is not None and "internal error" in outcome.error
    assert outcome.error.count("\n") == 0
    assert not outcome.written
    assert path.read_text() == SLEEPY


def test_unwritable_file_is_reported_and_the_run_goes_on(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "test_a.py").write_text(SLEEPY)
    (root / "test_b.py").write_text(SLEEPY)
    real_replace = os.replace

    def refuse_a(src, dst):
        if Path(dst).name == "test_a.py":
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse_a)
    result = _apply(root, "asyncio-sleep")
    assert result.all_errors == ["test_a.py: cannot write: Permission denied"]
    assert result.changed_files == ["test_b.py"]
    assert (root / "test_a.py").read_text() == SLEEPY
    assert (root / "test_b.py").read_text() == SLEEPY_FIXED
    assert sorted(p.name for p in root.iterdir()) == ["pytest.ini", "test_a.py", "test_b.py"]


def test_files_without_triggers_are_not_parsed(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "test_plain.py").write_text("def test_add():\n    assert 1 + 1 == 2\n")
    calls = []
    real = engine.process.parse
    monkeypatch.setattr(engine.process, "parse", lambda text, path: calls.append(path) or real(text, path))
    result = _apply(root)
    assert calls == []
    assert result.considered == 1
    assert result.files == []  # settled by the scan: no outcome to report
    # the spy sees the parse of a file with triggers
    (root / "test_sleepy.py").write_text(SLEEPY)
    result = _apply(root)
    assert [Path(path).name for path in calls] == ["test_sleepy.py"]
    assert result.considered == 2
    assert [outcome.path for outcome in result.files] == ["test_sleepy.py"]


# --- honest reports: a file that could not be written is not "changed" ------------------

def _refuse(*_args, **_kwargs):
    raise PermissionError(13, "Permission denied", "/somewhere/absolute/.test_a.py.tmp")


def test_a_failed_write_is_an_error_line_not_a_change(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "test_a.py").write_text(SLEEPY)
    monkeypatch.setattr(engine.writes, "atomic_write", _refuse)
    result = _apply(root, "asyncio-sleep")
    assert result.changed_files == []
    assert result.all_errors == ["test_a.py: cannot write: Permission denied"]
    assert result.all_notes == []
    (outcome,) = result.files
    assert not outcome.changed and not outcome.written and outcome.diff == ""
    assert engine_summary(result) == "0 files changed, 0 need review, 1 skipped"
    assert (root / "test_a.py").read_text() == SLEEPY


def engine_summary(result: engine.RunResult) -> str:
    from migrate_async.report import summary_line

    return summary_line(result, "apply")


def test_a_file_changed_on_disk_says_so_in_one_line(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = root / "test_a.py"
    path.write_text(SLEEPY)
    real = engine.writes.atomic_write

    def edited_meanwhile(target, data, expected_old=None, within=None):
        target.write_text(SLEEPY + "# edited meanwhile\n")
        return real(target, data, expected_old=expected_old, within=within)

    monkeypatch.setattr(engine.writes, "atomic_write", edited_meanwhile)
    result = _apply(root, "asyncio-sleep")
    assert result.all_errors == ["test_a.py: cannot write: changed on disk while migrate-async was running; not overwritten"]
    assert result.changed_files == []
    assert path.read_text() == SLEEPY + "# edited meanwhile\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_reported_and_nothing_counted(root: Path) -> None:
    tests = root / "tests"
    tests.mkdir()
    (tests / "test_a.py").write_text(SLEEPY)
    tests.chmod(0o555)
    try:
        result = _apply(root, "asyncio-sleep")
    finally:
        tests.chmod(0o755)
    assert result.changed_files == []
    assert result.all_errors == ["tests/test_a.py: cannot write: Permission denied"]
    assert (tests / "test_a.py").read_text() == SLEEPY


UNSCOPED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n"


def test_a_config_file_that_cannot_be_written_is_not_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("pytest-asyncio\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_x.py").write_text(UNSCOPED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine.config_requests, "atomic_write", _refuse)
    result = _apply(tmp_path)
    assert result.all_errors == ["pytest.ini: cannot write: Permission denied"]
    assert "pytest.ini" not in result.changed_files
    assert (tmp_path / "pytest.ini").read_text() == "[pytest]\n"
    (config,) = [c for c in result.configs if c.path == "pytest.ini"]
    assert config.diff == "" and not config.written and not config.created


def test_a_config_file_that_cannot_be_created_is_not_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("pytest-asyncio\n")
    (tmp_path / "test_x.py").write_text(UNSCOPED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine.config_requests, "atomic_write", _refuse)
    result = _apply(tmp_path)
    assert result.created_files == [] and "pytest.ini" not in result.changed_files
    assert result.all_errors == ["pytest.ini: cannot write: Permission denied"]
    assert not (tmp_path / "pytest.ini").exists()


# --- syntax errors where Python puts them -------------------------------------------------

@pytest.mark.parametrize(
    "source",
    [
        "async def test_x(:\n    pass\n",
        "x = (\n",
        "def f():\nreturn 1\n",
        "x = 1\n  y = 2\n",
        "x = 'caf\xe9' +\n",
        "print 'a'\n",
    ],
)
def test_a_syntax_error_is_reported_where_python_reports_it(tmp_path: Path, source: str) -> None:
    with pytest.raises(SyntaxError) as python:
        compile(source, "test_x.py", "exec", dont_inherit=True)
    with pytest.raises(engine.SourceError) as ours:
        engine.parse(source, "tests/test_x.py")
    where = f"tests/test_x.py:{python.value.lineno}:{python.value.offset}: syntax error: {python.value.msg}"
    assert str(ours.value) == where


#: files LibCST's parser reads and Python rejects: LibCST's checks of the node reject them
#: too, which its parse here leaves out when the process has one thread (cstkit.parsing)
ONLY_THE_NODE_CHECKS_REJECT = [
    'import time\n\nX = b"a" "b"\n\n\nasync def test_x():\n    time.sleep(0.001)\n',
    "import time\n\n\nasync def test_x():\n    try:\n        pass\n    except:\n        pass\n"
    "    except ValueError:\n        pass\n    time.sleep(0.001)\n",
]


@pytest.mark.parametrize("threads", [1, 2], ids=["alone", "beside-a-thread"])
@pytest.mark.parametrize("source", ONLY_THE_NODE_CHECKS_REJECT, ids=["bytes-and-str", "bare-except-first"])
def test_what_only_libcsts_node_checks_reject_is_a_syntax_error(
    root: Path, monkeypatch: pytest.MonkeyPatch, source: str, threads: int
) -> None:
    from migrate_async.cstkit import parsing

    monkeypatch.setattr(parsing.threading, "active_count", lambda: threads)
    with pytest.raises(SyntaxError) as python:
        compile(source, "test_x.py", "exec", dont_inherit=True)
    path = root / "test_x.py"
    path.write_text(source)
    result = _apply(root, "asyncio-sleep")
    assert result.all_errors == [f"test_x.py:{python.value.lineno}:{python.value.offset}: syntax error: {python.value.msg}"]
    assert path.read_text() == source


def test_a_file_only_libcst_rejects_keeps_libcst_position(monkeypatch: pytest.MonkeyPatch) -> None:
    def reject(text: str) -> cst.Module:
        raise cst.ParserSyntaxError("expected NAME", lines=text.splitlines(True), raw_line=2, raw_column=3)

    monkeypatch.setattr(engine.files, "parse_module", reject)
    with pytest.raises(engine.SourceError, match=r"^t\.py:2:4: syntax error: expected NAME$"):
        engine.parse("x = 1\ny = 2\n", "t.py")


# --- nothing written outside the project tree --------------------------------------------

@pytest.fixture
def linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project (a repository, with tests/) and a folder outside it holding a legacy test."""
    project = tmp_path / "proj"
    (project / ".git").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "test_far.py").write_text(SLEEPY)
    monkeypatch.chdir(project)
    return project


def _run_named(*paths: str, write: bool = True) -> engine.RunResult:
    transforms = [t for t in REGISTRY if t.default]
    return run([Path(p) for p in paths], RunOptions(transforms=transforms, target=NEWEST_TARGET, write=write))


def test_a_named_link_out_of_the_project_is_skipped(linked: Path) -> None:
    link = linked / "tests" / "test_link.py"
    link.symlink_to(linked.parent / "outside" / "test_far.py")
    result = _run_named("tests/test_link.py")
    assert result.changed_files == []
    assert result.all_errors == [
        "tests/test_link.py: a symbolic link to a file outside the project (.); not followed"
    ]
    assert link.is_symlink()
    assert sorted(p.name for p in (linked.parent / "outside").iterdir()) == ["test_far.py"]
    assert (linked.parent / "outside" / "test_far.py").read_text() == SLEEPY


def test_a_named_link_out_of_the_project_without_markers_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no configuration, no .git: the project is the folder named (the link's own folder)
    (tmp_path / "here").mkdir()
    (tmp_path / "far").mkdir()
    (tmp_path / "far" / "test_far.py").write_text(SLEEPY)
    (tmp_path / "here" / "test_link.py").symlink_to(tmp_path / "far" / "test_far.py")
    monkeypatch.chdir(tmp_path / "here")
    result = _run_named("test_link.py")
    assert result.all_errors == ["test_link.py: a symbolic link to a file outside the project (.); not followed"]
    assert sorted(p.name for p in (tmp_path / "far").iterdir()) == ["test_far.py"]


def test_a_named_path_through_a_linked_folder_out_of_the_project_is_skipped(linked: Path) -> None:
    (linked / "tests" / "far").symlink_to(linked.parent / "outside", target_is_directory=True)
    result = _run_named("tests/far/test_far.py", "tests/far")
    assert result.all_errors == [
        "tests/far/test_far.py: a symbolic link to a file outside the project (.); not followed",
        "tests/far: a symbolic link to a folder outside the project (.); not followed",
    ]
    assert sorted(p.name for p in (linked.parent / "outside").iterdir()) == ["test_far.py"]


def test_a_named_link_within_the_project_edits_its_target_and_stays_a_link(linked: Path) -> None:
    target = linked / "tests" / "test_real.py"
    target.write_text(SLEEPY)
    link = linked / "test_link.py"
    link.symlink_to(Path("tests") / "test_real.py")
    result = _run_named("test_link.py")
    assert result.all_errors == []
    assert result.changed_files == ["test_link.py"]
    assert link.is_symlink() and os.readlink(link) == os.path.join("tests", "test_real.py")
    assert target.read_text() == SLEEPY_FIXED


def test_a_link_found_walking_that_leads_out_is_reported(linked: Path) -> None:
    (linked / "tests" / "test_a.py").write_text(SLEEPY)
    (linked / "tests" / "test_link.py").symlink_to(linked.parent / "outside" / "test_far.py")
    (linked / "tests" / "test_same.py").symlink_to(linked / "tests" / "test_a.py")  # found by its own name
    result = _run_named(".")
    # said, not an error: nobody asked for that file, and a tree holding such a link is not broken
    assert result.all_errors == []
    assert "tests/test_link.py: a symbolic link to a file outside the folder walked (.); not followed" in result.left_alone
    assert result.changed_files == ["tests/test_a.py"]
    assert (linked / "tests" / "test_same.py").is_symlink()
    assert (linked.parent / "outside" / "test_far.py").read_text() == SLEEPY


def test_a_config_file_linked_out_of_the_project_is_not_edited(linked: Path) -> None:
    shared = linked.parent / "outside" / "shared.ini"
    shared.write_text("[pytest]\n")
    (linked / "pytest.ini").unlink()
    (linked / "pytest.ini").symlink_to(shared)
    (linked / "requirements.txt").write_text("pytest-asyncio\n")
    (linked / "tests" / "test_x.py").write_text(UNSCOPED)
    result = _run_named(".")
    assert shared.read_text() == "[pytest]\n"
    assert (linked / "pytest.ini").is_symlink()
    assert "pytest.ini" not in result.changed_files
    assert [e for e in result.all_errors if e.startswith("pytest.ini")] == [
        "pytest.ini: a symbolic link leads outside the project; not edited (set asyncio_default_fixture_loop_scope by hand)"
    ]


def test_atomic_write_writes_through_a_link_and_refuses_outside_the_tree(tmp_path: Path) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "far.py").write_text("old\n")
    (tmp_path / "proj" / "real.py").write_text("old\n")
    (tmp_path / "proj" / "in.py").symlink_to(tmp_path / "proj" / "real.py")
    (tmp_path / "proj" / "out.py").symlink_to(tmp_path / "far.py")
    atomic_write(tmp_path / "proj" / "in.py", b"new\n", expected_old=b"old\n", within=tmp_path / "proj")
    assert (tmp_path / "proj" / "in.py").is_symlink() and (tmp_path / "proj" / "real.py").read_text() == "new\n"
    with pytest.raises(OSError, match="outside the project"):
        atomic_write(tmp_path / "proj" / "out.py", b"new\n", within=tmp_path / "proj")
    assert (tmp_path / "far.py").read_text() == "old\n"


def test_a_requirements_file_linked_out_of_the_project_is_not_edited(linked: Path) -> None:
    shared = linked.parent / "outside" / "requirements.txt"
    shared.write_text("pytest-asyncio==0.21.1\n")
    (linked / "requirements.txt").symlink_to(shared)
    (linked / "tests" / "test_a.py").write_text(SLEEPY)
    result = _run_named(".")
    assert shared.read_text() == "pytest-asyncio==0.21.1\n"
    assert (linked / "requirements.txt").is_symlink()
    assert result.changed_files == ["tests/test_a.py"]
    assert result.all_errors == [
        "requirements.txt: a symbolic link leads outside the project; not edited (raise pytest-asyncio>=1.5 by hand)"
    ]


def test_an_absolute_path_through_a_linked_folder_is_checked_from_anywhere(
    linked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # proj/linked -> ../outside, named by its absolute path from a folder unrelated to both
    (linked / "linked").symlink_to(linked.parent / "outside", target_is_directory=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = _run_named(str(linked / "linked" / "test_far.py"))
    assert result.changed_files == []
    assert len(result.all_errors) == 1 and "a symbolic link to a file outside the project" in result.all_errors[0]
    assert (linked.parent / "outside" / "test_far.py").read_text() == SLEEPY
    assert sorted(p.name for p in (linked.parent / "outside").iterdir()) == ["test_far.py"]


def test_a_rewrite_that_python_would_not_compile_is_refused() -> None:
    from migrate_async.engine.files import output_is_valid

    old = "f(a=1)\n"
    assert output_is_valid("f(a=1, b=2)\n", old)
    # ast.parse accepts both of these; Python's compiler does not
    assert not output_is_valid("f(a=1, a=2)\n", old)
    assert not output_is_valid("return 1\n", old)
    # text this Python cannot compile in the first place is judged by LibCST alone
    assert output_is_valid("return 2\n", "return 1\n")
    # a module written for top-level await (a notebook export) stays acceptable
    assert output_is_valid("await g()\n", "await f()\n")
