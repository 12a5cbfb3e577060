"""Evidence of pytest-aiohttp in a project that declares nothing of it: what its tests request.

Many aiohttp projects keep their test dependencies in a CI file the run cannot read
(``pip install pytest-aiohttp`` in a workflow): nothing they declare or configure names
pytest-aiohttp or pytest-asyncio. Their tests still show the plugin, the way they request
its fixtures: ``async def test_x(loop, aiohttp_client)`` in a module that imports aiohttp,
where nothing of the project defines ``loop`` or ``aiohttp_client``, runs only under
pytest-aiohttp (0.3: aiohttp's plugin runs it on its ``loop``; 1.0: pytest-asyncio does,
``loop`` being 1.0's alias of ``event_loop``). That is the evidence read here, as
pytest_model.loading.legacy_loop_fixture_use reads a request of ``event_loop`` for
pytest-asyncio 0.x.

A request counts only when it is one (``providers.fixture_requests``: a parameter of a test
pytest collects or of a fixture, not one a direct ``parametrize`` fills; ``usefixtures``;
``getfixturevalue``) of a module that imports aiohttp and not a framework whose plugin uses
the same names (pytest-sanic's ``loop``, ``test_client``), of a test no other plugin runs
(anyio, trio), and when no file of the project binds or defines that name: no test module,
conftest.py, or plugin module (named in ``pytest_plugins``, star-imported by a conftest.py,
named with ``-p``, registered under ``pytest11``). A module that star-imports what the run
cannot read may bind anything: its requests do not count, and a conftest.py that does so
stops the search (a miss, never a false rewrite). A project that loads aiohttp's legacy plugin
(``pytest_plugins = "aiohttp.pytest_plugin"``) is not read: that plugin runs its coroutine
tests, and whether they move to pytest-asyncio is the aiohttp-plugin transform's to say
(``Transform.adopts``, engine/scan.py).

Read once per project by the project model (project/model.py), only where the project
declares no pytest-aiohttp and shows aiohttp (declares it, or a conftest.py pytest starts
from mentions it); a file is parsed only when its bytes hold one of the names.
"""

from __future__ import annotations

import ast
import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..discovery import SKIP_DIRS
from ..readings import offer_tree
from .aiohttp import (
    AIOHTTP_MODULES,
    LEGACY_PLUGIN,
    OTHER_FRAMEWORKS,
    PLUGIN_FIXTURES,
    SHARED_NAMES,
    legacy_plugin_lines,
)
from .event_loop import walk_statements
from .loading import (
    entry_point_plugins,
    loaded_by_conftest,
    module_files,
    provides_no_loop_fixture,
)
from .runners import plugin_args

if TYPE_CHECKING:
    from ..project import ProjectFacts
    from .providers import ModuleFacts

#: a conftest.py, by name
CONFTEST = "conftest.py"
#: aiohttp's legacy plugin, as a file's bytes name it
LEGACY_BYTES = LEGACY_PLUGIN.encode()
#: what a module that imports one of AIOHTTP_MODULES spells, whichever it imports
AIOHTTP_BYTES = b"aiohttp"


@dataclass(frozen=True)
class PluginRequests:
    """What a project's tests request of pytest-aiohttp that nothing of the project defines."""

    #: the names requested
    names: frozenset[str]
    #: where the first is requested, for the summary: ``tests/test_a.py:12 requests aiohttp_client``
    where: str
    #: the names of pytest-aiohttp's fixtures some file of the project binds or defines
    defined: frozenset[str]


def shows_aiohttp(declared_names: Iterable[str], conftests: Iterable[Path]) -> bool:
    """The cheap look before the read: the project declares aiohttp, or a conftest.py pytest
    starts from mentions it."""
    if "aiohttp" in declared_names:
        return True
    for conftest in conftests:
        try:
            if b"aiohttp" in conftest.read_bytes():
                return True
        except OSError:
            continue
    return False


def requested_plugin_fixtures(project: ProjectFacts, root: Path) -> PluginRequests | None:
    """The fixtures of pytest-aiohttp (``aiohttp.PLUGIN_FIXTURES``) the project's tests
    request where nothing of the project provides them (see the module docstring), or None."""
    from .providers import fixture_requests, may_request_by_call

    requested: dict[str, tuple[str, int]] = {}
    defined: set[str] = set()
    followed: set[Path] = set()
    wanted = sorted(PLUGIN_FIXTURES)
    defining_only: list[tuple[bytes, list[str]]] = []  # (bytes, names in them) of modules without aiohttp
    plugins = [*entry_point_plugins([root]), *(m for m in plugin_args(project.config) if not m.startswith("no:"))]
    for module in plugins:
        for path in module_files(module, 0, root / "setup.py", [root]):
            if _defines(path, wanted, followed, defined, root) is None:
                return None
    for path in _test_files(project, root):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if LEGACY_BYTES in data and legacy_plugin_lines(data):
            return None  # its tests are the legacy plugin's: the aiohttp-plugin transform adopts them or not
        if path.name == CONFTEST:
            for module, level in loaded_by_conftest(data):
                files = module_files(module, level, path, [root, path.parent])
                if not files and not _known(module, level):
                    return None  # a plugin module the run cannot read: it may define any of them
                for found in files:
                    if _defines(found, wanted, followed, defined, root) is None:
                        return None
        named = [n for n in wanted if n.encode() in data]
        if not named:
            continue
        if AIOHTTP_BYTES not in data:
            # it imports no aiohttp module, so its requests do not count: what it defines
            # matters only when some other module's do (read below, then)
            defining_only.append((data, named))
            continue
        read = _defined_in(data, named, wanted, defined)
        if read is None or read[1].star:
            continue  # (unreadable; or what it star-imports may provide what it requests)
        tree = read[0]
        uses = _imports(tree)
        if not uses & AIOHTTP_MODULES:
            continue
        shared = not uses & OTHER_FRAMEWORKS
        for request in fixture_requests(tree, wanted, project, calls=may_request_by_call(data)):
            if request.framework is None and (shared or request.name not in SHARED_NAMES):
                requested.setdefault(request.name, (_shown(path, root), request.line))
    if not frozenset(requested) - defined:
        return None
    for data, named in defining_only:
        _defined_in(data, named, wanted, defined)
    names = frozenset(requested) - defined
    if not names:
        return None
    first = min(names, key=lambda n: (requested[n], n))
    place, line = requested[first]
    return PluginRequests(names, f"{place}:{line} requests {first}", frozenset(defined))


