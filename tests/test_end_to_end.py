"""The foundation's acceptance check, on a realistic strict-mode project written for
pytest-asyncio 0.21: it fails under pytest 9 + pytest-asyncio 1.5 as it is; one
``migrate-async apply .`` later it passes with every test run, and ``check`` is clean."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).parent / "data" / "legacy_inventory"
TESTS_IN_PROJECT = 7


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def _pytest(cwd: Path) -> subprocess.CompletedProcess:
    return _run(["-m", "pytest", "-p", "no:cacheprovider", "-W", "error::pytest.PytestDeprecationWarning", "-rA"], cwd)


def test_legacy_project_migrates_to_a_passing_suite(tmp_path: Path) -> None:
    work = tmp_path / "legacy_inventory"
    shutil.copytree(PROJECT, work)

    broken = _pytest(work)
    assert broken.returncode != 0, "the legacy suite should fail under pytest-asyncio 1.5 before the migration"

    check = _run(["-m", "migrate_async", "check", "."], work)
    assert check.returncode == 1, check.stdout + check.stderr
    assert set(check.stdout.splitlines()) == {
        "would change: tests/conftest.py",
        "would change: tests/test_orders.py",
        "would change: pytest.ini",
    }

    apply = _run(["-m", "migrate_async", "apply", "."], work)
    assert apply.returncode == 0, apply.stderr
    assert "Traceback" not in apply.stderr

    fixed = _pytest(work)
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, output[-5000:]
    summary = fixed.stdout.strip().splitlines()[-1]
    assert re.search(rf"\b{TESTS_IN_PROJECT} passed\b", summary), summary
    assert "skipped" not in summary and "warning" not in summary, summary

    again = _run(["-m", "migrate_async", "check", "."], work)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout == ""
