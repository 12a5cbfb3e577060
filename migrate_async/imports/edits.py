"""Import edits: adding and removing the imports transforms schedule.

Measured on generated legacy suites, LibCST's AddImportsVisitor and RemoveImportsVisitor
took about 80% of the time on files that change: the first walks the whole module with
its matcher machinery, the second runs scope analysis. The common cases (top-level
``import m`` / ``from m import n``) are done here directly; anything else (aliases,
relative imports, imports inside blocks or functions) still goes through LibCST.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

import libcst as cst

from ..cstkit.edits import is_docstring
from ..cstkit.libcst_bridge import ADD_IMPORTS, REMOVE_IMPORTS, run_import_visitor
from ..cstkit.name_index import NameIndex, annotation_heads
from ..cstkit.names import dotted_name, name_to_expr
from .placement import (
    DEFAULT_ORDER,
    ImportOrder,
    first_party_names,
    is_import_line,
    keep_leading_lines_of_removed,
    member_key,
    place_new_imports,
    sort_added_names,
    top_level_import_codes,
)


def add_imports_fast(module: cst.Module, items: Sequence[Any]) -> cst.Module | None:
    """Add ``import m`` / ``from m import n`` at module level, or None to let LibCST do it.

    Like AddImportsVisitor: an existing ``from m import ...`` gets the new names in front
    (``sort_added_names`` then moves them where isort would); new statements go after the
    last import (``place_new_imports`` moves them).
    """
    if any(item.alias is not None or item.relative for item in items):
        return None
    body = list(module.body)
    lines = [i for i, stmt in enumerate(body) if is_import_line(stmt)]
    smalls_at = [(i, position, small) for i in lines for position, small in enumerate(body[i].body)]  # type: ignore[attr-defined]
    new_statements: list[cst.SimpleStatementLine] = []
    plain = [item.module_name for item in items if item.obj_name is None]
    for wanted in dict.fromkeys(plain):
        if not any(
            isinstance(small, cst.Import) and any(a.asname is None and dotted_name(a.name) == wanted for a in small.names)
            for _, _, small in smalls_at
        ):
            new_statements.append(cst.SimpleStatementLine([cst.Import([cst.ImportAlias(name_to_expr(wanted))])]))  # type: ignore[arg-type]
    by_module: dict[str, list[str]] = {}
    for item in items:
        if item.obj_name is not None:
            by_module.setdefault(item.module_name, [])
            if item.obj_name not in by_module[item.module_name]:
                by_module[item.module_name].append(item.obj_name)
    for module_name, objs in by_module.items():
        froms = [
            (i, position, small) for i, position, small in smalls_at
            if isinstance(small, cst.ImportFrom) and not small.relative and dotted_name(small.module) == module_name
        ]
        if any(isinstance(small.names, cst.ImportStar) for _, _, small in froms):
            continue
        bound = {dotted_name(a.name) for _, _, small in froms for a in small.names if a.asname is None}  # type: ignore[union-attr]
        missing = sorted((o for o in objs if o not in bound), key=member_key)
        if not missing:
            continue
        fresh = [cst.ImportAlias(cst.Name(o)) for o in missing]
        if froms:
            i, position, small = froms[0]
            smalls = list(body[i].body)  # type: ignore[attr-defined]
            smalls[position] = small.with_changes(names=[*fresh, *small.names])  # type: ignore[misc]
            body[i] = body[i].with_changes(body=smalls)
            continue
        new_statements.append(cst.SimpleStatementLine([cst.ImportFrom(module=name_to_expr(module_name), names=fresh)]))  # type: ignore[arg-type]
    if lines:
        at = lines[-1] + 1
    else:
        at = 1 if body and is_docstring(body[0]) else 0
    body[at:at] = new_statements
    return module.with_changes(body=body)


def remove_imports_fast(module: cst.Module, items: Sequence[Any], unused_names: set[str]) -> cst.Module | None:
    """Remove the unused top-level imports among ``items``, or None to let LibCST's
    RemoveImportsVisitor do it. A removed line's blank lines and comments go to the next
    statement (so sections stay separated)."""
    unused: dict[str, tuple[str, str | None, str | None]] = {}
    for module_name, obj, alias in items:
        local = alias or obj or module_name.split(".")[0]
        if local in unused_names:
            unused[local] = (module_name, obj, alias)
    if not unused:
        return module
    body = list(module.body)
    found: set[str] = set()
    for i, stmt in enumerate(body):
        if not is_import_line(stmt):
            continue
        smalls = []
        for small in stmt.body:  # type: ignore[attr-defined]
            names = small.names
            if isinstance(names, cst.ImportStar):
                smalls.append(small)
                continue
            keep = []
            for alias in names:
                local = bound_name(small, alias)
                spec = unused.get(local) if local is not None else None
                if spec is not None and _alias_matches(small, alias, spec):
                    found.add(local)
                    continue
                keep.append(alias)
            if len(keep) == len(names):
                smalls.append(small)
            elif keep:
                keep[-1] = keep[-1].with_changes(comma=_closing_comma(keep[-1].comma, names[-1].comma))
                smalls.append(small.with_changes(names=keep))
        if len(smalls) != len(stmt.body):  # type: ignore[attr-defined]
            body[i] = stmt.with_changes(body=smalls) if smalls else None  # type: ignore[assignment]
        elif any(a is not b for a, b in zip(smalls, stmt.body)):  # type: ignore[attr-defined]
            body[i] = stmt.with_changes(body=smalls)
    if found != set(unused):
        return None  # an import in a block or a function: LibCST's visitor decides (it keeps those)
    kept: list[cst.BaseStatement] = []
    carried: Sequence[cst.EmptyLine] | None = None
    for index, stmt in enumerate(body):
        if stmt is None:
            if carried is None:
                carried = module.body[index].leading_lines
                if index == 0:
                    carried = tuple(carried) or ()
            continue
        if carried is not None:
            if not kept or not stmt.leading_lines:
                stmt = stmt.with_changes(leading_lines=carried)
            carried = None
        kept.append(stmt)
    return module.with_changes(body=kept)


def _closing_comma(own: Any, last: Any) -> Any:
    """The comma the new last name of an import gets: the removed last one's (the way to
    the closing parenthesis), keeping the new last name's own comment on its line."""
    mine = own.whitespace_after if isinstance(own, cst.Comma) else None
    theirs = last.whitespace_after if isinstance(last, cst.Comma) else None
    if isinstance(mine, cst.ParenthesizedWhitespace) and isinstance(theirs, cst.ParenthesizedWhitespace):
        return last.with_changes(whitespace_after=theirs.with_changes(first_line=mine.first_line, empty_lines=mine.empty_lines))
    return last


