"""event-loop-argument's rewrite: the ``event_loop`` parameter, ``loop=`` arguments, and
``usefixtures``/``getfixturevalue`` requests of ``event_loop``."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from ...cstkit.edits import (
    class_body,
    remove_arg,
    remove_param,
)
from ...cstkit.names import string_value
from ...cstkit.scope import ScopeHooks, ScopeStack
from ...project import FileFacts, ProjectFacts
from ...pytest_model import aiohttp_loop
from ...pytest_model.collection import collected_class, collected_test_function
from ...pytest_model.event_loop import (
    FIXTURE_NAME,
    cst_loop_binding,
)
from ...pytest_model.fixtures import fixture_decorator, injectable_param
from ...pytest_model.marks import (
    is_pytestmark,
    mark_info,
    parametrized_names,
    pytestmark_assignments,
)
from ...pytest_model.outside_loop import is_running_loop_call
from ..glance import Glance
from ..transform import MigrationContext, Transform
from ..triggers import Triggers
from .examples import EXAMPLES
from .idle import idle
from .running_loop import bind_running_loop, without_tautologies
from .survey import FOREIGN_KIND, survey_loop_fixtures

#: asyncio APIs whose ``loop`` parameter was removed in Python 3.10 (bpo-42392).
LOOP_REMOVED_IN_310 = frozenset(
    f"asyncio.{name}"
    for name in (
        "sleep", "gather", "shield", "wait_for", "wait", "as_completed",
        "open_connection", "start_server", "open_unix_connection", "start_unix_server",
        "create_subprocess_exec", "create_subprocess_shell",
        "Queue", "PriorityQueue", "LifoQueue",
        "Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore",
    )
)


@dataclass
class _FrameData:
    """What the transform keeps on a scope frame."""

    loop_name: str | None = None  # the parameter being replaced in this function
    collected: bool = False  # for classes: pytest collects its test methods


class EventLoopArgument(ScopeHooks, Transform):
    name = "event-loop-argument"
    summary = "event_loop parameter of async tests/fixtures → asyncio.get_running_loop(); loop= arguments dropped"
    default = True
    legacy_event_loop = True
    migrates_fixtures = (FIXTURE_NAME, *aiohttp_loop.LOOP_FIXTURES)
    triggers = Triggers(
        words=(b"event_loop",), produces=(b"get_running_loop",), survey=(b"event_loop",), survey_also=(b"fixture", b"loop(")
    )

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        # a generator expression belongs to the frame it is written in
        self.scope: ScopeStack[_FrameData] = ScopeStack(generator_frames=False)
        self._foreign = False
        #: the module's tests are anyio's or trio's: only an unread event_loop parameter goes
        self._other_framework = False
        #: the fixture names that mean the plugin's loop in this module (pytest_model.aiohttp_loop)
        self._loop_fixtures: frozenset[str] = frozenset({FIXTURE_NAME})

    @classmethod
    def triggers_for(cls, project: ProjectFacts) -> Triggers:
        """Where the project loads a plugin whose loop fixtures request pytest-asyncio's loop
        (pytest-aiohttp's ``loop``), a file naming one of them may need the transform too."""
        if not project.plugin_loops:
            return cls.triggers
        names = (b"event_loop", *sorted(n.encode() for n in project.plugin_loops))
        return dataclasses.replace(cls.triggers, words=(), any=names)

    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> Any:
        return survey_loop_fixtures(source, facts.project.plugin_loops)

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        return idle(glance, facts)

    # -- module ------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        chain = self.facts.surveyed(self.name)
        surveyed = [kinds for kinds, _defined in chain if kinds]
        # the plugin's loop fixtures, but for those the project provides here itself
        above = {n for _kinds, defined in chain for n in defined}
        self._loop_fixtures = aiohttp_loop.loop_fixture_names(
            self.project.plugin_loops, above, self.imports.binds_locally
        )
        if self.runs_other_framework():
            # a trio or anyio test that took pytest-asyncio 0.x's event_loop and never read
            # it: the request alone fails on 1.x; where nothing of the project defines one
            # (in this module, imported, or in a conftest.py above), the parameter goes
            bound = cst_loop_binding(node.body) is not None or self.imports.binds_locally(FIXTURE_NAME)
            self._other_framework = not surveyed and not bound
            return self._other_framework
        # the nearest definition wins (the module's own, else the closest conftest.py)
        self._foreign = bool(surveyed) and any(kind == FOREIGN_KIND for kind, _line in surveyed[-1])
        binding = cst_loop_binding(node.body)
        if binding is not None and binding.renamed:
            # ``from tests.helpers import counting_loop as event_loop``: another fixture
            # under the name (pytest registers it as event_loop here), whose loop the tests
            # may read: not pytest-asyncio's, so the module is left as it is
            self._foreign = True
            renamed = "." * binding.level + (f"{binding.module}." if binding.module else "") + binding.name
            self.note(binding.statement, (
                f"event_loop here is {renamed}, imported under that name: it overrides event_loop for "
                "this module's tests, which pytest-asyncio 1.x ignores for their running loop; left as it "
                "is: move what that fixture's loop does to a loop-factories hook, or read the loop with "
                "asyncio.get_running_loop() where only the running loop is meant"
            ), kind="loop-fixture-imported-renamed")
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self._foreign or self._other_framework:
            return updated_node
        body = self._strip_pytestmark(original_node, updated_node.body, updated_node.body)
        return updated_node.with_changes(body=body) if body is not None else updated_node

    # -- scopes ------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        parent_ok = self._at_test_level()
        collected = parent_ok and collected_class(
            node, self.project, self.imports, exclude_new=False, exclude_dunder_test=False
        )
        self.scope.enter(node, _FrameData(collected=collected))
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        frame = self.scope.leave(original_node)
        assert frame is not None and frame.data is not None
        if self._foreign or self._other_framework:
            return updated_node
        tests = [s for s in class_body(original_node) if isinstance(s, cst.FunctionDef) and self._is_test_name(s)]
        decorators = self._strip_usefixtures_decorators(original_node, updated_node.decorators, tests, "class")
        if decorators is not None:
            updated_node = updated_node.with_changes(decorators=decorators)
        if frame.data.collected and isinstance(updated_node.body, cst.IndentedBlock):
            body = self._strip_pytestmark(original_node, class_body(original_node), updated_node.body.body)
            if body is not None:
                updated_node = updated_node.with_changes(body=updated_node.body.with_changes(body=body))
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        data = _FrameData()
        if self._other_framework:
            if self._is_target(node) and not self._reads(node.body, FIXTURE_NAME):
                data.loop_name = FIXTURE_NAME
        elif node.asynchronous is not None and not self._foreign:
            data.loop_name = self._target_name(node)
        self.scope.enter(node, data)
        return True

    def _is_test_name(self, node: cst.FunctionDef) -> bool:
        """The name says test (where it is defined is the caller's to check); a fixture
        whose name says test counts as one."""
        return collected_test_function(node, self.project, exclude_fixtures=False)

    def _at_test_level(self) -> bool:
        """Whether a function defined here is collected when its name says test."""
        return self.scope.only_classes() and all(f.data is not None and f.data.collected for f in self.scope)

    def _target_name(self, node: cst.FunctionDef) -> str | None:
        """The loop fixture a test or fixture requests by parameter, to be replaced; None
        when it requests none, or is no test or fixture."""
        for name in sorted(self._loop_fixtures):
            if self._is_target(node, name):
                return name
        return None

    def _is_target(self, node: cst.FunctionDef, name: str = FIXTURE_NAME) -> bool:
        if injectable_param(node, name) is None:
            return False
        if not self.scope.only_classes():
            return False  # a nested function: a helper, not a test or fixture
        if name in parametrized_names(node.decorators, self.imports):
            return False
        if fixture_decorator(node, self.imports) is not None:
            return True
        return self.facts.is_test_module and self._at_test_level() and self._is_test_name(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        frame = self.scope.leave(original_node)
        assert frame is not None and frame.data is not None
        if frame.is_coroutine and not self._foreign and not self._other_framework:
            is_test = self._at_test_level() and self._is_test_name(original_node)
            if is_test or fixture_decorator(original_node, self.imports) is not None:
                decorators = self._strip_usefixtures_decorators(original_node, updated_node.decorators, [], "function")
                if decorators is not None:
                    updated_node = updated_node.with_changes(decorators=decorators)
        if frame.data.loop_name is None:
            return updated_node
        return self._replace_parameter(original_node, updated_node, frame.data.loop_name)

    # -- the parameter ---------------------------------------------------------------------
    def _replace_parameter(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef, loop_name: str
    ) -> cst.FunctionDef:
        params = updated_node.params
        where, index = injectable_param(updated_node, loop_name) or ("", -1)
        group = list(getattr(params, where))
        if where == "kwonly_params" and len(group) == 1 and isinstance(params.star_arg, cst.ParamStar):
            self.note(original_node, f"'{loop_name}' is the only keyword-only parameter of {original_node.name.value}; "
                      "remove it and the bare '*' by hand and use asyncio.get_running_loop() in the body",
                      kind="parameter-not-removable")
            return updated_node
        if not isinstance(updated_node.body, cst.IndentedBlock):
            self.note(original_node, f"{original_node.name.value} takes the removed {loop_name} fixture; "
                      "drop the parameter and use asyncio.get_running_loop() in the body",
                      kind="parameter-not-removable")
            return updated_node
        self.remove_imports_read_by(group[index], self.imports)
        updated_node = updated_node.with_changes(params=remove_param(params, where, index))
        self.count_edit()
        updated_node = updated_node.with_changes(body=without_tautologies(updated_node.body, loop_name, self.imports))
        if self._reads(updated_node.body, loop_name):
            bound = bind_running_loop(
                updated_node.body, updated_node.params, loop_name, self._running_loop_call, self.imports
            )
            if bound.replaced is not None:
                self.remove_imports_read_by(bound.replaced, self.imports)
            updated_node = updated_node.with_changes(body=bound.body)
        return updated_node

    def _reads(self, node: cst.CSTNode, name: str) -> bool:
        """Whether ``name`` occurs in ``node`` other than as an attribute (``x.name``) or a
        keyword (``f(name=...)``); a string annotation does not count. Asked of the file's
        name index, which has the masks of the unchanged subtrees already: only the nodes
        this walk rebuilt are read."""
        mask = self.index.mask(node)  # first: it gives the name its bit
        return bool(mask & self.index.query(reads=(name,), strings=False))

    def _running_loop_call(self) -> cst.Call:
        return cst.Call(func=self.spell("asyncio.get_running_loop", self.imports))

    # -- calls -------------------------------------------------------------------------------
    def _loop_names(self) -> set[str]:
        return {f.data.loop_name for f in self.scope if f.data is not None and f.data.loop_name}

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self._foreign or not self.scope.nested():
            return updated_node
        if self._is_getfixturevalue(original_node):
            self.count_edit()
            return self._running_loop_call()
        full = self.imports.qualify(original_node.func)
        # aiohttp's APIs still take loop= and default it to the running loop: inside a
        # coroutine, the running loop given goes, and nothing else is said
        defaults_to_running = full in aiohttp_loop.LOOP_DEFAULTS_TO_RUNNING and self.scope.inside_coroutine()
        if full not in LOOP_REMOVED_IN_310 and not defaults_to_running:
            return updated_node
        loop_arg = next((a for a in updated_node.args if a.keyword is not None and a.keyword.value == "loop"), None)
        if loop_arg is None:
            return updated_node
        value = loop_arg.value
        # (aiohttp's: only the loop fixture this run replaces; a running loop the code asks
        # for itself is valid there and left as it is)
        droppable = (isinstance(value, cst.Name) and value.value in self._loop_names()) or (
            not defaults_to_running
            and self.scope.inside_coroutine()
            and is_running_loop_call(value, self.imports)
        )
        if not droppable:
            if self.scope.inside_coroutine() and not defaults_to_running:
                self.note(
                    original_node,
                    f"{full}() lost its 'loop' parameter in Python 3.10 (pytest-asyncio 1.x needs 3.10+); "
                    "remove 'loop=' by hand if it is the running loop, otherwise create the object "
                    "inside a coroutine running in that loop",
                    kind="loop-keyword-removed-in-python",
                )
            return updated_node
        self.count_edit()
        return remove_arg(updated_node, list(updated_node.args).index(loop_arg))

    def _is_getfixturevalue(self, call: cst.Call) -> bool:
        if not self.scope.in_coroutine_body():
            return False
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "getfixturevalue"):
            return False
        return len(call.args) == 1 and call.args[0].keyword is None and string_value(call.args[0].value) in self._loop_fixtures

    # -- usefixtures -----------------------------------------------------------------------
    def _strip_usefixtures_decorators(
        self,
        original_node: cst.FunctionDef | cst.ClassDef,
        decorators: Sequence[cst.Decorator],
        tests: list[cst.FunctionDef],
        what: str,
    ) -> list[cst.Decorator] | None:
        result: list[cst.Decorator] = []
        changed = False
        for original, decorator in zip(original_node.decorators, decorators):
            info = mark_info(original.decorator, self.imports)
            if info is None or info.name != "usefixtures" or not _names_fixture(info.call, self._loop_fixtures):
                result.append(decorator)
                continue
            sync = [t.name.value for t in tests if t.asynchronous is None]
            if sync:
                self.note(
                    original,
                    f"usefixtures('event_loop') on {what} {original_node.name.value} also reaches sync tests "
                    f"({', '.join(sync)}); the fixture was removed in pytest-asyncio 1.0: drop the name "
                    "and give those tests the loop they need (asyncio.run, or make them async)",
                    kind="usefixtures-reaches-sync-tests",
                )
                result.append(decorator)
                continue
            new = _without_fixture_name(decorator.decorator, self._loop_fixtures)
            changed = True
            self.count_edit()
            if new is not None:
                result.append(decorator.with_changes(decorator=new))
        return result if changed else None

    def _strip_pytestmark(
        self,
        original: cst.Module | cst.ClassDef,
        original_body: Sequence[cst.BaseStatement],
        body: Sequence[cst.BaseStatement],
    ) -> list[cst.BaseStatement] | None:
        assignments = pytestmark_assignments(original_body)
        if not assignments:
            return None
        relevant = [a for a in assignments if self._pytestmark_has_fixture(a.value)]
        if not relevant:
            return None
        tests = _all_tests(original_body, self)
        sync = [t.name.value for t in tests if t.asynchronous is None]
        if sync:
            for assignment in relevant:
                self.note(
                    assignment,
                    "pytestmark usefixtures('event_loop') also reaches sync tests "
                    f"({', '.join(sync)}); the fixture was removed in pytest-asyncio 1.0: drop the name "
                    "and give those tests the loop they need (asyncio.run, or make them async)",
                    kind="usefixtures-reaches-sync-tests",
                )
            return None
        new_body: list[cst.BaseStatement] = []
        removed_first: cst.SimpleStatementLine | None = None
        for stmt in body:
            if removed_first is not None:
                # the statement that is now first takes the place of the removed one
                kept = [line for line in stmt.leading_lines if line.comment is not None]
                stmt = stmt.with_changes(leading_lines=[*removed_first.leading_lines, *kept])
                removed_first = None
            new_body.append(stmt)
            if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            if not isinstance(small, (cst.Assign, cst.AnnAssign)) or not is_pytestmark(small):
                continue
            value = small.value
            if value is None or not self._pytestmark_has_fixture(value):
                continue
            new_value = self._strip_mark_value(value)
            self.count_edit()
            if new_value is None:
                new_body.pop()
                if not new_body:
                    removed_first = stmt
                continue
            new_body[-1] = stmt.with_changes(body=[small.with_changes(value=new_value)])
        return new_body

    def _pytestmark_has_fixture(self, value: cst.BaseExpression | None) -> bool:
        if value is None:
            return False
        elements = [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]
        for element in elements:
            info = mark_info(element, self.imports)
            if info is not None and info.name == "usefixtures" and _names_fixture(info.call, self._loop_fixtures):
                return True
        return False

    def _strip_mark_value(self, value: cst.BaseExpression) -> cst.BaseExpression | None:
        if not isinstance(value, (cst.List, cst.Tuple)):
            return _without_fixture_name(value, self._loop_fixtures)
        elements = []
        for element in value.elements:
            info = mark_info(element.value, self.imports)
            if info is not None and info.name == "usefixtures" and _names_fixture(info.call, self._loop_fixtures):
                new = _without_fixture_name(element.value, self._loop_fixtures)
                if new is None:
                    continue
                element = element.with_changes(value=new)
            elements.append(element)
        if not elements:
            return None
        if len(elements) < len(value.elements):
            elements[-1] = elements[-1].with_changes(comma=value.elements[-1].comma)
        return value.with_changes(elements=elements)


# -- helpers --------------------------------------------------------------------------------


def _all_tests(body: Sequence[cst.BaseStatement], transform: EventLoopArgument) -> list[cst.FunctionDef]:
    """Test functions of a module or class body, including those of nested test classes."""
    tests: list[cst.FunctionDef] = []
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef) and transform._is_test_name(stmt):
            tests.append(stmt)
        elif isinstance(stmt, cst.ClassDef) and collected_class(
            stmt, transform.project,
            exclude_unittest=False, exclude_init=False, exclude_new=False, exclude_dunder_test=False,
        ):
            tests.extend(_all_tests(class_body(stmt), transform))
    return tests


def _names_fixture(call: cst.Call | None, names: frozenset[str]) -> bool:
    return call is not None and any(a.keyword is None and string_value(a.value) in names for a in call.args)


def _without_fixture_name(expr: cst.BaseExpression, names: frozenset[str]) -> cst.BaseExpression | None:
    """``usefixtures("event_loop", "db")`` → ``usefixtures("db")`` (``names``: the loop
    fixtures); None when nothing is left."""
    assert isinstance(expr, cst.Call)
    kept = [a for a in expr.args if not (a.keyword is None and string_value(a.value) in names)]
    if not kept:
        return None
    removed_last = expr.args[-1] not in kept
    if removed_last:
        kept[-1] = kept[-1].with_changes(comma=expr.args[-1].comma, whitespace_after_arg=expr.args[-1].whitespace_after_arg)
    return expr.with_changes(args=kept)
