"""Where new import lines and names go: the order isort and ruff give them."""

from __future__ import annotations

import difflib
import functools
import itertools
import os
import sys
from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..cstkit.names import code_of, dotted_name


def _import_identity(stmt: cst.SimpleStatementLine) -> tuple[str, ...]:
    """What an import line imports from, not how it is spelled: a from-import that LibCST
    merged a name into (``from asyncio import sleep`` → ``..., get_running_loop``) is still
    the same line, not a new one."""
    small = stmt.body[0]
    if isinstance(small, cst.ImportFrom):
        return ("from", "." * len(small.relative) + (dotted_name(small.module) or ""))
    assert isinstance(small, cst.Import)
    return ("import", *sorted(dotted_name(a.name) or "" for a in small.names))


def top_level_import_codes(module: cst.Module) -> set[tuple[str, ...]]:
    return {_import_identity(stmt) for stmt in module.body if is_import_line(stmt)}  # type: ignore[arg-type]


def is_import_line(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body
    )


@functools.lru_cache(maxsize=64)
def first_party_names(root: str | None) -> frozenset[str]:
    """Top-level modules and packages of the project at ``root`` (and of its ``src/``)."""
    if not root:
        return frozenset()
    names: set[str] = set()
    for folder in (root, os.path.join(root, "src")):
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            full = os.path.join(folder, entry)
            if entry.endswith(".py") and entry != "setup.py" and os.path.isfile(full):
                names.add(entry[:-3])
            elif entry.isidentifier() and os.path.isfile(os.path.join(full, "__init__.py")):
                names.add(entry)
    return frozenset(names)


ISORT = "isort"
RUFF = "ruff"


@dataclass(frozen=True)
class ImportOrder:
    """How the project's import sorter orders the lines of one section. The default is
    what isort and ruff do unless told otherwise: every ``import x`` line, then every
    ``from x import y`` line, each by module name ignoring case."""

    sorter: str = ""  # ISORT, RUFF, or "" when no sorter's configuration was found
    #: isort's ``force_sort_within_sections`` / ruff's ``force-sort-within-sections``: the
    #: lines of a section sorted by module, ``import`` and ``from`` lines mixed
    by_module: bool = False
    #: whether that sort tells upper from lower case: isort's ``order_by_type`` (on unless
    #: a profile such as google turns it off), ruff's ``case-sensitive`` (off by default)
    case_sensitive: bool = False
    #: isort's ``lexicographical`` and ``group_by_package`` (the google profile's)
    lexicographical: bool = False
    group_by_package: bool = False


DEFAULT_ORDER = ImportOrder()


def _import_sort_key(
    stmt: cst.SimpleStatementLine, first_party: frozenset[str] = frozenset(), order: ImportOrder = DEFAULT_ORDER
) -> tuple[str, tuple[Any, ...]]:
    """(section, place in the section) the way isort and ruff order imports."""
    small = stmt.body[0]
    if isinstance(small, cst.Import):
        module_name = dotted_name(small.names[0].name) or ""
        kind = 0
    else:
        assert isinstance(small, cst.ImportFrom)
        module_name = ("." * len(small.relative)) + (dotted_name(small.module) or "")
        kind = 1
    top = module_name.split(".")[0]
    if top == "__future__":
        section = "0"
    elif top in sys.stdlib_module_names:
        section = "1"
    elif module_name.startswith("."):
        section = "4"
    elif top in first_party:
        section = "3"
    else:
        section = "2"
    if not order.by_module:
        return section, (kind, module_name.lower())
    if order.sorter == RUFF:
        return section, _ruff_key(small, module_name, order)
    return section, (_isort_key(stmt, order), kind)  # equal keys: ``import`` first


def _isort_key(stmt: cst.SimpleStatementLine, order: ImportOrder) -> tuple[Any, ...]:
    """isort's key of a line when it sorts by module (``sorting.section_key`` of the line
    unwrapped to one logical line, compared in natural order)."""
    code = " ".join(part.split("#", 1)[0] for part in code_of(stmt.body[0]).splitlines())
    line = " ".join(code.translate(_WRAP_CHARACTERS).split())
    if order.group_by_package and line.startswith("from"):
        line = line.split(" import ", 1)[0]
    if order.lexicographical:
        line = line.replace(" import ", ".")
        line = line.removeprefix("from ") if line.startswith("from ") else line.removeprefix("import ")
    else:
        line = line.removeprefix("from ").removeprefix("import ")
    if not order.case_sensitive:
        line = line.lower()
    return _natural(line)