def names_bound_by(small: cst.Import | cst.ImportFrom) -> set[str]:
    """The local names an import statement binds (none for a star import)."""
    if isinstance(small.names, cst.ImportStar):
        return set()
    return {name for alias in small.names if (name := bound_name(small, alias)) is not None}


def bound_name(small: cst.Import | cst.ImportFrom, alias: cst.ImportAlias) -> str | None:
    """The local name one alias of an import binds (``import a.b`` binds ``a``)."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    full = dotted_name(alias.name)
    if full is None:
        return None
    return full.split(".")[0] if isinstance(small, cst.Import) else full


def _alias_matches(small: cst.Import | cst.ImportFrom, alias: cst.ImportAlias, spec: tuple[str, str | None, str | None]) -> bool:
    module_name, obj, asname = spec
    own_asname = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else None
    if own_asname != asname:
        return False
    if obj is None:
        return isinstance(small, cst.Import) and dotted_name(alias.name) == module_name
    # a relative import is spelled with its dots (".helpers"), as remove_unused_import is asked
    spelled = "." * len(small.relative) + (dotted_name(small.module) or "") if isinstance(small, cst.ImportFrom) else ""
    return isinstance(small, cst.ImportFrom) and spelled == module_name and dotted_name(alias.name) == obj


def _unused_import_names(module: cst.Module, scheduled: Sequence[Any], index: NameIndex) -> set[str]:
    """The names scheduled for removal that nothing reads any more.

    RemoveImportsVisitor's scope analysis costs several parses; the name index (a read
    anywhere outside the module's top-level import lines) is enough. A name in a string
    annotation counts as a read, and so does a name that a nested scope rebinds: when in
    doubt an import stays.
    """
    names = {alias or obj or module_name.split(".")[0] for module_name, obj, alias in scheduled}
    rest = [stmt for stmt in module.body if not is_import_line(stmt)]
    masks = [index.mask(stmt) for stmt in rest]
    used = {name for name in names if any(mask & index.query(reads=(name,)) for mask in masks)}
    blocks = [stmt for stmt, mask in zip(rest, masks) if isinstance(stmt, _BLOCKS) and mask & index.query(reads=used)]
    if blocks:
        # an import inside a top-level ``if``/``try`` (a fallback for older Pythons) spells
        # its module without reading it, and the name it binds is not one to remove here
        in_blocks = _Reads(used, skip_imports=True)
        for stmt in blocks:
            stmt.visit(in_blocks)
        elsewhere = {
            name for name in used
            if any(mask & index.query(reads=(name,)) for stmt, mask in zip(rest, masks) if not isinstance(stmt, _BLOCKS))
        }
        used = elsewhere | in_blocks.found | (used & in_blocks.bound)
    by_strings = {name for name in used if not any(mask & index.query(reads=(name,), strings=False) for mask in masks)}
    if by_strings:
        # read only by identifier-like strings, which the index takes for annotations; a
        # string handed to a method (item.get_closest_marker("asyncio")) is data
        reader = _Reads(by_strings)
        for stmt in rest:
            stmt.visit(reader)
        used -= by_strings - reader.found
    unused = names - used
    if unused:
        # a skipif/xfail condition string is code pytest evaluates in the module's globals
        conditions = index.query(attributes=CONDITION_MARKS, mentions=CONDITION_MARKS)
        for stmt, mask in zip(rest, masks):
            if mask & conditions:
                finder = _ConditionReads(unused)
                stmt.visit(finder)
                unused -= finder.found
    return unused


#: the marks whose string arguments pytest evaluates as conditions
CONDITION_MARKS = ("skipif", "xfail")


#: calls whose string arguments are type expressions (``cast("asyncio.Future", f)``)
_TYPING_CALLS = ("cast", "TypeVar", "NewType", "ForwardRef", "assert_type", "TypeAliasType")


#: the top-level statements whose imports are fallbacks (``if sys.version_info...``, ``try: ... except ImportError``)
_BLOCKS = (cst.If, cst.Try)


class _Reads(cst.CSTVisitor):
    """Which of ``wanted`` a statement may read: a ``Name`` anywhere but an attribute's or
    a keyword's name, or a string that may be an annotation (anywhere but an argument of
    an ordinary call). When in doubt a name counts as read."""

    def __init__(self, wanted: set[str], skip_imports: bool = False) -> None:
        self.wanted = wanted
        self.found: set[str] = set()
        self.bound: set[str] = set()  # with ``skip_imports``: the names its imports bind
        self._data_strings: set[int] = set()
        self._skip_imports = skip_imports

    def visit_Import(self, node: cst.Import) -> bool:
        if not self._skip_imports:
            return True
        self.bound |= names_bound_by(node)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if not self._skip_imports:
            return True
        self.bound |= names_bound_by(node)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.wanted:
            self.found.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        # a method's string arguments are data, unless it is typing's (t.cast) or a mark's
        # condition; a plain call's may be anything (cast imported under another name)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value not in _TYPING_CALLS + CONDITION_MARKS:
            self._data_strings.update(id(arg.value) for arg in node.args if isinstance(arg.value, cst.SimpleString))

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) not in self._data_strings:
            self.found.update(set(annotation_heads(node)) & self.wanted)


class _ConditionReads(cst.CSTVisitor):
    """Which of ``wanted`` the condition strings of ``skipif``/``xfail`` marks read."""

    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.found: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        if name not in CONDITION_MARKS:
            return
        for arg in node.args:
            if isinstance(arg.value, cst.SimpleString) and arg.keyword is None:
                value = arg.value.evaluated_value
                if not isinstance(value, str):
                    continue
                try:
                    tree = ast.parse(value, mode="eval")
                except (SyntaxError, ValueError):
                    continue
                self.found.update(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in self.wanted)


#: ``context.scratch`` key of the names that go from the module's top-level ``from``
#: imports whether or not anything still reads them (the module they come from no longer
#: has them: an import of one would fail)
DROP_IMPORTS = "migrate_async.drop_imports"


def drop_imported_name(context: Any, module: str, obj: str) -> None:
    """Schedule ``obj`` to go from the module's top-level ``from module import ...``
    statements (``module`` spelled with its leading dots when relative), the statement with
    it when nothing else is left; names in ``__all__`` are the caller's."""
    context.scratch.setdefault(DROP_IMPORTS, []).append((module, obj, None))


