"""marker-args: repair the arguments and the placement of ``pytest.mark.asyncio``.

``mark.asyncio(scope=…)`` and positional scopes become ``loop_scope=``; dead arguments go;
asyncio marks on fixtures and sync tests go; the 0.22 ``asyncio_event_loop`` mark becomes an
asyncio mark with a loop scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from ...cstkit.edits import remove_arg, remove_decorators, remove_element
from ...cstkit.names import code_of, find_kwarg, same_value, string_value
from ...imports.resolve import ImportMap
from ...project import FileFacts
from ...pytest_model.collection import collected_class, collected_test_function
from ...pytest_model.fixtures import (
    fixture_decorator,
    with_loop_scope,
)
from ...pytest_model.loop_scopes import SCOPES
from ...pytest_model.marks import (
    ASYNCIO_DEAD_KWARGS,
    MarkInfo,
    mark_info,
    marks_in_value,
    marks_its_argument,
    pytestmark_assignments,
)
from ...pytest_model.versions import LOOP_SCOPE_KWARG
from ..examples import Example
from ..glance import Glance
from ..transform import MigrationContext, Transform
from ..triggers import Triggers
from .idle import EVENT_LOOP_MARK, idle

_KNOWN_KWARGS = frozenset({"loop_scope", "scope", "loop_factories"})
#: Decorators known to keep a sync test sync (anything else might turn it into a coroutine function).
_SYNC_SAFE_DECORATOR_PREFIXES = ("pytest.", "unittest.mock.", "mock.", "hypothesis.")



# ---------------------------------------------------------------------------------------
# asyncio_event_loop plans


@dataclass
class _Plan:
    """What to do with the class- or module-level marks of one class or module."""

    #: original mark expression → "drop", "event_loop" (becomes the asyncio mark) or "merge"
    #: (an existing asyncio mark that takes the loop scope)
    actions: dict[cst.BaseExpression, str] = field(default_factory=dict)
    #: the class/module now has a wider loop scope than its tests' bare marks
    widened: bool = False


@dataclass
class _Place:
    """Where a class- or module-level mark sits."""

    info: MarkInfo
    droppable: bool  # a decorator or an element of a list/tuple with other elements


#: What ``migrate-async explain marker-args`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="``scope=`` becomes ``loop_scope=``; a mark on a fixture goes",
        before="""
            import pytest

            pytestmark = pytest.mark.asyncio(scope="module")

            @pytest.fixture
            @pytest.mark.asyncio
            async def ledger():
                ...
            """,
        after="""
            import pytest

            pytestmark = pytest.mark.asyncio(loop_scope="module")

            @pytest.fixture
            async def ledger():
                ...
            """,
    ),
    Example(
        title="the 0.22 ``asyncio_event_loop`` class mark",
        before="""
            import pytest

            @pytest.mark.asyncio_event_loop
            class TestLedger:
                @pytest.mark.asyncio
                async def test_balance(self, ledger):
                    assert await ledger.balance() == 0
            """,
        after="""
            import pytest

            @pytest.mark.asyncio(loop_scope="class")
            class TestLedger:
                async def test_balance(self, ledger):
                    assert await ledger.balance() == 0
            """,
    ),
    Example(
        title="below target 0.24 ``scope=`` is the right spelling",
        target="0.23",
        before="""
            import pytest

            @pytest.mark.asyncio(scope="module")
            async def test_balance(ledger):
                assert await ledger.balance() == 0
            """,
    ),
    Example(
        title="marks that are already right",
        before="""
            import pytest

            @pytest.mark.asyncio(loop_scope="module")
            async def test_balance(ledger):
                assert await ledger.balance() == 0
            """,
    ),
)


class MarkerArgs(Transform):
    name = "marker-args"
    summary = "mark.asyncio(scope=…) → loop_scope=; drop dead marker arguments and misplaced marks"
    triggers = Triggers(all=(b"asyncio", b"mark"))

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        self._actions: dict[cst.BaseExpression, str] = {}
        self._scope_of_action: dict[cst.BaseExpression, str] = {}
        # one entry per enclosing class: (is a collected test class, widened by asyncio_event_loop)
        self._classes: list[tuple[bool, bool]] = []
        self._module_widened = False
        self._function_depth = 0
        self._decorator_depth = 0

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        return idle(glance, facts.project)

    @property
    def _loop_scope_ok(self) -> bool:
        return self.project.target >= LOOP_SCOPE_KWARG

    # -- module and classes --------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        if not self.imports.may_refer_to("pytest"):
            return False
        # every mark this transform reads or rewrites is spelled ``<...>.asyncio`` or
        # ``<...>.asyncio_event_loop``: the walk enters only subtrees with such an attribute
        if not self.focus_on(node, attributes=("asyncio", EVENT_LOOP_MARK)):
            return False
        places = self._pytestmark_places(node.body)
        plan = self._plan(places, "module")
        self._module_widened = plan.widened
        self._note_sync_tests(places, plan, self._sync_tests_in(node.body, True), "module")
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        collected = (
            self._function_depth == 0
            and all(c[0] for c in self._classes)
            and self._collected_class(node)
        )
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        places = [
            _Place(info, True)
            for decorator in node.decorators
            if (info := mark_info(decorator.decorator, self.imports)) is not None
        ]
        places += self._pytestmark_places(body)
        plan = self._plan(places, "class") if self._function_depth == 0 else _Plan()
        if collected:
            self._note_sync_tests(places, plan, self._sync_tests_in(body, False), "class")
        self._classes.append((collected, plan.widened))
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self._classes.pop()
        if self._function_depth:
            return updated_node
        updated_node = self._apply_to_decorators(original_node, updated_node)
        widened_above = self._module_widened or any(c[1] for c in self._classes)
        collected = all(c[0] for c in self._classes) and self._collected_class(original_node, exclude_unittest=False)
        if widened_above and collected:
            updated_node = self._drop_bare_marks(original_node, updated_node)
        return updated_node

    def _collected_class(self, node: cst.ClassDef, exclude_unittest: bool = True) -> bool:
        """marker-args reads neither ``__init__``/``__new__`` nor ``__test__ = False``."""
        return collected_class(
            node, self.project, self.imports,
            exclude_unittest=exclude_unittest, exclude_init=False, exclude_new=False, exclude_dunder_test=False,
        )

    # -- functions -------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._function_depth += 1
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self._function_depth -= 1
        if self._function_depth:
            return updated_node
        marks = [
            (i, info)
            for i, decorator in enumerate(original_node.decorators)
            if (info := mark_info(decorator.decorator, self.imports)) is not None
        ]
        asyncio_marks = [(i, info) for i, info in marks if info.name == "asyncio"]
        for i, info in marks:
            if info.name == EVENT_LOOP_MARK:
                self.note(
                    original_node.decorators[i],
                    "pytest.mark.asyncio_event_loop (pytest-asyncio 0.22) only applied to classes and "
                    "modules and is ignored today; remove it, or give the test "
                    "@pytest.mark.asyncio(loop_scope=...) if it must share a loop",
                    kind="event-loop-mark-on-function",
                )
        if not asyncio_marks:
            return updated_node
        if fixture_decorator(original_node, self.imports) is not None:
            return self._remove(updated_node, asyncio_marks)
        if not self._is_test_function(original_node):
            return updated_node
        if original_node.asynchronous is None:
            unsafe = _unknown_decorator(original_node, self.imports)
            if unsafe is not None:
                self.note(
                    asyncio_marks[0][1].expr,
                    f"@pytest.mark.asyncio on a sync test that also has the decorator '{unsafe}', which "
                    "may make it a coroutine function; remove the mark if the test is sync",
                    kind="mark-on-decorated-sync-test",
                )
                return updated_node
            return self._remove(updated_node, asyncio_marks)
        widened_above = self._module_widened or any(c[1] for c in self._classes)
        if widened_above:
            return self._drop_bare_marks(original_node, updated_node)
        return updated_node

    def _is_test_function(self, node: cst.FunctionDef) -> bool:
        # (its caller has already dealt with fixtures)
        return collected_test_function(
            node, self.project, scope_collected=all(c[0] for c in self._classes), exclude_fixtures=False
        )

    def _remove(self, node, marks: Sequence[tuple[int, MarkInfo]]):
        for _, info in marks:
            self.remove_import_of(info.expr, self.imports)
        self.count_edit(len(marks))
        return remove_decorators(node, {i for i, _ in marks})

    def _drop_bare_marks(self, original_node, updated_node):
        """Under a class/module just widened from asyncio_event_loop, a bare asyncio mark
        would win over the wider loop scope: remove it."""
        bare = [
            (i, info)
            for i, decorator in enumerate(original_node.decorators)
            if (info := mark_info(decorator.decorator, self.imports)) is not None
            and info.name == "asyncio"
            and decorator.decorator not in self._actions
            and info.has_only_dead_args
        ]
        if not bare:
            return updated_node
        return self._remove(updated_node, bare)

    # -- sync tests hit by a class/module mark -------------------------------------------
    def _sync_tests_in(self, body: Sequence[cst.BaseStatement], module_level: bool) -> list[str]:
        found: list[str] = []
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                if collected_test_function(stmt, self.project, self.imports, asynchronous=False):
                    found.append(stmt.name.value)
            elif (
                module_level
                and isinstance(stmt, cst.ClassDef)
                and self._collected_class(stmt)
                and isinstance(stmt.body, cst.IndentedBlock)
            ):
                found += [f"{stmt.name.value}.{name}" for name in self._sync_tests_in(stmt.body.body, False)]
        return found

    def _note_sync_tests(self, places: list[_Place], plan: _Plan, sync_tests: list[str], where: str) -> None:
        if not sync_tests:
            return
        for place in places:
            if place.info.name == "asyncio" or (place.info.name == EVENT_LOOP_MARK and plan.widened):
                shown = ", ".join(sync_tests[:3]) + (", ..." if len(sync_tests) > 3 else "")
                self.note(
                    place.info.expr,
                    f"this {where}-level asyncio mark also applies to the sync tests {shown} "
                    "(PytestWarning: marked with '@pytest.mark.asyncio' but not an async function); "
                    "mark the async tests one by one or move the sync tests out",
                    kind="wide-mark-reaches-sync-tests",
                )
                return

    # -- asyncio_event_loop ----------------------------------------------------------------
    def _pytestmark_places(self, body: Sequence[cst.BaseStatement]) -> list[_Place]:
        places = []
        for assignment in pytestmark_assignments(body):
            value = assignment.value
            many = isinstance(value, (cst.List, cst.Tuple)) and len(value.elements) > 1
            places += [_Place(info, many) for info in marks_in_value(value, self.imports)]
        return places

    def _plan(self, places: list[_Place], scope: str) -> _Plan:
        plan = _Plan()
        event_loops = [p for p in places if p.info.name == EVENT_LOOP_MARK]
        if not event_loops:
            return plan
        existing = [p for p in places if p.info.name == "asyncio"]
        for place in event_loops:
            if not place.info.is_bare:
                policy = place.info.kwarg("policy")
                self.note(
                    place.info.expr,
                    "pytest.mark.asyncio_event_loop with arguments"
                    + (" (policy=)" if policy is not None else "")
                    + f": replace it by hand with pytest.mark.asyncio(loop_scope=\"{scope}\") and move the "
                    "loop policy to a pytest_asyncio_loop_factories hook in conftest.py",
                    kind="event-loop-mark-with-arguments",
                )
                return plan
        if not self._loop_scope_ok:
            for place in event_loops:
                self.note(
                    place.info.expr,
                    "pytest.mark.asyncio_event_loop was removed in pytest-asyncio 0.23 and is ignored; "
                    f"use pytest.mark.asyncio(scope=\"{scope}\") (loop_scope= from 0.24)",
                    kind="event-loop-mark-removed",
                )
            return plan
        if len(event_loops) > 1 or len(existing) > 1:
            self.note(event_loops[0].info.expr, "several asyncio marks here; merge them by hand into one "
                      f"pytest.mark.asyncio(loop_scope=\"{scope}\")", kind="several-asyncio-marks")
            return plan
        event_loop = event_loops[0]
        if not isinstance(event_loop.info.expr, cst.Attribute):
            self.note(event_loop.info.expr, f"replace this asyncio_event_loop mark with "
                      f"pytest.mark.asyncio(loop_scope=\"{scope}\")", kind="event-loop-mark-by-hand")
            return plan
        if not existing:
            plan.actions[event_loop.info.expr] = "event_loop"
        else:
            other = existing[0]
            current = other.info.loop_scope_arg()
            if not event_loop.droppable:
                self.note(event_loop.info.expr, "there is an asyncio mark besides this asyncio_event_loop mark; "
                          f"merge them by hand into one pytest.mark.asyncio(loop_scope=\"{scope}\")",
                          kind="several-asyncio-marks")
                return plan
            if current is None and other.info.has_only_dead_args:
                plan.actions[other.info.expr] = "merge"
            elif current is None or string_value(current) != scope:
                self.note(event_loop.info.expr, "this asyncio_event_loop mark asked for a "
                          f"{scope} loop but the asyncio mark next to it sets another loop scope; choose one",
                          kind="mark-loop-scopes-disagree")
                return plan
            plan.actions[event_loop.info.expr] = "drop"
        plan.widened = True
        for expr, action in plan.actions.items():
            self._actions[expr] = action
            self._scope_of_action[expr] = scope
        return plan

    def _rewritten(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        action = self._actions[original]
        scope = self._scope_of_action[original]
        self.count_edit()
        if action == "event_loop":
            assert isinstance(updated, cst.Attribute)
            return with_loop_scope(updated.with_changes(attr=cst.Name("asyncio")), scope)
        return with_loop_scope(updated, scope)

    def _apply_to_decorators(self, original_node, updated_node):
        drops: set[int] = set()
        decorators = list(updated_node.decorators)
        for i, decorator in enumerate(original_node.decorators):
            action = self._actions.get(decorator.decorator)
            if action == "drop":
                drops.add(i)
                self.count_edit()
            elif action is not None:
                decorators[i] = decorators[i].with_changes(
                    decorator=self._rewritten(decorator.decorator, decorators[i].decorator)
                )
        updated_node = updated_node.with_changes(decorators=decorators)
        return remove_decorators(updated_node, drops) if drops else updated_node

    # -- pytestmark values -----------------------------------------------------------------
    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        return self._apply_to_value(original_node, updated_node)

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.AnnAssign:
        return self._apply_to_value(original_node, updated_node)

    def _apply_to_value(self, original_node, updated_node):
        value = original_node.value
        if value is None or not self._actions:
            return updated_node
        new_value = updated_node.value
        if isinstance(value, (cst.List, cst.Tuple)):
            assert isinstance(new_value, (cst.List, cst.Tuple))
            elements = list(new_value.elements)
            drops = []
            for i, element in enumerate(value.elements):
                action = self._actions.get(element.value)
                if action == "drop":
                    drops.append(i)
                    self.count_edit()
                elif action is not None:
                    elements[i] = elements[i].with_changes(value=self._rewritten(element.value, elements[i].value))
            new_value = new_value.with_changes(elements=elements)
            for i in reversed(drops):
                new_value = remove_element(new_value, i)
        elif value in self._actions:
            new_value = self._rewritten(value, new_value)
        else:
            return updated_node
        return updated_node.with_changes(value=new_value)

    # -- arguments of every pytest.mark.asyncio(...) call ------------------------------------
    def visit_Decorator(self, node: cst.Decorator) -> bool:
        self._decorator_depth += 1
        return True

    def leave_Decorator(self, original_node: cst.Decorator, updated_node: cst.Decorator) -> cst.Decorator:
        self._decorator_depth -= 1
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        info = mark_info(original_node, self.imports)
        if info is None or info.name != "asyncio" or not original_node.args:
            return updated_node
        if marks_its_argument(original_node, in_decorator=self._decorator_depth > 0):
            return updated_node
        return self._fix_arguments(original_node, updated_node)

    def _fix_arguments(self, original: cst.Call, call: cst.Call) -> cst.BaseExpression:
        if any(a.star for a in original.args):
            self.note(original, "mark.asyncio called with *args/**kwargs; check that it passes only "
                      "loop_scope= (and loop_factories=)", kind="mark-star-arguments")
            return call
        changed = False
        positional = [i for i, a in enumerate(original.args) if a.keyword is None]
        if positional:
            if not self._loop_scope_ok:
                self.note(original, "positional argument to mark.asyncio: ignored before pytest-asyncio 0.24 "
                          "and an error from 0.24; pass scope= if a wider loop is meant, or remove it",
                          kind="mark-positional-argument")
                return call
            value = original.args[positional[0]].value
            literal = string_value(value)
            if len(positional) > 1 or (literal is not None and literal not in SCOPES):
                self.note(original, "mark.asyncio accepts only keyword arguments (loop_scope=, loop_factories=); "
                          "these positional arguments are not a loop scope: fix them by hand",
                          kind="mark-positional-argument")
                return call
            if find_kwarg(original.args, "loop_scope") or find_kwarg(original.args, "scope"):
                self.note(original, "mark.asyncio has a positional loop scope and a scope keyword; keep one "
                          "loop_scope= by hand", kind="mark-loop-scope-twice")
                return call
            i = positional[0]
            args = list(call.args)
            args[i] = args[i].with_changes(
                keyword=cst.Name("loop_scope"),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                ),
            )
            call = call.with_changes(args=args)
            changed = True
        scope_index = next(
            (i for i, a in enumerate(original.args) if a.keyword is not None and a.keyword.value == "scope"), None
        )
        drops: list[int] = []
        if scope_index is not None and self._loop_scope_ok:
            loop_scope = find_kwarg(original.args, "loop_scope")
            if loop_scope is None:
                args = list(call.args)
                args[scope_index] = args[scope_index].with_changes(keyword=cst.Name("loop_scope"))
                call = call.with_changes(args=args)
                changed = True
            elif same_value(loop_scope.value, original.args[scope_index].value):
                drops.append(scope_index)
            else:
                self.note(original, "mark.asyncio has both scope= and loop_scope= with different values "
                          "(a test failure in pytest-asyncio 1.5); keep the loop_scope= you mean and drop scope=",
                          kind="mark-loop-scope-twice")
        for i, arg in enumerate(original.args):
            if arg.keyword is None:
                continue
            key = arg.keyword.value
            if key in ASYNCIO_DEAD_KWARGS:
                drops.append(i)
            elif key not in _KNOWN_KWARGS:
                self.note(arg, f"mark.asyncio does not accept '{key}=' (a test failure in pytest-asyncio 1.x; "
                          "only loop_scope= and loop_factories=); remove it or move what it did elsewhere",
                          kind="mark-unknown-keyword")
        for i in sorted(drops, reverse=True):
            call = remove_arg(call, i)
            changed = True
        if not changed:
            return call
        self.count_edit()
        if not call.args:
            return call.func
        return call


def _unknown_decorator(node: cst.FunctionDef, imports: ImportMap) -> str | None:
    """The first decorator of ``node`` that is not known to leave a sync function sync, as
    written; None when all are known."""
    for decorator in node.decorators:
        expr = decorator.decorator
        target = expr.func if isinstance(expr, cst.Call) else expr
        full = imports.qualify(target)
        if full is None or not full.startswith(_SYNC_SAFE_DECORATOR_PREFIXES):
            return code_of(target).strip()
    return None
