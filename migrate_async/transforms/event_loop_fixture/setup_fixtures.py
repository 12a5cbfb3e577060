"""event-loop-fixture's setup fixtures: what an override did besides its loop (setup and
teardown that do not touch it, a context manager of the loop around each test) stays, as
an autouse fixture; pytest-asyncio makes and closes the loop itself."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from ...cstkit.edits import is_docstring, set_kwarg
from ...cstkit.names import code_of
from ...imports.resolve import ImportMap
from ...pytest_model.fixtures import fixture_decorator
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
            kept.append(stmt)
        if kept and isinstance(kept[0], cst.SimpleStatementLine) and is_docstring(kept[0]):
            kept = kept[1:]
        if len(kept) > 1 and _is_bare_yield_line(kept[-1]):
            kept = kept[:-1]  # no teardown is left after it: a setup-only fixture needs no yield
        info = fixture_decorator(original_node, self.imports)
        assert info is not None
        decorators = list(updated_node.decorators)
        index = list(original_node.decorators).index(info.decorator)
        call = info.call if info.call is not None else cst.Call(func=info.decorator.decorator)
        call = set_kwarg(call, "autouse", cst.Name("True"))
        decorators[index] = decorators[index].with_changes(decorator=call)
        name = self._setup_names[override.class_name]
        preferred = override.setup_names[0]
        if name == preferred and len(override.setup_names) > 1:
            why = "named for what it sets up"
        elif len(override.setup_names) > 1:
            why = f"{preferred}, the name for what it sets up, is taken"
        else:
            why = "no one thing it sets up names it: rename it for what it does"
        self.note(
            original_node,
            f"the setup/teardown of this event_loop override now runs in the autouse fixture {name} ({why}; "
            "the loop itself comes from pytest-asyncio); it also runs for sync tests now: check that it may",
            kind="setup-now-autouse",
        )
        return updated_node.with_changes(
            name=cst.Name(name),
            decorators=decorators,
            body=body.with_changes(body=kept),
        )

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


def _is_bare_yield_line(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.Yield)
        and stmt.body[0].value.value is None
    )