#: what isort drops from a wrapped import line before it compares it
_WRAP_CHARACTERS = str.maketrans("", "", "(),\\")


def _ruff_key(small: cst.Import | cst.ImportFrom, module_name: str, order: ImportOrder) -> tuple[Any, ...]:
    """ruff's key of a line when it sorts by module: the module (its lower case first,
    unless case-sensitive), then the first name imported from it (none for ``import x``)."""
    first: tuple[Any, ...] = ()
    if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
        name = dotted_name(small.names[0].name) or ""
        first = (member_key(name)[0], _natural(name.lower()), _natural(name))
    lower = () if order.case_sensitive else _natural(module_name.lower())
    return (lower, _natural(module_name), first)


def _natural(text: str) -> tuple[Any, ...]:
    """``text`` as natural order compares it (``py2`` before ``py10``): runs of text and
    of digits alternating, text first, so two keys compare element by element."""
    parts: list[Any] = []
    for digits, run in itertools.groupby(text, key=lambda c: c in "0123456789"):
        chunk = "".join(run)
        if digits:
            if not parts:
                parts.append("")
            parts.append(int(chunk))
        else:
            parts.append(chunk)
    if not parts or not isinstance(parts[-1], str):
        parts.append("")
    return tuple(parts)


def place_new_imports(
    module: cst.Module, before: set[tuple[str, ...]], first_party: frozenset[str] = frozenset(), order: ImportOrder = DEFAULT_ORDER
) -> cst.Module:
    """Move import lines that AddImportsVisitor just added to where isort would put them.

    LibCST appends new imports after the last import of the module; a person adds
    ``import asyncio`` in alphabetical order among the standard-library imports, in a
    section of its own (blank line) when it is the first of its kind; in the order
    the project's import sorter keeps (``order``).
    """
    body = list(module.body)
    new_indices = [
        i for i, stmt in enumerate(body)
        if is_import_line(stmt) and _import_identity(stmt) not in before  # type: ignore[arg-type]
    ]
    if not new_indices:
        return module
    # take all of them out first, then put each where it belongs, in sorted order
    pending = [body[i] for i in new_indices]
    for index in reversed(new_indices):
        body.pop(index)
    fallback = new_indices[0]
    pending.sort(key=lambda stmt: _import_sort_key(stmt, first_party, order))  # type: ignore[arg-type]
    for stmt in pending:
        assert isinstance(stmt, cst.SimpleStatementLine)
        # the first block of import lines (the docstring and __future__ may precede it)
        block = [i for i, s in enumerate(body) if is_import_line(s)]
        block = _leading_block(body, block)
        if not block:
            # the module has no other import (left): these open its import section, after
            # the docstring with a blank line, the way black writes it
            if fallback > 0 and not stmt.leading_lines:
                stmt = stmt.with_changes(leading_lines=(cst.EmptyLine(),))
            body.insert(fallback, stmt)
            fallback += 1
            _space_after_imports(body, fallback)
            continue
        key = _import_sort_key(stmt, first_party, order)
        same = [i for i in block if _import_sort_key(body[i], first_party, order)[0] == key[0]]
        if same:
            later = [i for i in same if _import_sort_key(body[i], first_party, order)[1:] > key[1:]]
            if later:
                at = later[0]
                moved = stmt.with_changes(leading_lines=body[at].leading_lines)
                body[at] = body[at].with_changes(leading_lines=())
                body.insert(at, moved)
            else:
                body.insert(same[-1] + 1, stmt.with_changes(leading_lines=()))
            continue
        earlier = [i for i in block if _import_sort_key(body[i], first_party, order)[0] < key[0]]
        if earlier:
            at = earlier[-1] + 1
            moved = stmt.with_changes(leading_lines=(cst.EmptyLine(),))
            if at < len(body) and at in block and not body[at].leading_lines:
                body[at] = body[at].with_changes(leading_lines=(cst.EmptyLine(),))
            body.insert(at, moved)
        else:
            at = block[0]
            moved = stmt.with_changes(leading_lines=body[at].leading_lines)
            body[at] = body[at].with_changes(leading_lines=(cst.EmptyLine(),))
            body.insert(at, moved)
    return module.with_changes(body=body)


