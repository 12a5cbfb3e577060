"""The Transform base class and the helpers that transforms share.

A transform is a LibCST transformer with the interface of a ``VisitorBasedCodemodCommand``
(context, ``transform_module``, ``add_needed_import``, ``DESCRIPTION``...): it runs inside
migrate-async's engine or under ``python -m libcst.tool codemod``. It does not subclass
LibCST's codemod classes: importing ``libcst.codemod`` imports ``libcst.matchers``, half a
second of every run's start-up. Inside the engine its context is a :class:`MigrationContext`,
which carries the facts about the file and the project
(:class:`~migrate_async.project.FileFacts`) and collects notes and config requests; under
``libcst.tool`` it is LibCST's ``CodemodContext``, which has the same fields LibCST uses.

Rules every transform follows:
- ``triggers``: byte strings that must *all* occur in a file for the transform to have any
  chance of changing it, rarest first. The engine does not parse files that match no
  selected transform.
- Do not descend into subtrees that cannot change (return False from ``visit_*``).
- Report what cannot be rewritten safely with :meth:`Transform.note`, passing a node of the
  *input* tree (``original_node`` in ``leave_*``), and leave the code as it is.
- Call :meth:`Transform.count_edit` for every rewrite.
- Add and remove imports only through ``self.add_needed_import`` /
  ``self.remove_unused_import``: applied after the walk, as LibCST's ``AddImportsVisitor`` /
  ``RemoveImportsVisitor`` would (whose scratch keys they share).
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import functools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

import libcst as cst
from libcst import MetadataDependent
from libcst.metadata import FullRepoManager, MetadataWrapper, PositionProvider

from ..project import SCOPES, FileFacts, ProjectFacts, Version
from .name_index import NameIndex
from .walk import NOT_ENTERED, walk


class Note(NamedTuple):
    """Something a human must look at: path:line:col, transform, message."""

    path: str
    line: int
    column: int
    transform: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.transform}: {self.message}"


class ConfigRequest(NamedTuple):
    """A pytest configuration setting a transform needs; the engine merges and applies them.

    A ``weak`` request only wants the key to be set: any other transform's value wins
    without a conflict (``fixture-loop-scope`` only wants the "is unset" warning gone).
    """

    key: str
    value: Any
    transform: str
    reason: str
    weak: bool = False


# The scratch keys under which LibCST's AddImportsVisitor and RemoveImportsVisitor keep
# scheduled import edits (their CONTEXT_KEY): transforms schedule under the same keys.
ADD_IMPORTS = "AddImportsVisitor"
REMOVE_IMPORTS = "RemoveImportsVisitor"


class ImportRequest(NamedTuple):
    """An import to add (the fields of LibCST's ``ImportItem``)."""

    module_name: str
    obj_name: str | None = None
    alias: str | None = None
    relative: int = 0


@dataclass(frozen=True)
class MigrationContext:
    """LibCST's ``CodemodContext`` fields, and what the engine shares with a transform."""

    warnings: list[str] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)
    filename: str | None = None
    full_module_name: str | None = None
    full_package_name: str | None = None
    wrapper: MetadataWrapper | None = None
    metadata_manager: FullRepoManager | None = None
    facts: FileFacts = field(default_factory=FileFacts)
    #: The file's text as read (for cheap substring checks; never edit it).
    source: str = ""
    notes: list[Note] = field(default_factory=list)
    config_requests: list[ConfigRequest] = field(default_factory=list)
    #: Shared by the transforms that run on one file (see name_index.py).
    index: NameIndex = field(default_factory=NameIndex)

    @property
    def module(self) -> cst.Module | None:
        return self.wrapper.module if self.wrapper is not None else None