def _defined_in(data: bytes, named: list[str], wanted: list[str], defined: set[str]) -> tuple[ast.Module, ModuleFacts] | None:
    """Add to ``defined`` those of ``wanted`` a test module or conftest.py with these bytes
    (which name ``named``) binds or defines, or parametrizes in a hook; its tree and what it
    binds (None when it cannot be parsed: then it is taken to define ``named``, a miss, not
    a false rewrite)."""
    from .providers import module_facts

    tree = _parse(data)
    if tree is None:
        defined.update(named)
        return None
    offer_tree(data, tree)  # (the survey reads the module next)
    facts = module_facts(tree)
    defined.update(n for n in wanted if facts.defines_anywhere(n))
    defined.update(_parametrized_by_hook(tree, wanted))
    return tree, facts


def _defines(path: Path, wanted: list[str], followed: set[Path], defined: set[str], root: Path) -> bool | None:
    """Add to ``defined`` those of ``wanted`` the plugin module at ``path`` binds or defines
    (and what it star-imports from the project); None when it star-imports a module the
    run cannot read."""
    if path in followed:
        return True
    followed.add(path)
    try:
        data = path.read_bytes()
    except OSError:
        return True
    tree = _parse(data)
    if tree is None:
        defined.update(n for n in wanted if n.encode() in data)
        return True
    from .providers import module_facts

    facts = module_facts(tree)
    defined.update(n for n in wanted if facts.defines_anywhere(n))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            files = module_files(node.module or "", node.level, path, [root, path.parent])
            if not files and not _known(node.module or "", node.level):
                return None
            for found in files:
                if _defines(found, wanted, followed, defined, root) is None:
                    return None
    return True


def _parametrized_by_hook(tree: ast.Module, wanted: list[str]) -> set[str]:
    """Of ``wanted``, the names a ``pytest_generate_tests`` hook of the module may
    parametrize (a string in its body names them: ``metafunc.parametrize("loop", ...)``):
    pytest then gives the tests that value, no fixture."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "pytest_generate_tests":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    words = {w.strip() for w in inner.value.split(",")}
                    found.update(n for n in wanted if n in words)
    return found


def _known(module: str, level: int) -> bool:
    """Whether a plugin module outside the project is one whose fixtures are known: aiohttp's
    and pytest-aiohttp's (what they provide is the evidence), and those known to define no
    loop fixture (``loading.provides_no_loop_fixture``: pytest-asyncio, pytest-mock...)."""
    return level == 0 and (module.split(".")[0] in AIOHTTP_MODULES or provides_no_loop_fixture(module))


def _imports(tree: ast.Module) -> set[str]:
    """The top-level modules the module imports (anywhere in it)."""
    found: set[str] = set()
    for node in walk_statements(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _parse(data: bytes) -> ast.Module | None:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError):
        return None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _test_files(project: ProjectFacts, root: Path) -> Iterator[Path]:
    """The conftest.py files and test modules (``python_files``) pytest collects below the
    project's ``testpaths`` (its root without them), skipping the folders pytest and this tool
    skip, and the conftest.py files above them up to the root; conftest.py files first, folder
    by folder."""
    starts = [root / p for p in project.config.get_list("testpaths") or ()] or [root]
    seen: set[str] = set()
    above: list[Path] = []  # the conftest.py files of the folders from the root down to each start
    for start in starts:
        for folder in (*reversed(start.parents), start):
            if (folder == root or root in folder.parents) and folder != start and (folder / CONFTEST) not in above:
                above.append(folder / CONFTEST)
    yield from (conftest for conftest in above if conftest.is_file())
    for start in starts:
        if start.is_file():
            yield start
            continue
        for here, dirs, files in os.walk(start):
            if here in seen:
                dirs[:] = []
                continue
            seen.add(here)
            dirs[:] = sorted(
                d for d in dirs
                if not (d.startswith(".") or d in SKIP_DIRS or d.endswith(".egg-info"))
                and not os.path.exists(os.path.join(here, d, "pyvenv.cfg"))
            )
            names = sorted(files)
            if CONFTEST in names:
                yield Path(here, CONFTEST)
            for name in names:
                if name != CONFTEST and name.endswith(".py") and any(fnmatch.fnmatch(name, p) for p in project.python_files):
                    yield Path(here, name)
