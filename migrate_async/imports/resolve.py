"""Import resolution: what the names bound by a module's imports refer to (one ``ImportMap``).

The map is read from a LibCST module (:meth:`ImportMap.collect`, for rewrites) or from an
``ast`` module (:meth:`ImportMap.from_ast`, for survey passes), with the same rules; the
imports of one function body (:func:`function_imports`) follow them too.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..cstkit.name_index import NameIndex
from ..cstkit.names import dotted_name


def _import_alias_name(alias: cst.ImportAlias) -> str | None:
    return dotted_name(alias.name)


#: Module names that mean themselves even where the module forgot to import them.
WELL_KNOWN_MODULES = frozenset({"pytest", "pytest_asyncio", "asyncio"})


@dataclass
class ImportMap:
    """What the names bound by a module's imports refer to.

    Only imports that run at module level (including inside top-level ``if``/``try``
    blocks) are considered: that is where test modules import pytest and friends.
    """

    #: local name → full dotted name, e.g. ``{"pt": "pytest", "sleep": "time.sleep"}``
    names: dict[str, str] = field(default_factory=dict)
    #: modules imported with ``import x.y`` (no alias): top name → True
    star_modules: set[str] = field(default_factory=set)
    #: module-level classes that are unittest TestCases, directly or through a base class of
    #: this module (``class Base(unittest.TestCase)`` then ``class TestX(Base)``), by the
    #: ``unittest_base`` rule :meth:`collect` is given (pytest_model.collection's)
    unittest_classes: set[str] = field(default_factory=set)

    @classmethod
    def collect(
        cls, module: cst.Module, index: NameIndex | None = None, unittest_base: Callable[[str], bool] | None = None
    ) -> "ImportMap":
        """The map of ``module``; with the file's ``index``, the one built for an earlier
        tree of the file when the statements it is made of are the same objects (a copy:
        callers may add to it). ``unittest_base``: whether a base class, by its dotted name,
        makes a class a unittest TestCase (without it, ``unittest_classes`` stays empty)."""
        if index is None:
            return cls._build(module, unittest_base)
        key = (_imports_key(module), unittest_base)
        last = index.last_imports
        if last is not None and last[0] == key:
            found = last[2]
        else:
            found = cls._build(module, unittest_base)
            index.last_imports = (key, module, found)  # the module keeps the key's ids its own
        return cls(dict(found.names), set(found.star_modules), set(found.unittest_classes))

    @classmethod
    def from_ast(cls, tree: ast.Module) -> "ImportMap":
        """The map of a module parsed with ``ast`` (survey passes), by the rules of
        :meth:`collect`: the same statements, names and star imports. ``unittest_classes``
        stays empty (that reading needs the LibCST classes; no survey asks it)."""
        result = cls()
        for stmt in _ast_module_level_statements(tree.body):
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        result.names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        result.names[top] = top
            elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
                for alias in stmt.names:
                    if alias.name == "*":
                        result.star_modules.add(stmt.module)
                    else:
                        result.names[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
        return result

    @classmethod
    def _build(cls, module: cst.Module, unittest_base: Callable[[str], bool] | None) -> "ImportMap":
        result = cls()
        for stmt in _module_level_statements(module.body):
            if type(stmt) is not cst.SimpleStatementLine:
                continue
            for small in stmt.body:
                for local, full, _from_import in _bindings(small, result.star_modules):
                    result.names[local] = full
        if unittest_base is not None:
            result.unittest_classes = _derived_classes(module, unittest_base)
        return result

    def qualify(self, node: cst.CSTNode | None) -> str | None:
        """The full dotted name an expression refers to, when its head is an imported name."""
        return self.qualify_dotted(dotted_name(node))

    def qualify_ast(self, expr: ast.AST, well_known: bool = True) -> str | None:
        """:meth:`qualify` for an ``ast`` expression (survey passes).

        ``well_known=False`` drops the :data:`WELL_KNOWN_MODULES` fallback: only names the
        module really imports resolve (event-loop-fixture's survey reads it so: an override
        counts only where its ``pytest``/``asyncio`` names are imported).
        """
        return self.qualify_dotted(ast_dotted_name(expr), well_known)

    def qualify_dotted(self, dotted: str | None, well_known: bool = True) -> str | None:
        """The full dotted name ``a.b.c`` refers to, when its head is an imported name (or,
        with ``well_known``, one of :data:`WELL_KNOWN_MODULES` the module does not rebind)."""
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        full = self.names.get(head)
        if full is None:
            if not well_known or head not in WELL_KNOWN_MODULES or self.binds_locally(head):
                return None
            # ``pytest.mark.asyncio`` in a module that forgot ``import pytest`` still means
            # pytest (a transform may add the import, and the answer must not change then)
            full = head
        return f"{full}.{rest}" if rest else full

    def binds_locally(self, name: str) -> bool:
        return name in self.names

    def may_refer_to(self, module: str) -> bool:
        """Whether any name here can resolve to ``module`` or something in it (a cheap
        early exit for transforms)."""
        if module in WELL_KNOWN_MODULES and not self.binds_locally(module):
            return True
        return any(t == module or t.startswith(module + ".") for t in self.names.values())

    def local_names_for(self, full: str) -> list[str]:
        """Local names bound directly to ``full`` (``"pytest"`` → ``["pytest", "pt"]``)."""
        return sorted(local for local, target in self.names.items() if target == full)

    def reference(self, full: str) -> tuple[str, bool]:
        """How to spell ``full`` here: (dotted expression, whether ``import <top>`` must be added).

        ``pytest.mark.asyncio`` becomes ``pt.mark.asyncio`` after ``import pytest as pt`` and
        ``mark.asyncio`` after ``from pytest import mark``.
        """
        parts = full.split(".")
        # The longest prefix bound to a local name wins (from-import of a deeper object).
        for cut in range(len(parts), 0, -1):
            prefix = ".".join(parts[:cut])
            locals_ = self.local_names_for(prefix)
            if locals_:
                local = prefix if prefix in locals_ else locals_[0]
                return ".".join([local, *parts[cut:]]), False
        return full, True


def ast_dotted_name(expr: ast.AST) -> str | None:
    """``a.b.c`` for a name or attribute chain read with ``ast``; None for anything else
    (the ``ast`` counterpart of ``cstkit.names.dotted_name``)."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        head = ast_dotted_name(expr.value)
        return f"{head}.{expr.attr}" if head else None
    return None