class Transform(cst.CSTTransformer):
    """One migration step. Subclasses set the class attributes and write ``visit_*``/``leave_*``."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    default: ClassVar[bool] = True
    #: Byte strings that must all occur in a file the transform can change, the rarest in
    #: test code first: the first is checked first, and it is what the pre-filter's gate
    #: prefers (see :func:`gate_strings`).
    triggers: ClassVar[tuple[bytes, ...]] = ()
    #: Strings the transform may introduce, so that later transforms whose triggers need
    #: them run too (``sync-to-async`` writes ``async def`` that ``asyncio-marker`` must see).
    produces: ClassVar[tuple[bytes, ...]] = ()
    #: Byte strings any one of which shows that a file belongs to a project this transform
    #: has project-level work in (see :meth:`project_requests`); checked without parsing.
    project_triggers: ClassVar[tuple[bytes, ...]] = ()
    #: Only meaningful when the effective asyncio mode is strict.
    strict_only: ClassVar[bool] = False
    #: Oldest --target-version whose output this transform can write.
    min_target: ClassVar[Version] = (0, 17)

    DESCRIPTION = ""  # for libcst.tool

    def __init__(self, context: Any = None) -> None:
        # (LibCST's ContextAwareTransformer is a MatcherDecoratableTransformer, whose
        # constructor inspects every attribute of the class for matcher decorators and whose
        # on_visit/on_leave check them at every node: about 30 ms per instance. Transforms
        # here use no matcher decorators; the plain dispatch below is used.)
        MetadataDependent.__init__(self)
        self.context: Any = context if context is not None else MigrationContext()
        self.edits = 0
        self._import_removals: set[str] = set()
        self._pending_notes: list[tuple[cst.CSTNode | None, str]] = []
        self._focus: int | None = None
        index = getattr(self.context, "index", None)
        self.index: NameIndex = index if index is not None else NameIndex()

    # The plain CSTTransformer dispatch, with the visit_/leave_ method of each node type
    # looked up once per class instead of formatted and looked up at every node, and no
    # visit_<Node>_<attribute> hooks (no transform here uses them; LibCST calls both hooks
    # for every child of every node).
    _dispatch: ClassVar[dict[tuple[type, str], Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._dispatch = {}
        for attribute in vars(cls):
            prefix, _, node_name = attribute.partition("_")
            node_type = getattr(cst, node_name, None) if prefix in ("visit", "leave") else None
            if isinstance(node_type, type) and issubclass(node_type, NOT_ENTERED):
                raise TypeError(f"{cls.__name__}.{attribute} would never run: walk() does not enter {node_name} nodes")

    def _handler(self, prefix: str, node_type: type) -> Any:
        key = (node_type, prefix)
        try:
            return self._dispatch[key]
        except KeyError:
            found = self._dispatch[key] = getattr(type(self), f"{prefix}{node_type.__name__}", None)
            return found

    def on_visit(self, node: cst.CSTNode) -> bool:
        func = self._handler("visit_", type(node))
        if func is not None and func(self, node) is False:
            return False
        focus = self._focus
        return focus is None or bool(self.index.mask(node) & focus)

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        func = self._handler("leave_", type(original_node))
        return updated_node if func is None else func(self, original_node, updated_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        return walk(self, tree)  # LibCST's tree.visit(self), without whitespace and copies

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    def focus_on(
        self, module: cst.Module, reads: Iterable[str] = (), attributes: Iterable[str] = (), mentions: Iterable[str] = ()
    ) -> bool:
        """Enter only the subtrees that read one of ``reads``, use one of ``attributes``
        as an attribute or keyword, or mention one of ``mentions`` either way; call it from
        ``visit_Module``. ``visit_*``/``leave_*`` still run on the nodes where the walk
        stops, not below them. Returns whether the module matches at all."""
        self.index.mask(module)  # first: names get their bits
        self._focus = self.index.query(reads, attributes, mentions)
        return self.index.mentions(module, self._focus)

    # -- facts ---------------------------------------------------------------------------
    @property
    def facts(self) -> FileFacts:
        facts = getattr(self.context, "facts", None)
        if facts is None:
            facts = FileFacts(path=self.context.filename or "<string>")
        return facts

    @property
    def source(self) -> str:
        return getattr(self.context, "source", "") or ""

    @property
    def project(self) -> ProjectFacts:
        return self.facts.project

    @classmethod
    def applies_to(cls, facts: FileFacts) -> bool:
        """Whether the transform can do anything in this file's project at all."""
        if cls.strict_only and not facts.project.strict:
            return False
        return facts.project.target >= cls.min_target

    #: Alternatives at least one of which must occur as well (when not empty): a byte
    #: string, or a tuple of byte strings that must all occur (``(b"asyncio", b"import run")``).
    any_triggers: ClassVar[tuple[bytes | tuple[bytes, ...], ...]] = ()

    #: Triggers that only count as whole identifiers (``event_loop`` but not
    #: ``set_event_loop``); they are checked after ``triggers`` and ``any_triggers``.
    word_triggers: ClassVar[tuple[bytes, ...]] = ()

    @classmethod
    def matches(cls, data: bytes, produced: frozenset[bytes] | set[bytes] = frozenset()) -> bool:
        """The pre-filter: could this transform change a file with these bytes (plus the
        strings earlier transforms' edits produced)? Worked out from the declared triggers
        alone, as the gate (gate_strings) is."""
        # plain loops: this runs for every transform on every file of the tree
        for t in cls.triggers:
            if t not in data and t not in produced:
                return False
        if cls.any_triggers:
            for t in cls.any_triggers:
                if isinstance(t, bytes):
                    if t in data or t in produced:
                        break
                elif all(part in data or part in produced for part in t):
                    break
            else:
                return False
        for t in cls.word_triggers:
            if t not in produced and not has_word(data, t):
                return False
        return True

    #: Byte strings that must all occur in a file for :meth:`survey` to look at it.
    survey_triggers: ClassVar[tuple[bytes, ...]] = ()

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        """The survey pass: facts about one file that other files need (picklable), or None.

        Runs before any rewriting, on every file (test code or not) whose bytes contain all
        of ``survey_triggers``. What it returns for a conftest.py reaches every file below
        that folder, and what it returns for a file reaches that file, through
        ``self.facts.surveyed(self.name)`` (outermost first). Parse with ``ast`` here: it is
        several times faster than LibCST, and nothing is rewritten.
        """
        return None

    #: When one of these (later) transforms edited the file, this one runs again after them:
    #: its decisions depend on what they rewrite.
    revisit_after: ClassVar[tuple[str, ...]] = ()

    #: Transforms that must not be selected together with this one (a usage error).
    conflicts_with: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def refusal(cls, surveyed: dict[str, Any]) -> str | None:
        """After the survey pass: a reason to refuse the whole run (exit status 2), or None.

        ``surveyed`` maps each surveyed file's display path to what :meth:`survey`
        returned for it (``auto-mode`` refuses when anyio or trio tests exist).
        """
        return None

    @classmethod
    def project_requests(cls, project: ProjectFacts) -> list[ConfigRequest]:
        """Config settings the transform needs, once per project.

        Called for each project in which a processed file contained one of
        ``project_triggers`` (or matched ``triggers``), with that project's facts.
        """
        return []

    # -- what libcst.tool asks of a codemod command ---------------------------------------
    @staticmethod
    def add_args(arg_parser: Any) -> None:
        """No command-line arguments under ``libcst.tool codemod``."""

    def should_allow_multiple_passes(self) -> bool:
        return False

    @property
    def module(self) -> cst.Module:
        module = self.context.module
        if module is None:
            raise ValueError(f"{type(self).__name__}.module is only known inside transform_module()")
        return module

    def warn(self, warning: str) -> None:
        self.context.warnings.append(warning)

    def add_needed_import(self, module: str, obj: str | None = None, asname: str | None = None, relative: int = 0) -> None:
        """Schedule ``import module`` / ``from module import obj [as asname]``; added after
        the walk when the module does not already have it (as AddImportsVisitor does)."""
        self.context.scratch.setdefault(ADD_IMPORTS, []).append(ImportRequest(module, obj, asname, relative))

    def remove_unused_import(self, module: str, obj: str | None = None, asname: str | None = None) -> None:
        """Schedule removal of an import; removed after the walk when nothing reads it."""
        self.context.scratch.setdefault(REMOVE_IMPORTS, []).append((module, obj, asname))

    # -- reporting -----------------------------------------------------------------------
    def note(self, node: cst.CSTNode | None, message: str) -> None:
        """Report a spot a human must check. ``node`` must belong to the input tree."""
        self._pending_notes.append((node, message))

    def count_edit(self, count: int = 1) -> None:
        self.edits += count

    def spell(self, full: str, imports: "ImportMap") -> cst.BaseExpression:
        """``full`` (``asyncio.get_running_loop``) spelled the way this module imports it
        (``aio.get_running_loop``, ``get_running_loop``); when nothing binds it, the dotted
        name, with ``import asyncio`` scheduled."""
        spelled, needs_import = imports.reference(full)
        if needs_import:
            self.add_needed_import(full.split(".")[0])
        return name_to_expr(spelled)

    def remove_import_of(self, expr: cst.BaseExpression, imports: "ImportMap") -> None:
        """Schedule removal of the import whose name ``expr`` starts with (``pt`` in
        ``pt.mark.asyncio``, ``fixture`` after ``from pytest import fixture``), once per
        name; the import stays while anything still reads the name."""
        local = head_name(expr)
        if local is None or local in self._import_removals:
            return
        full = imports.names.get(local)
        if full is None:
            return
        self._import_removals.add(local)
        if "." not in full:
            self.remove_unused_import(full, asname=None if local == full else local)
        else:
            module, obj = full.rsplit(".", 1)
            self.remove_unused_import(module, obj, asname=None if local == obj else local)

    def request_config(self, key: str, value: Any, reason: str, weak: bool = False) -> None:
        requests = getattr(self.context, "config_requests", None)
        if requests is not None:
            requests.append(ConfigRequest(key, value, self.name, reason, weak))

    # -- running -------------------------------------------------------------------------
    @contextmanager
    def _handle_metadata_reference(self, module: cst.Module) -> Iterator[cst.Module]:
        # The engine parses each file itself and never shares a tree, so LibCST's
        # defensive deep copy of the whole module is not needed.
        oldwrapper = self.context.wrapper
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        with self.resolve(wrapper):
            self.context = _replace_wrapper(self.context, wrapper)
            try:
                yield wrapper.module
            finally:
                self.context = _replace_wrapper(self.context, oldwrapper)

    def transform_module(self, tree: cst.Module) -> cst.Module:
        self._pending_notes = []
        self._import_removals = set()
        with self._handle_metadata_reference(tree) as module:
            result = self.transform_module_impl(module)
        scratch = self.context.scratch
        if scratch.get(ADD_IMPORTS):
            before = _top_level_import_codes(result)
            merged: dict[str, set[str]] = {}
            for item in scratch[ADD_IMPORTS]:
                if item.obj_name is not None and item.alias is None and not item.relative:
                    merged.setdefault(item.module_name, set()).add(item.obj_name)
            fast = add_imports_fast(result, scratch[ADD_IMPORTS])
            result = fast if fast is not None else _run_helper("add", self.context, result)
            result = place_new_imports(result, before, first_party_names(self._project_root()))
            for module_name, names in merged.items():
                result = sort_added_names(result, module_name, names)
        unused = (
            _unused_import_names(result, scratch[REMOVE_IMPORTS], self.index)
            if scratch.get(REMOVE_IMPORTS)
            else set()
        )
        if unused:
            fast = remove_imports_fast(result, scratch[REMOVE_IMPORTS], unused)
            if fast is not None:
                result = fast
            else:
                pre_removal = result
                result = _run_helper("remove", self.context, result)
                result = keep_leading_lines_of_removed(pre_removal, result)
        scratch.pop(ADD_IMPORTS, None)
        scratch.pop(REMOVE_IMPORTS, None)
        if self._pending_notes:
            self._flush_notes(tree)
        return result

    def _project_root(self) -> str | None:
        config = self.project.config
        anchor = config.path or config.create_at
        return str(anchor.parent) if anchor is not None else None

    def _flush_notes(self, tree: cst.Module) -> None:
        positions = note_positions(tree, [node for node, _ in self._pending_notes if node is not None])
        path = self.facts.path
        sink = getattr(self.context, "notes", None)
        for node, message in self._pending_notes:
            line, column = positions.get(id(node), (1, 1)) if node is not None else (1, 1)
            item = Note(path, line, column, self.name, message)
            if sink is not None:
                sink.append(item)
            else:
                self.warn(item.format())
        self._pending_notes = []


