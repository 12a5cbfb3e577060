"""event-loop-fixture's setup fixtures: what an override did besides its loop (setup and
teardown that do not touch it, a context manager of the loop around each test) stays, as
an autouse fixture; pytest-asyncio makes and closes the loop itself."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from ...cstkit.edits import (
    awaited_argument,
    is_docstring,
    opening_lines,
    remove_param,
    set_kwarg,
)
from ...cstkit.names import assigned_names, code_of, names_in, rename_reads
from ...imports.resolve import ImportMap
from ...pytest_model.fixtures import FixtureInfo, fixture_decorator, with_loop_scope
from ...pytest_model.loop_scopes import FUNCTION
from .body import BodyReader, is_bare_yield
from .naming import pick_name
from .state import LoopOverrideState
from .survey import Override


class SetupFixtures(LoopOverrideState):
    """The autouse fixtures an override's setup/teardown and with-block move to."""

    def _setup_fixture(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef, override: Override
    ) -> cst.FunctionDef:
        """The override minus the loop: an autouse fixture of the same scope, named for what
        it sets up (naming.py)."""
        reader = BodyReader(
            ImportMap(dict(self.imports.names)), self._local_classes, override.loop_helpers, _moved(override)
        )
        kept: list[cst.BaseStatement] = []
        body = updated_node.body
        assert isinstance(body, cst.IndentedBlock)
        for stmt in body.body:
            parsed = ast.parse(textwrap.dedent(code_of(stmt))).body
            if len(parsed) == 1 and reader.is_loop_only(parsed[0]):
                if is_bare_yield(parsed[0]):
                    kept.append(stmt.with_changes(body=[cst.Expr(cst.Yield())]))
                continue
            if override.drives and len(parsed) == 1 and reader.driven(parsed[0]) is not None:
                stmt = _awaited(stmt)
            kept.append(stmt)
        if kept and isinstance(kept[0], cst.SimpleStatementLine) and is_docstring(kept[0]):
            kept = kept[1:]
        if len(kept) > 1 and _is_bare_yield_line(kept[-1]):
            kept = kept[:-1]  # no teardown is left after it: a setup-only fixture needs no yield
        if kept and kept[0].leading_lines and kept[0].leading_lines[0].comment is None:
            # what came before it went: no blank line opens the body (its comments stay)
            kept[0] = kept[0].with_changes(leading_lines=opening_lines(kept[0].leading_lines))
        if not override.drives and updated_node.returns is not None:
            # it yields (or returns) nothing now, not the loop
            yields = any(_is_bare_yield_line(stmt) for stmt in kept)
            updated_node = updated_node.with_changes(returns=_yielding_nothing(updated_node.returns, yields))
        info = fixture_decorator(original_node, self.imports)
        assert info is not None
        decorators = list(updated_node.decorators)
        index = list(original_node.decorators).index(info.decorator)
        call = info.call if info.call is not None else cst.Call(func=info.decorator.decorator)
        call = set_kwarg(call, "autouse", cst.Name("True"))
        if override.drives:
            call = self._on_the_tests_loop(call, info, override)
            updated_node = updated_node.with_changes(asynchronous=cst.Asynchronous())
        decorators[index] = decorators[index].with_changes(decorator=call)
        if override.class_name is not None and override.scope == "class":
            # pytest 9 deprecates a class-scoped fixture defined as an instance method
            # (PytestRemovedIn10Warning): it becomes a classmethod, its self the class
            decorators.insert(index + 1, cst.Decorator(decorator=cst.Name("classmethod")))
            updated_node, kept = _as_classmethod(updated_node, kept)
        name = self._setup_names[override.class_name]
        preferred = override.setup_names[0]
        if name == preferred and len(override.setup_names) > 1:
            why = "named for what it sets up"
        elif len(override.setup_names) > 1:
            why = f"{preferred}, the name for what it sets up, is taken"
        else:
            why = "no one thing it sets up names it: rename it for what it does"
        awaits = (
            ", an async fixture that awaits what it ran with run_until_complete on the running loop of the tests"
            if override.drives else ""
        )
        self.note(
            original_node,
            f"the setup/teardown of this event_loop override now runs in the autouse fixture {name}{awaits} ({why}; "
            "the loop itself comes from pytest-asyncio); it also runs for sync tests now: check that it may",
            kind="setup-now-autouse",
        )
        new_body = body.with_changes(body=kept)
        params = updated_node.params
        at = next((i for i, p in enumerate(params.params) if p.name.value == "request"), None)
        if at is not None and "request" not in names_in(new_body):
            # what read pytest's request went with the loop (it has no setup of its own)
            params = remove_param(params, "params", at)
        return updated_node.with_changes(name=cst.Name(name), decorators=decorators, params=params, body=new_body)

    def _on_the_tests_loop(self, call: cst.Call, info: FixtureInfo, override: Override) -> cst.Call:
        """The decorator call of an async setup fixture: ``pytest_asyncio.fixture`` (any mode
        takes it), on the loop of the override's scope, which is the loop its tests now run
        on (``loop_scope=`` unless the configured default gives it that loop)."""
        if info.library == "pytest":
            self.remove_import_of(info.call or info.decorator.decorator, self.imports)
            call = call.with_changes(func=self.spell("pytest_asyncio.fixture", self.imports))
        scope = override.scope or FUNCTION
        if info.kwarg("loop_scope") is None and (
            scope != FUNCTION or self.project.fixture_loop_scope_for(FUNCTION) != FUNCTION
        ):
            call = with_loop_scope(call, scope)
        return call

    def _wrap_fixture(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.BaseStatement | None:
        """``with loop.record(): yield loop`` in the override: an async autouse fixture that
        enters ``asyncio.get_running_loop().record()`` around each async test (the loop the
        hook made), named for the method (``_record``). Sync tests never ran in the override
        (nothing requested it for them) and do not get the hook's loop: they only yield. It
        runs on the function-scoped loop of the test, as the override did, also where the
        configured default fixture loop scope is wider."""
        body = updated_node.body.body if isinstance(updated_node.body, cst.IndentedBlock) else ()
        block = next((s for s in body if isinstance(s, cst.With)), None)
        if block is None or len(block.items) != 1:
            return None
        call = block.items[0].item
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return None
        method = call.func.attr.value
        taken = set().union(*(survey.names for survey in self._chain()))
        name = pick_name((f"_{method}", f"_{method}_loop"), taken)
        fixture = self._spell("pytest_asyncio.fixture")
        is_async = self._spell("pytest_asyncio.is_async_test")
        running = self._spell("asyncio.get_running_loop")
        entered = call.with_changes(func=call.func.with_changes(value=cst.parse_expression(f"{running}()")))
        scope = ', loop_scope="function"' if self.project.fixture_default_loop_scope != FUNCTION else ""
        code = (
            f"@{fixture}(autouse=True{scope})\n"
            f"async def {name}(request):\n"
            f"    if {is_async}(request.node):\n"
            f"        with {code_of(entered)}:\n"
            "            yield\n"
            "    else:\n"
            "        yield  # sync tests never ran in the event_loop fixture\n"
        )
        self.count_edit()
        self.note(
            original_node,
            f"the with-block around this event_loop override's yield now runs in the autouse fixture {name}, on "
            "the running loop of each async test",
            kind="with-block-now-autouse",
        )
        return cst.parse_statement(code).with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))


