"""auto-mode: switch to ``asyncio_mode = auto`` and drop the bare asyncio marks it makes redundant.

Off by default. Sets ``asyncio_mode = auto`` in the project's pytest configuration and
removes the bare asyncio marks auto mode makes redundant.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from ..cstkit.edits import (
    class_body,
    leading_blanks,
    methods,
    opening_lines,
    remove_decorators,
    remove_element,
)
from ..project import ProjectFacts, is_test_code
from ..pytest_model.collection import (
    class_lineage,
    collected_class,
    collected_test_function,
)
from ..pytest_model.frameworks import (
    other_framework_uses_ast,
)
from ..pytest_model.marks import (
    mark_aliases,
    mark_info,
    nested_asyncio_mark,
    pytestmark_assignments,
    pytestmark_unlisted,
)
from .examples import Example
from .transform import ConfigRequest, MigrationContext, Transform
from .triggers import Triggers

ASYNCIO = "asyncio"
MODE_OPTION = "asyncio_mode"


# ---------------------------------------------------------------------------------------
# the survey: what makes auto mode unsafe for the whole run


def _addopts_mode(project: ProjectFacts) -> str | None:
    """The ``--asyncio-mode`` argument of ``addopts`` that decides the mode, as written."""
    if not project.mode_source.endswith(": addopts"):
        return None
    args = project.config.get_list("addopts") or []
    found = None
    for i, arg in enumerate(args):
        if arg.startswith("--asyncio-mode="):
            found = arg
        elif arg == "--asyncio-mode" and i + 1 < len(args):
            found = f"{arg} {args[i + 1]}"
    return found


def _shown_path(path: Path | None) -> str:
    if path is None:
        return "(no pytest configuration)"
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class _Survey:
    """What the survey found in one file (and in the configuration that governs it)."""

    frameworks: tuple[tuple[int, str], ...] = ()  # (line, what) in the file
    config_problems: tuple[tuple[str, str], ...] = ()  # (kind, config display)


# ---------------------------------------------------------------------------------------
# the marks of one level (module, class, function)


@dataclass
class _Marks:
    """The asyncio marks set at one level."""

    bare: list[cst.BaseExpression] = field(default_factory=list)  # removable bare marks
    arged: bool = False  # an asyncio mark with arguments (or one bound to a name)
    unknown: bool = False  # something that may be an asyncio mark but cannot be read

    @property
    def blocks(self) -> bool:
        return self.arged or self.unknown


@dataclass(frozen=True)
class _ClassState:
    collected: bool
    #: bare marks of the methods may be removed
    methods_free: bool


#: What ``migrate-async explain auto-mode`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="bare marks go, and so does ``import pytest`` when nothing else uses it",
        before="""
            import pytest

            @pytest.mark.asyncio
            async def test_refund_restores_balance(wallet):
                await wallet.refund(30)
                assert wallet.balance == 130
            """,
        after="""
            async def test_refund_restores_balance(wallet):
                await wallet.refund(30)
                assert wallet.balance == 130
            """,
        config="asyncio_mode = auto",
    ),
    Example(
        title="a mark with a loop scope means the same in auto mode and stays",
        before="""
            import pytest

            pytestmark = pytest.mark.asyncio(loop_scope="module")

            async def test_refund_restores_balance(wallet):
                await wallet.refund(30)
            """,
        config="asyncio_mode = auto",
    ),
    Example(
        title="a project already in auto mode",
        mode="auto",
        before="""
            import pytest

            @pytest.mark.asyncio
            async def test_refund_restores_balance(wallet):
                await wallet.refund(30)
            """,
    ),
)


class AutoMode(Transform):
    name = "auto-mode"
    summary = "switch the project to asyncio_mode = auto and drop redundant bare asyncio marks"
    default = False
    # Surveys every file: anyio/trio tests and the project's configuration decide whether to refuse.
    triggers = Triggers(all=(b"mark.asyncio",), project=(b"mark.asyncio", b"pytest_asyncio"), survey=(b"",))
    conflicts_with = ("asyncio-marker",)
    strict_only = True  # a project already in auto mode: nothing to do

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._aliases: dict[str, cst.BaseExpression] = {}
        self._classes: dict[str, cst.ClassDef] = {}
        self._module_blocked = False
        self._stack: list[_ClassState] = []
        self._remove: set[int] = set()  # ids of mark expressions (input tree) to remove
        self._keep_alive: list[cst.CSTNode] = []
        self._dropped: list[cst.CSTNode] = []  # statements (output tree) to drop

    # -- run-level decisions -------------------------------------------------------------
    @classmethod
    def survey(cls, source: str, facts: Any) -> _Survey | None:
        project: ProjectFacts = facts.project
        if not project.strict:
            return None  # already auto: nothing will be done there
        problems: list[tuple[str, str]] = []
        if project.trio_mode:
            problems.append(("trio_mode", _shown_path(project.config.path)))
        if _addopts_mode(project) is not None:
            problems.append((_addopts_mode(project) or "", _shown_path(project.config.path)))
        uses: list[tuple[int, str]] = []
        if ("anyio" in source or "trio" in source) and is_test_code(Path(facts.path), project):
            uses = other_framework_uses_ast(ast.parse(source))
        if not uses and not problems:
            return None
        return _Survey(tuple(uses), tuple(problems))

    @classmethod
    def refusal(cls, surveyed: dict[str, Any]) -> str | None:
        uses = [
            f"{path}:{line} ({what})"
            for path, found in sorted(surveyed.items())
            for line, what in found.frameworks
        ]
        problems = {problem for found in surveyed.values() for problem in found.config_problems}
        uses += [f"{where} (trio_mode = true)" for kind, where in sorted(problems) if kind == "trio_mode"]
        addopts = sorted(problem for problem in problems if problem[0] != "trio_mode")
        if uses:
            shown = ", ".join(uses[:5]) + (f" and {len(uses) - 5} more" if len(uses) > 5 else "")
            return (
                "this project also runs anyio or trio tests, and auto mode would make pytest-asyncio "
                f"claim every async test and fixture, theirs included: {shown}. Keep strict mode "
                "(asyncio-marker marks the asyncio tests instead)"
            )
        if addopts:
            kind, where = addopts[0]
            return (
                f"'{kind}' in the addopts of {where} sets the asyncio mode, and the command line wins "
                f"over asyncio_mode: remove it from addopts, then run auto-mode again"
            )
        return None

    @classmethod
    def project_requests(cls, project: ProjectFacts, whole: bool = True) -> list[ConfigRequest]:
        # the engine asks only for projects this applies to (strict mode: see strict_only)
        if _addopts_mode(project) is not None:
            return []
        return [
            ConfigRequest(
                MODE_OPTION,
                "auto",
                cls.name,
                "auto mode runs every async test and fixture with pytest-asyncio; the bare "
                "@pytest.mark.asyncio marks it makes redundant were removed",
            )
        ]

    # -- module --------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        project = self.project
        if not project.strict or project.trio_mode or _addopts_mode(project) is not None:
            return False
        config = project.config
        if config.path is None and config.create_at is None:
            return False  # no configuration to switch: the marks are still needed
        if not is_test_code(Path(self.facts.path), project):
            return False
        if not self.imports.may_refer_to("pytest"):
            return False
        if self.runs_other_framework():
            return False
        self._aliases = mark_aliases(node.body, self.imports)
        self._classes = {s.name.value: s for s in node.body if isinstance(s, cst.ClassDef)}
        marks = self._body_marks(node.body)
        if marks.blocks:
            self._module_blocked = True
        else:
            self._schedule(marks.bare)
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = self._drop_statements(updated_node.body, block_start=False)
        if body is not None:
            updated_node = updated_node.with_changes(body=body)
        return updated_node

    # -- classes -------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        parent = self._stack[-1] if self._stack else _ClassState(True, not self._module_blocked)
        collected = parent.collected and collected_class(
            node, self.project, self.imports, exclude_dunder_test=False
        )
        if not collected:
            self._stack.append(_ClassState(False, False))
            return False
        own = self._class_marks(node)
        own_free = parent.methods_free and not own.blocks and not self._subclass_blocks(node)
        if own_free:
            self._schedule(own.bare)
        lineage, foreign = self._lineage(node)
        inherited_block = any(self._class_marks(base).blocks for base in lineage[1:])
        methods_free = parent.methods_free and not own.blocks and not inherited_block and not foreign
        if foreign and parent.methods_free and not own.blocks and not inherited_block:
            if any(self._function_bare_marks(f) for f in methods(node)):
                self.note(
                    node,
                    f"class {node.name.value} derives from {', '.join(foreign)}, defined in another "
                    "module: its methods' bare @pytest.mark.asyncio marks were kept, because an asyncio "
                    "mark with loop_scope there would take over without them; remove them by hand if "
                    "it has none",
                    kind="foreign-base-class",
                )
        self._stack.append(_ClassState(True, methods_free))
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self._stack.pop()
        indices = {i for i, d in enumerate(original_node.decorators) if id(d.decorator) in self._remove}
        if indices:
            updated_node = remove_decorators(updated_node, indices)
        if isinstance(updated_node.body, cst.IndentedBlock):
            body = self._drop_statements(updated_node.body.body, block_start=True)
            if body is not None:
                updated_node = updated_node.with_changes(body=updated_node.body.with_changes(body=body))
        return updated_node

    def _class_marks(self, node: cst.ClassDef) -> _Marks:
        marks = self._decorator_marks(node.decorators)
        body = self._body_marks(class_body(node))
        if not all(pytestmark_assignments([stmt]) for stmt in class_body(node)):
            marks.bare += body.bare  # (a class body cannot be left empty)
        marks.arged |= body.arged
        marks.unknown |= body.unknown
        if marks.bare and marks.arged:
            marks.bare = []  # the first one pytest finds wins: keep them all
        return marks

    def _lineage(self, node: cst.ClassDef) -> tuple[list[cst.ClassDef], list[str]]:
        return class_lineage(node, self._classes)

    def _subclass_blocks(self, node: cst.ClassDef) -> bool:
        """A subclass in this module with an asyncio mark with arguments: pytest finds the base
        class's marks first, so removing this class's bare mark would hand its tests to that one."""
        for other in self._classes.values():
            if other is node:
                continue
            lineage, _ = self._lineage(other)
            if any(cls is node for cls in lineage[1:]) and self._class_marks(other).blocks:
                return True
        return False

    # -- functions -----------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # nothing inside a function body changes

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        if self._stack:
            state = self._stack[-1]
            free = state.collected and state.methods_free
        else:
            free = not self._module_blocked
        if not free:
            return updated_node
        bare = self._function_bare_marks(original_node)
        if not bare:
            return updated_node
        self._schedule(bare)
        indices = {i for i, d in enumerate(original_node.decorators) if id(d.decorator) in self._remove}
        return remove_decorators(updated_node, indices)

    def _function_bare_marks(self, func: cst.FunctionDef) -> list[cst.BaseExpression]:
        """The removable bare asyncio marks of an async test function."""
        if not collected_test_function(func, self.project, self.imports, asynchronous=True):
            return []
        marks = self._decorator_marks(func.decorators)
        if marks.blocks or nested_asyncio_mark(func.decorators, self.imports):
            return []
        return marks.bare

    # -- marks ---------------------------------------------------------------------------
    def _classify(self, expr: cst.BaseExpression, in_pytestmark: bool) -> tuple[str, bool]:
        """("bare" | "arged" | "other" | "unknown", whether it can be removed)."""
        info = mark_info(expr, self.imports)
        if info is not None:
            if info.name != ASYNCIO:
                return "other", False
            return ("bare", True) if info.has_no_args else ("arged", False)
        if isinstance(expr, cst.Name) and expr.value in self._aliases:
            alias = mark_info(self._aliases[expr.value], self.imports)
            if alias is None or alias.name != ASYNCIO:
                return "other", False
            # a bare mark through a name is kept, but it still decides the loop scope
            return ("bare", False) if alias.has_no_args else ("arged", False)
        return ("unknown", False) if in_pytestmark else ("other", False)

    def _decorator_marks(self, decorators: Sequence[cst.Decorator]) -> _Marks:
        marks = _Marks()
        kept_bare = False
        for decorator in decorators:
            kind, removable = self._classify(decorator.decorator, in_pytestmark=False)
            if kind == "bare":
                if removable:
                    marks.bare.append(decorator.decorator)
                else:
                    kept_bare = True
            elif kind == "arged":
                marks.arged = True
        if marks.arged or kept_bare:
            marks.bare = []
        return marks

    def _body_marks(self, body: Sequence[cst.BaseStatement]) -> _Marks:
        marks = _Marks()
        if pytestmark_unlisted(body):
            marks.unknown = True
        for assignment in pytestmark_assignments(body):
            value = assignment.value
            if value is None:
                continue
            if isinstance(assignment, cst.Assign) and len(assignment.targets) > 1:
                marks.unknown = True
                continue
            if isinstance(value, cst.Tuple):
                # pytest only unpacks lists: a tuple is an error at collection; leave it be
                marks.unknown = True
                continue
            if isinstance(value, cst.List):
                elements = value.elements
                for element in elements:
                    if not isinstance(element, cst.Element):
                        marks.unknown = True
                        continue
                    self._add(marks, element.value)
            else:
                self._add(marks, value)
        if marks.arged or marks.unknown:
            marks.bare = []
        return marks

    def _add(self, marks: _Marks, expr: cst.BaseExpression) -> None:
        kind, removable = self._classify(expr, in_pytestmark=True)
        if kind == "bare" and removable:
            marks.bare.append(expr)
        elif kind == "arged":
            marks.arged = True
        elif kind == "unknown":
            marks.unknown = True

    def _schedule(self, exprs: Sequence[cst.BaseExpression]) -> None:
        for expr in exprs:
            if id(expr) in self._remove:
                continue
            self._remove.add(id(expr))
            self._keep_alive.append(expr)
            self.count_edit()
            self.remove_import_of(expr, self.imports)

    # -- pytestmark statements -----------------------------------------------------------
    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if not self._remove:
            return updated_node
        body: list[cst.BaseSmallStatement] = []
        changed = False
        for original, small in zip(original_node.body, updated_node.body):
            if isinstance(small, (cst.Assign, cst.AnnAssign)) and isinstance(original, (cst.Assign, cst.AnnAssign)):
                if small.value is not None and original.value is not None:
                    value = self._without_removed(original.value, small.value)
                    if value is not small.value:
                        changed = True
                        if value is None:
                            continue
                        small = small.with_changes(value=value)
            body.append(small)
        if not changed:
            return updated_node
        if not body:
            self._dropped.append(updated_node)
            return updated_node
        body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(body=body)

    def _without_removed(
        self, original: cst.BaseExpression, value: cst.BaseExpression
    ) -> cst.BaseExpression | None:
        """The pytestmark value without the removed marks (None: nothing left); ``value``
        itself when nothing in it is removed."""
        if id(original) in self._remove:
            return None
        if not isinstance(original, cst.List) or not isinstance(value, cst.List):
            return value
        indices = [
            i for i, e in enumerate(original.elements) if isinstance(e, cst.Element) and id(e.value) in self._remove
        ]
        if not indices:
            return value
        elements = list(value.elements)
        if len(indices) == len(elements):
            return None
        for index in sorted(indices, reverse=True):
            value = remove_element(value, index)
        return value

    def _drop_statements(
        self, body: Sequence[cst.BaseStatement], block_start: bool
    ) -> list[cst.BaseStatement] | None:
        """``body`` without the statements emptied by the removal (None: nothing to drop).

        The comment lines right above a dropped ``pytestmark`` go with it; other comments and
        the blank lines that separated it stay with the statement that follows.
        """
        if not any(any(stmt is d for d in self._dropped) for stmt in body):
            return None
        kept_count = sum(1 for stmt in body if not any(stmt is d for d in self._dropped))
        if kept_count == 0 and block_start:
            return None  # a class body cannot be empty: leave it
        result: list[cst.BaseStatement] = []
        carry: list[cst.EmptyLine] = []
        blanks: list[cst.EmptyLine] = []  # the blank lines that separated the dropped statement
        pending = False
        for stmt in body:
            if any(stmt is d for d in self._dropped):
                leading = list(stmt.leading_lines)
                while leading and leading[-1].comment is not None:
                    leading.pop()  # the comment that describes the mark
                if any(line.comment is not None for line in leading):
                    while leading and leading[-1].comment is None:
                        leading.pop()
                    carry += leading
                separator = list(stmt.leading_lines[: leading_blanks(stmt.leading_lines)])
                if len(separator) > len(blanks):
                    blanks = separator
                pending = True
                continue
            if pending:
                leading = list(stmt.leading_lines)
                if carry:
                    leading = carry + leading
                elif not result and block_start:
                    leading = opening_lines(leading)
                elif leading_blanks(leading) < len(blanks):
                    leading = blanks[leading_blanks(leading):] + leading
                stmt = stmt.with_changes(leading_lines=leading)
                carry, blanks, pending = [], [], False
            result.append(stmt)
        return result


__all__ = ["AutoMode"]
