"""cstkit.scope: the one scope stack's questions, and the differences between transforms
that are kept as named choices (so that collapsing one of them fails here)."""

from __future__ import annotations

import textwrap
from typing import Any

import libcst as cst
import pytest

from migrate_async.cstkit.scope import Kind, ScopeHooks, ScopeStack
from migrate_async.engine import migrate_source
from migrate_async.imports.resolve import ImportMap
from migrate_async.transforms.asyncio_sleep import AsyncioSleep
from migrate_async.transforms.asynctest_migration import Asynctest
from migrate_async.transforms.event_loop_argument import EventLoopArgument
from migrate_async.transforms.get_running_loop import GetRunningLoop
from migrate_async.transforms.httpx_asgi_transport import HttpxAsgiTransport
from migrate_async.transforms.sync_to_async import BodyAnalysis, FunctionPlan


class _Probe(ScopeHooks, cst.CSTTransformer):
    """Answers the stack's questions at every call of ``probe()``."""

    def __init__(self, generator_frames: bool) -> None:
        super().__init__()
        self.scope: ScopeStack[Any] = ScopeStack(generator_frames=generator_frames)
        self.answers: list[dict[str, Any]] = []

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if isinstance(original_node.func, cst.Name) and original_node.func.value == "probe":
            method = self.scope.current_method()
            self.answers.append({
                "body": self.scope.in_coroutine_body(),
                "inside": self.scope.inside_coroutine(),
                "function": self.scope.inside_function(),
                "classes": self.scope.only_classes(),
                "kinds": [frame.kind for frame in self.scope],
                "method": None if method is None else method[1].name,
            })
        return updated_node


def answers(code: str, generator_frames: bool = False) -> dict[str, Any]:
    probe = _Probe(generator_frames)
    cst.parse_module(textwrap.dedent(code)).visit(probe)
    assert len(probe.answers) == 1
    assert not probe.scope.nested(), "every frame entered was left"
    return probe.answers[0]


C, F, A, L, G = Kind.CLASS, Kind.FUNCTION, Kind.COROUTINE, Kind.LAMBDA, Kind.GENERATOR


@pytest.mark.parametrize(
    ("code", "body", "inside", "function", "classes", "kinds"),
    [
        ("probe()", False, False, False, True, []),
        ("class T:\n    x = probe()", False, False, False, True, [C]),
        ("async def t():\n    probe()", True, True, True, False, [A]),
        ("def t():\n    probe()", False, False, True, False, [F]),
        # nested sync code in a coroutine: not its body, but inside it
        ("async def t():\n    def cb():\n        probe()", False, True, True, False, [A, F]),
        ("async def t():\n    f = lambda: probe()", False, True, True, False, [A, L]),
        ("async def t():\n    class K:\n        x = probe()", False, True, True, False, [A, C]),
        # a coroutine nested in sync code is a body of its own
        ("def t():\n    async def inner():\n        probe()", True, True, True, False, [F, A]),
        ("x = lambda: probe()", False, False, False, False, [L]),
        # comprehensions other than generator expressions open no frame
        ("async def t():\n    [probe() for _ in ()]", True, True, True, False, [A]),
    ],
)
def test_questions(code: str, body: bool, inside: bool, function: bool, classes: bool, kinds: list[Kind]) -> None:
    got = answers(code)
    assert (got["body"], got["inside"], got["function"], got["classes"], got["kinds"]) == (
        body, inside, function, classes, kinds
    )


@pytest.mark.parametrize(
    ("generator_frames", "body", "kinds"),
    [(False, True, [A]), (True, False, [A, G])],
)
def test_generator_frames_decides_whether_a_generator_expression_is_sync(
    generator_frames: bool, body: bool, kinds: list[Kind]
) -> None:
    got = answers("async def t():\n    list(probe() for _ in ())", generator_frames)
    assert (got["body"], got["inside"], got["kinds"]) == (body, True, kinds)


@pytest.mark.parametrize(
    ("code", "method"),
    [
        ("class T:\n    async def test(self):\n        probe()", "test"),
        ("class T:\n    def test(self):\n        f = lambda: probe()", "test"),  # at any depth
        ("class T:\n    f = lambda: probe()", None),  # a lambda of the class body
        ("class T:\n    x = probe()", None),
        ("def test():\n    probe()", None),
        # the innermost class counts
        ("class T:\n    def m(self):\n        class K:\n            def n(self):\n                probe()", "n"),
    ],
)
def test_current_method(code: str, method: str | None) -> None:
    assert answers(code)["method"] == method