def _moved(override: Override) -> tuple[str, ...]:
    return (override.moved_class,) if override.moved_class is not None else ()


def _awaited(stmt: cst.BaseStatement) -> cst.BaseStatement:
    """``loop.run_until_complete(x)`` (a statement, or a plain assignment's value; see
    BodyReader.driven) as ``await x``."""
    assert isinstance(stmt, cst.SimpleStatementLine)
    small = stmt.body[0]
    assert isinstance(small, (cst.Expr, cst.Assign)) and isinstance(small.value, cst.Call)
    return stmt.with_changes(body=[small.with_changes(value=awaited_argument(small.value)), *stmt.body[1:]])


def _is_bare_yield_line(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.Yield)
        and stmt.body[0].value.value is None
    )


def _as_classmethod(
    node: cst.FunctionDef, body: list[cst.BaseStatement]
) -> tuple[cst.FunctionDef, list[cst.BaseStatement]]:
    """A fixture method whose first parameter is ``self``, with ``cls`` for it (in the
    parameter and the statements of its body); another first parameter stays as it is."""
    params = node.params.params
    taken = {p.name.value for p in params} | names_in(node.body) | set(assigned_names(node.body))
    if not params or params[0].name.value != "self" or "cls" in taken:
        return node, body
    first = params[0].with_changes(name=cst.Name("cls"))
    node = node.with_changes(params=node.params.with_changes(params=[first, *params[1:]]))
    return node, [cst.ensure_type(rename_reads(stmt, "self", "cls", nested=False), cst.BaseStatement) for stmt in body]


#: generator annotations whose first argument is what the generator yields
_YIELD_TYPES = frozenset({"Iterator", "Iterable", "Generator"})


def _yielding_nothing(returns: cst.Annotation, yields: bool) -> cst.Annotation:
    """The annotation of a fixture that used to hand out the loop and now hands out nothing:
    ``Iterator[None]`` (``Generator[None, ...]``) where it still yields, ``None`` where it no
    longer does; any other annotation is kept as it is."""
    if not yields:
        return returns.with_changes(annotation=cst.Name("None"))
    annotation = returns.annotation
    if not isinstance(annotation, cst.Subscript) or not annotation.slice:
        return returns
    head = annotation.value
    name = head.attr.value if isinstance(head, cst.Attribute) else head.value if isinstance(head, cst.Name) else ""
    if name not in _YIELD_TYPES:
        return returns
    first = annotation.slice[0]
    if not isinstance(first.slice, cst.Index):
        return returns
    slices = [first.with_changes(slice=first.slice.with_changes(value=cst.Name("None"))), *annotation.slice[1:]]
    return returns.with_changes(annotation=annotation.with_changes(slice=slices))