#: ``context.scratch`` key of the imports a transform kept though it removed what read
#: them (other code reaches the name as an attribute of the module), with the reason
KEEP_IMPORTS = "migrate_async.keep_imports"

#: the code pyflakes (F401 in flake8 and ruff) reports an unused import under
UNUSED_IMPORT_CODE = "F401"


def keep_import(context: Any, local: str, reason: str) -> None:
    """Schedule the mark of the top-level import binding ``local``: when nothing in the
    module reads it once the transform is done, its line says ``# noqa: F401 (reason)``,
    so linters (and ``ruff --fix``) leave it."""
    context.scratch.setdefault(KEEP_IMPORTS, []).append((local, reason))


def _mark_kept_imports(module: cst.Module, kept: Sequence[tuple[str, str]], index: NameIndex) -> cst.Module:
    """The import lines of ``kept`` names nothing reads, with the noqa comment saying why.
    Only a one-line import all of whose other names are read (the comment hides no other
    unused one) and with no noqa of its own; an import over several lines is left (linters
    differ on the line they report it at)."""
    reasons = dict(kept)
    body = list(module.body)
    changed = False
    for i, stmt in enumerate(body):
        if not is_import_line(stmt):
            continue
        line = cst.ensure_type(stmt, cst.SimpleStatementLine)
        bound = set().union(*(names_bound_by(small) for small in line.body))  # type: ignore[arg-type]
        if not bound & set(reasons):
            continue
        comment = line.trailing_whitespace.comment
        if comment is not None and "noqa" in comment.value.lower():
            continue
        if any("\n" in module.code_for_node(small) for small in line.body):
            continue
        unused = _unused_import_names(module, [(name, None, None) for name in sorted(bound)], index)
        marked = sorted(unused & set(reasons))
        if not marked or unused - set(marked):
            continue
        mark = f"# noqa: {UNUSED_IMPORT_CODE} ({'; '.join(dict.fromkeys(reasons[name] for name in marked))})"
        text = mark if comment is None else f"{comment.value}  {mark}"
        whitespace = line.trailing_whitespace.whitespace if comment is not None else cst.SimpleWhitespace("  ")
        body[i] = line.with_changes(
            trailing_whitespace=line.trailing_whitespace.with_changes(whitespace=whitespace, comment=cst.Comment(text))
        )
        changed = True
    return module.with_changes(body=body) if changed else module


