"""Acceptance checks on realistic projects written for pytest-asyncio 0.21: each fails under
pytest 9 + pytest-asyncio 1.5 as it is; one ``migrate-async apply .`` later it passes with
every test run and no deprecation warning, nothing needs review, and ``check`` is clean."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent / "data" / "legacy_inventory"
# tests/timing: a nested conftest whose event_loop override defines its loop class inside
# (it reads the instance through the fixture's variable) and a test that reads the loop's
# attributes through its event_loop argument: the class moves to module level, a
# loop-factories hook replaces the override.
# Also (test_labels.py), with asyncio_default_fixture_loop_scope = session configured: a
# sync fixture starting a server on event_loop, reached from its test with a timeout (it
# must stay on the test's loop); a sync API handed the loop object (the project gets an
# event_loop fixture of its own); a test that requests event_loop but runs a loop of its
# own, and one that calls asyncio.run (both stay sync).
TESTS_IN_PROJECT = 12
# The event_loop migration: a root conftest with a session uvloop loop and a sync fixture
# that drives it with run_until_complete (setup and teardown), a nested conftest with a
# module loop, a module override, a class override, event_loop arguments, time.sleep; and
# (test_presence.py) a sync test that requests event_loop but runs a loop of its own, and a
# sync timer API handed the loop object (the conftest gets a session-scoped event_loop of
# the project's own, the scope the override had).
CHAT_PROJECT = Path(__file__).parent / "data" / "legacy_chat"
TESTS_IN_CHAT_PROJECT = 14


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def _pytest(cwd: Path) -> subprocess.CompletedProcess:
    return _run(["-m", "pytest", "-p", "no:cacheprovider", "-W", "error::pytest.PytestDeprecationWarning", "-rA"], cwd)


@pytest.mark.parametrize(
    ("project", "expected_changes", "tests", "reviews"),
    [
        (
            PROJECT,
            {
                "tests/conftest.py",
                "tests/test_orders.py",
                "tests/test_labels.py",
                "tests/timing/conftest.py",
                "tests/timing/test_backoff.py",
            },
            TESTS_IN_PROJECT,
            set(),
        ),
        (
            CHAT_PROJECT,
            {
                "tests/conftest.py", "tests/test_rooms.py", "tests/test_history.py", "tests/test_moderation.py",
                "tests/test_presence.py",
                "tests/unit/conftest.py", "tests/unit/test_parsing.py", "pytest.ini",
            },
            TESTS_IN_CHAT_PROJECT,
            # a module and a class override that gave asyncio's own loop under the root's
            # uvloop: the root's hook keeps their tests on it (branches for them; they check)
            set(),
        ),
    ],
    ids=["legacy_inventory", "legacy_chat"],
)
def test_legacy_project_migrates_to_a_passing_suite(tmp_path: Path, project: Path, expected_changes, tests, reviews) -> None:
    work = tmp_path / project.name
    shutil.copytree(project, work)

    broken = _pytest(work)
    assert broken.returncode != 0, "the legacy suite should fail under pytest-asyncio 1.5 before the migration"

    check = _run(["-m", "migrate_async", "check", "."], work)
    assert check.returncode == 1, check.stdout + check.stderr
    assert set(check.stdout.splitlines()) == {f"would change: {path}" for path in expected_changes}

    apply = _run(["-m", "migrate_async", "apply", "."], work)
    assert apply.returncode == 0, apply.stderr
    assert "Traceback" not in apply.stderr
    noted = {":".join(line.split(":")[:3]) for line in apply.stderr.splitlines() if re.match(r"\S+:\d+:\d+: ", line)}
    assert noted == reviews, apply.stderr

    fixed = _pytest(work)
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, output[-5000:]
    summary = fixed.stdout.strip().splitlines()[-1]
    assert re.search(rf"\b{tests} passed\b", summary), summary
    assert "skipped" not in summary and "warning" not in summary, summary

    again = _run(["-m", "migrate_async", "check", "."], work)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout == ""


def _diffs_by_file(output: str) -> dict[str, str]:
    chunks: dict[str, str] = {}
    current = None
    for line in output.splitlines(keepends=True):
        if line.startswith("--- "):
            current = line[4:].strip()
        if current is not None:
            chunks[current] = chunks.get(current, "") + line
    return chunks


@pytest.mark.parametrize("named", ["tests/unit", "tests/unit/test_parsing.py"])
def test_naming_part_of_a_project_edits_it_as_the_whole_run_would(tmp_path: Path, named: str) -> None:
    # tests/unit's files depend on the event_loop overrides in the conftest.py files above
    # them, which are not among the paths named: the survey must still find them
    work = tmp_path / CHAT_PROJECT.name
    shutil.copytree(CHAT_PROJECT, work)
    whole = _diffs_by_file(_run(["-m", "migrate_async", "diff", "."], work).stdout)
    part = _diffs_by_file(_run(["-m", "migrate_async", "diff", named], work).stdout)
    expected = {path: diff for path, diff in whole.items() if path.startswith(named) and path.endswith(".py")}
    assert "tests/unit/test_parsing.py" in expected
    assert {path: diff for path, diff in part.items() if path.endswith(".py")} == expected
