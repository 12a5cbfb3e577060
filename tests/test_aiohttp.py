"""aiohttp's plugins in the pytest model, and the legacy plugin's folder without aiohttp-plugin."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.project import NEWEST_TARGET
from migrate_async.pytest_model import aiohttp
from migrate_async.pytest_model.runners import plugin_runs_coroutines
from migrate_async.transforms import BY_NAME, REGISTRY

LEGACY_CASE = Path(__file__).parent.parent / "fixtures_before" / "all" / "aiohttp_legacy_plugin"


@pytest.mark.parametrize(
    "source, lines",
    [
        ('pytest_plugins = "aiohttp.pytest_plugin"\n', [1]),
        ('import x\npytest_plugins = ["pytester", "aiohttp.pytest_plugin"]\n', [2]),
        ('pytest_plugins = ("aiohttp.pytest_plugin",)\n', [1]),
        ('pytest_plugins: tuple[str, ...] = ("aiohttp.pytest_plugin",)\n', [1]),
        ('pytest_plugins = ["pytest_aiohttp.plugin"]\n', []),
        ('def f():\n    pytest_plugins = "aiohttp.pytest_plugin"\n', []),
        ('PLUGIN = "aiohttp.pytest_plugin"\n', []),
        ('pytest_plugins = "aiohttp.pytest_plugin"\ndef (:\n', []),
    ],
)
def test_legacy_plugin_lines(source: str, lines: list[int]) -> None:
    assert aiohttp.legacy_plugin_lines(source.encode()) == lines
    expected = (aiohttp.LEGACY_PLUGIN, lines[0]) if lines else None
    assert plugin_runs_coroutines(source.encode()) == expected


def test_renames_keep_the_calling_convention() -> None:
    # unused_port and aiohttp_unused_port hand out a function returning a port, as
    # unused_tcp_port_factory does; the client and servers keep their names' shape
    assert aiohttp.RENAMES["unused_port"] == aiohttp.RENAMES["aiohttp_unused_port"] == "unused_tcp_port_factory"
    assert {aiohttp.RENAMES[n] for n in ("test_client", "test_server", "raw_test_server")} == {
        "aiohttp_client", "aiohttp_server", "aiohttp_raw_server"
    }


def _run(tmp_path: Path, monkeypatch, selected, declared: str = "") -> tuple[str, list[str]]:
    work = tmp_path / "case"
    shutil.copytree(LEGACY_CASE, work)
    with open(work / "requirements-dev.txt", "a", encoding="utf-8") as handle:
        handle.write(declared)
    monkeypatch.chdir(work)
    result = run([Path(".")], RunOptions(transforms=selected, target=NEWEST_TARGET, write=True))
    return (work / "tests" / "test_api.py").read_text(), result.left_alone


def test_without_aiohttp_plugin_the_legacy_plugin_runs_its_folder(tmp_path: Path, monkeypatch) -> None:
    selected = [t for t in REGISTRY if t.default and t.name != "aiohttp-plugin"]
    # (a project that declares pytest-asyncio as well: its marks would go to tests the legacy
    # plugin runs)
    text, left_alone = _run(tmp_path, monkeypatch, selected, "pytest-asyncio==0.21.1\n")
    assert text == (LEGACY_CASE / "tests" / "test_api.py").read_text()
    assert any("tests/conftest.py:6" in line for line in left_alone), left_alone


def test_with_aiohttp_plugin_pytest_asyncio_runs_its_tests(tmp_path: Path, monkeypatch) -> None:
    selected = [BY_NAME["aiohttp-plugin"], BY_NAME["asyncio-marker"]]
    text, left_alone = _run(tmp_path, monkeypatch, selected)
    assert text.count("@pytest.mark.asyncio") == 3
    assert "(test_client" not in text and "await test_client" not in text and left_alone == []
