"""pytest_model.aiohttp_requests and the project model: a project that declares no
pytest-aiohttp shows it by what its tests request, or by naming its module."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.project import ProjectResolver

SETUP = "[options]\ninstall_requires =\n    aiohttp>=3.8\n\n[tool:pytest]\ntestpaths = tests\n"
TEST = "from aiohttp import web\n\n\nasync def test_x(loop, aiohttp_client):\n    assert loop\n"


def _facts(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return ProjectResolver(fallback_root=tmp_path).facts_for_dir(tmp_path)


def test_requests_nothing_defines_show_the_plugin(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"setup.cfg": SETUP, "tests/test_a.py": TEST})
    assert facts.plugin_shown == "tests/test_a.py:4 requests aiohttp_client"
    assert facts.plugin_loops == {"loop", "proactor_loop"}
    assert facts.declares_plugin


def test_a_loop_of_the_projects_own_is_not_the_plugins(tmp_path: Path) -> None:
    conftest = "import asyncio\nimport pytest\n\n@pytest.fixture\ndef loop():\n    return asyncio.new_event_loop()\n"
    facts = _facts(tmp_path, {"setup.cfg": SETUP, "tests/conftest.py": conftest, "tests/test_a.py": TEST})
    assert facts.plugin_loops == {"proactor_loop"}  # aiohttp_client still shows the plugin
    only_loop = TEST.replace(", aiohttp_client", "")
    facts = _facts(tmp_path / "own", {"setup.cfg": SETUP, "tests/conftest.py": conftest, "tests/test_a.py": only_loop})
    assert facts.plugin_shown == "" and facts.plugin_loops == frozenset()
    assert not facts.declares_plugin


@pytest.mark.parametrize(
    "test",
    [
        # the module does not use aiohttp
        "async def test_x(loop, aiohttp_client):\n    pass\n",
        # a parametrize argument, not a fixture
        "import aiohttp\nimport pytest\n\n@pytest.mark.parametrize('loop', [1])\ndef test_x(loop):\n    pass\n",
        # a test anyio runs
        "import aiohttp\nimport pytest\n\n@pytest.mark.anyio\nasync def test_x(loop):\n    pass\n",
        # a sanic suite (pytest-sanic has a loop fixture too)
        "import aiohttp\nimport sanic\n\nasync def test_x(loop, test_client):\n    pass\n",
        # a helper, not a test: whoever calls it passes the loop
        "import aiohttp\n\ndef start(loop):\n    pass\n",
        # bound by an import of the project's
        "import aiohttp\nfrom tests.helpers import loop\n\nasync def test_x(loop):\n    pass\n",
        # a star-import may bind it
        "import aiohttp\nfrom helpers import *\n\nasync def test_x(loop):\n    pass\n",
    ],
    ids=["no-aiohttp", "parametrized", "anyio", "sanic", "helper", "imported", "star"],
)
def test_requests_that_show_nothing(tmp_path: Path, test: str) -> None:
    facts = _facts(tmp_path, {"setup.cfg": SETUP, "tests/test_a.py": test})
    assert facts.plugin_shown == ""
    assert facts.plugin_loops == frozenset()


def test_defined_by_a_plugin_module_of_the_project(tmp_path: Path) -> None:
    conftest = 'pytest_plugins = ["tests.kit"]\n'
    kit = "import pytest\n\n@pytest.fixture\ndef aiohttp_client():\n    pass\n\n@pytest.fixture\ndef loop():\n    pass\n"
    facts = _facts(tmp_path, {"setup.cfg": SETUP, "conftest.py": conftest, "tests/kit.py": kit, "tests/test_a.py": TEST})
    assert facts.plugin_shown == ""


def test_a_plugin_module_the_run_cannot_read_may_define_them(tmp_path: Path) -> None:
    conftest = 'pytest_plugins = ["company_test_kit.fixtures"]\n'
    facts = _facts(tmp_path, {"setup.cfg": SETUP, "tests/conftest.py": conftest, "tests/test_a.py": TEST})
    assert facts.plugin_shown == ""


def test_not_read_where_aiohttp_shows_nowhere(tmp_path: Path) -> None:
    """The tests are read only where the project declares aiohttp or a conftest.py pytest
    starts from mentions it (the cost stays with aiohttp projects)."""
    facts = _facts(tmp_path, {"pytest.ini": "[pytest]\ntestpaths = tests\n", "tests/test_a.py": TEST})
    assert facts.plugin_shown == ""
    facts = _facts(tmp_path / "c", {"pytest.ini": "[pytest]\n", "conftest.py": "import aiohttp\n", "tests/test_a.py": TEST})
    assert facts.plugin_shown.startswith("tests/test_a.py:4")


def test_a_declaration_decides(tmp_path: Path) -> None:
    """A project that declares pytest-aiohttp 1.1 has no loop fixture of the plugin's, whatever
    its tests request (a request of ``loop`` there fails already)."""
    files = {"setup.cfg": SETUP, "requirements-dev.txt": "pytest-aiohttp>=1.1\n", "tests/test_a.py": TEST}
    facts = _facts(tmp_path, files)
    assert facts.plugin_shown == "" and facts.plugin_loops == frozenset()


@pytest.mark.parametrize("entry", ['"pytest_aiohttp"', '["pytest_aiohttp"]', '("pytest_aiohttp",)'])
def test_pytest_aiohttp_named_in_pytest_plugins(tmp_path: Path, entry: str) -> None:
    """pytest-aiohttp's module in ``pytest_plugins``: harmless under 1.x (its package binds no
    fixture, the entry point loads the plugin), so it stays, and it shows the plugin."""
    facts = _facts(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": f"pytest_plugins = {entry}\n"})
    assert facts.plugin_shown == "pytest_plugins names pytest_aiohttp in conftest.py"
    assert facts.plugin_loops == {"loop", "proactor_loop"}
    assert facts.declares_plugin


def test_plugin_loop_left_in_sync_code_is_left_for_check(tmp_path: Path, monkeypatch) -> None:
    """In a project shown by its requests, a request of the plugin's ``loop`` the run cannot
    take out (a sync test that hands the loop object on) is a left note: ``check`` exits 1."""
    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import REGISTRY

    test = (
        "from aiohttp import web\n\n\n"
        "async def test_client(aiohttp_client):\n    assert await aiohttp_client(web.Application())\n\n\n"
        "def test_sync(loop):\n    keep(loop)\n\n\n"
        "def keep(loop):\n    assert loop is not None\n"
    )
    files = {"setup.cfg": SETUP, "tests/test_mod.py": test}
    _facts(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    left = [(n.path, n.line, n.kind) for f in result.files for n in f.notes if n.left]
    assert left == [("tests/test_mod.py", 8, "unprovided-fixture")]


def test_aiohttp_unused_port_is_gone_where_the_project_may_get_1_1(tmp_path: Path) -> None:
    from migrate_async.pytest_model import providers

    shown = _facts(tmp_path / "shown", {"setup.cfg": SETUP, "tests/test_a.py": TEST})
    assert "aiohttp_unused_port" in providers.plugin_fixtures_gone(shown)
    raised = _facts(tmp_path / "raised", {"pytest.ini": "[pytest]\n", "requirements.txt": "pytest-aiohttp>=1.0.5\n"})
    assert "aiohttp_unused_port" in providers.plugin_fixtures_gone(raised)
    pinned = _facts(tmp_path / "pinned", {"pytest.ini": "[pytest]\n", "requirements.txt": "pytest-aiohttp==1.0.5\n"})
    assert "loop" in providers.plugin_fixtures_gone(pinned)
    assert "aiohttp_unused_port" not in providers.plugin_fixtures_gone(pinned)  # 1.0.5 still has it
    kit = "import pytest\n\n@pytest.fixture\ndef aiohttp_unused_port():\n    return lambda: 0\n"
    own = _facts(tmp_path / "own", {
        "pytest.ini": "[pytest]\n", "requirements.txt": "pytest-aiohttp\n",
        "conftest.py": 'pytest_plugins = ["kit"]\n', "kit.py": kit,
    })
    assert "aiohttp_unused_port" not in providers.plugin_fixtures_gone(own)


def test_aiohttp_unused_port_renamed_or_left(tmp_path: Path, monkeypatch) -> None:
    """In a project shown by its requests, pytest-aiohttp 1.0's ``aiohttp_unused_port`` takes
    its successor's name; a request the rename cannot reach is a left note (``check`` exits 1)."""
    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import REGISTRY

    test = (
        "from aiohttp import web\n\n\n"
        "async def test_port(aiohttp_unused_port, aiohttp_client):\n    assert aiohttp_unused_port()\n\n\n"
        "async def test_clash(aiohttp_unused_port, unused_tcp_port_factory):\n"
        "    assert aiohttp_unused_port() != unused_tcp_port_factory()\n"
    )
    _facts(tmp_path, {"setup.cfg": SETUP, "tests/test_mod.py": test})
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    (outcome,) = [f for f in result.files if f.path.endswith("test_mod.py")]
    assert outcome.texts is not None
    assert "async def test_port(unused_tcp_port_factory, aiohttp_client):" in outcome.texts[1]
    left = [(n.line, n.kind) for n in outcome.notes if n.left]
    assert left == [(8, "aiohttp-rename-clash")]


def test_a_project_on_the_legacy_plugin_is_not_read(tmp_path: Path) -> None:
    """aiohttp's legacy plugin runs those tests: whether they move to pytest-asyncio is the
    aiohttp-plugin transform's (``adopts``), not evidence read here."""
    conftest = 'pytest_plugins = "aiohttp.pytest_plugin"\n'
    facts = _facts(tmp_path, {"setup.cfg": SETUP, "tests/conftest.py": conftest, "tests/test_a.py": TEST})
    assert facts.plugin_shown == ""
    assert not facts.declares_plugin
