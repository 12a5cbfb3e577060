"""The package's layout rules that no other test would notice being broken.

- Only ``migrate_async/cstkit/`` touches LibCST internals (private node methods, private
  modules, ``object.__setattr__`` on frozen nodes, the scratch keys of LibCST's import
  visitors): when a LibCST release changes them, that package is the one to mend.
- Nothing imports ``libcst.codemod`` at module level (half a second of start-up).
- Every transform module registers exactly one transform, under its own name.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import libcst as cst
import pytest

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


#: The house rules (DESIGN.md): a module that passes them is split by what its parts do.
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
