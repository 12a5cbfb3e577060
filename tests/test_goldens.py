"""The golden pairs: each transform alone on each before-case must produce the after-case
byte for byte, change nothing on a second run, and the after-cases must pass under pytest
with pytest-asyncio 1.5 and no deprecation warning.

``pytest --update-goldens`` rewrites fixtures_after/ from the current output instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_async.engine import (
    RunOptions,
    candidate_transforms,
    decode,
    migrate_tree,
    parse,
    run,
    survey_facts,
)
from migrate_async.goldens import (
    AFTER_ROOT,
    ALL,
    BEFORE_ROOT,
    GoldenCase,
    cases,
    unpaired_after_entries,
)
from migrate_async.project import NEWEST_TARGET, ProjectResolver, parse_version
from migrate_async.project.config_files import find_config
from migrate_async.pytest_model.runners import disabled_by
from migrate_async.transforms import BY_NAME, REGISTRY

ALL_CASES = cases()
FILE_CASES = [c for c in ALL_CASES if not c.is_project]
PROJECT_CASES = [c for c in ALL_CASES if c.is_project]


def _target(case: GoldenCase):
    value = case.options().get("target-version")
    return parse_version(value) if value else None  # None: the project's pins decide (newest without)


def _migrate_file(path: Path, transform: str, target) -> tuple[bytes, list[str]]:
    """Run one transform on one file as the engine would; (new bytes, note lines)."""
    data = path.read_bytes()
    resolver = ProjectResolver(target)
    facts = survey_facts(path, [BY_NAME[transform]], resolver)
    chosen = candidate_transforms(data, facts, [BY_NAME[transform]])
    if not chosen:
        return data, []
    text, encoding = decode(data, path.name)
    module = parse(text, path.name)
    result = migrate_tree(module, text, facts, chosen)
    notes = [n._replace(path=path.name).format() for n in result.notes]
    return result.code.encode(encoding), notes


def _notes_text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _check_notes(case: GoldenCase, notes: list[str], update: bool) -> None:
    if update:
        if notes:
            case.notes_file.write_text(_notes_text(notes), encoding="utf-8")
        elif case.notes_file.exists():
            case.notes_file.unlink()
        return
    expected = case.notes_file.read_text(encoding="utf-8") if case.notes_file.exists() else ""
    assert _notes_text(notes) == expected, f"notes differ from {case.notes_file.name}"


def test_every_transform_has_goldens() -> None:
    for transform in REGISTRY:
        mine = [c for c in ALL_CASES if c.transform == transform.name]
        untouched = [c for c in mine if not c.is_project and c.before.read_bytes() == c.after.read_bytes()]
        assert len(mine) >= 8, f"{transform.name}: {len(mine)} golden cases, want at least 8"
        assert len(untouched) >= 3, f"{transform.name}: {len(untouched)} must-not-touch cases, want at least 3"


def test_golden_folders_name_real_transforms() -> None:
    for root in (BEFORE_ROOT, AFTER_ROOT):
        for folder in root.iterdir():
            if folder.is_dir() and not folder.name.startswith((".", "__")):
                assert folder.name in BY_NAME or folder.name == ALL, f"{folder} is not a transform name"


def test_every_after_case_has_a_before_case() -> None:
    # an after-file without its before-file is compared with nothing
    assert unpaired_after_entries() == []


def test_an_after_file_without_a_before_file_is_found(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for root in (before, after):
        (root / "asyncio-sleep" / "project_case").mkdir(parents=True)
        (root / "asyncio-sleep" / "test_paired.py").write_text("")
        (root / "pytest.ini").write_text("")
    (after / "asyncio-sleep" / "project_case" / "conftest.py").write_text("")  # written by the migration
    (after / "asyncio-sleep" / "test_paired.notes").write_text("")
    assert unpaired_after_entries(before, after) == []
    orphans = [
        after / "asyncio-sleep" / "test_renamed.py",
        after / "asyncio-sleep" / "test_renamed.notes",
        after / "asyncio-sleep" / "other_project",
        after / "tox.ini",
    ]
    (after / "asyncio-sleep" / "other_project").mkdir()
    for path in orphans:
        if not path.exists():
            path.write_text("")
    (after / "async-fixture").mkdir()
    (after / "async-fixture" / "test_lone.py").write_text("")
    orphans.append(after / "async-fixture" / "test_lone.py")
    assert sorted(unpaired_after_entries(before, after)) == sorted(orphans)


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.id for c in FILE_CASES])
def test_file_golden(case: GoldenCase, update_goldens: bool) -> None:
    target = _target(case)
    produced, notes = _migrate_file(case.before, case.transform, target)
    if update_goldens:
        case.after.parent.mkdir(parents=True, exist_ok=True)
        case.after.write_bytes(produced)
    assert case.after.exists(), f"missing {case.after}"
    expected = case.after.read_bytes()
    assert produced.decode("utf-8", "replace") == expected.decode("utf-8", "replace")
    assert produced == expected
    _check_notes(case, notes, update_goldens)
    # a second run changes nothing, and the result is valid Python
    again, _ = _migrate_file(case.after, case.transform, target)
    assert again == expected, "second run changed the after-case"
    compile(expected, str(case.after), "exec", dont_inherit=True)


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }


@pytest.mark.parametrize("case", PROJECT_CASES, ids=[c.id for c in PROJECT_CASES])
def test_project_golden(case: GoldenCase, tmp_path: Path, update_goldens: bool, monkeypatch) -> None:
    work = tmp_path / case.name
    shutil.copytree(case.before, work)
    monkeypatch.chdir(work)
    selected = [t for t in REGISTRY if t.default] if case.transform == ALL else [BY_NAME[case.transform]]
    options = RunOptions(transforms=selected, target=_target(case), write=True)
    result = run([Path(".")], options)
    assert not result.all_errors
    notes = [n.format() for n in result.all_notes]
    if case.transform == ALL:  # what the summary says of the project: which runner, which target
        notes += [f"summary: {line}" for line in result.left_alone]
        notes += [f"summary: {line}" for line in result.targets if not line.endswith("(default)")]
        notes += [f"summary: left out, though it defines fixtures or takes event_loop: {p}" for p in result.left_out_with_fixtures]
    if update_goldens:
        if case.after.exists():
            shutil.rmtree(case.after)
        shutil.copytree(work, case.after, ignore=shutil.ignore_patterns("__pycache__"))
    assert _tree_bytes(work) == _tree_bytes(case.after)
    _check_notes(case, notes, update_goldens)
    second = run([Path(".")], options)
    assert second.changed_files == [], "second run changed files"
    if case.transform == ALL:
        # what `check` says after `apply`: nothing left unfinished in a migrated project
        assert [n.format() for n in second.all_notes if n.left] == [], "check after apply is not clean"


def test_project_goldens_of_one_transform_run_together_give_each_its_own(tmp_path: Path, monkeypatch) -> None:
    """One run over several projects (a monorepo) treats each as its own: what a project's
    conftest.py gets does not depend on another project's plugin modules or conftest files.
    The event-loop-fixture cases whose pins decide the target are run together here."""
    cases = [c for c in PROJECT_CASES if c.transform == "event-loop-fixture" and _target(c) is None]
    assert len(cases) >= 10
    for case in cases:
        shutil.copytree(case.before, tmp_path / case.name)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["event-loop-fixture"]], target=None, write=True))
    assert not result.all_errors
    differ = [c.name for c in cases if _tree_bytes(tmp_path / c.name) != _tree_bytes(c.after)]
    assert differ == []


def _mentions_hypothesis(root: Path) -> bool:
    return any(
        b"hypothesis" in path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and path.suffix in {".py", ".ini", ".toml", ".cfg"}
    )


def _pytest(args: list[str], cwd: Path) -> dict:
    """The run of pytest on an after-case: the keyword arguments of ``background.run``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Hypothesis's plugin, autoloaded here because this repository's own property tests use
    # it, is no part of the projects the goldens stand for; where they do not use Hypothesis
    # it does nothing but import all of Hypothesis for its terminal summary (about 1.2 s, half
    # of a run). pytest, pytest-asyncio and the other plugins are those of every run.
    plugins = [] if _mentions_hypothesis(cwd) else ["-p", "no:hypothesispytest"]
    return dict(
        args=[sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugins, "--import-mode=importlib",
              "-W", "error::pytest.PytestDeprecationWarning", *args],
        cwd=cwd, env=env, timeout=600,
    )


