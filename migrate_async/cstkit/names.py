"""Names, literals and code for small CST nodes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from .walk import nodes_under


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted_name(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def imported_modules(small: cst.Import | cst.ImportFrom) -> list[str]:
    """The absolute modules an import statement reads (``import a.b, c`` → a.b, c;
    ``from a.b import x`` → a.b); none for a relative ``from`` import."""
    if isinstance(small, cst.ImportFrom):
        if small.relative or small.module is None:
            return []
        return [dotted_name(small.module) or ""]
    return [dotted_name(alias.name) or "" for alias in small.names]


def caught_names(handler: cst.ExceptHandler) -> list[str | None] | None:
    """The dotted names an ``except`` clause catches (``except (A, b.C):``), None for one
    that names an expression; None in place of the list for a bare ``except:``."""
    if handler.type is None:
        return None
    types = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
    return [dotted_name(t) for t in types]


def name_to_expr(dotted: str) -> cst.BaseExpression:
    """``"a.b.c"`` → Attribute chain."""
    parts = dotted.split(".")
    expr: cst.BaseExpression = cst.Name(parts[0])
    for part in parts[1:]:
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr


def find_kwarg(args: Sequence[cst.Arg], key: str) -> cst.Arg | None:
    for arg in args:
        if arg.keyword is not None and arg.keyword.value == key:
            return arg
    return None


class CallArguments:
    """For a decorator or mark written bare (``call`` is None) or called: its arguments."""

    call: cst.Call | None

    @property
    def args(self) -> Sequence[cst.Arg]:
        return self.call.args if self.call is not None else ()

    def kwarg(self, key: str) -> cst.Arg | None:
        return find_kwarg(self.args, key)


def all_params(params: cst.Parameters) -> list[cst.Param]:
    """Every parameter of a signature, ``*args`` and ``**kwargs`` included."""
    result = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            result.append(star)
    return result


def string_value(expr: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (no f-strings), else None."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def same_value(a: cst.BaseExpression, b: cst.BaseExpression) -> bool:
    """Whether two expressions say the same: equal string literals (``'x'`` and ``"x"``), or
    the same code."""
    sa, sb = string_value(a), string_value(b)
    if sa is not None and sb is not None:
        return sa == sb
    return code_of(a).strip() == code_of(b).strip()


def literal_repr(value: str) -> str:
    """A double-quoted string literal, the way ruff/black write them."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def head_name(expr: cst.BaseExpression) -> str | None:
    """The leading name of ``a.b.c`` or ``a.b.c(...)``: the local name that carries the import."""
    if isinstance(expr, cst.Call):
        expr = expr.func
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


class _Reads(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self._defined: set[int] = set()  # the Name nodes that name a def, class or parameter

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._defined.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._defined.add(id(node.name))

    def visit_Param(self, node: cst.Param) -> None:
        self._defined.add(id(node.name))

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self._defined:
            self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # the attribute's own name is not a read of that name
        return False


class _RenameReads(cst.CSTTransformer):
    """``old`` read as a name becomes ``new`` (attribute names, keyword names and parameter
    names are not reads); with ``nested=False`` the functions and lambdas defined inside
    are not entered (their names are their own)."""

    def __init__(self, old: str, new: str, nested: bool) -> None:
        super().__init__()
        self.old, self.new, self.nested = old, new, nested

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return self.nested

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return self.nested

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)  # only the value side reads a name

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)

    def leave_Param(self, original_node: cst.Param, updated_node: cst.Param) -> cst.Param:
        return updated_node.with_changes(name=original_node.name)  # its default may read it

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.new) if original_node.value == self.old else updated_node


def rename_reads(node: cst.CSTNode, old: str, new: str, nested: bool = True) -> cst.CSTNode:
    """``node`` with every read of the name ``old`` spelled ``new`` (see _RenameReads)."""
    return node.visit(_RenameReads(old, new, nested))


def names_in(node: cst.CSTNode) -> set[str]:
    """Every bare name ``node`` reads (``a`` and ``b`` in ``a.x(b)``, not ``x``; not the
    names of the functions, classes and parameters it defines: a parameter named like an
    imported fixture does not read that import)."""
    reads = _Reads()
    node.visit(reads)
    return reads.names


class AssignedNames(cst.CSTVisitor):
    """How often each name is bound anywhere in a function body."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def _bind(self, target: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.counts[target.value] = self.counts.get(target.value, 0) + 1
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name)  # type: ignore[arg-type]

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)


#: the nodes that bind names, and the field holding what they bind (as AssignedNames visits them)
_BINDING_FIELDS = {
    cst.AssignTarget: "target", cst.AnnAssign: "target", cst.AugAssign: "target", cst.For: "target",
    cst.CompFor: "target", cst.AsName: "name", cst.NamedExpr: "target",
}


def assigned_names(node: cst.CSTNode) -> dict[str, int]:
    """How often each name is bound in ``node`` (``=``, ``+=``, ``:=``, ``for``, ``as``):
    what :class:`AssignedNames` counts, read without a LibCST visit of every token."""
    counter = AssignedNames()
    fields = _BINDING_FIELDS
    for child in nodes_under(node):
        field = fields.get(type(child))
        if field is not None:
            counter._bind(getattr(child, field))
    return counter.counts


def defined_names(
    body: cst.Module | Sequence[cst.BaseStatement],
    *,
    imports: bool = True,
    skip: Callable[[cst.BaseSmallStatement], bool] | None = None,
) -> set[str]:
    """The names a module's top-level statements bind: functions, classes, assignments to a
    plain name and (unless ``imports=False``) imports; ``skip`` leaves out the statements a
    caller reads otherwise (an assignment that binds a module as an import does)."""
    names: set[str] = set()
    for statement in body.body if isinstance(body, cst.Module) else body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            names.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if skip is not None and skip(small):
                    continue
                if isinstance(small, (cst.Assign, cst.AnnAssign)):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    names.update(t.value for t in targets if isinstance(t, cst.Name))
                elif imports and isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        bound = alias.asname.name if alias.asname is not None else alias.name
                        head = head_name(bound)  # ``import a.b`` binds ``a``
                        if head is not None:
                            names.add(head)
    return names
