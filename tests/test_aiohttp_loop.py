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


def test_plugin_loop_left_in_sync_code_is_left_for_check(tmp_path, monkeypatch) -> None:
    """A sync test that needs aiohttp's ``loop`` object itself stays sync; once the run takes
    the legacy plugin out, nothing provides ``loop``: a left note, so ``check`` exits 1 (the
    removed plugin is not an unseen one that might still provide it)."""
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import REGISTRY

    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text('pytest_plugins = "aiohttp.pytest_plugin"\n')
    (tmp_path / "tests" / "test_mod.py").write_text(
        "def test_sync(loop, test_client):\n"
        "    loop.run_until_complete(test_client(object()))\n"
        "    assert id(loop)\n"
    )
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    left = [(n.path, n.kind) for f in result.files for n in f.notes if n.left]
    assert left == [("tests/test_mod.py", "unprovided-fixture")]
