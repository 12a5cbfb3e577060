"""event-loop-fixture: what an override's body does with its loop.

A fixture of 0.21 made its loop, set it as the current one, maybe turned on debug mode,
yielded it and closed it; pytest-asyncio 1.x does all of that itself. ``BodyReader`` sorts
the statements of an override (or of a helper it calls for its loop) into those that only
make, configure or close the loop and the rest: setup that stays (an autouse fixture) or
work on the loop that cannot move.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ...imports.resolve import ImportMap, ast_dotted_name
from ...pytest_model.event_loop import loop_library_modules
from .policy import UVLOOP_FACTORIES

#: The loop an override makes: asyncio's own, uvloop's, or a loop class (``factory`` names it).
LoopKind = Literal["asyncio", "uvloop", "custom"]
#: What an override does besides its loop: nothing, setup that does not touch the loop
#: (it stays, as an autouse fixture), or work on the loop itself.
ExtraWork = Literal["none", "setup", "loop"]

_ASYNCIO_CREATORS = frozenset(
    {
        "asyncio.new_event_loop",
        "asyncio.get_event_loop",
        "asyncio.SelectorEventLoop",
        "asyncio.DefaultEventLoopPolicy",
    }
)
_IGNORED_CALLS = frozenset({"asyncio.set_event_loop"})


@dataclass
class BodyFacts:
    """What ``BodyReader`` found an override's body does."""

    kind: LoopKind = "asyncio"
    factory: str | None = None
    debug: bool = False
    loop_names: set[str] = field(default_factory=set)
    policy_names: set[str] = field(default_factory=set)
    created: bool = False
    extra: ExtraWork = "none"
    nested_extra: bool = False  # extra statements inside try/with blocks
    #: ``with loop.method(...): yield loop``: per-test wrapping on the loop (see wraps_yield)
    wraps: bool = False
    #: its setup or teardown runs coroutines on the loop (``loop.run_until_complete(x)``, see
    #: drives): its autouse fixture is async and awaits them on the tests' running loop
    drives: bool = False


#: Libraries whose zero-argument calls make asyncio-compatible loops (prefixes of full names).
_LOOP_LIBRARIES = tuple(f"{module}." for module in loop_library_modules(custom_loop=True))
#: Classes a module-level loop class derives from (directly or through another one).
_LOOP_BASES = frozenset(
    {
        "asyncio.AbstractEventLoop", "asyncio.BaseEventLoop", "asyncio.SelectorEventLoop",
        "asyncio.ProactorEventLoop", "asyncio.base_events.BaseEventLoop",
        "asyncio.selector_events.BaseSelectorEventLoop", "asyncio.unix_events.SelectorEventLoop",
        "asyncio.events.AbstractEventLoop", "uvloop.Loop",
    }
)


