"""pytest-aiohttp's loop fixtures: which names of a project mean the plugin's loop.

Read from the released sources (``pip download`` of pytest-aiohttp 1.0.5 and 1.1.0,
``pytest_aiohttp/plugin.py``):

- pytest-aiohttp 1.0.x defines ``loop`` and ``proactor_loop`` as deprecated fixtures that
  request pytest-asyncio's ``event_loop`` and return it (``proactor_loop`` is the same loop,
  no Proactor loop of its own); under pytest-asyncio 1.x they fail with "fixture
  'event_loop' not found". pytest-aiohttp 1.1.0 removed both.
- aiohttp 3.x's own ``aiohttp.pytest_plugin`` (loaded by ``pytest_plugins``) defines ``loop``
  (a new loop per test, on which its ``pytest_pyfunc_call`` runs coroutine tests) and
  ``proactor_loop``; migrated to pytest-aiohttp, the test's loop is pytest-asyncio's.

In both, the fixture is the loop the test runs in: migrated, an async test or fixture reads
``asyncio.get_running_loop()`` where it used it, as for ``event_loop``. Which ``loop`` is the
plugin's is the project model's answer, never the name's alone: the project loads the plugin
(declares pytest-aiohttp, or names one of its modules in ``pytest_plugins`` or ``-p``), and
nothing of the project provides a fixture of that name where it is requested
(:func:`defined_loop_fixtures`, read with ``providers.module_facts``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from pathlib import Path

from ..discovery import SKIP_DIRS
from ..project.config_files import PytestConfig
from ..project.requirements import Declared
from .aiohttp import (
    DISTRIBUTION,
    FLOOR,
    LEGACY_PLUGIN,
    PYTEST_AIOHTTP_MODULE,
    PYTEST_AIOHTTP_PLUGIN,
)
from .event_loop import FIXTURE_NAME
from .loading import loaded_by_conftest, module_files
from .runners import plugin_args

#: the plugin modules that define the loop fixtures (``pytest_plugins``, ``-p``)
PLUGIN_MODULES = frozenset({PYTEST_AIOHTTP_MODULE, PYTEST_AIOHTTP_PLUGIN, LEGACY_PLUGIN})
#: the loop fixtures of pytest-aiohttp 1.0.x and of aiohttp's own plugin
LOOP_FIXTURES = ("loop", "proactor_loop")

#: aiohttp callables whose ``loop=`` is the running loop when it is not given (aiohttp 3.14:
#: ``Application`` warns "loop argument is deprecated"; ``ClientSession``, the connectors,
#: ``CookieJar`` and the test utilities take ``asyncio.get_running_loop()``): inside a
#: coroutine running on that loop, ``loop=`` of the running loop goes.
LOOP_DEFAULTS_TO_RUNNING = frozenset({
    "aiohttp.web.Application", "aiohttp.web_app.Application",
    "aiohttp.ClientSession", "aiohttp.client.ClientSession",
    "aiohttp.TCPConnector", "aiohttp.connector.TCPConnector",
    "aiohttp.UnixConnector", "aiohttp.connector.UnixConnector",
    "aiohttp.CookieJar", "aiohttp.cookiejar.CookieJar",
    "aiohttp.test_utils.TestClient", "aiohttp.test_utils.TestServer", "aiohttp.test_utils.RawTestServer",
})


def plugin_loop_fixtures(declared: Iterable[Declared], config: PytestConfig, root: Path | None) -> frozenset[str]:
    """The plugin's loop fixtures the project's tests may request: none unless the project
    loads pytest-aiohttp before 1.1 (or unversioned) or aiohttp's plugin, and none that
    a plugin module of the project's own, named in ``pytest_plugins`` or with ``-p``,
    defines (there the name is the project's everywhere)."""
    conftests = _initial_conftests(config, root)
    named = [(module, level, conftest) for conftest in conftests for module, level in _plugins_named(conftest)]
    if not (
        _declares_loop_plugin(declared)
        or _named_with_p(config)
        or any(level == 0 and module in PLUGIN_MODULES for module, level, _ in named)
    ):
        return frozenset()
    own = _defined_by_project_plugins(named, config, root, LOOP_FIXTURES)
    return frozenset(LOOP_FIXTURES) - own


def project_plugin_fixtures(config: PytestConfig, root: Path | None, names: Iterable[str]) -> frozenset[str]:
    """Those of ``names`` that a plugin module of the project's own (named in the
    ``pytest_plugins`` of a conftest.py pytest starts from, or with ``-p``) defines: a fixture
    every test of the project gets, the project's own and not a plugin's of that name."""
    named = [(module, level, conftest) for conftest in _initial_conftests(config, root) for module, level in _plugins_named(conftest)]
    return _defined_by_project_plugins(named, config, root, names)


def _defined_by_project_plugins(
    named: list[tuple[str, int, Path]], config: PytestConfig, root: Path | None, names: Iterable[str]
) -> frozenset[str]:
    wanted = tuple(names)
    own: set[str] = set()
    places = [(m, lv, c) for m, lv, c in named if m not in PLUGIN_MODULES]
    if root is not None:
        places += [(m, 0, root / "conftest.py") for m in plugin_args(config) if m not in PLUGIN_MODULES]
    for module, level, conftest in places:
        search = [root, conftest.parent] if root is not None else [conftest.parent]
        for path in module_files(module, level, conftest, search):
            try:
                own |= defined_loop_fixtures(path.read_text(encoding="utf-8", errors="replace"), wanted)
            except OSError:
                continue
    return frozenset(own)


def _declares_loop_plugin(declared: Iterable[Declared]) -> bool:
    """A declaration of pytest-aiohttp that allows a release with the loop fixtures (before
    1.1; unversioned too)."""
    return any(
        d.name == DISTRIBUTION
        and any(d.requirement.specifier.contains(v, prereleases=True) for v in (str(FLOOR), "0.3.0"))
        for d in declared
    )


def _named_with_p(config: PytestConfig) -> bool:
    return any(name in PLUGIN_MODULES for name in plugin_args(config))


def _initial_conftests(config: PytestConfig, root: Path | None) -> list[Path]:
    """The conftest.py files pytest may read ``pytest_plugins`` from: the root's, those of
    its ``testpaths``, and those of the root's own folders (``pytest tests``)."""
    if root is None:
        return []
    folders = [root, *(root / p for p in config.get_list("testpaths") or ())]
    try:
        folders += sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".") and d.name not in SKIP_DIRS)
    except OSError:
        pass
    found: list[Path] = []
    for folder in folders:
        conftest = folder / "conftest.py"
        if conftest not in found and conftest.is_file():
            found.append(conftest)
    return found


