"""event-loop-fixture: a loop class defined inside the override.

Suites define their instrumented loop inside the fixture (``class StepLoop(
asyncio.SelectorEventLoop): ...`` then ``loop = StepLoop()``), its methods often reaching the
instance through the fixture's variable (``loop.steps.append(...)``) rather than ``self``. A
loop-factories hook needs the class at module level. It can move there when the only name
it takes from the fixture is that variable, read only inside its methods, where ``self`` is
the same object: the move rewrites it to ``self``. Anything else it reads from the fixture
(another local, a parameter) would be gone at module level: then a note names the class,
the hook to write and where, and the override stays. What it reads is resolved scope by
scope (``symtable``): a method's own ``loop=None`` is not the fixture's ``loop``; a class that
reads the fixture's ``loop`` and binds ``loop`` itself too stays (the move rewrites every
``loop`` of the class).
"""

from __future__ import annotations

import ast
import symtable
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from ...cstkit.names import rename_reads
from ...imports.resolve import ImportMap
from ...pytest_model.versions import LOOP_FACTORIES_HOOK
from .naming import bound_names


@dataclass(frozen=True)
class NestedClass:
    """A loop class defined by a statement of the override's body."""

    name: str
    #: the fixture's names it reads (besides the instance, which moves as ``self``)
    fixture_names: tuple[str, ...]
    #: the variable bound to the instance in the fixture, read inside the methods (or None)
    instance: str | None
    #: names of ``fixture_names`` the class binds too (a method's ``loop=None`` parameter)
    shadowed: tuple[str, ...] = ()

    @property
    def movable(self) -> bool:
        return not self.fixture_names


def nested_loop_classes(
    func: ast.FunctionDef | ast.AsyncFunctionDef, is_loop_base
) -> list[ast.ClassDef]:
    """The classes among the override's own statements that derive from an event loop
    (``is_loop_base(base_expr)`` says which bases count; a class derived from one of these,
    ``class StepLoop(BaseLoop)``, counts too)."""
    found: list[ast.ClassDef] = []
    for stmt in func.body:
        if isinstance(stmt, ast.ClassDef) and any(
            is_loop_base(b) or (isinstance(b, ast.Name) and b.id in {c.name for c in found}) for b in stmt.bases
        ):
            found.append(stmt)
    return found


def read_nested(cls: ast.ClassDef, func: ast.FunctionDef | ast.AsyncFunctionDef) -> NestedClass:
    """What ``cls`` (a statement of ``func``) takes from the fixture."""
    fixture_locals = _bound(func, skip=cls) | {a.arg for a in _all_args(func.args)}
    fixture_locals.discard(cls.name)
    taken = sorted(_fixture_reads(cls, func) & fixture_locals)
    inside = _bound(cls)
    instance = _instance(func, cls.name)
    if instance is not None and instance in taken and instance not in inside and _only_in_methods(cls, instance):
        taken.remove(instance)
    else:
        instance = None
    # a name the class also binds (a parameter ``loop=None``): the move, which rewrites every
    # ``loop`` of the class, could not tell the fixture's from its own
    shadowed = tuple(name for name in taken if name in inside)
    return NestedClass(cls.name, tuple(taken), instance, shadowed)