def loop_classes(classes: Sequence[ast.ClassDef], imports: ImportMap) -> set[str]:
    """Module-level classes that are asyncio event loops: a ``MainLoop`` of a GUI toolkit
    is not one, and an ``event_loop`` fixture returning it is not pytest-asyncio's."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name in found:
                continue
            for base in cls.bases:
                full = imports.qualify_ast(base, well_known=False)
                dotted = ast_dotted_name(base)
                if (full in _LOOP_BASES) or (full or "").startswith(_LOOP_LIBRARIES) or dotted in found:
                    found.add(cls.name)
                    changed = True
                    break
    return found


class BodyReader:
    """Sorts the statements of an override into 'makes/closes the loop' and 'anything else'."""

    def __init__(
        self, imports: ImportMap, local_classes: set[str], helpers: Sequence[str] = (), moved: Sequence[str] = ()
    ) -> None:
        self.imports = imports
        #: a loop class defined in the override counts as the module's (it moves there)
        self.moved = frozenset(moved)
        self.local_classes = local_classes | self.moved
        #: calls of the project's own loop-making helpers (see pytest_model/project_helpers.py)
        self.helpers = frozenset(helpers)
        self.facts = BodyFacts()

    def _full(self, expr: ast.AST) -> str | None:
        """What ``expr`` names through the module's own imports (no well-known fallback)."""
        return self.imports.qualify_ast(expr, well_known=False)

    def creator(self, expr: ast.AST) -> tuple[LoopKind, str | None] | None:
        """(kind, factory) when ``expr`` makes a new loop."""
        if not isinstance(expr, ast.Call):
            return None
        full = self._full(expr.func)
        if full in _ASYNCIO_CREATORS:
            # SelectorEventLoop(selector) is not the loop pytest-asyncio makes
            return ("asyncio", None) if not (expr.args or expr.keywords) else None
        if full in UVLOOP_FACTORIES:
            return "uvloop", "uvloop.new_event_loop"
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "new_event_loop":
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in self.facts.policy_names:
                return "asyncio", None
            if isinstance(owner, ast.Call):
                owner_full = self._full(owner.func)
                if owner_full == "asyncio.get_event_loop_policy":
                    return "asyncio", None
                if owner_full == "uvloop.EventLoopPolicy":
                    return "uvloop", "uvloop.new_event_loop"
        if not expr.args and not expr.keywords:
            dotted = ast_dotted_name(func)
            if dotted is not None and dotted in self.helpers:
                return "asyncio", None
            if dotted is not None:
                head = dotted.split(".")[0]
                if head in self.local_classes or (full or "").startswith(_LOOP_LIBRARIES):
                    return "custom", dotted
        return None

    def uses_loop(self, node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in self.facts.loop_names for n in ast.walk(node))

    def is_loop_only(self, stmt: ast.stmt) -> bool:
        """Whether the statement only makes, configures (debug, policy) or closes the loop."""
        f = self.facts
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            return True  # docstring
        if isinstance(stmt, ast.ClassDef) and stmt.name in self.moved:
            return True
        if isinstance(stmt, ast.With) and self.wraps_yield(stmt):
            f.wraps = True
            return True
        if isinstance(stmt, ast.If) and self.drains_unless_closed(stmt):
            return True
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            found = self.creator(stmt.value)
            if found is not None:
                self._set_kind(*found)
                f.loop_names.add(stmt.targets[0].id)
                f.created = True
                return True
            if isinstance(stmt.value, ast.Call) and self._full(stmt.value.func) == "asyncio.get_event_loop_policy":
                f.policy_names.add(stmt.targets[0].id)
                return True
            return False
        if isinstance(stmt, (ast.Return, ast.Expr)):
            value = stmt.value
            if isinstance(value, ast.Yield):
                value = value.value
            if value is None:
                return False
            if isinstance(value, ast.Name) and value.id in f.loop_names:
                return True
            found = self.creator(value)
            if found is not None:
                self._set_kind(*found)
                f.created = True
                return True
            if not isinstance(value, ast.Call):
                return False
            full = self._full(value.func)
            if full in _IGNORED_CALLS:
                return True
            if full == "asyncio.set_event_loop_policy":
                arg = value.args[0] if value.args else None
                if isinstance(arg, ast.Call) and self._full(arg.func) == "uvloop.EventLoopPolicy":
                    self._set_kind("uvloop", "uvloop.new_event_loop")
                    return True
                return isinstance(arg, ast.Constant) and arg.value is None
            func = value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in f.loop_names:
                if func.attr == "close" and not value.args:
                    return True
                if func.attr == "set_debug" and len(value.args) == 1 and isinstance(value.args[0], ast.Constant):
                    f.debug = bool(value.args[0].value)
                    return True
                if func.attr == "run_until_complete" and len(value.args) == 1:
                    inner = value.args[0]
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Attribute)
                        and inner.func.attr in ("shutdown_asyncgens", "shutdown_default_executor")
                    ):
                        return True
        return False

    def drains_unless_closed(self, stmt: ast.If) -> bool:
        """``if not loop.is_closed():`` around a teardown that lets the callbacks still
        scheduled run (``loop.call_soon(loop.stop)`` then ``loop.run_forever()``) and closes
        the loop: closing it, as pytest-asyncio 1.x does with its own loops."""
        test = stmt.test
        if stmt.orelse or not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
            return False
        if not self._loop_method(test.operand, "is_closed"):
            return False
        for inner in stmt.body:
            value = inner.value if isinstance(inner, ast.Expr) else None
            if self._loop_method(value, "run_forever"):
                continue
            if (
                self._loop_method(value, "call_soon", arity=1)
                and isinstance(value, ast.Call)
                and self._loop_attribute(value.args[0], "stop")
            ):
                continue
            if not self.is_loop_only(inner):
                return False
        return True

    def _loop_attribute(self, node: ast.AST | None, attr: str) -> bool:
        """``loop.<attr>`` of a name the override's loop is bound to."""
        return (
            isinstance(node, ast.Attribute)
            and node.attr == attr
            and isinstance(node.value, ast.Name)
            and node.value.id in self.facts.loop_names
        )

    def _loop_method(self, node: ast.AST | None, method: str, arity: int = 0) -> bool:
        """``loop.<method>(...)`` with ``arity`` positional arguments and no keywords."""
        return (
            isinstance(node, ast.Call)
            and self._loop_attribute(node.func, method)
            and len(node.args) == arity
            and not node.keywords
        )

    def wraps_yield(self, stmt: ast.With) -> bool:
        """``with loop.method(<literals>): yield loop``: a context manager of the loop around
        each test, which moves to an autouse fixture on the running loop."""
        if len(stmt.items) != 1 or len(stmt.body) != 1 or not is_bare_yield(stmt.body[0]):
            return False
        value = stmt.body[0].value.value  # type: ignore[attr-defined]
        if not (isinstance(value, ast.Name) and value.id in self.facts.loop_names):
            return False
        item = stmt.items[0]
        call = item.context_expr
        return (
            item.optional_vars is None
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id in self.facts.loop_names
            and all(isinstance(a, ast.Constant) for a in [*call.args, *(k.value for k in call.keywords)])
        )

    def _set_kind(self, kind: LoopKind, factory: str | None) -> None:
        if kind != "asyncio" or self.facts.kind == "asyncio":
            self.facts.kind, self.facts.factory = kind, factory

    def read(self, body: Sequence[ast.stmt], nested: bool = False) -> None:
        for stmt in body:
            if self.is_loop_only(stmt):
                continue
            if isinstance(stmt, ast.Try) and not stmt.handlers and not stmt.orelse:
                self.read(stmt.body, True)
                self.read(stmt.finalbody, True)
                continue
            self._extra(stmt, nested)

    def driven(self, stmt: ast.stmt) -> ast.expr | None:
        """``loop.run_until_complete(x)`` standing as a statement, or as the value of a plain
        assignment, where ``x`` does not itself use the loop: the awaitable ``x``, which an
        async fixture on the same loop awaits instead (None for anything else)."""
        value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        if isinstance(stmt, ast.Assign) and any(self.uses_loop(t) for t in stmt.targets):
            return None
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
            return None
        func = value.func
        if not (
            func.attr == "run_until_complete"
            and isinstance(func.value, ast.Name)
            and func.value.id in self.facts.loop_names
            and len(value.args) == 1
            and not value.keywords
            and not isinstance(value.args[0], ast.Starred)
        ):
            return None
        awaited = value.args[0]
        return None if self.uses_loop(awaited) else awaited

    def _extra(self, stmt: ast.stmt, nested: bool) -> None:
        f = self.facts
        if self.driven(stmt) is not None:
            f.drives = True
            if f.extra == "none":
                f.extra = "setup"
        elif self.uses_loop(stmt):
            f.extra = "loop"
        elif f.extra == "none":
            f.extra = "setup"
        if nested:
            f.nested_extra = True


