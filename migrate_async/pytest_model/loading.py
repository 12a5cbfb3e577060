"""What pytest loads besides test modules and conftest.py: plugin modules.

Fixtures and hooks also live in modules that are not named like tests: those a conftest.py
names in ``pytest_plugins``, those it star-imports (``from pkg.fixtures import *``), and a
package's own plugin registered under the ``pytest11`` entry point group (in
``pyproject.toml``, ``setup.cfg`` or ``setup.py``). pytest loads them, so for a migration they
are test code. Everything here reads (``ast``, tomlkit, configparser); nothing is imported or run.
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import tomlkit

from ..present import Present, bytes_of
from ..project.config_files import table_at, toml_data
from .event_loop import FIXTURE_NAME, OWN_LOOP_MARK, loop_imports, walk_statements
from .fixtures import ast_requested_fixtures

if TYPE_CHECKING:
    from ..project import ProjectFacts

#: an ``event_loop`` fixture migrate-async added as the project's own, as a file's bytes show it
OWN_LOOP_BYTES = OWN_LOOP_MARK.encode()
_FIXTURE_BYTES = FIXTURE_NAME.encode()


def loaded_by_conftest(source: bytes) -> list[tuple[str, int]]:
    """(module, relative level) for each module a conftest.py loads: its module-level
    star-imports, then its ``pytest_plugins`` entries (level 0)."""
    return [(module, level) for module, level, _plugin in conftest_loads(source)]


def conftest_loads(source: bytes) -> list[tuple[str, int, bool]]:
    """(module, relative level, whether pytest registers it as a plugin) for each module a
    conftest.py loads: its module-level star-imports, in order (not
    plugins: their names become the conftest.py's own), then its ``pytest_plugins`` entries
    (plugins, level 0). Where the fixtures of each serve: :func:`fixtures_reach`."""
    if b"pytest_plugins" not in source and b"import *" not in source:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    found: list[tuple[str, int, bool]] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            found.append((node.module or "", node.level, False))
    found += [(module, 0, True) for _line, module in pytest_plugins_entries(tree)]
    return found


def conftest_modules(conftest: Path, source: bytes, root: Path) -> list[tuple[str, int, list[Path], Path]]:
    """For each module the conftest.py at ``conftest`` (its bytes ``source``) loads
    (:func:`conftest_loads`; ``root``: its project's root): the module, its relative level,
    the files of the project it may be (:func:`module_files`, none for one from outside the
    project) and the folder whose tests its fixtures serve (:func:`fixtures_reach`)."""
    return [
        (module, level, module_files(module, level, conftest, [root, conftest.parent]),
         fixtures_reach(plugin, conftest.parent, root))
        for module, level, plugin in conftest_loads(source)
    ]


def fixtures_reach(plugin: bool, conftest_folder: Path, root: Path) -> Path:
    """The folder whose tests the fixtures of a module loaded from the conftest.py in
    ``conftest_folder`` serve (``root``: the project's root). A plugin (``pytest_plugins``,
    and so ``-p`` and a ``pytest11`` entry point, with ``conftest_folder`` the root) is not
    a conftest.py: pytest registers its fixtures on the session, for every test pytest
    collects, and behind every conftest.py's (a fixture of the same name in any conftest.py,
    the root's too, wins over it: _pytest.fixtures, pytest_plugin_registered). A module the
    conftest.py star-imports is no plugin: what it defines is the conftest.py's own, for the
    tests of its folder, as if defined there."""
    return root if plugin else conftest_folder


def pytest_plugins_entries(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) for each string a module-level ``pytest_plugins`` assignment names: a
    string, a list or a tuple, assigned, annotated or added with ``+=``."""
    found: list[tuple[int, str]] = []
    for node in tree.body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if not any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in targets):
            continue
        values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
        found += [(node.lineno, v.value) for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return found


def entry_point_plugins(folders: Iterable[Path]) -> list[str]:
    """The modules a project registers as pytest plugins (the ``pytest11`` entry point group)."""
    modules: list[str] = []
    for folder in folders:
        modules += _from_pyproject(folder / "pyproject.toml")
        modules += _from_setup_cfg(folder / "setup.cfg")
        modules += _from_setup_py(folder / "setup.py")
    return modules


def defines_fixtures_or_takes_loop(source: bytes) -> bool:
    """Whether a module defines a pytest fixture or a function that takes ``event_loop`` (read
    with ``ast`` only when its bytes could say so)."""
    # (``get_event_loop()`` says nothing: a parameter is ``(event_loop`` or `` event_loop``)
    if b"fixture" not in source and b"(event_loop" not in source and b" event_loop" not in source:
        return False
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    for node in walk_statements(tree):  # (functions are statements)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if "event_loop" in ast_requested_fixtures(node.args, positional_only=True, defaults=True):
                return True
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name == "fixture":
                    return True
    return False


def defines_own_loop(project: ProjectFacts, source: bytes | Present) -> bool:
    """Whether a module defines an ``event_loop`` fixture that is the project's own, not a
    legacy override: on pytest-asyncio 1.x (the pins admit nothing older) every one is, and
    so is one migrate-async added (its docstring carries OWN_LOOP_MARK). A conftest.py's
    serves the files below it (FileFacts.own_event_loop)."""
    if b"event_loop" not in source:  # (spelled by both ways below: most files are done here)
        return False
    if project.on_pytest_asyncio_1 and b"import" in source and imports_event_loop(bytes_of(source)):
        return True
    return (project.on_pytest_asyncio_1 or OWN_LOOP_BYTES in source) and defines_event_loop(bytes_of(source))


def imports_event_loop(source: bytes) -> bool:
    """Whether a module binds ``event_loop`` from another module that is not pytest-asyncio
    (``from tests.loops import event_loop``): on 1.x that is a fixture of the project's own
    (or of a library's), served to the module as if it defined it."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return any(not found.from_plugin for found in loop_imports(tree))


def defines_event_loop(source: bytes) -> bool:
    """Whether a module defines a function named ``event_loop`` at module or class level."""
    if b"def event_loop" not in source:
        return False
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    bodies = [tree.body] + [node.body for node in tree.body if isinstance(node, ast.ClassDef)]
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "event_loop"
        for body in bodies
        for node in body
    )


#: Plugins (top-level modules) that define no loop fixture: a project that loads one from
#: outside its tree still has every request of one seen.
NO_LOOP_FIXTURE_PLUGINS = frozenset({
    "_pytest", "pytester", "pytest", "pytest_asyncio", "pytest_trio", "anyio", "xdist", "pytest_cov",
    "pytest_mock", "pytest_timeout", "pytest_httpx", "respx", "hypothesis", "syrupy",
    # pytest-aiohttp: 1.1 has no loop fixture, 1.0's requests the event_loop pytest-asyncio 1.x
    # removed (pytest_model/aiohttp_loop.py)
    "pytest_aiohttp",
})


def provides_no_loop_fixture(module: str) -> bool:
    """Whether a plugin module named in ``pytest_plugins`` is one known to define no loop
    fixture (``pytester``, ``pytest_asyncio.plugin``)."""
    return module.split(".")[0] in NO_LOOP_FIXTURE_PLUGINS


def mentions_loop_fixture(source: bytes) -> bool:
    """Whether a conftest.py's bytes name the loop fixture at all: only then may a fixture
    of it take the loop, and the test modules below it be asked who consumes its fixtures
    (pytest_model.loop_flow)."""
    return _FIXTURE_BYTES in source


def import_roots(importer: str, root: Path | None) -> list[Path]:
    """Where absolute imports of the importer's project may resolve, first found first: the
    first folder above the importer that is not a package (pytest's basedir, which its default
    ``prepend`` import mode puts first on ``sys.path``), then the project root (on the path
    when pytest runs from it or the project is installed); :func:`module_files` also looks in
    their ``src/`` folders."""
    folder = Path(importer).resolve().parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    roots = [folder]
    if root is not None and root != folder:
        roots.append(root)
    return roots


def module_files(module: str, level: int, importer: Path, roots: Iterable[Path]) -> list[Path]:
    """Where ``module`` may live: for a relative import, beside ``importer`` (a file); otherwise
    under each of ``roots`` and their ``src/`` folders. Only files that exist."""
    parts = [p for p in module.split(".") if p]
    if level:
        base = importer.parent
        for _ in range(level - 1):
            base = base.parent
        bases = [base]
    else:
        bases = []
        for root in roots:
            bases += [root, root / "src"]
    found = []
    for base in bases:
        target = base.joinpath(*parts) if parts else base
        for candidate in (target.with_suffix(".py") if parts else None, target / "__init__.py"):
            if candidate is not None and candidate.is_file() and candidate not in found:
                found.append(candidate)
    return found


def ships_module(module: str, root: Path | None) -> bool:
    """Whether the project at ``root`` ships ``module`` itself (aiohttp's own source tree
    ships ``aiohttp.pytest_plugin``): a plugin of that name is then the project's own code,
    which its suite tests, not a legacy plugin to migrate off."""
    return root is not None and bool(module_files(module, 0, root / "conftest.py", [root]))


def _module_of(value: str) -> str | None:
    """``name = pkg.plugin:obj [extra]`` or ``pkg.plugin`` → ``pkg.plugin``."""
    text = value.split("=", 1)[1] if "=" in value else value
    module = text.split(":", 1)[0].split("[", 1)[0].strip()
    return module or None


def _from_pyproject(path: Path) -> list[str]:
    if not path.is_file():
        return []
    try:
        data = toml_data(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError):
        return []
    group = table_at(data, "project", "entry-points", "pytest11")
    plugins = table_at(data, "tool", "poetry", "plugins", "pytest11")
    values = [*group.values(), *plugins.values()]
    return [m for v in values if isinstance(v, str) and (m := _module_of(v))]


def _from_setup_cfg(path: Path) -> list[str]:
    if not path.is_file():
        return []
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return []
    if not parser.has_option("options.entry_points", "pytest11"):
        return []
    lines = parser.get("options.entry_points", "pytest11").splitlines()
    return [m for line in lines if line.strip() and (m := _module_of(line))]


def _from_setup_py(path: Path) -> list[str]:
    if not path.is_file():
        return []
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return []
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "pytest11":
                    items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
                    modules += [m for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str) and (m := _module_of(i.value))]
    return modules


def may_use_legacy_loop_fixture(source: bytes | Present) -> bool:
    """Whether legacy_loop_fixture_use can find anything in ``source`` (a check of its bytes)."""
    return _FIXTURE_BYTES in source


def legacy_loop_fixture_use(source: bytes) -> tuple[bool, bool]:
    """(whether a test or fixture of the module requests ``event_loop``: a parameter,
    ``usefixtures`` or ``getfixturevalue``; whether the module defines a function of that
    name). A project whose tests request it while none of its files defines it was written for
    pytest-asyncio before 1.0, whose fixture it was: that is evidence of the plugin, where the
    project declares its test dependencies somewhere the run cannot read (a CI file)."""
    if b"event_loop" not in source:
        return False, False
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return False, False
    requests = False
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            requests = requests or "event_loop" in ast_requested_fixtures(node.args)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("usefixtures", "getfixturevalue"):
                requests = requests or any(isinstance(a, ast.Constant) and a.value == "event_loop" for a in node.args)
    return requests, defines_event_loop(source)
