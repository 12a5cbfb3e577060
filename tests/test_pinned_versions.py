"""After-cases of projects pinned below the newest pytest-asyncio pass under their pins.

A golden project case whose ``.golden`` says ``runs-under=pytest==8.4.2,pytest-asyncio==1.2.0``
is run with exactly those releases (installed with pip into a folder of their own, put first
on the path, plugin autoloading off so that the newest pytest-asyncio of this environment
stays out). The same case with the value a target-blind migration would write
(``asyncio_default_fixture_loop_scope = fixture-scope``, new in 1.5) must fail there: that is
what the pin-derived target prevents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_async.goldens import ALL, cases

PINNED = [c for c in cases(ALL) if c.is_project and "runs-under" in c.options()]


def test_there_are_pinned_cases() -> None:
    # an empty list would make the test below collect nothing, and pass
    assert PINNED, "no golden project case says runs-under="
    for case in PINNED:
        pins = case.options()["runs-under"].split(",")
        assert sorted(p.split("==")[0] for p in pins) == ["pytest", "pytest-asyncio"], case.id


def _install(pins: list[str], where: Path) -> None:
    """Install exactly these releases from the package registry (which the developers' machines
    and CI reach): a release that cannot be installed fails the test."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(where), *pins],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, f"cannot install {' '.join(pins)}:\n{done.stdout}{done.stderr}"


def test_a_failed_install_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # not a skip: a pinned case that cannot run under its pins proves nothing
    message = "ERROR: No matching distribution found for pytest-asyncio==0.0.1\n"
    refused = subprocess.CompletedProcess([], 1, "", message)
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: refused)
    with pytest.raises(AssertionError, match="No matching distribution"):
        _install(["pytest-asyncio==0.0.1"], tmp_path / "site")


def _pytest(cwd: Path, site: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PYTHONPATH=str(site), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "pytest_asyncio.plugin", "-p", "no:cacheprovider",
         "-W", "error::pytest.PytestDeprecationWarning", "."],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=300,
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", PINNED, ids=[c.id for c in PINNED])
def test_after_case_passes_under_its_pins(case, tmp_path: Path) -> None:
    pins = case.options()["runs-under"].split(",")
    site = tmp_path / "site"
    _install(pins, site)
    version = subprocess.run(
        [sys.executable, "-c", "import pytest_asyncio, pytest; print(pytest.__version__, pytest_asyncio.__version__)"],
        env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True,
    ).stdout.split()
    assert version == [p.split("==")[1] for p in pins], version
    work = tmp_path / "after"
    shutil.copytree(case.after, work)
    passed = _pytest(work, site)
    assert passed.returncode == 0 and "passed" in passed.stdout, passed.stdout + passed.stderr

    # the same project with the newest target's value fails under these pins
    for config in ("pytest.ini", "pyproject.toml"):
        path = work / config
        if path.exists():
            text = path.read_text()
            assert "asyncio_default_fixture_loop_scope" in text
            lines = [
                line.replace("function", "fixture-scope") if line.startswith("asyncio_default_fixture_loop_scope") else line
                for line in text.splitlines(keepends=True)
            ]
            path.write_text("".join(lines))
    failed = _pytest(work, site)
    assert failed.returncode != 0
    assert "'fixture-scope' is not a valid asyncio_default_fixture_loop_scope" in failed.stdout + failed.stderr