def gate_strings(transforms: Sequence[type[Transform]]) -> tuple[bytes, ...] | None:
    """A few byte strings at least one of which every file that one of ``transforms``
    matches (:meth:`Transform.matches`, nothing produced yet) contains; None when no such
    strings can be given (a transform without triggers).

    Most files of a big tree need nothing, and each ``in`` costs about as much as reading
    a small file's bytes, so the pre-filter asks these first instead of each transform's
    own triggers: ``async`` stands for ``async def``, ``asyncio`` and ``asynctest`` at once.
    Picked greedily: the string that stands for the most transforms not yet covered, where
    a string stands for a trigger it is part of; ties go to the transform's earlier
    (rarer) trigger. A transform that has only ``any_triggers`` adds, for each alternative
    none of whose strings is already stood for, its first (rarest) string.
    """
    choices: list[list[bytes]] = []  # per transform: single strings any of which suffices
    alternatives: list[tuple[bytes | tuple[bytes, ...], ...]] = []  # per transform with any_triggers alone
    for transform in transforms:
        single = [*transform.triggers, *transform.word_triggers]
        if single:
            choices.append(single)
        elif transform.any_triggers:
            alternatives.append(transform.any_triggers)
        else:
            return None
    vocabulary = list(dict.fromkeys(t for single in choices for t in single))
    chosen: list[bytes] = []
    uncovered = choices
    while uncovered:
        best: tuple[int, int, int] | None = None
        for order, root in enumerate(vocabulary):
            covering = [single for single in uncovered if any(root in t for t in single)]
            if not covering:
                continue
            # most transforms stood for; then the earliest position among their triggers
            rank = min(next(i for i, t in enumerate(single) if root in t) for single in covering)
            key = (-len(covering), rank, order)
            if best is None or key < best:
                best = key
        root = vocabulary[best[2]]
        chosen.append(root)
        uncovered = [single for single in uncovered if not any(root in t for t in single)]
    for options in alternatives:
        for option in options:
            strings = (option,) if isinstance(option, bytes) else option
            if not any(root in t for t in strings for root in chosen):
                chosen.append(strings[0])
    # a string that contains another chosen one adds nothing
    return tuple(t for t in chosen if not any(other != t and other in t for other in chosen))