def _space_after_imports(body: list[cst.BaseStatement], index: int) -> None:
    """The statement at ``index`` follows an import section: a blank line, two before a def/class."""
    if index >= len(body) or is_import_line(body[index]):
        return
    after = body[index]
    wanted = 2 if isinstance(after, (cst.FunctionDef, cst.ClassDef)) else 1
    blank = 0
    for line in after.leading_lines:
        if line.comment is not None:
            break
        blank += 1
    if blank < wanted:
        extra = tuple(cst.EmptyLine() for _ in range(wanted - blank))
        body[index] = after.with_changes(leading_lines=(*extra, *after.leading_lines))


def member_key(name: str) -> tuple[int, str]:
    """isort/ruff order within a from-import (order-by-type): CONSTANTS, Classes, functions."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _alias_name(alias: cst.ImportAlias) -> str:
    return dotted_name(alias.name) or ""


def sort_added_names(module: cst.Module, from_module: str, added: set[str]) -> cst.Module:
    """Move the names AddImportsVisitor prepended to a top-level ``from <module> import ...``
    to where isort would put them (at the end when the existing names are not sorted),
    keeping the statement's layout: one line, or one name per line in parentheses."""
    body = list(module.body)
    changed = False
    for index, stmt in enumerate(body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        smalls = list(stmt.body)
        for position, small in enumerate(smalls):
            if (
                not isinstance(small, cst.ImportFrom)
                or small.relative
                or dotted_name(small.module) != from_module
                or isinstance(small.names, cst.ImportStar)
            ):
                continue
            names = list(small.names)
            new = [a for a in names if a.asname is None and _alias_name(a) in added and a.comma is cst.MaybeSentinel.DEFAULT]
            old = [a for a in names if a not in new]
            if not new or not old or names[: len(new)] != new:
                continue
            keys = [member_key(_alias_name(a)) for a in old]
            order = list(old)
            for alias in new:
                if keys == sorted(keys):
                    key = member_key(_alias_name(alias))
                    at = next((i for i, a in enumerate(order) if member_key(_alias_name(a)) > key), len(order))
                else:
                    at = len(order)
                order.insert(at, alias)
                keys = [member_key(_alias_name(a)) for a in order]
            smalls[position] = small.with_changes(names=_with_commas(order, old, small))
            changed = True
        if changed:
            body[index] = stmt.with_changes(body=smalls)
    return module.with_changes(body=body) if changed else module


def _with_commas(order: list[cst.ImportAlias], old: list[cst.ImportAlias], node: cst.ImportFrom) -> list[cst.ImportAlias]:
    last_comma = old[-1].comma
    if len(old) >= 2 and isinstance(old[0].comma, cst.Comma):
        separator: cst.Comma = old[0].comma
    elif node.lpar is not None and isinstance(last_comma, cst.Comma) and "\n" in code_of(node.lpar.whitespace_after):
        separator = cst.Comma(whitespace_after=node.lpar.whitespace_after)
    else:
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    result = [alias.with_changes(comma=separator) for alias in order[:-1]]
    result.append(order[-1].with_changes(comma=last_comma))
    return result


def keep_leading_lines_of_removed(pre: cst.Module, post: cst.Module) -> cst.Module:
    """Blank lines and comments above an import that RemoveImportsVisitor deleted go to the
    statement that follows it (when that one has none), so sections stay separated:
    ``import pytest`` removed after ``import pytest_asyncio`` was added keeps the blank line
    that opened the third-party section."""
    last_import = max((i for i, stmt in enumerate(pre.body) if is_import_line(stmt)), default=-1)
    if last_import < 0:
        return post
    limit = last_import + 2

    def codes(module: cst.Module) -> list[str]:
        return [module.code_for_node(stmt.with_changes(leading_lines=())) for stmt in module.body[:limit]]

    pre_codes, post_codes = codes(pre), codes(post)
    body = list(post.body)
    changed = False
    matcher = difflib.SequenceMatcher(None, pre_codes, post_codes, autojunk=False)
    for tag, i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag != "delete" or j1 >= len(body):
            continue
        removed_lines = pre.body[i1].leading_lines
        if i1 == 0 and j1 == 0:
            # the new first statement starts where the old one did (no stray blank line)
            if body[0].leading_lines != removed_lines:
                body[0] = body[0].with_changes(leading_lines=removed_lines)
                changed = True
        elif removed_lines and not body[j1].leading_lines:
            body[j1] = body[j1].with_changes(leading_lines=removed_lines)
            changed = True
    return post.with_changes(body=body) if changed else post


def _leading_block(body: list[cst.BaseStatement], import_indices: list[int]) -> list[int]:
    """The indices of the first run of consecutive import lines."""
    if not import_indices:
        return []
    run = [import_indices[0]]
    for i in import_indices[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            break
    return run