def _fixture_reads(cls: ast.ClassDef, func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names ``cls`` reads from the fixture's scope, scope by scope (``symtable``): a
    name read in a method that neither the method nor a function around it inside the
    class binds. A method's own ``loop`` parameter is not the fixture's ``loop``."""
    try:
        top = symtable.symtable(ast.unparse(func), "<fixture>", "exec")
    except (SyntaxError, ValueError):  # pragma: no cover - the module parsed
        return {n.id for n in ast.walk(cls) if isinstance(n, ast.Name)}  # every name: nothing moves blindly
    fixture = next((t for t in top.get_children() if t.get_name() == func.name), None)
    classes = [t for t in (fixture.get_children() if fixture is not None else ()) if t.get_name() == cls.name]
    if len(classes) != 1:
        return {n.id for n in ast.walk(cls) if isinstance(n, ast.Name)}
    reads: set[str] = set()

    def walk(table: symtable.SymbolTable, bound: frozenset[str]) -> None:
        for symbol in table.get_symbols():
            if symbol.is_referenced() and symbol.is_free() and symbol.get_name() not in bound:
                reads.add(symbol.get_name())
        if table.get_type() == "function":
            bound = bound | {s.get_name() for s in table.get_symbols() if s.is_local()}
        for child in table.get_children():
            walk(child, bound)

    walk(classes[0], frozenset())
    return reads


def _instance(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> str | None:
    """The fixture variable bound to ``name()`` (``loop = StepLoop()``), bound once."""
    found = [
        s.targets[0].id
        for s in func.body
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
        and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name) and s.value.func.id == name
    ]
    if len(found) != 1:
        return None
    stores = [
        n for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == found[0] and isinstance(n.ctx, (ast.Store, ast.Del))
    ]
    return found[0] if len(stores) == 1 else None


def _only_in_methods(cls: ast.ClassDef, instance: str) -> bool:
    """Whether every read of ``instance`` in ``cls`` is in the body of a plain method whose first
    parameter is ``self``, with no inner function or class there binding ``self`` again."""
    total = sum(isinstance(n, ast.Name) and n.id == instance for n in ast.walk(cls))
    in_methods = 0
    for stmt in cls.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        # (a default or an annotation is read when the class is made: no self there)
        reads = sum(isinstance(n, ast.Name) and n.id == instance for s in stmt.body for n in ast.walk(s))
        if not reads:
            continue
        if stmt.decorator_list or not stmt.args.args or stmt.args.args[0].arg != "self":
            return False
        for inner in ast.walk(stmt):
            if inner is stmt:
                continue
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if any(a.arg == "self" for a in _all_args(inner.args)):
                    return False
            if isinstance(inner, ast.ClassDef) or (isinstance(inner, ast.Name) and inner.id == "self" and not isinstance(inner.ctx, ast.Load)):
                return False
        in_methods += reads
    return in_methods == total


def _all_args(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found += [a for a in (args.vararg, args.kwarg) if a is not None]
    return found


def _bound(node: ast.AST, skip: ast.AST | None = None) -> set[str]:
    """Every name bound anywhere inside ``node`` (any scope below it), ``skip`` left out."""
    names: set[str] = set()
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if child is skip:
            continue
        if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            names.add(child.id)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(child.name)
        elif isinstance(child, ast.arg):
            names.add(child.arg)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in child.names)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
        stack.extend(ast.iter_child_nodes(child))
    return names


# -- the move (LibCST) ---------------------------------------------------------------------


def moved_class(
    statements: Sequence[cst.BaseStatement], name: str, instance: str | None
) -> cst.ClassDef | None:
    """The class ``name`` among a fixture's statements, ready for module level: its reads of
    the fixture's ``instance`` variable are ``self`` (LibCST indents blocks relative to their
    parent, so the node moves as it is)."""
    cls = next((s for s in statements if isinstance(s, cst.ClassDef) and s.name.value == name), None)
    if cls is None:
        return None
    if instance is not None:
        cls = cls.with_changes(body=rename_reads(cls.body, instance, "self"))
    return cls


def kept_beside(
    fixture: cst.FunctionDef, replacement: list[cst.BaseStatement], moved_name: str | None
) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
    """An override kept for its sync users, with what its rewrite adds beside it (its loop
    class moved to module level, first, when it has one: then not defined twice)."""
    if not replacement:
        return fixture
    moved = replacement[0]
    if moved_name is None or not isinstance(moved, cst.ClassDef) or moved.name.value != moved_name:
        return cst.FlattenSentinel([fixture, *replacement])
    return cst.FlattenSentinel([*_kept_after_moved(fixture, moved), *replacement[1:]])


def _kept_after_moved(fixture: cst.FunctionDef, moved: cst.ClassDef) -> tuple[cst.ClassDef, cst.FunctionDef]:
    """An override kept for its sync users whose loop class moves to module level (the
    covering conftest's hook reads it there): the class, first, where the fixture was, and
    the fixture, which makes its loop of it there, without it."""
    name = moved.name.value
    body = fixture.body
    statements = list(body.body) if isinstance(body, cst.IndentedBlock) else []
    rest = [s for s in statements if not (isinstance(s, cst.ClassDef) and s.name.value == name)]
    if rest:  # (no blank line at the top of the body where the class was)
        rest[0] = rest[0].with_changes(leading_lines=[line for line in rest[0].leading_lines if line.comment])
    blank = [cst.EmptyLine(), cst.EmptyLine()]
    kept = fixture.with_changes(body=body.with_changes(body=rest), leading_lines=blank)
    own = [line for line in moved.leading_lines if line.comment]
    return moved.with_changes(leading_lines=[*fixture.leading_lines, *own]), kept


def move_problem(
    cls: NestedClass, func: ast.FunctionDef | ast.AsyncFunctionDef, tree: ast.Module, imports: ImportMap,
    target: tuple[int, ...], is_conftest: bool,
) -> str | None:
    """Why the override's own loop class cannot take the fixture's place at module level,
    or None: the module binds its name already (the move would shadow that, or be shadowed),
    or it needs, when it is made (bases, decorators, class-level statements, defaults), a
    module-level name bound only below the fixture (NameError at import)."""
    node = next(s for s in func.body if isinstance(s, ast.ClassDef) and s.name == cls.name)
    index = tree.body.index(func)
    before = bound_names(tree.body[:index], imports)
    after = bound_names(tree.body[index + 1:], imports)
    here = "this conftest.py" if is_conftest else "this module"
    advice = _loop_type_advice(cls.name, target, "there" if is_conftest else "in the conftest.py that covers this module")
    if cls.name in before | after:
        return (
            f"its loop class {cls.name}, defined inside it, has the name of something {here} binds at module "
            "level, "
            f"which the move would rebind: move it to module level under a name of its own, and {advice} (with that "
            "name)"
        )
    late = sorted((_creation_reads(node) & after) - before)
    if late:
        last = max(
            (s for s in tree.body[index + 1:] if bound_names([s], imports) & set(late)), key=lambda s: s.lineno
        )
        return (
            f"its loop class {cls.name}, defined inside it, needs {', '.join(late)} when it is made, which {here} "
            "defines below the fixture"
            f" (line {last.lineno}): move {cls.name} to module level below "
            f"that{', reading self for ' + cls.instance if cls.instance else ''}, and {advice}"
        )
    return None


def _creation_reads(cls: ast.ClassDef) -> set[str]:
    """The names a class statement reads when it runs: its bases, keywords and decorators,
    its class-level statements, and its methods' decorators, defaults and annotations (their
    bodies run later)."""
    exprs: list[ast.AST] = [*cls.bases, *cls.keywords, *cls.decorator_list]
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = stmt.args
            exprs += [*stmt.decorator_list, *args.defaults, *(d for d in args.kw_defaults if d is not None)]
            exprs += [a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
                      if a is not None and a.annotation is not None]
            if stmt.returns is not None:
                exprs.append(stmt.returns)
        elif isinstance(stmt, ast.ClassDef):
            exprs += [ast.Name(id=n, ctx=ast.Load()) for n in _creation_reads(stmt)]
        else:
            exprs.append(stmt)
    return {n.id for e in exprs for n in ast.walk(e) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def made_class(nested: Sequence[NestedClass], func: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The one of an override's own loop classes it makes its loop of (``loop = StepLoop()``):
    the last one called in its body, else the last one defined."""
    names = {c.name for c in nested}
    called = [
        n.func.id for s in func.body if not isinstance(s, ast.ClassDef)
        for n in ast.walk(s) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names
    ]
    return called[-1] if called else nested[-1].name


