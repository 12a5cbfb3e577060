"""Safety on real code nobody here wrote: ``apply --all-files`` over a copy of the installed
Python standard library (its test-suite holds files with deliberate syntax and encoding errors).

Checks: no traceback; every unreadable file reported once, on one line; every written file
parses and compiles; a second apply changes nothing; files no selected transform could touch
(no trigger string) are byte-identical.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from migrate_async.engine import candidate_transforms, resolve_selection
from migrate_async.project import FileFacts, ProjectFacts

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*.py")
        if p.is_file() and not p.is_symlink()
    }


def _apply(root: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "migrate_async", "apply", ".", "--all-files", "--jobs", "2", "--color", "never"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def stdlib_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("stdlib") / "lib"
    ignore = shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc", "*.so", "config-*", "idlelib", "tkinter")
    shutil.copytree(STDLIB, target, ignore=ignore, symlinks=True)
    # No pytest configuration above: a strict-mode project with no config file.
    (target / ".git").mkdir()
    return target


LEGACY_TEST = """\
import time

import pytest


@pytest.fixture(scope="module")
async def server():
    return {"up": True}


async def test_server_is_up(server):
    time.sleep(0.001)
    assert server["up"]
"""


def test_apply_over_the_standard_library(stdlib_copy: Path) -> None:
    root = stdlib_copy
    # deliberate damage that the pre-filter lets through (it mentions async def), and one
    # legacy test module that must change
    (root / "test" / "test_zz_broken_async.py").write_text("async def test_x(:\n    pass\n")
    (root / "test" / "test_zz_latin1_async.py").write_bytes(b"# caf\xe9\nasync def test_y():\n    pass\n")
    (root / "test" / "test_zz_legacy.py").write_text(LEGACY_TEST)
    # a project that declares pytest-asyncio (one that does not is left alone)
    (root / "requirements-test.txt").write_text("pytest-asyncio==0.21.1\n")
    before = _digest(root)
    assert len(before) > 1000

    first = _apply(root)
    assert "Traceback" not in first.stderr, first.stderr[-3000:]
    assert first.returncode == 3, first.stderr[-3000:]
    error_lines = [line for line in first.stderr.splitlines() if ": syntax error" in line or "cannot decode" in line]
    reported = [line.split(":", 1)[0] for line in error_lines]
    assert len(reported) == len(set(reported)), "a file was reported more than once"
    assert "test/test_zz_broken_async.py" in reported
    assert "test/test_zz_latin1_async.py" in reported
    assert all(line.count(":") >= 3 for line in error_lines)

    after = _digest(root)
    changed = sorted(path for path in before if before[path] != after.get(path))
    new_files = sorted(set(after) - set(before))
    assert new_files == []
    assert "test/test_zz_legacy.py" in changed
    for path in changed:
        new_text = (root / path).read_bytes()
        compile(new_text, path, "exec", dont_inherit=True)
        if path != "test/test_zz_legacy.py":
            # the standard library's async tests are unittest-based: nothing may turn them
            # into pytest-asyncio tests (the only rewrites allowed there are
            # get_event_loop() → get_running_loop() inside coroutines and the like)
            assert b"pytest" not in new_text, f"{path} was given pytest marks or fixtures"
    assert len(changed) <= 10, changed
    assert (root / "pytest.ini").read_text() == "[pytest]\nasyncio_default_fixture_loop_scope = fixture-scope\n"

    transforms = resolve_selection(None)
    facts = FileFacts(project=ProjectFacts())
    untouchable = [p for p in before if not candidate_transforms((root / p).read_bytes(), facts, transforms)]
    assert len(untouchable) > len(before) // 2

    second = _apply(root)
    assert "Traceback" not in second.stderr
    assert _digest(root) == after, "a second apply changed files"
    assert "0 files changed" in second.stderr
