"""The command-line contract: verbs, options, exit statuses, output streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrate_async import engine
from migrate_async.cli import app
from migrate_async.engine import pipeline
from migrate_async.transforms import REGISTRY

LEGACY_TEST = textwrap.dedent(
    '''\
    import time

    import pytest


    @pytest.fixture
    async def client():
        return {"connected": True}


    async def test_client_connects(client):
        time.sleep(0.001)
        assert client["connected"]
    '''
)


def invoke(*args: str):
    runner = CliRunner()
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_client.py").write_text(LEGACY_TEST)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_list_shows_every_transform() -> None:
    result = invoke("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [t.name for t in REGISTRY]
    for transform, line in zip(REGISTRY, lines):
        assert transform.summary in line
        assert ("default" if transform.default else "opt-in") in line


def test_explain_prints_doc_and_golden_pair() -> None:
    result = invoke("explain", "asyncio-sleep")
    assert result.exit_code == 0
    for heading in ("What:", "Why:", "Before:", "After:", "Safety:", "--- before", "--- after"):
        assert heading in result.stdout
    assert "await asyncio.sleep" in result.stdout


def test_explain_unknown_name_is_a_usage_error() -> None:
    result = invoke("explain", "no-such-name")
    assert result.exit_code == 2
    assert "valid names: " + REGISTRY[0].name in result.stderr


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_transform_is_a_usage_error(project: Path, option: str) -> None:
    result = invoke("diff", ".", option, "no-such-name")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "unknown transform no-such-name" in result.stderr
    for transform in REGISTRY:
        assert transform.name in result.stderr


def test_bad_target_version_is_a_usage_error(project: Path) -> None:
    result = invoke("diff", ".", "--target-version", "2.7")
    assert result.exit_code == 2
    assert "outside the supported range" in result.stderr


def test_missing_path_is_a_usage_error(project: Path) -> None:
    result = invoke("diff", "no/such/dir")
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr


def test_select_runs_only_that_transform(project: Path) -> None:
    result = invoke("diff", ".", "--select", "asyncio-sleep")
    assert result.exit_code == 0
    changed = [line for line in result.stdout.splitlines() if line.startswith(("+", "-")) and line[:3] not in ("+++", "---")]
    assert changed == ["-import time", "+import asyncio", "-    time.sleep(0.001)", "+    await asyncio.sleep(0.001)"]
    assert "pytest_asyncio" not in result.stdout
    assert (project / "tests" / "test_client.py").read_text() == LEGACY_TEST


def test_select_accepts_comma_separated_and_repeated(project: Path) -> None:
    one = invoke("diff", ".", "--select", "asyncio-sleep,async-fixture")
    two = invoke("diff", ".", "--select", "asyncio-sleep", "--select", "async-fixture")
    assert one.stdout == two.stdout
    assert "pytest_asyncio.fixture" in one.stdout and "asyncio.sleep" in one.stdout


def test_check_apply_check(project: Path) -> None:
    first = invoke("check", ".")
    assert first.exit_code == 1
    assert "would change: tests/test_client.py" in first.stdout
    assert "would change: pytest.ini" in first.stdout
    applied = invoke("apply", ".")
    assert applied.exit_code == 0
    assert "changed: tests/test_client.py" in applied.stderr
    text = (project / "tests" / "test_client.py").read_text()
    assert "@pytest.mark.asyncio" in text and "@pytest_asyncio.fixture" in text
    assert "await asyncio.sleep(0.001)" in text
    again = invoke("check", ".")
    assert again.exit_code == 0, again.stdout + again.stderr
    assert again.stdout == ""


def test_diff_writes_nothing_and_goes_to_stdout(project: Path) -> None:
    before = (project / "tests" / "test_client.py").read_bytes()
    result = invoke("diff", ".")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- ")
    assert "would change" in result.stderr
    assert (project / "tests" / "test_client.py").read_bytes() == before
    assert (project / "pytest.ini").read_text() == "[pytest]\nasyncio_mode = strict\n"


def test_unreadable_files_are_reported_and_the_rest_processed(project: Path) -> None:
    tests = project / "tests"
    (tests / "test_broken.py").write_text("async def test_x(:\n    pass\n")
    (tests / "test_binary.py").write_bytes(b"x = '\xff\xfe'\nasync def test_y():\n    pass\n")
    result = invoke("diff", ".")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("tests/test_b")]
    assert len(errors) == 2
    assert errors[0].startswith("tests/test_binary.py:1:6: cannot decode as utf-8")
    assert errors[1] == "tests/test_broken.py:1:18: syntax error: invalid syntax"  # where compile() puts it
    assert "tests/test_client.py" in result.stdout  # the good file was still processed
    assert "2 skipped" in result.stderr


def test_json_output_is_one_document(project: Path) -> None:
    (project / "tests" / "test_broken.py").write_text("async def (:\n")
    result = invoke("check", ".", "--format", "json")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["command"] == "check"
    assert document["target_version"] == "1.5"
    assert set(document["totals"]) == {"files_considered", "files_left_out", "files_changed", "files_created", "edits", "notes", "left", "errors"}
    by_path = {f["path"]: f for f in document["files"]}
    good = by_path["tests/test_client.py"]
    assert good["changed"] and not good["written"]
    assert good["transforms"] == {"async-fixture": 1, "asyncio-marker": 1, "asyncio-sleep": 1}
    assert by_path["tests/test_broken.py"]["error"].startswith("tests/test_broken.py:1:")
    assert document["config_files"][0]["path"] == "pytest.ini"
    assert document["config_files"][0]["settings"] == {"asyncio_default_fixture_loop_scope": "fixture-scope"}
    assert result.stderr == ""


def test_only_test_code_is_rewritten_unless_all_files(project: Path) -> None:
    src = project / "src"
    src.mkdir()
    (src / "service.py").write_text("import time\n\nasync def handler():\n    time.sleep(0.001)\n")
    result = invoke("check", ".")
    assert "src/service.py" not in result.stdout
    assert "1 file left out as not test code" in result.stderr
    everything = invoke("check", ".", "--all-files")
    assert "would change: src/service.py" in everything.stdout
    named = invoke("check", "src/service.py")
    assert "would change: src/service.py" in named.stdout


def test_gitignore_venvs_and_excludes_are_skipped(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("generated/\n")
    for folder in ("generated", "venv", ".tox/py311", "node_modules", "tests/legacy"):
        (project / folder).mkdir(parents=True)
        (project / folder / "test_copy.py").write_text(LEGACY_TEST)
    other_venv = project / "myenv"
    other_venv.mkdir()
    (other_venv / "pyvenv.cfg").write_text("home = /usr\n")
    (other_venv / "test_copy.py").write_text(LEGACY_TEST)
    result = invoke("check", ".", "--exclude", "tests/legacy/")
    assert result.stdout.splitlines() == ["would change: tests/test_client.py", "would change: pytest.ini"]


def test_parallel_jobs_give_the_same_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(12):
        (project / "tests" / f"test_copy_{i:02}.py").write_text(LEGACY_TEST)
    mapped: list[tuple[int, int]] = []  # (files handed to the pool, its worker processes)

    class SpyPool(ProcessPoolExecutor):
        def map(self, fn, *iterables, **kwargs):
            results = list(super().map(fn, *iterables, **kwargs))
            mapped.append((len(results), len(self._processes)))
            return iter(results)

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", SpyPool)
    serial = invoke("diff", ".", "--jobs", "1")
    assert mapped == []
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    parallel = invoke("diff", ".", "--jobs", "2")
    assert mapped == [(13, 2)], "the files were not processed by a pool of two workers"
    assert serial.exit_code == parallel.exit_code == 0
    assert serial.stdout == parallel.stdout
    assert serial.stderr == parallel.stderr


def test_console_script_and_module_entry_points(project: Path) -> None:
    exe = Path(sys.executable).parent / "migrate-async"
    commands = [[sys.executable, "-m", "migrate_async", "check", "."]]
    if exe.exists():
        commands.append([str(exe), "check", "."])
    for command in commands:
        proc = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1, proc.stderr
        assert "would change: tests/test_client.py" in proc.stdout


def test_start_up_does_not_import_libcst_codemod_or_matchers(project: Path) -> None:
    # libcst.matchers is half a second of import: a run whose fast import paths suffice
    # (all of these) must not pay it
    code = (
        "import sys\n"
        "from migrate_async.cli import main\n"
        "sys.argv = ['migrate-async', 'diff', '.']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('libcst.matchers', 'libcst.codemod'))), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120)
    assert "2 files would change" in proc.stderr  # the test module (imports added and removed) and pytest.ini
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_progress_bar_only_on_a_terminal_and_for_long_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import rich.console

    from migrate_async.cli import _Progress
    from migrate_async.engine import FileOutcome

    screen = io.StringIO()
    real_console = rich.console.Console
    monkeypatch.setattr(
        rich.console, "Console",
        lambda **kwargs: real_console(file=screen, force_terminal=True, width=100, **{k: v for k, v in kwargs.items() if k != "stderr"}),
    )
    changed = FileOutcome(path="test_a.py", changed=True)
    quiet = _Progress(enabled=False)  # stderr is not a terminal, or --format json
    quiet.update(500, 1000, changed)
    short = _Progress(enabled=True)
    short.update(10, 50, changed)
    assert quiet._bar is None and short._bar is None and screen.getvalue() == ""
    long = _Progress(enabled=True)
    long.update(900, 1000, FileOutcome(path=""))  # the scan settled 900 files
    long.update(901, 1000, changed)
    long.close()
    shown = screen.getvalue()
    assert "migrate-async" in shown and "1 changed" in shown and "/1000" in shown


def test_progress_is_told_about_the_scan_and_every_processed_file(project: Path) -> None:
    for i in range(300):
        (project / "tests" / f"test_plain_{i:03}.py").write_text("def test_x():\n    assert True\n")
    calls = []
    options = engine.RunOptions(transforms=[t for t in REGISTRY if t.default], target=(1, 5))
    result = engine.run([Path(".")], options, lambda done, total, outcome: calls.append((done, total)))
    assert result.considered == 301
    scan = [call for call in calls if call[1] == 301 and call[0] < 300]
    assert scan, "the scan reports while it reads"
    dones = [done for done, _ in calls]
    assert dones == sorted(dones) and all(done <= total for done, total in calls)
    assert calls[-1] == (301, 301)


MODULE_SCOPED = 'import pytest\n\n@pytest.fixture(scope="module")\nasync def f():\n    yield 1\n\nasync def test_one(f):\n    pass\n'


def test_out_of_order_pyproject_gets_its_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.black]\nline-length = 88\n\n[project]\nname = "demo"\n'
        'optional-dependencies = {test = ["pytest-asyncio"]}\n\n[tool.ruff]\nline-length = 88\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(MODULE_SCOPED)
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", ".")
    assert result.exit_code == 0, result.stderr
    assert (
        "--- pyproject.toml\n+++ pyproject.toml\n@@ -7,3 +7,6 @@\n \n [tool.ruff]\n line-length = 88\n"
        '+\n+[tool.pytest.ini_options]\n+asyncio_default_fixture_loop_scope = "function"\n'
    ) in result.stdout


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_mode = auto\n",
         "pytest.ini:3:1: cannot read: 'asyncio_mode' is set twice in [pytest]"),
        ("pyproject.toml", "[tool.pytest.ini_options]\nx = = 1\n", "pyproject.toml:2:5: cannot read: not valid TOML"),
    ],
)
def test_config_errors_are_one_line_in_our_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, error: str) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "requirements.txt").write_text("pytest-asyncio\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(MODULE_SCOPED)
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", ".")
    assert result.exit_code in (2, 3)  # a pyproject.toml is read first for [tool.migrate-async]: a usage error
    assert error + "\n" in result.stderr
    assert str(tmp_path) not in result.stderr and "Traceback" not in result.stderr


def test_a_failed_config_edit_is_one_line_with_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate_async.project import config_files

    def fails(*args):
        raise AttributeError("'OutOfOrderTableProxy' object has no attribute 'append'")

    monkeypatch.setattr(config_files, "_add_table", fails)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = ["pytest-asyncio"]\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(MODULE_SCOPED)
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", ".")
    assert result.exit_code == 3
    assert (
        "pyproject.toml:1:1: cannot edit this file safely; add asyncio_default_fixture_loop_scope = function "
        "to [tool.pytest.ini_options] by hand\n"
    ) in result.stderr
    assert "OutOfOrderTableProxy" not in result.stderr and str(tmp_path) not in result.stderr


@pytest.fixture
def unconfigured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with no pytest configuration: the run creates a pytest.ini."""
    (tmp_path / "requirements.txt").write_text("pytest-asyncio\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(MODULE_SCOPED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_created_file_is_a_new_file_in_the_diff_and_the_summary(unconfigured: Path) -> None:
    result = invoke("diff", ".")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(
        "--- /dev/null\n+++ pytest.ini\n@@ -0,0 +1,2 @@\n+[pytest]\n+asyncio_default_fixture_loop_scope = function\n"
    )
    assert result.stderr.splitlines()[-1] == "2 files would change (1 created), 0 need review, 0 skipped"
    checked = invoke("check", ".")
    assert checked.stdout == "would change: tests/test_x.py\nwould create: pytest.ini\n"
    assert checked.stderr.splitlines()[-1] == "2 files would change (1 created), 0 need review, 0 skipped"
    applied = invoke("apply", ".")
    assert "changed: tests/test_x.py\ncreated: pytest.ini\n" in applied.stderr
    assert applied.stderr.splitlines()[-1] == "2 files changed (1 created), 0 need review, 0 skipped"
    assert (unconfigured / "pytest.ini").read_text() == "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    assert invoke("check", ".").stderr.splitlines()[-1] == "0 files would change, 0 need review, 0 skipped"


@pytest.mark.parametrize("declared", [True, False], ids=["requirements-file", "nothing-marks-the-root"])
def test_files_named_in_a_project_without_configuration_get_it_at_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, declared: bool
) -> None:
    """pytest reads the configuration of the folder it starts in: a run on tests/test_x.py
    from the project's root creates pytest.ini there, not tests/pytest.ini (which pytest
    reads only when started on tests/), and reads the root's requirements."""
    if declared:
        (tmp_path / "requirements.txt").write_text("pytest-asyncio==0.21.1\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("import pytest_asyncio\n\n" + MODULE_SCOPED)
    monkeypatch.chdir(tmp_path)
    result = invoke("apply", "tests/test_x.py")
    assert result.exit_code == 0, result.stderr
    assert "created: pytest.ini\n" in result.stderr
    assert (tmp_path / "pytest.ini").is_file() and not (tmp_path / "tests" / "pytest.ini").exists()
    if declared:
        assert (tmp_path / "requirements.txt").read_text() != "pytest-asyncio==0.21.1\n"  # raised to the target


def test_a_folder_named_without_configuration_gets_it_in_that_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder named is the project as far as the user said: its configuration is created
    there, never in the current folder above it."""
    project = tmp_path / "p8"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "test_x.py").write_text("import pytest_asyncio\n\n" + MODULE_SCOPED)
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", "p8")
    assert result.exit_code == 0, result.stderr
    assert "+++ p8/pytest.ini\n" in result.stdout and "+++ pytest.ini\n" not in result.stdout


def test_json_lists_the_created_files(unconfigured: Path) -> None:
    document = json.loads(invoke("diff", ".", "--format", "json").stdout)
    assert document["created"] == ["pytest.ini"]
    assert document["totals"]["files_created"] == 1
    (config,) = document["config_files"]
    assert config["created"] is True and config["diff"].startswith("--- /dev/null\n+++ pytest.ini\n")


def test_a_file_that_cannot_be_written_is_one_line_and_exit_3(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(project / "tests" / ".test_client.py.tmp"))

    monkeypatch.setattr(engine.writes, "atomic_write", refuse)
    before = (project / "tests" / "test_client.py").read_bytes()
    result = invoke("apply", ".", "--select", "asyncio-sleep")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr and str(project) not in result.stderr
    assert "changed: tests/test_client.py" not in result.stderr
    assert "tests/test_client.py: cannot write: Permission denied\n" in result.stderr
    assert result.stderr.splitlines()[-1] == "0 files changed, 0 need review, 1 skipped"
    assert (project / "tests" / "test_client.py").read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_reported_and_exit_3(project: Path) -> None:
    tests = project / "tests"
    tests.chmod(0o555)
    try:
        result = invoke("apply", ".", "--select", "asyncio-sleep")
    finally:
        tests.chmod(0o755)
    assert result.exit_code == 3
    assert "tests/test_client.py: cannot write: Permission denied\n" in result.stderr
    assert result.stderr.splitlines()[-1] == "0 files changed, 0 need review, 1 skipped"


def test_a_named_link_out_of_the_project_is_skipped_and_nothing_written_there(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (project / ".git").mkdir()
    outside = tmp_path_factory.mktemp("outside")
    (outside / "test_far.py").write_text(LEGACY_TEST)
    (project / "tests" / "test_link.py").symlink_to(outside / "test_far.py")
    result = invoke("apply", "tests/test_link.py")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr and str(outside) not in result.stderr
    assert result.stderr == (
        "tests/test_link.py: a symbolic link to a file outside the project (.); not followed\n"
        "0 files changed, 0 need review, 1 skipped\n"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["test_far.py"]
    assert (outside / "test_far.py").read_text() == LEGACY_TEST
    assert (project / "tests" / "test_link.py").is_symlink()


def _blocking_tests(count: int) -> str:
    """A module whose ``count`` async tests each block the loop on purpose (one note each,
    all of the kind ``blocking-on-purpose``)."""
    tests = "".join(
        f"\n\n@pytest.mark.asyncio\nasync def test_block_{i}():\n    time.sleep(0)  # noqa: ASYNC251\n"
        for i in range(count)
    )
    return "import time\n\nimport pytest\n" + tests


STOPS_THE_LOOP = (  # closing the running loop always fails: a note left unfinished
    "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_stop():\n"
    "    asyncio.get_running_loop().close()\n"
)


def _note_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("tests/test_")]


def test_repeated_notes_are_grouped_by_kind(project: Path) -> None:
    (project / "tests" / "test_client.py").unlink()
    (project / "tests" / "test_block.py").write_text(_blocking_tests(5))
    result = invoke("check", ".", "--select", "asyncio-sleep")
    lines = result.stderr.splitlines()
    shown = _note_lines(result.stderr)
    assert len(shown) == 2  # the first two in full...
    assert shown[0].startswith("tests/test_block.py:8:5: asyncio-sleep: time.sleep() blocks the event loop")
    assert shown[0].endswith(" [blocking-on-purpose]")
    # ...then one line for the other three, naming the first place
    assert (
        "... 3 more asyncio-sleep [blocking-on-purpose] notes like the one at tests/test_block.py:8:5 not shown "
        "(--all-notes shows every note)"
    ) in lines
    table = lines.index("notes by kind (count, transform, kind, first place):")
    assert lines[table + 1].split() == ["5", "asyncio-sleep", "blocking-on-purpose", "tests/test_block.py:8:5"]
    assert lines[-1] == "0 files would change, 5 need review, 0 skipped"
    every = invoke("check", ".", "--select", "asyncio-sleep", "--all-notes")
    assert len(_note_lines(every.stderr)) == 5
    assert "more asyncio-sleep" not in every.stderr


def test_a_few_notes_of_a_kind_are_not_grouped(project: Path) -> None:
    (project / "tests" / "test_client.py").unlink()
    (project / "tests" / "test_block.py").write_text(_blocking_tests(3))
    result = invoke("check", ".", "--select", "asyncio-sleep")
    assert len(_note_lines(result.stderr)) == 3
    assert "not shown" not in result.stderr


def test_a_single_note_gets_no_table(project: Path) -> None:
    (project / "tests" / "test_client.py").unlink()
    (project / "tests" / "test_block.py").write_text(_blocking_tests(1))
    result = invoke("check", ".", "--select", "asyncio-sleep")
    assert len(_note_lines(result.stderr)) == 1
    assert "notes by kind" not in result.stderr
    assert "not shown" not in result.stderr
    assert result.stderr.splitlines()[-1] == "0 files would change, 1 needs review, 0 skipped"


def test_left_notes_are_never_folded_and_are_counted_in_the_summary(project: Path) -> None:
    (project / "tests" / "test_client.py").unlink()
    (project / "tests" / "test_block.py").write_text(_blocking_tests(5))
    for i in range(5):
        (project / "tests" / f"test_stop_{i}.py").write_text(STOPS_THE_LOOP)
    result = invoke("check", ".", "--select", "asyncio-sleep,get-running-loop")
    lines = result.stderr.splitlines()
    left = [line for line in _note_lines(result.stderr) if ": get-running-loop: left unfinished: closes the loop" in line]
    assert len(left) == 5  # all five in full, though the kind repeats
    assert all(line.endswith(" [test-closes-running-loop]") for line in left)
    listed = lines.index("left unfinished, the suite would still fail here:")
    assert lines[listed + 1:listed + 6] == [
        f"  tests/test_stop_{i}.py:8:5: get-running-loop [test-closes-running-loop]" for i in range(5)
    ]
    table = lines.index("notes by kind (count, transform, kind, first place):")
    assert lines[table + 1].split() == ["5", "asyncio-sleep", "blocking-on-purpose", "tests/test_block.py:8:5"]
    assert lines[table + 2].split() == [
        "5", "get-running-loop", "test-closes-running-loop", "tests/test_stop_0.py:8:5", "5", "left", "unfinished"
    ]
    assert lines[-1] == "0 files would change, 5 need review, 5 left unfinished, 0 skipped"


def test_json_keeps_every_note_with_its_kind_and_left(project: Path) -> None:
    (project / "tests" / "test_client.py").unlink()
    (project / "tests" / "test_block.py").write_text(_blocking_tests(5))
    (project / "tests" / "test_stop.py").write_text(STOPS_THE_LOOP)
    result = invoke("check", ".", "--select", "asyncio-sleep,get-running-loop", "--format", "json")
    document = json.loads(result.stdout)
    notes = [n for f in document["files"] for n in f["notes"]]
    assert len(notes) == 6
    assert {(n["kind"], n["left"]) for n in notes} == {("blocking-on-purpose", False), ("test-closes-running-loop", True)}
    assert document["totals"]["notes"] == 6 and document["totals"]["left"] == 1
    assert document["statistics"][0] == {
        "transform": "asyncio-sleep", "kind": "blocking-on-purpose", "count": 5, "left": 0,
        "first": {"path": "tests/test_block.py", "line": 8, "column": 5},
    }
    assert document["statistics"][1]["left"] == 1


def test_github_annotations_make_left_notes_errors(project: Path) -> None:
    (project / "tests" / "test_client.py").unlink()
    (project / "tests" / "test_block.py").write_text(_blocking_tests(1))
    (project / "tests" / "test_stop.py").write_text(STOPS_THE_LOOP)
    result = invoke("check", ".", "--select", "asyncio-sleep,get-running-loop", "--format", "github")
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("::warning file=tests/test_block.py,line=8,col=5,title=migrate-async asyncio-sleep [blocking-on-purpose]::")
        for line in lines
    ), lines
    assert any(
        line.startswith("::error file=tests/test_stop.py,line=8,col=5,title=migrate-async get-running-loop [test-closes-running-loop]::left unfinished%3A")
        or line.startswith("::error file=tests/test_stop.py,line=8,col=5,title=migrate-async get-running-loop [test-closes-running-loop]::left unfinished:")
        for line in lines
    ), lines
