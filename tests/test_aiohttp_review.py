"""aiohttp projects a reviewer built against the first cut of issue 27, each a way the
tool rewrote what it must not, or left a suite failing while ``check`` said done."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import REGISTRY

PROJECTS: dict[str, dict[str, str]] = {
    'own_loop_in_plugin_module': {
        'pyproject.toml': '[project]\nname = "r1"\nversion = "0"\n[project.optional-dependencies]\ntest = ["pytest", "pytest-asyncio>=0.21", "pytest-aiohttp"]\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\ntestpaths = ["tests"]\n',
        'tests/__init__.py': '',
        'tests/conftest.py': 'pytest_plugins = ["tests.plugins.loops"]\n',
        'tests/plugins/__init__.py': '',
        'tests/plugins/loops.py': 'import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef loop():\n    """The project\'s own loop, for sync code that drives coroutines itself."""\n    lp = asyncio.new_event_loop()\n    yield lp\n    lp.close()\n',
        'tests/test_own.py': 'import asyncio\n\n\ndef test_sync_on_own_loop(loop):\n    async def running():\n        return asyncio.get_running_loop()\n\n    assert loop.run_until_complete(running()) is loop\n\n\nasync def test_own_loop_not_running(loop):\n    assert loop is not asyncio.get_running_loop()\n',
    },
    'own_test_client_by_name': {
        'pytest.ini': '[pytest]\ntestpaths = tests\n',
        'requirements-dev.txt': 'aiohttp==3.8.6\npytest==7.4.4\n',
        'tests/conftest.py': 'import pytest\n\npytest_plugins = "aiohttp.pytest_plugin"\n\n\nclass FakeClient:\n    def ping(self):\n        return "pong"\n\n\n@pytest.fixture(name="test_client")\ndef fake_client():\n    return FakeClient()\n',
        'tests/test_ping.py': 'def test_ping(test_client):\n    assert test_client.ping() == "pong"\n',
    },
    # a conftest.py below that says neither aiohttp nor async nor loop (the scan's survey
    # strings for a conftest.py are not a test module's)
    'own_test_client_in_a_sub_conftest': {
        'pytest.ini': '[pytest]\ntestpaths = tests\n',
        'requirements-dev.txt': 'aiohttp==3.8.6\npytest==7.4.4\n',
        'tests/conftest.py': 'pytest_plugins = "aiohttp.pytest_plugin"\n',
        'tests/api/conftest.py': 'import pytest\n\n\n@pytest.fixture\ndef test_client():\n    return "mine"\n',
        'tests/api/test_ping.py': 'def test_ping(test_client):\n    assert test_client == "mine"\n',
    },
    'own_unused_port_in_plugin_module': {
        'pytest.ini': '[pytest]\ntestpaths = tests\n',
        'requirements-dev.txt': 'aiohttp==3.8.6\npytest==7.4.4\n',
        'tests/__init__.py': '',
        'tests/conftest.py': 'pytest_plugins = ("aiohttp.pytest_plugin", "tests.fixtures")\n',
        'tests/fixtures.py': 'import pytest\n\n\n@pytest.fixture\ndef unused_port():\n    """The project\'s own: a fixed port of the staging box, an int."""\n    return 8081\n',
        'tests/test_port.py': 'def test_port(unused_port):\n    assert unused_port == 8081\n',
    },
    'on_pytest_aiohttp_1_1': {
        'pyproject.toml': '[project]\nname = "r4"\nversion = "0"\n[dependency-groups]\ntest = ["pytest>=8.4", "pytest-asyncio>=1.5", "pytest-aiohttp>=1.1", "loopplug"]\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\nasyncio_default_fixture_loop_scope = "function"\naddopts = "-p loopplug"\n',
        'tests/test_own.py': 'import asyncio\n\n\ndef test_sync_on_plugin_loop(loop):\n    async def running():\n        return asyncio.get_running_loop()\n\n    assert loop.run_until_complete(running()) is loop\n',
    },
    'app_factory': {
        'pytest.ini': '[pytest]\ntestpaths = tests\n',
        'requirements-dev.txt': 'aiohttp==3.8.6\npytest==7.4.4\npytest-aiohttp==0.3.0\n',
        'tests/conftest.py': 'pytest_plugins = "aiohttp.pytest_plugin"\n',
        'tests/test_app.py': 'from aiohttp import web\n\n\nasync def hello(request):\n    return web.Response(text="hi")\n\n\ndef create_app(loop):\n    app = web.Application()\n    app.router.add_get("/", hello)\n    return app\n\n\nasync def test_hello(test_client):\n    client = await test_client(create_app)\n    resp = await client.get("/")\n    assert await resp.text() == "hi"\n',
    },
    'legacy_plugin_in_tests_conftest': {
        'pytest.ini': '[pytest]\n',
        'requirements-dev.txt': 'aiohttp==3.8.6\npytest==7.4.4\n',
        'tests/conftest.py': 'pytest_plugins = "aiohttp.pytest_plugin"\n',
        'tests/test_loop.py': 'import asyncio\n\n\nasync def test_loop_is_running(loop):\n    assert loop is asyncio.get_running_loop()\n\n\ndef test_sync(loop):\n    async def one():\n        return 1\n\n    assert loop.run_until_complete(one()) == 1\n',
    },
    # aiohttp's own source tree: its suite loads the plugin it ships, and tests it
    'ships_the_legacy_plugin': {
        'setup.cfg': '[metadata]\nname = aiohttp\n[tool:pytest]\ntestpaths = tests\n',
        'aiohttp/__init__.py': '',
        'aiohttp/pytest_plugin.py': 'import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef loop():\n    lp = asyncio.new_event_loop()\n    yield lp\n    lp.close()\n',
        'tests/conftest.py': 'pytest_plugins = ["aiohttp.pytest_plugin", "pytester"]\n',
        'tests/test_loop.py': 'async def test_loop(loop, aiohttp_client):\n    assert not loop.is_closed()\n\n\ndef test_sync(loop):\n    async def one():\n        return 1\n\n    assert loop.run_until_complete(one()) == 1\n',
    },
    # a second reviewer's projects (wt-lead): other plugins' loop, a hook's parameter, a constraints file
    'review_sanic_declared': {'requirements-dev.txt': 'aiohttp>=3.8\npytest==7.4.4\npytest-sanic==1.9.1\n', 'app/__init__.py': '', 'tests/test_api.py': 'import aiohttp\nfrom app.server import make_app\n\n\nasync def test_index(test_client):\n    client = await test_client(make_app())\n    resp = await client.get("/")\n    assert resp.status == 200\n\n\nasync def test_loop(loop):\n    assert loop.is_running()\n'},
    'review_aiomisc_declared': {'pyproject.toml': '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\ndescription = ""\nauthors = ["x <x@example.com>"]\n\n[tool.poetry.dependencies]\npython = "^3.9"\naiomisc = {version = "^17", extras = ["aiohttp"]}\naiohttp = "^3.9"\n\n[tool.poetry.group.dev.dependencies]\npytest = "^7.4"\naiomisc-pytest = "^1.1"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n', 'tests/test_http.py': 'import aiohttp\nfrom aiohttp import web\n\n\nasync def test_fetch(loop, localhost, aiomisc_unused_port_factory):\n    app = web.Application()\n    assert loop.is_running()\n    async with aiohttp.ClientSession() as s:\n        assert s is not None\n'},
    'review_loop_parametrized_by_hook': {'setup.cfg': '[metadata]\nname = p12\n[options]\ninstall_requires =\n    aiohttp>=3.8\n[options.extras_require]\ntest =\n    pytest\n    pytest-asyncio==0.21.1\n[tool:pytest]\ntestpaths = tests\n', 'tests/test_a.py': 'import aiohttp\n\n\ndef test_policy(loop):\n    lp = loop()\n    try:\n        assert lp.run_until_complete(_answer()) == 42\n    finally:\n        lp.close()\n\n\nasync def _answer():\n    return 42\n', 'tests/conftest.py': 'import asyncio\n\n\ndef pytest_generate_tests(metafunc):\n    if "loop" in metafunc.fixturenames:\n        metafunc.parametrize("loop", [asyncio.SelectorEventLoop], ids=["selector"], indirect=False)\n'},
    'review_constraints_only': {'requirements.txt': 'aiohttp>=3.8\n', 'pytest.ini': '[pytest]\ntestpaths = tests\n', 'constraints.txt': 'pytest-aiohttp==0.3.0\n', 'requirements-test.txt': '-c constraints.txt\n-r requirements.txt\npytest[testing]>=7.0 ; python_version >= "3.8"\npytest-asyncio==0.21.1 ; python_version >= "3.8"\ncoverage\n', 'tests/test_a.py': 'async def test_hello(test_client, app):\n    client = await test_client(app)\n    resp = await client.get("/")\n    assert await resp.text() == "hi"\n', 'tests/conftest.py': 'import pytest\nfrom aiohttp import web\n\npytest_plugins = "aiohttp.pytest_plugin"\n\n\n@pytest.fixture\ndef app():\n    async def hello(request):\n        return web.Response(text="hi")\n    a = web.Application()\n    a.router.add_get("/", hello)\n    return a\n'},
}


