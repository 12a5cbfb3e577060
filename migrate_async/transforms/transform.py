"""The Transform protocol: what a transform declares, the hooks it may override, the helpers it may call.

What it hands the engine besides its tree (notes, config and conftest.py requests) has its
shapes in requests.py; they are re-exported here.

A transform is a LibCST transformer with the interface of a ``VisitorBasedCodemodCommand``
(context, ``transform_module``, ``add_needed_import``, ``DESCRIPTION``...): it runs inside
migrate-async's engine or under ``python -m libcst.tool codemod``. It does not subclass
LibCST's codemod classes: importing ``libcst.codemod`` imports ``libcst.matchers``, half a
second of every run's start-up. Inside the engine its context is a :class:`MigrationContext`,
which carries the facts about the file and the project
(:class:`~migrate_async.project.FileFacts`) and collects notes and config requests; under
``libcst.tool`` it is LibCST's ``CodemodContext``, which has the same fields LibCST uses.

Rules every transform follows:
- ``triggers``: a :class:`~.triggers.Triggers` declaration of the byte strings the
  transform's work depends on. The engine does not parse files that match no selected
  transform.
- Do not descend into subtrees that cannot change (return False from ``visit_*``).
- Report what cannot be rewritten safely with :meth:`Transform.note`, passing a node of the
  *input* tree (``original_node`` in ``leave_*``), and leave the code as it is.
- Call :meth:`Transform.count_edit` for every rewrite.
- Add and remove imports only through ``self.add_needed_import`` /
  ``self.remove_unused_import``: applied after the walk, as LibCST's ``AddImportsVisitor`` /
  ``RemoveImportsVisitor`` would (whose scratch keys they share).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import libcst as cst
from libcst import MetadataDependent
from libcst.metadata import FullRepoManager, MetadataWrapper

from ..cstkit.libcst_bridge import (
    ADD_IMPORTS,
    REMOVE_IMPORTS,
    ImportRequest,
    with_wrapper,
)
from ..cstkit.name_index import NameIndex
from ..cstkit.names import head_name, name_to_expr, names_in
from ..cstkit.positions import note_positions
from ..cstkit.walk import NOT_ENTERED, walk
from ..imports.edits import apply_scheduled_imports
from ..imports.resolve import ImportMap
from ..present import Present
from ..project import FileFacts, ProjectFacts
from ..project.suppressions import SKIP, is_skip
from ..pytest_model.collection import unittest_base
from ..pytest_model.frameworks import uses_other_async_framework
from ..pytest_model.versions import OLDEST_TARGET, Version
from .examples import Example, document
from .glance import Glance
from .requests import ConfigRequest as ConfigRequest
from .requests import ConftestRequest as ConftestRequest
from .requests import FunctionBranch as FunctionBranch
from .requests import Note as Note
from .requests import RequirementRequest as RequirementRequest
from .triggers import Triggers


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
    conftest_requests: list[ConftestRequest] = field(default_factory=list)
    requirement_requests: list[RequirementRequest] = field(default_factory=list)
    #: Shared by the transforms that run on one file (see name_index.py).
    index: NameIndex = field(default_factory=NameIndex)

    @property
    def module(self) -> cst.Module | None:
        return self.wrapper.module if self.wrapper is not None else None


class LibcstToolCommand:
    """What ``libcst.tool codemod`` asks of a codemod command beyond transforming a module
    (a :class:`Transform` runs there as it runs in the engine)."""

    context: Any

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


class Transform(LibcstToolCommand, cst.CSTTransformer):
    """One migration step.

    A subclass declares what it is (the class attributes in the first section), may
    override the hooks of the second section, writes ``visit_*``/``leave_*`` methods for
    the walk, and calls the helpers of the third section. The fourth section is the
    machinery that runs it, inside the engine or under ``libcst.tool``.
    """

    # == 1. declarations ===================================================================
    #: Stable kebab-case name (``--select``, notes, ``explain``).
    name: ClassVar[str] = ""
    #: One line for ``list``, the README and ``libcst.tool`` (its ``DESCRIPTION``).
    summary: ClassVar[str] = ""
    #: On without ``--select``.
    default: ClassVar[bool] = True
    #: The byte strings its work depends on, checked before anything is parsed.
    triggers: ClassVar[Triggers] = Triggers()
    strict_only: ClassVar[bool] = False  # only meaningful in strict mode
    #: Oldest --target-version whose output this transform can write.
    min_target: ClassVar[Version] = OLDEST_TARGET
    #: Works on pytest-asyncio 0.x's ``event_loop``. On pins that admit only 1.x, an
    #: ``event_loop`` fixture is the project's own: it stays out of the files it serves
    #: (FileFacts.own_event_loop).
    legacy_event_loop: ClassVar[bool] = False
    #: Plugin fixtures whose requests it migrates away from. A request of one that the
    #: target no longer has (``pytest_model.providers.plugin_fixtures_gone``) and nothing of
    #: the project provides after the run is a note of the first selected transform that
    #: names it (the engine's check of the planned result, engine/plan_check.py).
    migrates_fixtures: ClassVar[tuple[str, ...]] = ()
    #: Plugins that run async tests themselves (module names, as ``pytest_plugins`` has them)
    #: whose tests this transform moves onto pytest-asyncio: while it is selected, a
    #: conftest.py loading one shows pytest-asyncio instead of handing its folder to another
    #: runner (pytest_model.runners.plugin_runs_coroutines).
    adopts: ClassVar[tuple[str, ...]] = ()
    #: Also runs on a file its triggers do not match where its survey (or gather) found something
    #: for it (get-running-loop: a sync test calling a project helper that gets the loop).
    runs_on_survey: ClassVar[bool] = False
    # Ordering relations (the order itself is the registry's, transforms/__init__.py):
    #: When one of these (later) transforms edited the file, this one runs again after them:
    #: its decisions depend on what they rewrite.
    revisit_after: ClassVar[tuple[str, ...]] = ()
    #: Transforms that must not be selected together with this one (a usage error).
    conflicts_with: ClassVar[tuple[str, ...]] = ()

    DESCRIPTION: ClassVar[str] = ""  # for libcst.tool: the summary, set for each subclass
    #: Before/After of a one-file project, run by the tests and shown by ``explain`` (examples.py).
    examples: ClassVar[tuple[Example, ...]] = ()

    # == 2. hooks a transform may override =================================================
    @classmethod
    def applies_to(cls, facts: FileFacts) -> bool:
        """Whether the transform can do anything in this file's project at all."""
        if cls.strict_only and not facts.project.strict:
            return False
        if cls.legacy_event_loop and facts.own_event_loop:
            return False
        return facts.project.target >= cls.min_target

    @classmethod
    def triggers_for(cls, project: ProjectFacts) -> Triggers:
        """The byte strings its work depends on in this project: ``triggers``, unless what
        the project loads gives a name the meaning a trigger has (pytest-aiohttp's ``loop``
        is its ``event_loop``: event-loop-argument). The pre-filter of a project's files asks
        these (engine/prefilter.py)."""
        return cls.triggers

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Whether this transform certainly has nothing to do in a file whose bytes match its
        triggers: no edit, no note, no request of any kind, read from the module's ``ast``
        (``glance``, shared by every transform of the file) and the facts the transform
        reads. A file none of whose matching transforms can do anything is not parsed with
        LibCST at all (engine/prefilter.py). Be conservative: when in doubt, False (the
        default: "maybe")."""
        return False

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        """The survey pass: facts about one file that other files need (picklable), or None.

        Runs before any rewriting, on every file (test code or not) whose bytes contain all
        of ``triggers.survey``. What it returns for a conftest.py reaches every file below
        that folder, and what it returns for a file reaches that file, through
        ``self.facts.surveyed(self.name)`` (outermost first). Parse with ``ast`` here: it is
        several times faster than LibCST, and nothing is rewritten.
        """
        return None

    gathers_conftests: ClassVar[bool] = False  # gather() also gets the conftest.py files below

    @classmethod
    def gather(cls, found: list[Any]) -> Any:
        """What a conftest.py learns from the modules below it: one value made of what
        :meth:`survey` returned for each of them (the modules the run looked at; they may be
        none), reaching the conftest.py as ``self.facts.gathered(self.name)``. None (the
        default): the transform gathers nothing."""
        return None

    @classmethod
    def settle(cls, found: dict[str, Any]) -> dict[str, Any]:
        """After the survey pass, before any file reads it: what :meth:`survey` returned
        for each file (resolved path → value), read together, so a file learns what the
        files it imports from (or that import from it) tell it. Returns the values as the
        files will read them (the default: as they are)."""
        return found

    @classmethod
    def refusal(cls, surveyed: dict[str, Any]) -> str | None:
        """After the survey pass: a reason to refuse the whole run (exit status 2), or None.

        ``surveyed`` maps each surveyed file's display path to what :meth:`survey`
        returned for it (``auto-mode`` refuses when anyio or trio tests exist).
        """
        return None

    @classmethod
    def planned_settings(cls, surveyed: tuple[Any, ...], project: ProjectFacts) -> dict[str, str]:
        """Settings of the pytest configuration that this transform will ask for
        (:meth:`request_config`) and that its survey already tells, from what the survey
        found for one file (``surveyed``, as ``self.facts.surveyed(self.name)`` gives it).

        The engine hands them to every transform of that file as the configuration it
        will run under (:meth:`ProjectFacts.planned`), so that none writes into each file
        what the configuration is about to say once (a ``loop_scope=`` equal to the default
        loop scope this run sets). Name only settings the request will surely make when the
        file that asks for them is rewritten; a planned value replaces a configured one, as
        the request will. Facts the run gives in another way may be planned too (below 0.26
        a collection hook gives the tests the loop scope the option would). Default: none.
        """
        return {}

    @classmethod
    def project_requests(cls, project: ProjectFacts, whole: bool = True) -> list[ConfigRequest]:
        """Config settings the transform needs, once per project.

        Called for each project in which a processed file contained one of
        ``triggers.project`` (or matched its triggers), with that project's facts.
        ``whole``: the run read every file of the project that pytest loads, and all of
        them parsed (not a run over some of its folders or files).
        """
        return []

    # == 3. helpers a transform may call ===================================================
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

    @property
    def imports(self) -> ImportMap:
        """What the names of the module being walked refer to, through its imports:
        collected on first use in each walk (a transform may add to it for that walk)."""
        found = self._imports_of_walk
        if found is None:
            found = self._imports_of_walk = ImportMap.collect(self.module, self.index, unittest_base)
        return found

    def runs_other_framework(self) -> bool:
        """Whether the module's tests are anyio's or pytest-trio's rather than
        pytest-asyncio's (their marks at module or class level, the ``anyio_backend``
        fixture): transforms that rewrite pytest-asyncio tests leave such a module alone."""
        return uses_other_async_framework(self.module, self.imports, self.index)

    def add_needed_import(self, module: str, obj: str | None = None, asname: str | None = None, relative: int = 0) -> None:
        """Schedule ``import module`` / ``from module import obj [as asname]``; added after
        the walk when the module does not already have it (as AddImportsVisitor does)."""
        self.context.scratch.setdefault(ADD_IMPORTS, []).append(ImportRequest(module, obj, asname, relative))

    def remove_unused_import(self, module: str, obj: str | None = None, asname: str | None = None) -> None:
        """Schedule removal of an import; removed after the walk when nothing reads it."""
        self.context.scratch.setdefault(REMOVE_IMPORTS, []).append((module, obj, asname))

    def note(self, node: cst.CSTNode | None, message: str, *, kind: str = "", left: bool = False) -> None:
        """Report a spot a human must check. ``node`` must belong to the input tree; ``kind``
        and ``left`` as on :class:`Note`."""
        self._pending_notes.append((node, message, kind, left))

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

    def remove_imports_read_by(self, node: cst.CSTNode, imports: "ImportMap", keep: Collection[str] = ()) -> None:
        """Schedule removal of every import a removed ``node`` read (the libraries of a deleted
        fixture); each stays while anything else reads it, and those binding ``keep`` stay
        (what other code reaches as an attribute of the module: no name in it shows that)."""
        for local in sorted(names_in(node)):
            if local in imports.names and local not in keep:
                self.remove_import_of(cst.Name(local), imports)

    def request_config(self, key: str, value: Any, reason: str, weak: bool = False) -> None:
        requests = getattr(self.context, "config_requests", None)
        if requests is not None:
            requests.append(ConfigRequest(key, value, self.name, reason, weak))

    def request_requirement(self, name: str, minimum: str, beside: Iterable[str], note_kind: str) -> None:
        """Ask for ``name>=minimum`` among the project's test dependencies, next to the first
        of ``beside`` it declares there (see :class:`RequirementRequest`); the note of
        ``note_kind`` this transform leaves says what to add where the engine cannot."""
        requests = getattr(self.context, "requirement_requests", None)
        if requests is not None:
            requests.append(RequirementRequest(name, minimum, tuple(beside), self.name, note_kind))

    def request_conftest(
        self,
        name: str,
        code: str,
        imports: Iterable[tuple[str, str | None]] = (),
        reason: str = "",
        nearest: bool = True,
        branch: FunctionBranch | None = None,
    ) -> None:
        """Ask for ``code`` (defining ``name``) in the conftest.py that covers this file (see
        :class:`ConftestRequest`); nothing is added where that conftest defines ``name``
        already, once the run's edits are made."""
        requests = getattr(self.context, "conftest_requests", None)
        if requests is None:
            return  # under libcst.tool: no engine to carry it out
        path = self.facts.path
        folder = str(Path(path).parent) if path else "."
        requests.append(
            ConftestRequest(folder, name, code, tuple(imports), self.name, reason, nearest, path or "", branch)
        )

    # == 4. machinery ======================================================================
    @classmethod
    def matches(
        cls, data: bytes | Present, produced: frozenset[bytes] | set[bytes] = frozenset(), facts: FileFacts | None = None
    ) -> bool:
        """The pre-filter: could this transform change a file with these bytes (plus the
        strings earlier transforms' edits produced)? See :meth:`Triggers.matches`. With the
        file's ``facts``, a transform that ``runs_on_survey`` runs where its survey found
        something for the file (or, for a conftest.py, its :meth:`gather` did below)."""
        triggers = cls.triggers if facts is None else cls.triggers_for(facts.project)
        if triggers.matches(data, produced):
            return True
        return cls.runs_on_survey and facts is not None and bool(facts.surveyed(cls.name) or facts.gathered(cls.name))

    def __init__(self, context: Any = None) -> None:
        # (LibCST's ContextAwareTransformer is a MatcherDecoratableTransformer, whose
        # constructor inspects every attribute of the class for matcher decorators and whose
        # on_visit/on_leave check them at every node: about 30 ms per instance. Transforms
        # here use no matcher decorators; the plain dispatch below is used.)
        MetadataDependent.__init__(self)
        self.context: Any = context if context is not None else MigrationContext()
        self.edits = 0
        self._import_removals: set[str] = set()
        self._pending_notes: list[tuple[cst.CSTNode | None, str, str, bool]] = []
        self._focus: int | None = None
        self._imports_of_walk: ImportMap | None = None
        self._skip_marked = False
        self._skipped: set[int] = set()
        index = getattr(self.context, "index", None)
        self.index: NameIndex = index if index is not None else NameIndex()

    # The plain CSTTransformer dispatch, with the visit_/leave_ method of each node type
    # looked up once per class instead of formatted and looked up at every node, and no
    # visit_<Node>_<attribute> hooks (no transform here uses them; LibCST calls both hooks
    # for every child of every node).
    _dispatch: ClassVar[dict[tuple[type, str], Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not isinstance(cls.triggers, Triggers):
            raise TypeError(f"{cls.__name__}.triggers must be a Triggers declaration, not {type(cls.triggers).__name__}")
        if "DESCRIPTION" not in vars(cls):
            cls.DESCRIPTION = cls.summary  # what libcst.tool shows
        if cls.__doc__ is None and cls.summary:
            cls.__doc__ = document(cls)  # help() shows the module's prose and the examples, as explain does
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
        if self._skip_marked and skip_marked(node):
            self._skipped.add(id(node))  # ``# migrate-async: skip``: the statement stays as it is
            return False
        func = self._handler("visit_", type(node))
        if func is not None and func(self, node) is False:
            return False
        focus = self._focus
        return focus is None or bool(self.index.mask(node) & focus)

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        if self._skipped and id(original_node) in self._skipped:
            return original_node
        func = self._handler("leave_", type(original_node))
        return updated_node if func is None else func(self, original_node, updated_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        return walk(self, tree)  # LibCST's tree.visit(self), without whitespace and copies

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    @contextmanager
    def _handle_metadata_reference(self, module: cst.Module) -> Iterator[cst.Module]:
        # The engine parses each file itself and never shares a tree, so LibCST's
        # defensive deep copy of the whole module is not needed.
        oldwrapper = self.context.wrapper
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        with self.resolve(wrapper):
            self.context = with_wrapper(self.context, wrapper)
            try:
                yield wrapper.module
            finally:
                self.context = with_wrapper(self.context, oldwrapper)

    def transform_module(self, tree: cst.Module) -> cst.Module:
        self._pending_notes = []
        self._import_removals = set()
        self._imports_of_walk = None
        source = getattr(self.context, "source", None)  # (libcst.tool's context has none)
        self._skip_marked = SKIP in (source if source is not None else tree.code)
        self._skipped = set()
        with self._handle_metadata_reference(tree) as module:
            result = self.transform_module_impl(module)
        order = self.project.style.imports
        result = apply_scheduled_imports(self.context, result, self.index, self._project_root(), order)
        if self._pending_notes:
            self._flush_notes(tree)
        return result

    def _project_root(self) -> str | None:
        config = self.project.config
        anchor = config.path or config.create_at
        return str(anchor.parent) if anchor is not None else None

    def _flush_notes(self, tree: cst.Module) -> None:
        positions = note_positions(tree, [pending[0] for pending in self._pending_notes if pending[0] is not None])
        path = self.facts.path
        sink = getattr(self.context, "notes", None)
        for node, message, kind, left in self._pending_notes:
            line, column = positions.get(id(node), (1, 1)) if node is not None else (1, 1)
            item = Note(path, line, column, self.name, message, kind=kind, left=left)
            if sink is not None:
                sink.append(item)
            else:
                self.warn(item.format())
        self._pending_notes = []


def skip_marked(node: cst.CSTNode) -> bool:
    """A statement whose line says ``# migrate-async: skip`` (for a compound statement: its
    header line or, for a function or class, one of its decorator lines)."""
    if isinstance(node, cst.SimpleStatementLine):
        comment = node.trailing_whitespace.comment
        return comment is not None and is_skip(comment.value)
    if not isinstance(node, cst.BaseCompoundStatement):
        return False
    for decorator in getattr(node, "decorators", ()):
        comment = decorator.trailing_whitespace.comment
        if comment is not None and is_skip(comment.value):
            return True
    body = node.body
    if isinstance(body, cst.IndentedBlock):
        comment = body.header.comment
    elif isinstance(body, cst.SimpleStatementSuite):
        comment = body.trailing_whitespace.comment
    else:
        comment = None
    return comment is not None and is_skip(comment.value)
