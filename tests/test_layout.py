"""The package's layout rules that no other test would notice being broken.

- Only ``migrate_async/cstkit/`` touches LibCST internals (private node methods, private
  modules, ``object.__setattr__`` on frozen nodes, the scratch keys of LibCST's import
  visitors): when a LibCST release changes them, that package is the one to mend.
- Nothing imports ``libcst.codemod`` at module level (half a second of start-up).
- Every transform module registers exactly one transform, under its own name.
- The engine knows no plugin: no module of ``migrate_async/engine/`` contains the words
  ``pytest_asyncio`` or ``event_loop`` anywhere in its text (code, strings, docstrings,
  comments: ``pytest_asyncio_loop_factories`` included), imports anything of
  ``pytest_model/event_loop.py`` or ``pytest_model/versions.py``, or imports a version gate
  (the constants of ``versions.py``) from anywhere: what it decides on them comes from the
  project model or from the transforms.
- ``migrate_async/imports/`` never imports ``migrate_async/pytest_model/`` (not even inside a
  function): what it needs of it, it takes as a parameter.
- Every module of ``migrate_async/`` is named in the README's "Development" module map.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import libcst as cst
import pytest

from migrate_async.pytest_model import versions
from migrate_async.transforms import REGISTRY
from migrate_async.transforms.transform import Transform

PACKAGE = Path(__file__).resolve().parent.parent / "migrate_async"
ALLOWED = PACKAGE / "cstkit"

#: Private attributes of LibCST's nodes (``_codegen``, ``_validate``,
#: ``_visit_and_replace_children``...), read from LibCST itself.
PRIVATE_NODE_ATTRIBUTES = frozenset(
    name for name in dir(cst.CSTNode) if name.startswith("_") and not name.startswith("__")
)
LIBCST_SCRATCH_KEYS = frozenset({"AddImportsVisitor", "RemoveImportsVisitor"})


def libcst_internals(source: str) -> list[tuple[int, str]]:
    """(line, what) for every use of LibCST internals in a module's source."""
    found: list[tuple[int, str]] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("libcst._") or any(part.startswith("_") for part in node.module.split(".")[1:]):
                found.append((node.lineno, f"from {node.module} import ..."))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("libcst._"):
                    found.append((node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.Attribute):
            if node.attr in PRIVATE_NODE_ATTRIBUTES:
                found.append((node.lineno, f".{node.attr}"))
            elif node.attr == "__setattr__" and isinstance(node.value, ast.Name) and node.value.id == "object":
                found.append((node.lineno, "object.__setattr__"))
        elif isinstance(node, ast.Constant) and node.value in LIBCST_SCRATCH_KEYS:
            found.append((node.lineno, f"the scratch key {node.value!r}"))
    return found


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_checker_sees_what_it_looks_for() -> None:
    sample = (
        "from libcst._nodes.internal import CodegenState\n"
        "import libcst._parser\n"
        "def f(node, state):\n"
        "    node._codegen(state)\n"
        "    node._validate()\n"
        "    object.__setattr__(node, 'value', 1)\n"
        "    return {'AddImportsVisitor': []}\n"
    )
    assert [line for line, _ in libcst_internals(sample)] == [1, 2, 4, 5, 6, 7]
    assert libcst_internals("import libcst as cst\nx = cst.Name('a').with_changes(value='b')\n") == []


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_cstkit_touches_libcst_internals(path: Path) -> None:
    if ALLOWED in path.parents:
        return
    assert libcst_internals(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_libcst_codemod_is_not_imported_at_module_level(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        assert not any(n == "libcst.codemod" or n.startswith("libcst.codemod.") for n in names), node.lineno


def test_each_transform_module_registers_one_transform() -> None:
    by_module: dict[str, list[str]] = {}
    for transform in REGISTRY:
        by_module.setdefault(transform.__module__, []).append(transform.name)
    for module_name, names in by_module.items():
        module = importlib.import_module(module_name)
        defined = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Transform) and value is not Transform
            and value.__module__ == module_name
        ]
        assert [t.name for t in defined] == names, module_name
    assert len({t.name for t in REGISTRY}) == len(REGISTRY)


def test_every_package_all_names_what_it_binds() -> None:
    # a name in __all__ that the package does not bind makes ``from package import *`` raise
    for path in _modules(PACKAGE):
        if path.name != "__init__.py":
            continue
        name = ".".join(("migrate_async", *path.parent.relative_to(PACKAGE).parts)).rstrip(".")
        module = importlib.import_module(name)
        missing = [n for n in getattr(module, "__all__", ()) if not hasattr(module, n)]
        assert missing == [], name


#: The house rules (the design notes: no module over ~600 lines, no class over ~400): a module that passes them is split by what its parts do.
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 400


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_modules_and_classes_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            assert node.end_lineno - node.lineno + 1 <= MAX_CLASS_LINES, node.name


@pytest.mark.parametrize("transform", REGISTRY, ids=lambda t: t.name)
def test_each_transform_is_documented_in_docs(transform: type[Transform]) -> None:
    # explain prints docs/<name>.txt; the module's docstring only says What, briefly
    text = (PACKAGE / "transforms" / "docs" / f"{transform.name}.txt").read_text(encoding="utf-8")
    assert text.startswith(f"{transform.name}: ")
    for section in ("What:", "Why:", "Safety:"):
        assert f"\n{section}\n" in text, section
    home = transform.__module__.split(".")[2]
    module = importlib.import_module(f"migrate_async.transforms.{home}")
    assert len((module.__doc__ or "").strip().splitlines()) <= 16, module.__name__


# -- what imports what --------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    """``migrate_async.engine.process`` for ``migrate_async/engine/process.py``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool = False) -> list[tuple[int, str, str | None]]:
    """(line, module, name or None) for every import in a module's source, at any depth,
    relative ones resolved from ``module`` (its dotted name; ``is_package`` for an
    ``__init__``): ``from .a import b`` in ``pkg.m`` is ``(n, "pkg.a", "b")``."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found += [(node.lineno, base, alias.name) for alias in node.names]
    return found


def reaches(imports: list[tuple[int, str, str | None]], target: str) -> list[int]:
    """The lines of ``imports`` that import module ``target`` or anything in it (``from
    package import target`` too)."""
    lines = []
    for line, module, name in imports:
        full = f"{module}.{name}" if name is not None else module
        if any(m == target or m.startswith(target + ".") for m in (module, full)):
            lines.append(line)
    return lines


#: Words the engine's text must not contain: a plugin's names.
PLUGIN_WORDS = ("pytest_asyncio", "event_loop")
#: Modules whose names only a transform or the project model may use.
PLUGIN_MODULES = ("migrate_async.pytest_model.event_loop", "migrate_async.pytest_model.versions")
#: The version gates (``NO_EVENT_LOOP_FIXTURE``...), wherever they are imported from.
VERSION_GATES = frozenset(name for name in vars(versions) if name.isupper())


def plugin_knowledge(source: str, module: str) -> list[tuple[int, str]]:
    """(line, what) for every place a module's source names the plugin it migrates: the
    words of PLUGIN_WORDS anywhere, an import of PLUGIN_MODULES or of a version gate."""
    found = [
        (number, f"the word {word!r}")
        for number, line in enumerate(source.splitlines(), 1)
        for word in PLUGIN_WORDS
        if word in line
    ]
    imports = imported(source, module)
    for target in PLUGIN_MODULES:
        found += [(line, f"an import of {target}") for line in reaches(imports, target)]
    found += [(line, f"the version gate {name}") for line, _module, name in imports if name in VERSION_GATES]
    return sorted(found)


def test_the_import_reader_resolves_relative_imports() -> None:
    source = (
        "import os.path\n"
        "from .files import parse\n"
        "from .. import pytest_model\n"
        "def f():\n"
        "    from ..pytest_model.collection import unittest_base\n"
    )
    found = imported(source, "migrate_async.imports.resolve")
    assert found == [
        (1, "os.path", None),
        (2, "migrate_async.imports.files", "parse"),
        (3, "migrate_async", "pytest_model"),
        (5, "migrate_async.pytest_model.collection", "unittest_base"),
    ]
    assert reaches(found, "migrate_async.pytest_model") == [3, 5]
    assert reaches(found, "migrate_async.pytest") == []  # a name's prefix is not its package
    assert imported("from . import edits\n", "migrate_async.imports", is_package=True) == [(1, "migrate_async.imports", "edits")]


def test_the_plugin_checker_sees_what_it_looks_for() -> None:
    sample = (
        '"""Adds the pytest_asyncio_loop_factories hook."""\n'
        "from ..pytest_model.versions import Version\n"
        "from ..pytest_model import event_loop as model\n"
        "from ..project import NO_EVENT_LOOP_FIXTURE, ProjectFacts\n"
        "def own(facts):  # an event_loop of its own\n"
        "    return facts.own_loop\n"
    )
    found = plugin_knowledge(sample, "migrate_async.engine.sample")
    assert [line for line, _ in found] == [1, 2, 3, 3, 4, 5]
    assert "the version gate NO_EVENT_LOOP_FIXTURE" in [what for _, what in found]
    clean = "from ..project import Version, format_version\nfrom ..pytest_model.loading import defines_own_loop\n"
    assert plugin_knowledge(clean, "migrate_async.engine.sample") == []


@pytest.mark.parametrize("path", _modules(PACKAGE / "engine"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_the_engine_names_no_plugin(path: Path) -> None:
    assert plugin_knowledge(path.read_text(encoding="utf-8"), _module_name(path)) == []


@pytest.mark.parametrize("path", _modules(PACKAGE / "imports"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_does_not_import_the_pytest_model(path: Path) -> None:
    found = imported(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")
    assert reaches(found, "migrate_async.pytest_model") == []


# -- the README's module map --------------------------------------------------------------------

README = PACKAGE.parent / "README.md"


def module_map(readme: str) -> dict[str, str]:
    """The README's "Development" section before its first subsection, as its bullets:
    the package a bullet opens with (``engine`` for ``- `engine/`: ...``; "" for a bullet
    of top-level modules) → the bullet's text (bullets of one package joined)."""
    section = readme.split("\n## Development\n", 1)[1].split("\n#", 1)[0]
    bullets: dict[str, str] = {}
    for bullet in re.split(r"\n(?=- )", section):
        if not bullet.startswith("- "):
            continue
        opening = re.match(r"- `(\w+)/`", bullet)
        key = opening.group(1) if opening else ""
        bullets[key] = bullets.get(key, "") + bullet
    return bullets


def unnamed_modules(modules: list[str], bullets: dict[str, str]) -> list[str]:
    """The modules (paths relative to the package, ``engine/process.py``) the map does not
    name: a top-level module as ```cli.py``` in a bullet of top-level modules; a module of a
    package by its name (```process``` or ```process.py```) in its package's bullet; a
    module of a package inside that one by the inner package's name (```event_loop_fixture/```
    or ```event_loop_fixture```), which names all its modules. ``__init__`` and
    ``__main__`` need no naming."""
    missing = []
    for module in modules:
        parts = module.split("/")
        stem = parts[-1].removesuffix(".py")
        if stem in ("__init__", "__main__"):
            continue
        if len(parts) == 1:
            named = f"`{parts[0]}`" in bullets.get("", "")
        else:
            text = bullets.get(parts[0], "")
            names = (stem, f"{stem}.py") if len(parts) == 2 else (parts[1], f"{parts[1]}/")
            named = any(f"`{name}`" in text for name in names)
        if not named:
            missing.append(module)
    return missing


def test_the_module_map_reader_sees_what_it_looks_for() -> None:
    readme = (
        "# x\n\n## Development\n\nProse.\n\n"
        "- `cli.py` (Typer), `report.py`.\n"
        "- `engine/`: a run. `source` (one module),\n  `process.py` (one file).\n"
        "- `transforms/`: the protocol, and `event_loop_fixture/` (a package).\n\n"
        "### Adding a transform\n\n- `engine/`: `pipeline`\n"
    )
    bullets = module_map(readme)
    assert sorted(bullets) == ["", "engine", "transforms"]
    modules = [
        "__main__.py", "cli.py", "report.py", "paths.py", "engine/__init__.py", "engine/source.py",
        "engine/process.py", "engine/pipeline.py", "transforms/event_loop_fixture/survey.py",
        "transforms/sync_to_async.py", "cstkit/walk.py",
    ]
    assert unnamed_modules(modules, bullets) == [
        "paths.py", "engine/pipeline.py", "transforms/sync_to_async.py", "cstkit/walk.py"
    ]


def test_every_module_is_named_in_the_readme_module_map() -> None:
    modules = [p.relative_to(PACKAGE).as_posix() for p in _modules(PACKAGE)]
    assert unnamed_modules(modules, module_map(README.read_text(encoding="utf-8"))) == []


#: What the engine may ask of the pytest model, and why: the questions that decide which files
#: a run reads and where a request lands, answered without naming the plugin.
ENGINE_MAY_ASK = {
    "migrate_async.pytest_model.loading": "which plugin modules pytest loads",
    "migrate_async.pytest_model.runners": "which plugin runs a folder's async tests",
    "migrate_async.pytest_model.project_helpers": "where a module defines a function",
    "migrate_async.pytest_model.providers": "who provides a fixture where it is requested, what a module binds",
    "migrate_async.pytest_model.dependencies": "what a release installs with it, which declarations clash with it",
}


def pytest_model_modules(source: str, module: str, package: bool = False) -> set[str]:
    """The modules of ``migrate_async.pytest_model`` a module's source imports."""
    found = set()
    for _line, imported_from, name in imported(source, module, package):
        if imported_from == "migrate_async.pytest_model":
            found.add(f"{imported_from}.{name}")
        elif imported_from.startswith("migrate_async.pytest_model."):
            found.add(imported_from)
    return found


def test_the_pytest_model_reader_sees_what_it_looks_for() -> None:
    sample = (
        "from ..pytest_model.event_loop import FIXTURE_NAME\n"
        "from ..pytest_model import versions\n"
        "def f():\n"
        "    from ..pytest_model.loading import defines_own_loop\n"
    )
    assert pytest_model_modules(sample, "migrate_async.engine.sample") == {
        "migrate_async.pytest_model.event_loop",
        "migrate_async.pytest_model.versions",
        "migrate_async.pytest_model.loading",
    }


@pytest.mark.parametrize("path", _modules(PACKAGE / "engine"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_the_engine_asks_the_pytest_model_only_what_it_may(path: Path) -> None:
    asked = pytest_model_modules(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")
    assert asked <= set(ENGINE_MAY_ASK)


def bare_version_comparisons(source: str) -> list[int]:
    """The lines that compare something with a literal ``(major, minor)`` tuple: a version gate
    worked out in place instead of read from ``pytest_model.versions``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                if (
                    isinstance(operand, ast.Tuple)
                    and len(operand.elts) == 2
                    and all(isinstance(e, ast.Constant) and type(e.value) is int for e in operand.elts)
                ):
                    lines.append(node.lineno)
    return lines


def test_the_version_checker_sees_what_it_looks_for() -> None:
    assert bare_version_comparisons("if target >= (1, 4):\n    pass\nok = (0, 26) > t\n") == [1, 3]
    assert bare_version_comparisons("if target >= LOOP_FACTORIES_HOOK:\n    pass\nx = (1, 4)\n") == []


@pytest.mark.parametrize("path", _modules(PACKAGE), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_version_gates_are_named(path: Path) -> None:
    assert bare_version_comparisons(path.read_text(encoding="utf-8")) == []