def _plugins_named(conftest: Path) -> list[tuple[str, int]]:
    try:
        data = conftest.read_bytes()
    except OSError:
        return []
    if b"pytest_plugins" not in data:
        return []
    return list(loaded_by_conftest(data))


def defined_loop_fixtures(source: str, names: Iterable[str]) -> frozenset[str]:
    """Those of ``names`` a module provides itself (defines, registers or binds at module
    level, or in a class): there the name is the project's own fixture, not the plugin's."""
    wanted = [n for n in names if n in source]
    if not wanted:
        return frozenset()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return frozenset(wanted)  # unreadable: taken to define them (a miss, not a false rewrite)
    from .providers import module_facts

    facts = module_facts(tree)
    return frozenset(n for n in wanted if facts.defines_anywhere(n))


def loop_fixture_names(
    plugin_loops: Iterable[str], defined: Iterable[str] = (), bound_here: Callable[[str], bool] | None = None
) -> frozenset[str]:
    """The fixture names that mean the plugin's loop where a test or fixture requests them:
    pytest-asyncio's ``event_loop``, and the plugin's loop fixtures the project loads
    (``plugin_loops``) that nothing of the project provides there: not ``defined`` (by the
    conftest.py files above), not bound by the module itself (``bound_here``: an import)."""
    own = set(defined)
    if bound_here is not None:
        own.update(n for n in plugin_loops if bound_here(n))
    return frozenset({FIXTURE_NAME}) | (frozenset(plugin_loops) - own)


def unprovided_message(name: str, how: str, unused: bool) -> str:
    """The note for a request of the plugin's ``name`` that nothing provides after the run."""
    fix = "nothing in it reads the parameter: delete it" if unused else (
        "in async code use asyncio.get_running_loop(); sync code that drives coroutines on it "
        "becomes async (await instead of run_until_complete)"
    )
    return (
        f"still requests the {name} fixture ({how}), which pytest-aiohttp 1.1 no longer provides (1.0's "
        f"requested event_loop, gone in pytest-asyncio 1.x) and nothing here defines: it errors with "
        f"\"fixture '{name}' not found\"; {fix}"
    )