def _bindings(small: cst.BaseSmallStatement, star_modules: set[str] | None = None) -> Iterator[tuple[str, str, bool]]:
    """(local name, full dotted name, bound by ``from ... import``) for each name an import
    statement binds; relative imports bind nothing known. A star import binds nothing
    either; its module goes into ``star_modules`` when that is given."""
    kind = type(small)
    if kind is cst.Import:
        for alias in small.names:  # type: ignore[attr-defined]
            full = _import_alias_name(alias)
            if full is None:
                continue
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                yield alias.asname.name.value, full, False
            else:
                top = full.split(".")[0]
                yield top, top, False
    elif kind is cst.ImportFrom:
        if small.relative or small.module is None:  # type: ignore[attr-defined]
            return
        base = dotted_name(small.module)  # type: ignore[attr-defined]
        if base is None or type(small.names) is cst.ImportStar:  # type: ignore[attr-defined]
            if base is not None and star_modules is not None:
                star_modules.add(base)
            return
        for alias in small.names:  # type: ignore[attr-defined]
            attr = _import_alias_name(alias)
            if attr is None:
                continue
            local = attr
            if alias.asname is not None and type(alias.asname.name) is cst.Name:
                local = alias.asname.name.value
            yield local, f"{base}.{attr}", True


@dataclass
class FunctionImports:
    """Names bound in one function body: the function-scope counterpart of ImportMap."""

    #: local name → full dotted name (as in ImportMap.names); "" for a name bound to
    #: nothing known (a parameter, which shadows a module-level import)
    names: dict[str, str] = field(default_factory=dict)
    #: local names bound by ``from ... import`` (not by ``import module``)
    from_imported: set[str] = field(default_factory=set)