def has_word(data: bytes, word: bytes) -> bool:
    """``word`` occurs in ``data`` as a whole identifier."""
    start = data.find(word)
    while start != -1:
        end = start + len(word)
        before = data[start - 1 : start]
        after = data[end : end + 1]
        if not (before.isalnum() or before == b"_") and not (after.isalnum() or after == b"_"):
            return True
        start = data.find(word, start + 1)
    return False


class _TopLevelOf(cst.CSTVisitor):
    """Which top-level statement each of some nodes sits in."""

    def __init__(self, targets: set[int]) -> None:
        super().__init__()
        self.targets = targets
        self.index = -1
        self.found: dict[int, int] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.targets:
            self.found[id(node)] = self.index
        return len(self.found) < len(self.targets)


def note_positions(tree: cst.Module, nodes: Sequence[cst.CSTNode]) -> dict[int, tuple[int, int]]:
    """(line, column 1-based) of each node, by id.

    LibCST's PositionProvider over a whole module costs about two code generations; notes
    are few, so only the top-level statements that hold a noted node are measured, each as
    a module of its own, shifted by the lines of what precedes it.
    """
    result: dict[int, tuple[int, int]] = {}
    targets = {id(n) for n in nodes}
    if id(tree) in targets:
        result[id(tree)] = (1, 1)
    finder = _TopLevelOf(targets - {id(tree)})
    for index, stmt in enumerate(tree.body):
        finder.index = index
        if id(stmt) in finder.targets:
            finder.found[id(stmt)] = index
        stmt.visit(finder)
    wanted = sorted(set(finder.found.values()))
    if not wanted:
        return result
    offset = len(tree.header)
    done = 0
    for index in wanted:
        for stmt in tree.body[done:index]:
            offset += tree.code_for_node(stmt).count("\n")
        done = index
        stmt = tree.body[index]
        mini = tree.with_changes(body=[stmt], header=(), footer=())
        positions = MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in nodes:
            if finder.found.get(id(node)) == index and node in positions:
                start = positions[node].start
                result[id(node)] = (start.line + offset, start.column + 1)
    return result

def _replace_wrapper(context: Any, wrapper: MetadataWrapper | None) -> Any:
    return dataclasses.replace(context, wrapper=wrapper)


# ---------------------------------------------------------------------------------------
# import edits
#
# Measured on generated legacy suites, LibCST's AddImportsVisitor and RemoveImportsVisitor
# took about 80% of the time on files that change: the first walks the whole module with
# its matcher machinery, the second runs scope analysis. The common cases (top-level
# ``import m`` / ``from m import n``) are done here directly; anything else (aliases,
# relative imports, imports inside blocks or functions) still goes through LibCST.


def _top_import_lines(module: cst.Module) -> list[int]:
    return [i for i, stmt in enumerate(module.body) if _is_import_line(stmt)]


def add_imports_fast(module: cst.Module, items: Sequence[Any]) -> cst.Module | None:
    """Add ``import m`` / ``from m import n`` at module level, or None to let LibCST do it.

    Like AddImportsVisitor: an existing ``from m import ...`` gets the new names in front
    (``sort_added_names`` then moves them where isort would); new statements go after the
    last import (``place_new_imports`` moves them).
    """
    if any(item.alias is not None or item.relative for item in items):
        return None
    body = list(module.body)
    lines = [i for i, stmt in enumerate(body) if _is_import_line(stmt)]
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
        missing = sorted((o for o in objs if o not in bound), key=_member_key)
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
        if not _is_import_line(stmt):
            continue
        smalls = []
        for small in stmt.body:  # type: ignore[attr-defined]
            names = small.names
            if isinstance(names, cst.ImportStar) or (isinstance(small, cst.ImportFrom) and small.relative):
                smalls.append(small)
                continue
            keep = []
            for alias in names:
                local = _bound_name(small, alias)
                spec = unused.get(local) if local is not None else None
                if spec is not None and _alias_matches(small, alias, spec):
                    found.add(local)
                    continue
                keep.append(alias)
            if len(keep) == len(names):
                smalls.append(small)
            elif keep:
                last_comma = names[-1].comma
                keep[-1] = keep[-1].with_changes(comma=last_comma)
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


