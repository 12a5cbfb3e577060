"""The built wheel works on its own: ``migrate-async explain`` from an installed wheel shows
the transform's examples (they are package data: Python), not only from a checkout.

Builds a wheel of the project, installs it with ``--no-deps`` into a fresh virtual
environment, and makes the dependencies importable there through a ``.pth`` file that lists
this environment's site-packages: a plain path line puts the folder on ``sys.path`` without
processing the ``.pth`` files inside it, so an editable install of migrate-async in this
environment (its import hook lives in such a ``.pth`` file) stays inactive. Needs PyPI for the
build backend (pip's build isolation), as CI has. About 10-20 seconds: deselect it with
``-m "not slow"``.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_explain_from_an_installed_wheel_shows_examples(tmp_path: Path) -> None:
    # an environment in which nothing points at a checkout of migrate_async
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    # build from a copy of what the wheel is made of, so that the build's leftovers
    # (build/, *.egg-info) stay out of the source tree
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "migrate_async", source / "migrate_async", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)], tmp_path, env)
    (wheel,) = wheels.glob("migrate_async-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")
    _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], tmp_path, env)
    fresh_site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env).strip()
    )
    ours = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (fresh_site / "_dependencies_from_the_test_environment.pth").write_text(
        "".join(p + "\n" for p in ours), encoding="utf-8"
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import sys, libcst, migrate_async; print(migrate_async.__file__); "
        "print(sorted(m for m in sys.modules if m.startswith('__editable__')))"
    )
    where, hooks = _run([str(python), "-c", probe], elsewhere, env).splitlines()
    assert Path(where).resolve().is_relative_to(fresh_site.resolve()), where
    assert hooks == "[]", f"an editable install's import hook is active: {hooks}"

    script = python.parent / ("migrate-async.exe" if os.name == "nt" else "migrate-async")
    shown = _run([str(script), "explain", "async-fixture"], elsewhere, env)
    assert "What:" in shown and "Safety:" in shown
    assert "Examples (" in shown and "Before:\n" in shown and "After:\n" in shown
    assert "    @pytest_asyncio.fixture(scope=\"module\")\n" in shown
    assert "Golden example" not in shown  # no fixtures_before/ next to an installed package
