"""A module read once with ``ast``, for the transforms to tell that they have nothing to do.

Most files the byte-level triggers let through need no edit (``async def`` is in every
modern async test module). Parsing such a file with LibCST costs ten times what ``ast``
costs, so before that the engine asks each matching transform
(:meth:`Transform.certainly_idle`) whether this file certainly gives it nothing to do: no
edit, no note, no request. The question is answered from a :class:`Glance`: the module's
``ast`` tree and what one walk over it found, shared by all transforms of the file.

A glance is conservative by construction: it records more than the transforms read (every
import anywhere, not only those at module level; decorators and arguments in the scope
around the definition *and* in the definition's own), and where a name's meaning is not
certain (:meth:`Glance.qualify` returns :data:`UNSURE`) a transform must say "maybe".
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field

from ..imports.resolve import WELL_KNOWN_MODULES, ImportMap, ast_dotted_name
from ..readings import take_for_glance

#: What :meth:`Glance.qualify` returns when the module may bind the name in a way the
#: LibCST side reads differently (a relative import, one inside a function, two imports
#: of one name): the caller must assume the worst.
UNSURE = "<unsure>"

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass
class Definition:
    """A ``def``, ``async def`` or ``class`` and where it sits."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    #: the classes around it, outermost first, up to the nearest enclosing function
    classes: tuple[ast.ClassDef, ...]
    #: inside a function or lambda (at any depth): pytest never collects it
    nested: bool