def _assert_passed(proc: subprocess.CompletedProcess) -> None:
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    assert "passed" in summary and "skipped" not in summary and "xfail" not in summary, output[-3000:]


def _file_cases_run() -> dict | None:
    files = [c.after.relative_to(AFTER_ROOT).as_posix() for c in FILE_CASES if c.after.exists()]
    return _pytest(files, AFTER_ROOT) if files else None


def test_after_cases_pass_under_pytest_asyncio(background) -> None:
    run = _file_cases_run()
    if run is None:
        pytest.skip("no single-file golden cases yet")
    _assert_passed(background.run(**run))


def _project_case_run(case: GoldenCase) -> dict:
    # ``# golden: installed=no-pytest-asyncio``: the project's environment has no pytest-asyncio
    absent = case.options().get("installed") == "no-pytest-asyncio"
    args = ["-p", "no:asyncio", "."] if absent else ["."]
    if absent or disabled_by(find_config(case.after)):
        # pytest-aiohttp (installed for the aiohttp goldens, autoloaded) cannot run without
        # pytest-asyncio: its pytest_configure asks for the asyncio_mode option. A project
        # without pytest-asyncio has no pytest-aiohttp either.
        args = ["-p", "no:aiohttp", *args]
    return _pytest(args, case.after)


@pytest.mark.parametrize("case", PROJECT_CASES, ids=[c.id for c in PROJECT_CASES])
def test_project_after_case_passes(case: GoldenCase, background) -> None:
    _assert_passed(background.run(**_project_case_run(case)))


def background_runs(item: pytest.Item) -> list[dict]:
    """The pytest runs on after-cases, started as soon as the session has collected (conftest.py)."""
    if item.originalname == "test_project_after_case_passes":
        return [_project_case_run(item.callspec.params["case"])]
    if item.originalname == "test_after_cases_pass_under_pytest_asyncio":
        return [run] if (run := _file_cases_run()) else []
    return []


def test_every_default_transform_together_on_all_before_cases(tmp_path: Path, monkeypatch) -> None:
    """``migrate-async apply fixtures_before`` with the default set: no error, valid output,
    and a second run changes nothing (transforms do not fight each other)."""
    work = tmp_path / "fixtures_before"
    shutil.copytree(BEFORE_ROOT, work)
    monkeypatch.chdir(tmp_path)
    options = RunOptions(transforms=[t for t in REGISTRY if t.default], target=NEWEST_TARGET, write=True)
    first = run([Path("fixtures_before")], options)
    assert first.all_errors == []
    assert first.changed_files
    for path in first.changed_files:
        if path.endswith(".py"):
            compile((tmp_path / path).read_bytes(), path, "exec", dont_inherit=True)
    second = run([Path("fixtures_before")], options)
    assert second.all_errors == []
    assert second.changed_files == [], "a second run changed files"
