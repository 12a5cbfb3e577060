"""Fitting the ecosystem: pre-commit hooks, [tool.migrate-async] settings, GitHub
annotations, LibCST's codemod runner and the Python API."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import migrate_async
from migrate_async.cli import app

ROOT = Path(__file__).resolve().parent.parent
LEGACY = textwrap.dedent(
    """\
    import time

    import pytest


    @pytest.mark.asyncio
    async def test_wait():
        time.sleep(0.001)
    """
)
FIXED = LEGACY.replace("import time", "import asyncio").replace("time.sleep", "await asyncio.sleep")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = fixture-scope\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_wait.py").write_text(LEGACY)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "worker.py").write_text(LEGACY)
    # the hooks as this repository publishes them, run from the installed package
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        command, _, rest = hook["entry"].partition(" ")
        assert command == "migrate-async"
        hook["entry"] = f"{sys.executable} -m migrate_async {rest}"
        hook["language"] = "system"
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    return tmp_path


def _pre_commit(repo: Path, hook: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo / ".pre-commit-home"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t")
    command = [sys.executable, "-m", "pre_commit", "run", hook, "--files", "tests/test_wait.py", "src/worker.py"]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=300)


def test_pre_commit_hooks(repo: Path) -> None:
    check = _pre_commit(repo, "migrate-async-check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "would change: tests/test_wait.py" in check.stdout
    assert (repo / "tests" / "test_wait.py").read_text() == LEGACY

    fix = _pre_commit(repo, "migrate-async")
    assert fix.returncode == 1, fix.stdout + fix.stderr  # pre-commit fails a hook that changed files
    assert (repo / "tests" / "test_wait.py").read_text() == FIXED
    assert (repo / "src" / "worker.py").read_text() == LEGACY  # not test code: --force-exclude

    again = _pre_commit(repo, "migrate-async")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _pre_commit(repo, "migrate-async-check").returncode == 0


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_pyproject_settings_apply_and_cli_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.migrate-async]\nselect = ["asyncio-sleep"]\nexclude = ["tests/legacy/"]\ntarget-version = "1.4"\n'
        "\n[tool.pytest.ini_options]\nasyncio_mode = \"strict\"\n"
    )
    (tmp_path / "tests" / "legacy").mkdir(parents=True)
    (tmp_path / "tests" / "test_a.py").write_text(LEGACY.replace("@pytest.mark.asyncio\n", ""))
    (tmp_path / "tests" / "legacy" / "test_b.py").write_text(LEGACY)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", ".", "--format", "json")
    document = __import__("json").loads(result.stdout)
    assert document["target_version"] == "1.4"
    assert [f["path"] for f in document["files"]] == ["tests/test_a.py"]
    assert document["files"][0]["transforms"] == {"asyncio-sleep": 1}  # select from settings: no marker added
    overridden = invoke("check", ".", "--format", "json", "--select", "asyncio-marker", "--target-version", "1.5")
    document = __import__("json").loads(overridden.stdout)
    assert document["target_version"] == "1.5"
    assert document["files"][0]["transforms"] == {"asyncio-marker": 1}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('selct = ["x"]', "unknown key 'selct'; valid keys: select, ignore, exclude, target-version, all-files"),
        ("target-version = 1.5", "target-version must be a string"),
        ("select = [1]", "select must be a string or a list of strings"),
        ('target-version = "3.0"', "outside the supported range"),
        ('select = ["nope"]', "unknown transform nope"),
    ],
)
def test_bad_settings_are_a_one_line_usage_error(tmp_path: Path, monkeypatch, table: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.migrate-async]\n{table}\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("check", ".")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_github_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    (tmp_path / "test_a.py").write_text(LEGACY + "\n\n@pytest.mark.asyncio\nasync def test_value():\n    x = time.sleep(0)\n")
    (tmp_path / "test_b.py").write_text("async def test_x(:\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("check", ".", "--format", "github")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == "::warning file=test_a.py,line=1,col=1,title=migrate-async::migrate-async would change this file"
    assert lines[1] == "::error file=test_b.py,line=1,col=18,title=migrate-async::syntax error: invalid syntax"
    assert lines[2].startswith("::warning file=test_a.py,line=13,col=9,title=migrate-async asyncio-sleep [sleep-as-value]::time.sleep()")
    assert len(lines) == 3


def test_libcst_codemod_runner(tmp_path: Path) -> None:
    target = tmp_path / "test_a.py"
    target.write_text(LEGACY)
    command = [
        sys.executable, "-m", "libcst.tool", "codemod", "-x", "--no-format",
        "migrate_async.transforms.asyncio_sleep.AsyncioSleep", str(target),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text() == FIXED


def test_python_api() -> None:
    result = migrate_async.migrate_source(LEGACY + "\n\nasync def test_x():\n    y = time.sleep(0)\n")
    assert "await asyncio.sleep(0.001)" in result.code
    assert "@pytest.mark.asyncio\nasync def test_x" in result.code
    assert [(n.line, n.transform) for n in result.notes] == [(12, "asyncio-sleep")]  # lines of the input
    only = migrate_async.migrate_source(LEGACY, select=["asyncio-marker"])
    assert only.code == LEGACY
    auto = migrate_async.migrate_source("async def test_x():\n    pass\n", mode="auto")
    assert auto.code == "async def test_x():\n    pass\n"