def _bound_name(small: cst.Import | cst.ImportFrom, alias: cst.ImportAlias) -> str | None:
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
    return isinstance(small, cst.ImportFrom) and dotted_name(small.module) == module_name and dotted_name(alias.name) == obj


def _unused_import_names(module: cst.Module, scheduled: Sequence[Any], index: NameIndex) -> set[str]:
    """The names scheduled for removal that nothing reads any more.

    RemoveImportsVisitor's scope analysis costs several parses; the name index (a read
    anywhere outside the module's top-level import lines) is enough. A name in a string
    annotation counts as a read, and so does a name that a nested scope rebinds: when in
    doubt an import stays.
    """
    names = {alias or obj or module_name.split(".")[0] for module_name, obj, alias in scheduled}
    rest = [stmt for stmt in module.body if not _is_import_line(stmt)]
    masks = [index.mask(stmt) for stmt in rest]
    used = {name for name in names if any(mask & index.query(reads=(name,)) for mask in masks)}
    return names - used


def _run_helper(which: str, context: Any, tree: cst.Module) -> cst.Module:
    """Run LibCST's AddImportsVisitor ("add") or RemoveImportsVisitor ("remove") on what is
    scheduled, without the deep copy ``transform_module`` makes. Imported here: the fast
    paths above handle what the transforms schedule, and importing these costs half a
    second of start-up (libcst.matchers)."""
    from libcst.codemod.visitors import (
        AddImportsVisitor,
        ImportItem,
        RemoveImportsVisitor,
    )

    helper_cls: type
    if which == "add":
        helper_cls = AddImportsVisitor
        requests = context.scratch.get(ADD_IMPORTS, [])
        context.scratch[ADD_IMPORTS] = [
            ImportItem(r.module_name, r.obj_name, r.alias, r.relative) if isinstance(r, ImportRequest) else r
            for r in requests
        ]
    else:
        helper_cls = RemoveImportsVisitor
    helper = helper_cls(context)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    with helper.resolve(wrapper):
        helper.context = _replace_wrapper(context, wrapper)
        return helper.transform_module_impl(wrapper.module)


# ---------------------------------------------------------------------------------------
# import placement


def _import_identity(stmt: cst.SimpleStatementLine) -> tuple[str, ...]:
    """What an import line imports from, not how it is spelled: a from-import that LibCST
    merged a name into (``from asyncio import sleep`` → ``..., get_running_loop``) is still
    the same line, not a new one."""
    small = stmt.body[0]
    if isinstance(small, cst.ImportFrom):
        return ("from", "." * len(small.relative) + (dotted_name(small.module) or ""))
    assert isinstance(small, cst.Import)
    return ("import", *sorted(dotted_name(a.name) or "" for a in small.names))


def _top_level_import_codes(module: cst.Module) -> set[tuple[str, ...]]:
    return {_import_identity(stmt) for stmt in module.body if _is_import_line(stmt)}  # type: ignore[arg-type]


def _is_import_line(stmt: cst.CSTNode) -> bool:
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


def _import_sort_key(stmt: cst.SimpleStatementLine, first_party: frozenset[str] = frozenset()) -> tuple[str, int, str]:
    """(section, import-before-from, module) the way isort and ruff order imports."""
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
    return section, kind, module_name.lower()


def place_new_imports(module: cst.Module, before: set[tuple[str, ...]], first_party: frozenset[str] = frozenset()) -> cst.Module:
    """Move import lines that AddImportsVisitor just added to where isort would put them.

    LibCST appends new imports after the last import of the module; a person adds
    ``import asyncio`` in alphabetical order among the standard-library imports, in a
    section of its own (blank line) when it is the first of its kind.
    """
    body = list(module.body)
    new_indices = [
        i for i, stmt in enumerate(body)
        if _is_import_line(stmt) and _import_identity(stmt) not in before  # type: ignore[arg-type]
    ]
    if not new_indices:
        return module
    # take all of them out first, then put each where it belongs, in sorted order
    pending = [body[i] for i in new_indices]
    for index in reversed(new_indices):
        body.pop(index)
    fallback = new_indices[0]
    pending.sort(key=lambda stmt: _import_sort_key(stmt, first_party))  # type: ignore[arg-type]
    for stmt in pending:
        assert isinstance(stmt, cst.SimpleStatementLine)
        # the first block of import lines (the docstring and __future__ may precede it)
        block = [i for i, s in enumerate(body) if _is_import_line(s)]
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
        key = _import_sort_key(stmt, first_party)
        same = [i for i in block if _import_sort_key(body[i], first_party)[0] == key[0]]
        if same:
            later = [i for i in same if _import_sort_key(body[i], first_party)[1:] > key[1:]]
            if later:
                at = later[0]
                moved = stmt.with_changes(leading_lines=body[at].leading_lines)
                body[at] = body[at].with_changes(leading_lines=())
                body.insert(at, moved)
            else:
                body.insert(same[-1] + 1, stmt.with_changes(leading_lines=()))
            continue
        earlier = [i for i in block if _import_sort_key(body[i], first_party)[0] < key[0]]
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
    if index >= len(body) or _is_import_line(body[index]):
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