def _run(tmp_path: Path, monkeypatch, name: str):
    for path, text in PROJECTS[name].items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    monkeypatch.chdir(tmp_path)
    return run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))


@pytest.mark.parametrize(
    ("name", "untouched"),
    [
        # a loop fixture of the project's own plugin module is the project's everywhere
        ("own_loop_in_plugin_module", ["tests/test_own.py", "tests/plugins/loops.py"]),
        # registered with name=: the project's own test_client
        ("own_test_client_by_name", ["tests/test_ping.py"]),
        # the same in a conftest.py below, which names no aiohttp
        ("own_test_client_in_a_sub_conftest", ["tests/api/test_ping.py"]),
        # the project's own unused_port, in a plugin module that does not say aiohttp
        ("own_unused_port_in_plugin_module", ["tests/test_port.py", "tests/fixtures.py"]),
        # pytest-aiohttp 1.1 has no loop: a loop there is another plugin's
        ("on_pytest_aiohttp_1_1", ["tests/test_own.py"]),
    ],
)
def test_own_fixtures_stay(tmp_path, monkeypatch, name: str, untouched: list[str]) -> None:
    result = _run(tmp_path, monkeypatch, name)
    changed = {f.path for f in result.files if f.changed}
    assert changed.isdisjoint(untouched)
    assert not [n for f in result.files for n in f.notes if n.left]


