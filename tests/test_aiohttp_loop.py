"""pytest_model.aiohttp_loop: which names mean the plugin's loop in a project."""

from __future__ import annotations

from pathlib import Path

from migrate_async.engine import gate_strings
from migrate_async.project import ProjectResolver
from migrate_async.pytest_model import aiohttp_loop, providers
from migrate_async.transforms import BY_NAME


def _facts(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return ProjectResolver(fallback_root=tmp_path).facts_for_dir(tmp_path)


def test_declared_plugin_gives_its_loop_fixtures(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"pytest.ini": "[pytest]\n", "requirements-dev.txt": "pytest-aiohttp==1.0.5\n"})
    assert facts.plugin_loops == {"loop", "proactor_loop"}
    assert {"loop", "proactor_loop", "event_loop"} <= providers.plugin_fixtures_gone(facts)


def test_plugin_named_in_the_root_conftest(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": 'pytest_plugins = ["aiohttp.pytest_plugin"]\n'})
    assert facts.plugin_loops == {"loop", "proactor_loop"}


def test_plugin_named_by_dash_p(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"pytest.ini": "[pytest]\naddopts = -p pytest_aiohttp\n"})
    assert facts.plugin_loops == {"loop", "proactor_loop"}


def test_no_plugin_no_loop_fixtures(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": "import pytest\n\n@pytest.fixture\ndef loop():\n    pass\n"})
    assert facts.plugin_loops == frozenset()
    assert "loop" not in providers.plugin_fixtures_gone(facts)


def test_a_module_defining_loop_makes_it_its_own() -> None:
    source = "import pytest\n\n@pytest.fixture\ndef loop():\n    return 1\n"
    assert aiohttp_loop.defined_loop_fixtures(source, {"loop", "proactor_loop"}) == {"loop"}
    assert aiohttp_loop.defined_loop_fixtures("def test_x(loop):\n    pass\n", {"loop"}) == frozenset()
    assert aiohttp_loop.loop_fixture_names({"loop", "proactor_loop"}, {"loop"}) == {"event_loop", "proactor_loop"}


def test_loop_is_a_trigger_only_where_the_plugin_is_loaded(tmp_path: Path) -> None:
    transform = BY_NAME["event-loop-argument"]
    data = b"async def test_x(loop):\n    pass\n"
    plain = _facts(tmp_path / "plain", {"pytest.ini": "[pytest]\n"})
    loaded = _facts(tmp_path / "loaded", {"pytest.ini": "[pytest]\n", "requirements.txt": "pytest-aiohttp\n"})
    assert not transform.triggers_for(plain).matches(data)
    assert transform.triggers_for(loaded).matches(data)
    gate = gate_strings([transform], loaded)
    assert gate is not None and any(root in data for root in gate)
