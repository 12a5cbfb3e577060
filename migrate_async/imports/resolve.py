"""Import resolution: what the names bound by a module's imports refer to (one ``ImportMap``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..cstkit.name_index import NameIndex
from ..cstkit.names import dotted_name
from ..pytest_model.collection import is_unittest_class


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
    #: module-level classes that are unittest TestCases through a base class of this module
    #: (``class Base(unittest.TestCase)`` then ``class TestX(Base)``)
    unittest_classes: set[str] = field(default_factory=set)

    @classmethod
    def collect(cls, module: cst.Module, index: NameIndex | None = None) -> "ImportMap":
        """The map of ``module``; with the file's ``index``, the one built for an earlier
        tree of the file when the statements it is made of are the same objects (a copy:
        callers may add to it)."""
        if index is None:
            return cls._build(module)
        key = _imports_key(module)
        last = index.last_imports
        if last is not None and last[0] == key:
            found = last[2]
        else:
            found = cls._build(module)
            index.last_imports = (key, module, found)  # the module keeps the key's ids its own
        return cls(dict(found.names), set(found.star_modules), set(found.unittest_classes))

    @classmethod
    def _build(cls, module: cst.Module) -> "ImportMap":
        result = cls()
        for stmt in _module_level_statements(module.body):
            if type(stmt) is not cst.SimpleStatementLine:
                continue
            for small in stmt.body:
                kind = type(small)
                if kind is cst.Import:
                    for alias in small.names:
                        full = _import_alias_name(alias)
                        if full is None:
                            continue
                        if alias.asname is not None and type(alias.asname.name) is cst.Name:
                            result.names[alias.asname.name.value] = full
                        else:
                            top = full.split(".")[0]
                            result.names[top] = top
                elif kind is cst.ImportFrom:
                    if small.relative or small.module is None:
                        continue
                    base = dotted_name(small.module)
                    if base is None or type(small.names) is cst.ImportStar:
                        if base is not None:
                            result.star_modules.add(base)
                        continue
                    for alias in small.names:
                        attr = _import_alias_name(alias)
                        if attr is None:
                            continue
                        local = attr
                        if alias.asname is not None and type(alias.asname.name) is cst.Name:
                            local = alias.asname.name.value
                        result.names[local] = f"{base}.{attr}"
        classes = [stmt for stmt in _module_level_statements(module.body) if type(stmt) is cst.ClassDef]
        changed = True
        while changed:
            changed = False
            for cls in classes:
                if cls.name.value not in result.unittest_classes and is_unittest_class(cls, result):
                    result.unittest_classes.add(cls.name.value)
                    changed = True
        return result

    def qualify(self, node: cst.CSTNode | None) -> str | None:
        """The full dotted name an expression refers to, when its head is an imported name."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        full = self.names.get(head)
        if full is None:
            if head not in WELL_KNOWN_MODULES or self.binds_locally(head):
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