def test_frames_carry_data_and_leave_checks_the_order() -> None:
    module = cst.parse_module("async def t():\n    def cb(): pass\n")
    outer = module.body[0]
    assert isinstance(outer, cst.FunctionDef)
    inner = outer.body.body[0]
    scope: ScopeStack[str] = ScopeStack(generator_frames=False)
    frame = scope.enter(outer, "payload")
    assert frame is not None and frame.data == "payload" and frame.name == "t" and frame.is_coroutine
    scope.enter(inner)
    assert scope.in_body_of(frame) is False
    with pytest.raises(AssertionError):
        scope.leave(outer)


def test_a_generator_expression_opens_no_frame_unless_asked() -> None:
    node = cst.parse_expression("(x for x in y)")
    assert ScopeStack(generator_frames=False).enter(node) is None
    assert ScopeStack(generator_frames=True).enter(node) is not None


# -- the named differences between the transforms (decided in one place later) --------------


@pytest.mark.parametrize(
    ("stack_of", "generator_frames"),
    [
        (lambda: AsyncioSleep().scope, True),
        (lambda: BodyAnalysis(ImportMap(), FunctionPlan("test"), "t", set(), set(), set()).scope, True),
        (lambda: GetRunningLoop().scope, False),
        (lambda: EventLoopArgument().scope, False),
        (lambda: Asynctest().scope, False),
        (lambda: HttpxAsgiTransport().scope, False),
    ],
    ids=["asyncio-sleep", "sync-to-async-analysis", "get-running-loop", "event-loop-argument", "asynctest", "httpx"],
)
def test_each_transform_states_generator_frames(stack_of: Any, generator_frames: bool) -> None:
    assert stack_of().generator_frames is generator_frames


def _notes_and_code(code: str, name: str) -> tuple[str, list[str]]:
    result = migrate_source(textwrap.dedent(code), select=[name])
    return result.code, [note.message for note in result.notes]


def test_in_a_generator_expression_get_running_loop_rewrites_and_asyncio_sleep_does_not() -> None:
    # get-running-loop: the generator expression is part of the coroutine's body
    code, _ = _notes_and_code(
        """\
        import asyncio

        async def test_loops():
            assert all(l is not None for l in (asyncio.get_event_loop() for _ in range(2)))
        """,
        "get-running-loop",
    )
    assert "get_running_loop()" in code
    # asyncio-sleep: a generator expression is sync, so a time.sleep() value in it is not
    # reported as blocking the coroutine (it is, outside one)
    source = """\
        import time

        async def test_waits():
            list({where})
        """
    _, inside_generator = _notes_and_code(source.format(where="time.sleep(0) for _ in range(2)"), "asyncio-sleep")
    _, in_body = _notes_and_code(source.format(where="[time.sleep(0) for _ in range(2)]"), "asyncio-sleep")
    assert inside_generator == [] and len(in_body) == 1


def test_get_running_loop_tells_body_inside_and_import_time_apart() -> None:
    _, notes = _notes_and_code(
        """\
        import asyncio

        LOOP = asyncio.get_event_loop()

        class Settings:
            loop = asyncio.get_event_loop()

        def helper():
            return asyncio.get_event_loop()

        async def test_callback():
            def cb():
                return asyncio.get_event_loop()
        """,
        "get-running-loop",
    )
    assert [note.split(":")[0] for note in notes] == [
        "asyncio.get_event_loop() at import time",
        "asyncio.get_event_loop() at import time",
        "asyncio.get_event_loop() in sync code",
        "asyncio.get_event_loop() in a sync function or lambda inside a coroutine",
    ]


@pytest.mark.parametrize(
    ("where", "dropped"),
    [
        ("async def test_t():\n    def cb():\n        return {call}", True),  # anywhere inside a coroutine
        ("async def test_t():\n    return {call}", True),
        ("def helper():\n    return {call}", False),
    ],
)
def test_event_loop_argument_drops_loop_anywhere_inside_a_coroutine(where: str, dropped: bool) -> None:
    call = "asyncio.Event(loop=asyncio.get_event_loop())"
    code, _ = _notes_and_code(f"import asyncio\nevent_loop = None\n\n{where.format(call=call)}\n", "event-loop-argument")
    assert ("asyncio.Event()" in code) is dropped