def is_loop_base(base: ast.expr, imports: ImportMap, local_classes: set[str]) -> bool:
    """Whether a class with this base is an event loop (``local_classes``: the module's own)."""
    full = imports.qualify_ast(base, well_known=False)
    return full in _LOOP_BASES or (full or "").startswith(_LOOP_LIBRARIES) or ast_dotted_name(base) in local_classes


def makes_loop(func: ast.FunctionDef, module: ast.Module) -> bool:
    """Whether a helper does nothing but return the current or a new asyncio loop (setting
    it as current on the way, with a ``try``/``except`` fallback): then calling it is making
    the loop, and nothing else of the override's setup hides in it."""
    args = func.args
    if args.posonlyargs or any(d is None for d in args.kw_defaults) or args.vararg or args.kwarg:
        return False
    if len(args.defaults) != len(args.args):
        return False  # a required parameter: the override's call passes none
    if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal)) for n in ast.walk(func)):
        return False
    reader = BodyReader(ImportMap.from_ast(module), set())
    returns = 0

    def plain(body: Sequence[ast.stmt]) -> bool:
        nonlocal returns
        for stmt in body:
            if isinstance(stmt, ast.Try):
                if not (plain(stmt.body) and all(plain(h.body) for h in stmt.handlers)
                        and plain(stmt.orelse) and plain(stmt.finalbody)):
                    return False
                continue
            if isinstance(stmt, ast.Return) and stmt.value is None:
                return False
            if not reader.is_loop_only(stmt):
                return False
            call = stmt.value if isinstance(stmt, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "close":
                return False  # it closes the loop it would hand out
            returns += isinstance(stmt, ast.Return)
        return True

    return plain(func.body) and returns > 0 and reader.facts.kind == "asyncio" and not reader.facts.debug


def is_bare_yield(stmt: ast.stmt) -> bool:
    """A ``yield`` (of anything) standing as a statement."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield)