def _member_key(name: str) -> tuple[int, str]:
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
            keys = [_member_key(_alias_name(a)) for a in old]
            order = list(old)
            for alias in new:
                if keys == sorted(keys):
                    key = _member_key(_alias_name(alias))
                    at = next((i for i, a in enumerate(order) if _member_key(_alias_name(a)) > key), len(order))
                else:
                    at = len(order)
                order.insert(at, alias)
                keys = [_member_key(_alias_name(a)) for a in order]
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
    last_import = max((i for i, stmt in enumerate(pre.body) if _is_import_line(stmt)), default=-1)
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


# ---------------------------------------------------------------------------------------
# names


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted_name(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def name_to_expr(dotted: str) -> cst.BaseExpression:
    """``"a.b.c"`` → Attribute chain."""
    parts = dotted.split(".")
    expr: cst.BaseExpression = cst.Name(parts[0])
    for part in parts[1:]:
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr


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


# ---------------------------------------------------------------------------------------
# marks and fixtures


@dataclass(frozen=True)
class MarkInfo:
    """A pytest mark expression: ``pytest.mark.NAME`` or ``pytest.mark.NAME(...)``."""

    name: str
    expr: cst.BaseExpression
    call: cst.Call | None

    @property
    def args(self) -> Sequence[cst.Arg]:
        return self.call.args if self.call is not None else ()

    def kwarg(self, key: str) -> cst.Arg | None:
        return find_kwarg(self.args, key)


def mark_info(expr: cst.BaseExpression, imports: ImportMap) -> MarkInfo | None:
    call = expr if isinstance(expr, cst.Call) else None
    target = call.func if call is not None else expr
    full = imports.qualify(target)
    if full is None:
        return None
    parts = full.split(".")
    if len(parts) == 3 and parts[0] == "pytest" and parts[1] == "mark":
        return MarkInfo(parts[2], expr, call)
    return None


def decorator_marks(decorators: Iterable[cst.Decorator], imports: ImportMap) -> list[tuple[cst.Decorator, MarkInfo]]:
    result = []
    for decorator in decorators:
        info = mark_info(decorator.decorator, imports)
        if info is not None:
            result.append((decorator, info))
    return result


def pytestmark_assignments(body: Sequence[cst.BaseStatement]) -> list[cst.Assign | cst.AnnAssign]:
    """``pytestmark = ...`` statements directly in a module or class body."""
    found: list[cst.Assign | cst.AnnAssign] = []
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                if any(isinstance(t.target, cst.Name) and t.target.value == "pytestmark" for t in small.targets):
                    found.append(small)
            elif isinstance(small, cst.AnnAssign):
                if isinstance(small.target, cst.Name) and small.target.value == "pytestmark":
                    found.append(small)
    return found


def marks_in_value(value: cst.BaseExpression | None, imports: ImportMap) -> list[MarkInfo]:
    """The marks in a ``pytestmark`` value: one mark, or a list/tuple of marks."""
    if value is None:
        return []
    if isinstance(value, (cst.List, cst.Tuple)):
        result = []
        for element in value.elements:
            if isinstance(element, cst.Element):
                info = mark_info(element.value, imports)
                if info is not None:
                    result.append(info)
        return result
    info = mark_info(value, imports)
    return [info] if info is not None else []


def pytestmark_marks(body: Sequence[cst.BaseStatement], imports: ImportMap) -> list[MarkInfo]:
    result: list[MarkInfo] = []
    for assignment in pytestmark_assignments(body):
        result.extend(marks_in_value(assignment.value, imports))
    return result


OTHER_ASYNC_MARKS = frozenset({"anyio", "trio"})


def uses_other_async_framework(module: cst.Module, imports: ImportMap, index: NameIndex | None = None) -> bool:
    """True when the module's tests are run by anyio or pytest-trio rather than pytest-asyncio.

    Looks at module and class ``pytestmark``, decorators anywhere at module/class level,
    and the ``anyio_backend`` fixture. With the file's ``index``, a module whose code never
    names ``anyio``, ``trio`` or ``anyio_backend`` skips the scan.
    """
    if index is not None and not index.has(module, mentions=("anyio", "trio", "anyio_backend")):
        return False
    if any(m.name in OTHER_ASYNC_MARKS for m in pytestmark_marks(module.body, imports)):
        return True

    def scan(body: Sequence[cst.BaseStatement]) -> bool:
        for stmt in body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                if any(info.name in OTHER_ASYNC_MARKS for _, info in decorator_marks(stmt.decorators, imports)):
                    return True
                if isinstance(stmt, cst.FunctionDef):
                    if stmt.name.value == "anyio_backend":
                        return True
                    if any(
                        isinstance(p.name, cst.Name) and p.name.value == "anyio_backend"
                        for p in stmt.params.params
                    ):
                        return True
                if isinstance(stmt, cst.ClassDef):
                    if any(m.name in OTHER_ASYNC_MARKS for m in pytestmark_marks(stmt.body.body, imports)):
                        return True
                    if isinstance(stmt.body, cst.IndentedBlock) and scan(stmt.body.body):
                        return True
        return False

    return scan(module.body)


@dataclass(frozen=True)
class FixtureInfo:
    """A fixture decorator: which library it comes from and its call, if any."""

    library: str  # "pytest" or "pytest_asyncio"
    decorator: cst.Decorator
    call: cst.Call | None

    @property
    def args(self) -> Sequence[cst.Arg]:
        return self.call.args if self.call is not None else ()

    def kwarg(self, key: str) -> cst.Arg | None:
        return find_kwarg(self.args, key)

    def scope(self) -> str | None:
        """The literal cache scope ("function" when absent); None when it is not a literal."""
        arg = self.kwarg("scope")
        if arg is None:
            # pytest.fixture's first positional parameter is the function, not the scope.
            return "function"
        value = string_value(arg.value)
        return value if value in SCOPES else None


def fixture_info(decorator: cst.Decorator, imports: ImportMap) -> FixtureInfo | None:
    expr = decorator.decorator
    call = expr if isinstance(expr, cst.Call) else None
    target = call.func if call is not None else expr
    full = imports.qualify(target)
    if full == "pytest.fixture":
        return FixtureInfo("pytest", decorator, call)
    if full == "pytest_asyncio.fixture":
        return FixtureInfo("pytest_asyncio", decorator, call)
    return None


def fixture_decorator(func: cst.FunctionDef, imports: ImportMap) -> FixtureInfo | None:
    for decorator in func.decorators:
        info = fixture_info(decorator, imports)
        if info is not None:
            return info
    return None


def find_kwarg(args: Sequence[cst.Arg], key: str) -> cst.Arg | None:
    for arg in args:
        if arg.keyword is not None and arg.keyword.value == key:
            return arg
    return None


def string_value(expr: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (no f-strings), else None."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def make_kwarg(key: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name(key),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def append_kwarg(call: cst.Call, arg: cst.Arg, after: str | None = None) -> cst.Call:
    """Add a keyword argument at the end of a call, keeping the call's layout.

    ``f(a=1)`` → ``f(a=1, b=2)``; a call with one argument per line (with or without a
    trailing comma, hanging indent or not) gets the new argument on a line of its own,
    aligned like the others. With ``after``, the argument goes right after that keyword
    argument when there is one (``loop_scope=`` next to ``scope=``, not after a long
    ``params=[...]``), separated from what follows the way that argument was.
    """
    args = list(call.args)
    if not args:
        return call.with_changes(args=[arg])
    if after is not None:
        anchor = next((i for i, a in enumerate(args) if a.keyword is not None and a.keyword.value == after), None)
        if anchor is not None and anchor < len(args) - 1 and isinstance(args[anchor].comma, cst.Comma):
            args.insert(anchor + 1, arg.with_changes(comma=args[anchor].comma))
            return call.with_changes(args=args)
    last = args[-1]
    hanging = (
        len(args) >= 2
        and isinstance(args[-2].comma, cst.Comma)
        and isinstance(args[-2].comma.whitespace_after, cst.ParenthesizedWhitespace)
    )
    multiline = hanging or isinstance(last.comma, cst.Comma) or "\n" in code_of(last.whitespace_after_arg)
    if not multiline:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(arg)
        return call.with_changes(args=args)
    # the whitespace that separates two arguments in this call (newline + indent)
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma.whitespace_after
    else:
        separator = call.whitespace_before_args
    if isinstance(last.comma, cst.Comma):
        args[-1] = last.with_changes(
            comma=cst.Comma(whitespace_before=last.comma.whitespace_before, whitespace_after=separator)
        )
        args.append(arg.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(
            whitespace_after_arg=cst.SimpleWhitespace(""),
            comma=cst.Comma(whitespace_after=separator),
        )
        args.append(arg.with_changes(whitespace_after_arg=last.whitespace_after_arg))
    return call.with_changes(args=args)


def with_loop_scope(expr: cst.BaseExpression, scope: str) -> cst.Call:
    """A mark or fixture expression with ``loop_scope=<scope>`` added (called if it was not),
    right after ``scope=`` when the call has one."""
    arg = make_kwarg("loop_scope", cst.SimpleString(literal_repr(scope)))
    if isinstance(expr, cst.Call):
        return append_kwarg(expr, arg, after="scope")
    return cst.Call(func=expr, args=[arg])


def injectable_param(node: cst.FunctionDef, name: str) -> tuple[str, int] | None:
    """Where the parameter ``name`` that pytest injects is: ("params"|"kwonly_params",
    index); None when there is none or it has a default (pytest does not inject those)."""
    for where in ("params", "kwonly_params"):
        for index, param in enumerate(getattr(node.params, where)):
            if param.name.value == name:
                return (where, index) if param.default is None else None
    return None


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def is_async_function(func: cst.FunctionDef) -> bool:
    return func.asynchronous is not None


UNITTEST_BASE_SUFFIXES = ("TestCase", "AsyncTestCase")


def is_unittest_class(cls: cst.ClassDef, imports: "ImportMap | None" = None) -> bool:
    """Classes deriving from a ``*TestCase`` (unittest, IsolatedAsyncioTestCase, asynctest...),
    directly or, given the module's ImportMap, through a class of the same module."""
    for base in cls.bases:
        name = dotted_name(base.value)
        if name and name.split(".")[-1].endswith(UNITTEST_BASE_SUFFIXES):
            return True
        if imports is not None and name in imports.unittest_classes:
            return True
    return False


def has_init(cls: cst.ClassDef) -> bool:
    if not isinstance(cls.body, cst.IndentedBlock):
        return False
    return any(isinstance(s, cst.FunctionDef) and s.name.value == "__init__" for s in cls.body.body)


def parse_expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def literal_repr(value: str) -> str:
    """A double-quoted string literal, the way ruff/black write them."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def compiles(code: str) -> bool:
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def remove_decorators(node: cst.FunctionDef | cst.ClassDef, indices: set[int]) -> cst.FunctionDef | cst.ClassDef:
    """Drop decorators by index; comments and blank lines above a removed one move down."""
    kept: list[cst.Decorator] = []
    carried: list[cst.EmptyLine] = []
    for i, decorator in enumerate(node.decorators):
        if i in indices:
            carried.extend(decorator.leading_lines)
            continue
        if carried:
            decorator = decorator.with_changes(leading_lines=(*carried, *decorator.leading_lines))
            carried = []
        kept.append(decorator)
    if carried:
        node = node.with_changes(lines_after_decorators=(*carried, *node.lines_after_decorators))
    return node.with_changes(decorators=kept)


def augments_pytestmark(body: Sequence[cst.BaseStatement]) -> bool:
    """``pytestmark += ...`` or ``pytestmark.append(...)``: marks that cannot be listed statically."""
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                if small.target.value == "pytestmark":
                    return True
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                func = small.value.func
                if isinstance(func, cst.Attribute) and dotted_name(func.value) == "pytestmark":
                    return True
    return False


def is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def insert_assignment_first(block: cst.IndentedBlock, name: str, value: cst.BaseExpression) -> cst.IndentedBlock:
    """``name = value`` as the first statement of a function body (after its docstring); the
    blank lines above the old first statement move above the new one, comments stay."""
    body = list(block.body)
    at = 1 if body and is_docstring(body[0]) else 0
    lines: Sequence[cst.EmptyLine] = ()
    if at < len(body):
        following = body[at]
        leading = list(following.leading_lines)
        blanks = 0
        while blanks < len(leading) and leading[blanks].comment is None:
            blanks += 1
        lines = leading[:blanks]
        body[at] = following.with_changes(leading_lines=leading[blanks:])
    assign = cst.SimpleStatementLine(
        body=[cst.Assign(targets=[cst.AssignTarget(target=cst.Name(name))], value=value)],
        leading_lines=lines,
    )
    body.insert(at, assign)
    return block.with_changes(body=body)


def class_body(cls: cst.ClassDef) -> Sequence[cst.BaseStatement]:
    """The statements of a class (none for a one-line ``class X: ...``)."""
    return cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()


def class_defines(cls: cst.ClassDef, name: str) -> bool:
    return any(isinstance(s, cst.FunctionDef) and s.name.value == name for s in class_body(cls))


def head_name(expr: cst.BaseExpression) -> str | None:
    """The leading name of ``a.b.c`` or ``a.b.c(...)``: the local name that carries the import."""
    if isinstance(expr, cst.Call):
        expr = expr.func
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def other_framework_uses_ast(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for every sign of anyio or trio tests in a module, read with ``ast`` (for
    survey passes; ``uses_other_async_framework`` is the LibCST counterpart)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("anyio", "trio"):
            owner = node.value
            if (isinstance(owner, ast.Name) and owner.id == "mark") or (
                isinstance(owner, ast.Attribute) and owner.attr == "mark"
            ):
                found.append((node.lineno, f"pytest.mark.{node.attr}"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name == "anyio_backend":
                found.append((node.lineno, "the anyio_backend fixture"))
            elif any(a.arg == "anyio_backend" for a in (*node.args.posonlyargs, *node.args.args)):
                found.append((node.lineno, f"{node.name} requests anyio_backend"))
        elif isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] == "pytest_trio" for alias in node.names):
                found.append((node.lineno, "import pytest_trio"))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] == "pytest_trio":
                found.append((node.lineno, "from pytest_trio import ..."))
        elif isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets):
                for const in ast.walk(node.value):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        if const.value.split(".")[0] in ("pytest_trio", "anyio"):
                            found.append((node.lineno, f'pytest_plugins loads "{const.value}"'))
    return sorted(set(found))


def remove_arg(call: cst.Call, index: int) -> cst.Call:
    """Remove one argument of a call, keeping the layout (and trailing comma) of the rest."""
    args = list(call.args)
    removed = args.pop(index)
    if args and index == len(args):
        # the new last argument takes over the removed one's comma (or its absence)
        last = args[-1]
        args[-1] = last.with_changes(comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg)
    return call.with_changes(args=args)


def remove_element(container: cst.List | cst.Tuple, index: int) -> cst.List | cst.Tuple:
    """Remove one element of a list/tuple display, keeping the layout (and trailing comma)."""
    elements = list(container.elements)
    removed = elements.pop(index)
    if elements and index == len(elements):
        elements[-1] = elements[-1].with_changes(comma=removed.comma)
    return container.with_changes(elements=elements)


#: Bases that carry no pytest marks: a class deriving from them has no foreign lineage.
MARKLESS_BASES = frozenset({"object", "ABC", "abc.ABC"})


def class_lineage(
    node: cst.ClassDef, classes: dict[str, cst.ClassDef]
) -> tuple[list[cst.ClassDef], list[str]]:
    """The class and its bases defined at module level (``classes``: name → node), and the
    source of the other bases (imported ones, whose marks cannot be seen from here). Bases
    without marks (``object``, ``ABC``) and unittest TestCases are neither."""
    seen: list[cst.ClassDef] = []
    foreign: list[str] = []
    todo = [node]
    while todo:
        cls = todo.pop(0)
        if any(cls is s for s in seen):
            continue
        seen.append(cls)
        for base in cls.bases:
            if base.keyword is not None or base.star:
                continue
            name = dotted_name(base.value)
            local = classes.get(name) if name else None
            if local is not None and local is not cls:
                todo.append(local)
            elif name in MARKLESS_BASES:
                continue
            elif name and name.split(".")[-1].endswith(UNITTEST_BASE_SUFFIXES):
                continue  # is_unittest_class() sees it on the class that names it
            else:
                code = code_of(base.value)
                if code not in foreign:
                    foreign.append(code)
    return seen, foreign