def function_imports(
    func: cst.FunctionDef,
    shadowed: Iterable[str] = (),
    extra_binding: Callable[[cst.BaseSmallStatement], tuple[str, str] | None] | None = None,
) -> FunctionImports:
    """The imports in a function's own body (nested blocks, not nested functions/classes),
    by the rules of ImportMap. ``shadowed`` names (its parameters) mean nothing known;
    ``extra_binding`` reads a statement that binds a module the way an import does (httpx's
    ``httpx = pytest.importorskip("httpx")``) as (local, module), checked first."""
    scope = FunctionImports(names={name: "" for name in shadowed})

    def record(small: cst.BaseSmallStatement) -> None:
        extra = extra_binding(small) if extra_binding is not None else None
        if extra is not None:
            scope.names[extra[0]] = extra[1]
            return
        for local, full, from_import in _bindings(small):
            scope.names[local] = full
            if from_import:
                scope.from_imported.add(local)

    def walk(body: Sequence[cst.BaseStatement | cst.BaseSmallStatement]) -> None:
        for stmt in body:
            if isinstance(stmt, cst.BaseSmallStatement):  # ``def f(): import httpx; ...``
                record(stmt)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    record(small)
            elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            elif isinstance(stmt, cst.BaseCompoundStatement):
                for block in _blocks(stmt):
                    walk(block.body)

    walk(func.body.body)  # an indented block, or ``def f(): import httpx; ...``
    return scope


def _blocks(stmt: cst.BaseCompoundStatement) -> Iterator[cst.BaseSuite]:
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.BaseSuite):
        yield body
    for case in getattr(stmt, "cases", ()) or ():  # match statements
        yield case.body
    for handler in getattr(stmt, "handlers", ()) or ():
        yield handler.body
    orelse = getattr(stmt, "orelse", None)
    while orelse is not None:
        yield orelse.body
        orelse = getattr(orelse, "orelse", None) if isinstance(orelse, cst.If) else None
    final = getattr(stmt, "finalbody", None)
    if final is not None:
        yield final.body


def _ast_module_level_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """The ``ast`` counterpart of :func:`_module_level_statements` (``elif`` is a nested
    ``If`` in ``orelse`` there)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _ast_module_level_statements(stmt.body)
            yield from _ast_module_level_statements(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from _ast_module_level_statements(stmt.body)
            for handler in stmt.handlers:
                yield from _ast_module_level_statements(handler.body)
            yield from _ast_module_level_statements(stmt.orelse)


def _module_level_statements(body: Sequence[cst.BaseStatement]) -> Iterator[cst.BaseStatement]:
    for stmt in body:
        yield stmt
        kind = type(stmt)
        if kind is cst.If:
            yield from _module_level_statements(stmt.body.body)
            orelse = stmt.orelse
            while orelse is not None:
                yield from _module_level_statements(orelse.body.body)
                orelse = getattr(orelse, "orelse", None)
        elif kind is cst.Try:
            yield from _module_level_statements(stmt.body.body)
            for handler in stmt.handlers:
                yield from _module_level_statements(handler.body.body)
            if stmt.orelse is not None:
                yield from _module_level_statements(stmt.orelse.body.body)


def _derived_classes(module: cst.Module, base: Callable[[str], bool]) -> set[str]:
    """The module-level classes with a base that ``base`` accepts (by its dotted name) or
    that is one of them."""
    classes = [stmt for stmt in _module_level_statements(module.body) if type(stmt) is cst.ClassDef]
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in classes:
            if node.name.value in found:
                continue
            for entry in node.bases:
                name = dotted_name(entry.value)
                if name and (base(name) or name in found):
                    found.add(node.name.value)
                    changed = True
                    break
    return found


def _imports_key(module: cst.Module) -> tuple[Any, ...]:
    """What an ImportMap is made of, by identity: every top-level statement but functions
    (a class only by its name and bases, which outlive edits to its body)."""
    key: list[Any] = []
    for stmt in module.body:
        kind = type(stmt)
        if kind is cst.ClassDef:
            key.append((stmt.name.value, id(stmt.bases)))
        elif kind is not cst.FunctionDef:
            key.append(id(stmt))
    return tuple(key)