@dataclass
class Glance:
    """One module's ``ast`` tree, and what a single walk over it found."""

    tree: ast.Module
    #: every definition, in the order of the walk
    functions: list[Definition] = field(default_factory=list)
    classes: list[Definition] = field(default_factory=list)
    #: every identifier: names, attribute names, keyword and parameter names, imported names
    identifiers: set[str] = field(default_factory=set)
    #: identifiers and identifier-like string constants outside every ``async def`` body
    #: (module level, sync functions, lambdas; the decorators of any definition)
    outside_coroutines: set[str] = field(default_factory=set)
    #: every identifier-like string constant, wherever it is
    strings: set[str] = field(default_factory=set)
    #: what the calls inside an ``async def`` call, as dotted names (``time.sleep``)
    calls_in_coroutines: set[str] = field(default_factory=set)
    #: what the calls outside every ``async def`` body call, as dotted names (the places
    #: of :attr:`outside_coroutines`)
    calls_outside_coroutines: set[str] = field(default_factory=set)
    #: the keyword names of every call
    keywords: set[str] = field(default_factory=set)
    #: calls whose function is an attribute ``.NAME``, by NAME (only those asked for below)
    attribute_calls: dict[str, list[ast.Call]] = field(default_factory=dict)
    #: attribute expressions by attribute name (only those asked for below)
    attributes: dict[str, list[ast.Attribute]] = field(default_factory=dict)
    #: every binding by import anywhere in the module: local name → full names
    bindings: dict[str, set[str]] = field(default_factory=dict)
    #: the module-level imports, read as the transforms read them
    imports: ImportMap = field(default_factory=ImportMap)
    #: the text it was read from ("" when given a tree: :meth:`of`)
    source: str = ""

    #: attribute names whose nodes (and calls) are kept
    KEPT_ATTRIBUTES = frozenset({"asyncio", "asyncio_event_loop", "stop", "close"})

    @classmethod
    def of(cls, tree: ast.Module) -> Glance:
        glance = cls(tree)
        glance._walk()
        glance.imports = ImportMap.from_ast(tree)
        return glance

    @classmethod
    def parse(cls, text: str) -> Glance | None:
        """The glance of a module's text; None when ``ast`` cannot read it (LibCST will
        say why) or it is too deep to walk."""
        try:
            tree = take_for_glance(text)  # (the survey's reading, when it read this text)
            if tree is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # (SyntaxWarning: the parse of the rewrite says nothing either)
                    tree = ast.parse(text)
            glance = cls.of(tree)
            glance.source = text
            return glance
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    # -- names ------------------------------------------------------------------------------
    def qualify(self, expr: ast.AST) -> str | None:
        """The full dotted name of a name or attribute chain, as ``ImportMap.qualify`` gives
        it on the LibCST side (module-level imports, the well-known modules); None when it
        names nothing imported, :data:`UNSURE` when this module may bind its head otherwise."""
        return self.qualify_dotted(ast_dotted_name(expr))

    def qualify_dotted(self, dotted: str | None) -> str | None:
        """:meth:`qualify` for a dotted name."""
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        targets = self.bindings.get(head)
        if not targets:
            full = head if head in WELL_KNOWN_MODULES else None
        elif len(targets) == 1 and self.imports.names.get(head) in targets:
            full = self.imports.names[head]
        else:
            return UNSURE
        if full is None:
            return None
        return f"{full}.{rest}" if rest else full

    def meanings(self, dotted: str) -> set[str] | None:
        """Every full dotted name ``dotted`` may refer to, read any way the module binds its
        head (module level or inside a function, each import of it) or as a well-known
        module; None when one of them cannot be told (a relative import). Where
        :meth:`qualify` is :data:`UNSURE`, a transform may ask this instead: a name none of
        whose meanings is the one it looks for is not that one."""
        head, _, rest = dotted.partition(".")
        targets = self.bindings.get(head, set())
        found = {head} if head in WELL_KNOWN_MODULES else set()
        for target in targets:
            if target.startswith("."):
                return None
            found.add(target)
        return {f"{full}.{rest}" if rest else full for full in found}

    def may_mean(self, dotted: str, wanted: Collection[str]) -> bool:
        """Whether a dotted name refers (or may refer) to one of ``wanted``: read as the
        rewrite reads it (:meth:`qualify_dotted`), and where that is :data:`UNSURE`, any of
        its :meth:`meanings`."""
        full = self.qualify_dotted(dotted)
        if full != UNSURE:
            return full in wanted
        meanings = self.meanings(dotted)
        return meanings is None or not meanings.isdisjoint(wanted)

    # -- the walk ---------------------------------------------------------------------------
    def _walk(self) -> None:
        identifiers = self.identifiers
        outside = self.outside_coroutines
        keywords = self.keywords
        strings = self.strings
        kept = self.KEPT_ATTRIBUTES
        # (node, inside an async def body, inside any function, classes since the last function)
        stack: list[tuple[ast.AST, bool, bool, tuple[ast.ClassDef, ...]]] = [(self.tree, False, False, ())]
        pop = stack.pop
        push = stack.append
        while stack:
            node, coroutine, nested, classes = pop()
            kind = type(node)
            if kind is ast.Name:
                identifiers.add(node.id)
                if not coroutine:
                    outside.add(node.id)
                continue
            if kind is ast.Constant:
                value = node.value
                if type(value) is str and value.isidentifier():
                    strings.add(value)
                    if not coroutine:
                        outside.add(value)
                continue
            if kind is ast.Attribute:
                identifiers.add(node.attr)
                if not coroutine:
                    outside.add(node.attr)
                if node.attr in kept:
                    self.attributes.setdefault(node.attr, []).append(node)
            elif kind is ast.Call:
                func = node.func
                dotted = ast_dotted_name(func)
                if dotted is not None:
                    (self.calls_in_coroutines if coroutine else self.calls_outside_coroutines).add(dotted)
                if type(func) is ast.Attribute and func.attr in kept:
                    self.attribute_calls.setdefault(func.attr, []).append(node)
                for keyword in node.keywords:
                    if keyword.arg is not None:
                        keywords.add(keyword.arg)
                        identifiers.add(keyword.arg)
                        if not coroutine:
                            outside.add(keyword.arg)
            elif kind is ast.arg:
                identifiers.add(node.arg)
                if not coroutine:
                    outside.add(node.arg)
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._bind(node)
                continue
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
                if kind is not ast.Lambda:
                    self.functions.append(Definition(node, classes, nested))
                    identifiers.add(node.name)
                    # the LibCST side reads an async def's decorators and return annotation
                    # inside its coroutine, Python runs them outside: read both ways
                    flags = {coroutine, kind is ast.AsyncFunctionDef}
                    for flag in flags:
                        for decorator in node.decorator_list:
                            push((decorator, flag, nested, classes))
                        if node.returns is not None:
                            push((node.returns, flag, nested, classes))
                if kind is ast.Lambda:  # its body runs where it is called: counted as around it
                    push((node.args, coroutine, True, ()))
                    push((node.body, coroutine, True, ()))
                    continue
                inner = kind is ast.AsyncFunctionDef
                push((node.args, inner, True, ()))
                for statement in node.body:
                    push((statement, inner, True, ()))
                continue
            elif kind is ast.ClassDef:
                self.classes.append(Definition(node, classes, nested))
                identifiers.add(node.name)
                for part in (*node.decorator_list, *node.bases, *node.keywords):
                    push((part, coroutine, nested, classes))
                inner_classes = (*classes, node)
                for statement in node.body:
                    push((statement, coroutine, nested, inner_classes))
                continue
            for name in node._fields:
                value = getattr(node, name, None)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, ast.AST):
                            push((item, coroutine, nested, classes))
                elif isinstance(value, ast.AST):
                    push((value, coroutine, nested, classes))
        # the walk goes last-first; the definitions are wanted in the order of the source
        self.functions.reverse()
        self.classes.reverse()

    def _bind(self, node: ast.Import | ast.ImportFrom) -> None:
        bindings = self.bindings
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.identifiers.add(alias.name)
                local = alias.asname or alias.name.split(".")[0]
                full = alias.name if alias.asname else local
                bindings.setdefault(local, set()).add(full)
            return
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            self.identifiers.add(alias.name)
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            self.identifiers.add(local)
            bindings.setdefault(local, set()).add(f"{module}.{alias.name}")


def in_body(statements: list[ast.stmt], kinds: tuple[type, ...] = _FUNCTIONS) -> list[ast.stmt]:
    """The statements of a body of the given kinds (functions, by default)."""
    return [s for s in statements if isinstance(s, kinds)]


def assigns(statement: ast.stmt, name: str) -> bool:
    """Whether a statement binds or augments ``name`` directly (``name = ``, ``name: T =``,
    ``name += ``) or calls a method on it (``name.append(...)``)."""
    if isinstance(statement, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in statement.targets)
    if isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        return isinstance(statement.target, ast.Name) and statement.target.id == name
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        func = statement.value.func
        return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == name
    return False