def test_app_factory_is_left_for_check(tmp_path, monkeypatch) -> None:
    result = _run(tmp_path, monkeypatch, "app_factory")
    assert [(n.path, n.kind) for f in result.files for n in f.notes if n.left] == [("tests/test_app.py", "aiohttp-app-factory")]


def test_legacy_plugin_in_a_tests_conftest_takes_its_loop_along(tmp_path, monkeypatch) -> None:
    """No testpaths: pytest starts from tests/conftest.py when run as ``pytest tests``; the
    plugin it loads is taken out, so its loop goes from the tests too."""
    result = _run(tmp_path, monkeypatch, "legacy_plugin_in_tests_conftest")
    diff = next(f.diff for f in result.files if f.path == "tests/test_loop.py")
    assert "-async def test_loop_is_running(loop):" in diff and "+async def test_sync():" in diff
    assert not [n for f in result.files for n in f.notes if n.left]


def test_a_project_that_ships_the_legacy_plugin_is_left_as_it_is(tmp_path, monkeypatch) -> None:
    """aiohttp's own suite: ``aiohttp.pytest_plugin`` is the project's code (its tests run on
    it and test it); taking it out would migrate aiohttp off itself."""
    result = _run(tmp_path, monkeypatch, "ships_the_legacy_plugin")
    assert [f.path for f in result.files if f.changed] == []
    assert not [n for f in result.files for n in f.notes if n.left]
    assert not [c for c in result.configs if c.new is not None]


@pytest.mark.parametrize("name", ["review_sanic_declared", "review_aiomisc_declared", "review_loop_parametrized_by_hook"])
def test_requests_another_plugin_or_a_hook_serves_are_no_evidence(tmp_path, monkeypatch, name: str) -> None:
    """``loop`` / ``test_client`` requested in an aiohttp suite that declares pytest-sanic or
    aiomisc-pytest (their plugins give those names), or that a pytest_generate_tests hook
    parametrizes: not pytest-aiohttp's, so nothing is rewritten and nothing is left unfinished."""
    result = _run(tmp_path, monkeypatch, name)
    assert [f.path for f in result.files if f.changed] == []
    assert not [n for f in result.files for n in f.notes if n.left]


def test_a_constraints_file_line_is_no_declaration(tmp_path, monkeypatch) -> None:
    """pytest-aiohttp pinned only in a constraints file (-c) installs nothing: it is declared
    next to pytest-asyncio in the requirements file, and the constraint is raised."""
    result = _run(tmp_path, monkeypatch, "review_constraints_only")
    edits = {c.path: c.new for c in result.configs if c.new is not None}
    # under the marker of the pytest-asyncio line it follows
    assert 'pytest-aiohttp>=1.0.5; python_version >= "3.8"' in edits["requirements-test.txt"].splitlines()
    assert "pytest-aiohttp==1.0.5" in edits["constraints.txt"].splitlines()