def nested_reason(
    nested: Sequence[NestedClass], is_conftest: bool, target: tuple[int, ...], func: ast.FunctionDef | ast.AsyncFunctionDef
) -> str:
    """Why an override's own loop class cannot move, and what to write instead: the class at
    module level, and the hook (target >= 1.4) or the policy fixture (below) that makes it."""
    where = "this conftest.py" if is_conftest else "the conftest.py that covers this module (a hook lives nowhere else)"
    if len(nested) > 1:
        names = ", ".join(c.name for c in nested)
        return (
            f"it defines {len(nested)} loop classes ({names}) inside it, and this tool moves one at most; move "
            f"them to module level in {where} and {_loop_type_advice(made_class(nested, func), target)}"
        )
    cls = nested[0]
    if cls.shadowed:
        both = " and ".join(cls.shadowed)
        what = (
            f"its loop class {cls.name} is defined inside it and reads the fixture's {both}, which it also binds "
            f"itself (a parameter, a local), so this tool cannot tell the fixture's {both} from its own"
        )
    elif cls.fixture_names:
        what = f"its loop class {cls.name} is defined inside it and reads the fixture's {', '.join(cls.fixture_names)}"
    else:
        what = f"its loop class {cls.name} is defined inside it"
    self_note = f", reading self for {cls.instance}" if cls.instance else ""
    others = [n for n in cls.fixture_names if n not in cls.shadowed]
    made = f", with {' and '.join(others)} made in its __init__" if others else ""
    if cls.shadowed:
        made += f", reading self where it meant the fixture's {both}"
    return f"{what}; move {cls.name} to module level{self_note} in {where}{made}, and {_loop_type_advice(cls.name, target)}"


def _loop_type_advice(name: str, target: tuple[int, ...], where: str = "there") -> str:
    """What makes the tests' loops an instance of ``name``, for the target."""
    if target >= LOOP_FACTORIES_HOOK:
        return f"write {where} def pytest_asyncio_loop_factories(config, item): return {{\"{name}\": {name}}}"
    return (
        f"write {where} an event_loop_policy fixture whose policy's new_event_loop returns "
        f"{name}() (below pytest-asyncio 1.4; from 1.4, a pytest_asyncio_loop_factories hook)"
    )

