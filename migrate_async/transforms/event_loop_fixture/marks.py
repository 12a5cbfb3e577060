"""event-loop-fixture's loop-scope marks: an override's loop scope reaches its tests through
asyncio marks (``pytestmark`` of the module, a class's mark, a test's own) and its async
fixtures through ``loop_scope=``. pytest applies the closest asyncio mark to a test, so a
bare mark under a module or class mark of the scope would undo it: it goes, or gets the
same ``loop_scope``."""

from __future__ import annotations

import libcst as cst

from ...cstkit.edits import append_element
from ...pytest_model.collection import collected_class, collected_test_function
from ...pytest_model.fixtures import FixtureInfo, with_loop_scope
from ...pytest_model.loop_scopes import scope_rank
from ...pytest_model.marks import mark_info, marks_in_value, pytestmark_assignments
from .scoping import is_bare_asyncio, map_methods, scope_asyncio_marks
from .state import LoopContext, LoopOverrideState

#: A class its name makes a test class (python_classes), whatever else pytest checks: a
#: module's marks reach the tests of each class it collects, and the marks of one it does
#: not collect scope no test.
_NAME_ONLY = dict(exclude_unittest=False, exclude_init=False, exclude_new=False, exclude_dunder_test=False)


class LoopScopeMarks(LoopOverrideState):
    """The asyncio marks and async fixtures of a module or class under an override's loop scope."""

    def _scope_class(self, original_node: cst.ClassDef, updated_node: cst.ClassDef, plain: bool) -> cst.ClassDef:
        """A top-level class's marks: its own override's loop scope (a class mark, or a mark
        on each async test beside sync ones), else the module's on its tests' bare marks
        (``plain``: it takes asyncio marks from its decorators alone)."""
        override = self._class_override(original_node.name.value)
        own = self._scope_context(override) if override is not None else None
        if own is not None:
            if not own.marks:
                return updated_node  # its fixtures were given the class's loop scope
            body = original_node.body.body if isinstance(original_node.body, cst.IndentedBlock) else ()
            if self._sync_tests(body):
                return self._scope_methods(updated_node, own.scope, tests_only=True)
            return self._class_mark(original_node, updated_node, own.scope, drop_bare=plain)
        outer = self._module_ctx
        if outer is not None and outer.marks and collected_class(original_node, self.project, **_NAME_ONLY):
            if self._sync_module:
                return self._scope_methods(updated_node, outer.scope, tests_only=True)
            return self._scope_marks(
                original_node, updated_node, outer.scope, add_missing=False, drop_bare=self._module_mark_covers and plain
            )
        return updated_node

    def _scope_test(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef, ctx: LoopContext | None):
        """An async test's marks under the loop scope of its module or class."""
        if ctx is None or not ctx.marks:
            return updated_node
        if not collected_test_function(original_node, self.project, asynchronous=True, exclude_fixtures=False):
            return updated_node
        mixed = self._sync_module if not self._class_stack else False
        if ctx is self._module_ctx and self._module_mark_covers and all(self._plain_classes):
            return self._scope_marks(original_node, updated_node, ctx.scope, add_missing=False, drop_bare=True)
        if self._class_stack and self._class_mark_covers[-1] and self._plain_classes[-1]:
            return self._scope_marks(original_node, updated_node, ctx.scope, add_missing=False, drop_bare=True)
        return self._scope_marks(original_node, updated_node, ctx.scope, add_missing=mixed)

    def _marks_only_by_decorators(self, node: cst.ClassDef) -> bool:
        """Whether a class takes asyncio marks from nowhere but its own decorators, none of
        which names a loop (no base classes, no ``pytestmark`` in its body): then its
        tests' bare marks can go under a module or class mark of the override's scope."""
        if any(not (isinstance(b.value, cst.Name) and b.value.value == "object") for b in node.bases):
            return False
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if pytestmark_assignments(body):
            return False
        for decorator in node.decorators:
            info = mark_info(decorator.decorator, self.imports)
            if info is not None and info.name == "asyncio" and not is_bare_asyncio(info):
                return False
        return True

    def _new_mark(self, scope: str) -> cst.Call:
        return with_loop_scope(self.spell("pytest.mark.asyncio", self.imports), scope)

    def _scope_marks(self, original_node, updated_node, scope: str, add_missing: bool, drop_bare: bool = False):
        """A test's (or, with ``add_missing`` False, a class's) bare asyncio marks get
        ``loop_scope=<scope>``; with ``add_missing``, a test without one gets a new mark;
        with ``drop_bare``, a mark of no arguments goes (a class's or the module's mark
        carries the scope)."""
        scoped = scope_asyncio_marks(
            original_node.decorators, updated_node.decorators, self.imports, scope,
            lambda: self._new_mark(scope), add_missing="first" if add_missing else None, drop_bare=drop_bare,
        )
        if not scoped.changed:
            return updated_node
        self.count_edit()
        return updated_node.with_changes(decorators=scoped.decorators)

    def _scope_methods(self, updated_node: cst.ClassDef, scope: str, tests_only: bool, drop_bare: bool = False) -> cst.ClassDef:
        """The async methods of a class get their marks scoped; ``tests_only``: a class (or a
        module's class) that also holds sync tests, whose async tests each get the mark."""
        if tests_only:
            return map_methods(
                updated_node,
                lambda stmt: collected_test_function(stmt, self.project, self.imports, asynchronous=True),
                lambda stmt: self._scope_marks(stmt, stmt, scope, add_missing=True),
            )
        return map_methods(
            updated_node,
            lambda stmt: stmt.asynchronous is not None,
            lambda stmt: self._scope_marks(stmt, stmt, scope, add_missing=False, drop_bare=drop_bare),
        )

    def _class_mark(self, original_node: cst.ClassDef, updated_node: cst.ClassDef, scope: str, drop_bare: bool) -> cst.ClassDef:
        """A class's own override: its first asyncio mark, or a new one, gets the loop scope,
        then the bare marks of its async methods; a mark that names a loop is reported."""
        scoped = scope_asyncio_marks(
            original_node.decorators, updated_node.decorators, self.imports, scope,
            lambda: self._new_mark(scope), add_missing="last", first_only=True,
        )
        if scoped.explicit is not None:
            self.note(scoped.explicit, f"this class's event_loop override was {scope}-scoped; check that this "
                      f"asyncio mark asks for loop_scope=\"{scope}\"", kind="class-mark-loop-scope-check")
            return updated_node
        self.count_edit()
        return self._scope_methods(updated_node.with_changes(decorators=scoped.decorators), scope, tests_only=False, drop_bare=drop_bare)

    def _scope_pytestmark(self, original_node, updated_node):
        ctx = self._module_ctx
        if ctx is None or not ctx.marks or self._sync_module or self._class_stack or self._function_depth:
            return updated_node
        value = original_node.value
        marks = marks_in_value(value, self.imports)
        asyncio_marks = [m for m in marks if m.name == "asyncio"]
        if asyncio_marks:
            mark = asyncio_marks[0]
            if not is_bare_asyncio(mark):
                self.note(original_node, f"this module's event_loop override was {ctx.scope}-scoped; check that "
                          f"its asyncio mark asks for loop_scope=\"{ctx.scope}\"", kind="module-mark-loop-scope-check")
                return updated_node
            if isinstance(value, (cst.List, cst.Tuple)):
                elements = list(updated_node.value.elements)  # type: ignore[union-attr]
                for i, element in enumerate(value.elements):
                    if element.value is mark.expr:
                        elements[i] = elements[i].with_changes(value=with_loop_scope(elements[i].value, ctx.scope))
                self.count_edit()
                return updated_node.with_changes(value=updated_node.value.with_changes(elements=elements))  # type: ignore[union-attr]
            self.count_edit()
            return updated_node.with_changes(value=with_loop_scope(updated_node.value, ctx.scope))
        new = cst.Element(self._new_mark(ctx.scope))
        self.count_edit()
        if isinstance(value, (cst.List, cst.Tuple)):
            return updated_node.with_changes(value=append_element(updated_node.value, new))  # type: ignore[arg-type]
        return updated_node.with_changes(
            value=cst.List([cst.Element(updated_node.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), new])
        )

    def _insert_pytestmark(self, module: cst.Module, scope: str) -> cst.Module:
        body = list(module.body)
        if pytestmark_assignments(body):
            return module
        mark = self._new_mark(scope)
        statement = cst.SimpleStatementLine(
            body=[cst.Assign(targets=[cst.AssignTarget(cst.Name("pytestmark"))], value=mark)],
            leading_lines=(cst.EmptyLine(),),
        )
        last_import = max(
            (i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
             and all(isinstance(x, (cst.Import, cst.ImportFrom)) for x in s.body)),
            default=-1,
        )
        at = last_import + 1
        if at == 0:
            statement = statement.with_changes(leading_lines=())
        body.insert(at, statement)
        if at + 1 < len(body) and not body[at + 1].leading_lines:
            body[at + 1] = body[at + 1].with_changes(leading_lines=(cst.EmptyLine(),))
        self.count_edit()
        return module.with_changes(body=body)

    def _fixture_loop_scope(self, original_node, updated_node, info: FixtureInfo, scope: str):
        plain = info.library == "pytest"
        if plain and original_node.asynchronous is None:
            return updated_node
        if info.kwarg("loop_scope") is not None:
            return updated_node
        cache = info.scope()
        if cache is None or scope_rank(cache) > scope_rank(scope):
            return updated_node
        call = with_loop_scope(info.call or info.decorator.decorator, scope)
        if plain:
            call = call.with_changes(func=self.spell("pytest_asyncio.fixture", self.imports))
            self.remove_import_of(info.call or info.decorator.decorator, self.imports)
        index = list(original_node.decorators).index(info.decorator)
        decorators = list(updated_node.decorators)
        decorators[index] = decorators[index].with_changes(decorator=call)
        self.count_edit()
        return updated_node.with_changes(decorators=decorators)