def apply_scheduled_imports(
    context: Any, tree: cst.Module, index: NameIndex, project_root: str | None, order: ImportOrder = DEFAULT_ORDER
) -> cst.Module:
    """Carry out the import edits a transform scheduled in ``context.scratch`` on its result
    ``tree``, the way LibCST's AddImportsVisitor / RemoveImportsVisitor would (their fast
    paths here, LibCST itself for the rest), then place new imports where the project's
    import sorter would (``order``)."""
    scratch = context.scratch
    result = tree
    dropped = scratch.pop(DROP_IMPORTS, None)
    if dropped:
        # (an import inside a block or a function is left: the survey names only top-level ones)
        result = remove_imports_fast(result, dropped, {obj for _module, obj, _alias in dropped}) or result
    if scratch.get(ADD_IMPORTS):
        before = top_level_import_codes(result)
        merged: dict[str, set[str]] = {}
        for item in scratch[ADD_IMPORTS]:
            if item.obj_name is not None and item.alias is None and not item.relative:
                merged.setdefault(item.module_name, set()).add(item.obj_name)
        fast = add_imports_fast(result, scratch[ADD_IMPORTS])
        result = fast if fast is not None else run_import_visitor("add", context, result)
        result = place_new_imports(result, before, first_party_names(project_root), order)
        for module_name, names in merged.items():
            result = sort_added_names(result, module_name, names)
    unused = (
        _unused_import_names(result, scratch[REMOVE_IMPORTS], index)
        if scratch.get(REMOVE_IMPORTS)
        else set()
    )
    if unused:
        fast = remove_imports_fast(result, scratch[REMOVE_IMPORTS], unused)
        if fast is not None:
            result = fast
        else:
            pre_removal = result
            result = run_import_visitor("remove", context, result)
            result = keep_leading_lines_of_removed(pre_removal, result)
    kept = scratch.pop(KEEP_IMPORTS, None)
    if kept:
        result = _mark_kept_imports(result, kept, index)
    scratch.pop(ADD_IMPORTS, None)
    scratch.pop(REMOVE_IMPORTS, None)
    return result
