"""Return annotations follow the conversion (issue 14, item 2): a sync generator fixture made
async gets ``AsyncIterator``/``AsyncIterable``/``AsyncGenerator``, and mypy accepts the result
wherever it accepted the file before the migration."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_async.goldens import AFTER_ROOT, BEFORE_ROOT

ASYNC_ANNOTATION = re.compile(r"-> *(?:[\w.]+\.)?Async(?:Iterator|Iterable|Generator)\[")


def _typed_after_files() -> list[Path]:
    found = []
    for after in sorted(AFTER_ROOT.rglob("*.py")):
        before = BEFORE_ROOT / after.relative_to(AFTER_ROOT)
        text = after.read_text(encoding="utf-8")
        if before.is_file() and before.read_text(encoding="utf-8") != text and ASYNC_ANNOTATION.search(text):
            found.append(after)
    return found


TYPED = _typed_after_files()


def _mypy(path: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--no-error-summary", "--cache-dir", str(cache),
         "--python-version", "3.10", str(path)],
        capture_output=True, text=True, timeout=120,
    )


def test_the_goldens_hold_converted_annotations() -> None:
    # the cases below must exist: a conversion that stopped writing them would pass vacuously
    assert {p.parent.parent.name for p in TYPED} >= {"typed_fixtures_project", "session_default_project"}


@pytest.mark.parametrize("after", TYPED, ids=lambda p: str(p.relative_to(AFTER_ROOT)))
def test_mypy_accepts_the_converted_annotations(after: Path, tmp_path: Path) -> None:
    before = BEFORE_ROOT / after.relative_to(AFTER_ROOT)
    assert _mypy(before, tmp_path).returncode == 0  # the legacy file type-checks
    checked = _mypy(after, tmp_path)
    assert checked.returncode == 0, checked.stdout
