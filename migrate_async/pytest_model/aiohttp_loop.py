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

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..discovery import SKIP_DIRS
from ..project.config_files import PytestConfig
from ..project.requirements import Declared
from .aiohttp import (
    DISTRIBUTION,
    FLOOR,
    LEGACY_PLUGIN,
    LOOP_FIXTURES_REMOVED,
    OTHER_LOOP_PLUGINS,
    PYTEST_AIOHTTP_MODULE,
    PYTEST_AIOHTTP_PLUGIN,
    RENAMES,
)
from .aiohttp_requests import requested_plugin_fixtures, shows_aiohttp
from .event_loop import FIXTURE_NAME, module_tree
from .loading import loaded_by_conftest, module_files
from .runners import plugin_args

if TYPE_CHECKING:
    from ..project import ProjectFacts

#: the plugin modules that define the loop fixtures (``pytest_plugins``, ``-p``)
PLUGIN_MODULES = frozenset({PYTEST_AIOHTTP_MODULE, PYTEST_AIOHTTP_PLUGIN, LEGACY_PLUGIN})
#: pytest-aiohttp's own modules (0.3's package, 1.x's plugin), as ``pytest_plugins`` or ``-p`` name them
PYTEST_AIOHTTP_MODULES = frozenset({PYTEST_AIOHTTP_MODULE, PYTEST_AIOHTTP_PLUGIN})
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


def plugin_shown(
    project: ProjectFacts, declared: Iterable[Declared], root: Path | None
) -> tuple[str, frozenset[str]] | None:
    """For a project that declares no pytest-aiohttp: where it shows the plugin anyway, and
    the plugin's loop fixtures its tests may then request; None when it does not. It shows
    it by naming pytest-aiohttp's module (``pytest_plugins = "pytest_aiohttp"`` in a conftest.py
    pytest starts from, ``-p pytest_aiohttp``: the loop fixtures are then those
    :func:`plugin_loop_fixtures` gave), or, in a project that uses aiohttp, by what its tests
    request (``aiohttp_requests.requested_plugin_fixtures``: ``loop``, ``aiohttp_client``...
    that nothing of the project defines; the loop fixtures are those it defines nowhere)."""
    if root is None:
        return None
    conftests = _initial_conftests(project.config, root)
    for conftest in conftests:
        for module, level in _plugins_named(conftest):
            if level == 0 and module in PYTEST_AIOHTTP_MODULES:
                return f"pytest_plugins names {module} in {_shown(conftest, root)}", project.plugin_loops
    for module in plugin_args(project.config):
        if module in PYTEST_AIOHTTP_MODULES:
            named = project.config.path.name if project.config.path is not None else "the configuration"
            return f"-p {module} in {named}", project.plugin_loops
    declared = list(declared)
    if not shows_aiohttp((d.name for d in declared), conftests):
        return None
    if any(d.name in OTHER_LOOP_PLUGINS for d in declared):
        return None  # its loop, test_client... are that plugin's
    found = requested_plugin_fixtures(project, root)
    if found is None:
        return None
    return found.where, frozenset(LOOP_FIXTURES) - found.defined


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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
        tree = module_tree(source)  # (the survey's own reading of the module, when it is this one)
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


#: pytest-aiohttp 1.0's fixtures besides the loops that 1.1 removed [PA-1.0.5, PA-1.1.0]
REMOVED_IN_1_1 = ("aiohttp_unused_port",)


def removed_fixtures(project: ProjectFacts) -> frozenset[str]:
    """pytest-aiohttp 1.0's fixtures that the release the project gets no longer has
    (``REMOVED_IN_1_1``), where the project loads pytest-aiohttp before 1.1 (it has the
    plugin's loop fixtures, ``plugin_loops``) and nothing of its own provides them: none where
    every declaration of pytest-aiohttp stays below 1.1 (``==1.0.5``: there they still work)."""
    if not project.plugin_loops:
        return frozenset()
    removed = str(LOOP_FIXTURES_REMOVED)
    if project.companions and not any(d.requirement.specifier.contains(removed, prereleases=True) for d in project.companions):
        return frozenset()
    return frozenset(REMOVED_IN_1_1) - project.own_plugin_fixtures


def unprovided_message(name: str, how: str, unused: bool) -> str:
    """The note for a request of the plugin's ``name`` that nothing provides after the run."""
    if name in REMOVED_IN_1_1:
        return (
            f"still requests the {name} fixture ({how}), which pytest-aiohttp 1.1 no longer provides and "
            f"nothing here defines: it errors with \"fixture '{name}' not found\"; request "
            f"{RENAMES[name]} instead (the same calling convention: each call returns a free port)"
        )
    fix = "nothing in it reads the parameter: delete it" if unused else (
        "in async code use asyncio.get_running_loop(); sync code that drives coroutines on it "
        "becomes async (await instead of run_until_complete)"
    )
    return (
        f"still requests the {name} fixture ({how}), which pytest-aiohttp 1.1 no longer provides (1.0's "
        f"requested event_loop, gone in pytest-asyncio 1.x) and nothing here defines: it errors with "
        f"\"fixture '{name}' not found\"; {fix}"
    )
