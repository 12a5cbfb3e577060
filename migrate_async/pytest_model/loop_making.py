"""What making an event loop needs, and the sync fixtures that take it away.

pytest-asyncio before 1.0 put ``event_loop`` first among an asyncio test's fixtures, so the
test's loop was made before any other fixture ran. 1.x makes it in the loop-scope runner
fixture, which it appends to the test's fixtures: a sync fixture the test requests now runs
*before* the loop is made. An async fixture still runs after it (it requests the runner
of its loop scope itself).

Making asyncio's selector loop opens a socket pair for its self-pipe (``socket.socketpair``,
which builds ``socket.socket`` objects) and the platform's default selector
(``selectors.DefaultSelector``). A sync fixture that keeps one of those patched with a mock
through the test (``with patch("socket.socket"): yield``) therefore breaks every asyncio test
that requests it under 1.x ("is not registered", "Operation not permitted"), where it passed
before. As an async fixture it runs once the loop exists, as it did.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import libcst as cst

from ..cstkit.names import string_value
from ..imports.resolve import ImportMap
from .event_loop import FIXTURE_NAME
from .fixtures import requested_fixtures
from .loop_flow import NOT_FIXTURES
from .outside_loop import LOOP_RUN_FUNCTIONS, LOOP_RUN_METHODS

#: What making a selector event loop calls through its module's attribute: patched with a
#: mock, no loop can be made.
LOOP_MAKING = frozenset(
    {
        "socket.socket",
        "socket.socketpair",
        "selectors.DefaultSelector",
        "selectors.EpollSelector",
        "selectors.PollSelector",
        "selectors.SelectSelector",
        "selectors.KqueueSelector",
    }
)
#: The same names split into module and attribute, as ``patch.object(socket, "socket")`` says them.
_BY_MODULE = {tuple(full.split(".")) for full in LOOP_MAKING}
_PATCH = frozenset({"unittest.mock.patch", "mock.patch"})
_PATCH_OBJECT = frozenset({"unittest.mock.patch.object", "mock.patch.object"})
#: Arguments of ``patch`` that give the replacement: with one, it may be no mock (a wrapper
#: that still makes sockets); only a patch that replaces the name with a mock is certain.
_REPLACEMENT_GIVEN = frozenset({"new", "new_callable", "wraps", "autospec", "spec_set"})


def patched_loop_maker(call: cst.Call, imports: ImportMap) -> str | None:
    """The loop-making name (:data:`LOOP_MAKING`) this call patches with a mock:
    ``patch("socket.socket", ...)`` or ``patch.object(socket, "socket", ...)``, with no
    replacement of its own given (``new``, ``new_callable``, ``wraps``...); None otherwise."""
    full = imports.qualify(call.func)
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    if any(a.star for a in call.args):
        return None
    if any(a.keyword is not None and a.keyword.value in _REPLACEMENT_GIVEN for a in call.args):
        return None
    if full in _PATCH and len(positional) == 1:
        target = string_value(positional[0])
        return target if target in LOOP_MAKING else None
    if full in _PATCH_OBJECT and len(positional) == 2:
        module = imports.qualify(positional[0])
        attribute = string_value(positional[1])
        return f"{module}.{attribute}" if (module, attribute) in _BY_MODULE else None
    return None


def lasting_loop_maker_patch(func: cst.FunctionDef, imports: ImportMap) -> tuple[str, cst.Call] | None:
    """The loop-making name a fixture function keeps patched with a mock past its setup (the
    patch the test runs under), and the call that patches it: a ``with`` item around the
    fixture's ``yield``, or a patch started in the function's own body (``patch(...).start()``,
    or ``patcher = patch(...)`` then ``patcher.start()``).
    None when it patches none so, or only inside a nested function."""
    patchers: dict[str, tuple[str, cst.Call]] = {}  # a name bound to a patch, what it patches
    for node in _own_nodes(func.body):
        if isinstance(node, cst.With) and _holds_yield(node.body):
            for item in node.items:
                if isinstance(item.item, cst.Call) and (name := patched_loop_maker(item.item, imports)):
                    return name, item.item
        if (
            isinstance(node, cst.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and isinstance(node.value, cst.Call)
            and (name := patched_loop_maker(node.value, imports))
        ):
            patchers[node.targets[0].target.value] = (name, node.value)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "start" and not node.args:
            started = node.func.value
            if isinstance(started, cst.Call) and (name := patched_loop_maker(started, imports)):
                return name, started
            if isinstance(started, cst.Name) and started.value in patchers:
                return patchers[started.value]
    return None


#: What a sync fixture may do only outside a running loop: run one, or take the current one.
_LOOP_TAKERS = LOOP_RUN_FUNCTIONS | {
    "asyncio.get_event_loop", "asyncio.new_event_loop", "asyncio.set_event_loop", "asyncio.Runner",
}


def coroutine_ready(func: cst.FunctionDef, imports: ImportMap) -> bool:
    """Whether a sync fixture's body means the same as an ``async def`` on the test's loop:
    it neither runs nor takes an event loop (``run_until_complete``, ``asyncio.run``,
    ``get_event_loop``...), requests no loop fixture, and, as a generator, has no ``yield
    from`` and no ``return`` with a value (an async generator allows neither)."""
    if {FIXTURE_NAME, "loop"}.intersection(requested_fixtures(func.params, positional_only=True, defaults=True)):
        return False
    own = list(_own_nodes(func.body))
    generator = any(isinstance(n, cst.Yield) for n in own)
    for node in own:
        if isinstance(node, cst.Yield) and isinstance(node.value, cst.From):
            return False
        if generator and isinstance(node, cst.Return) and node.value is not None:
            return False
        if isinstance(node, (cst.Await, cst.Asynchronous)):
            return False
        if isinstance(node, cst.Attribute) and node.attr.value in LOOP_RUN_METHODS:
            return False
        if isinstance(node, cst.Call) and imports.qualify(node.func) in _LOOP_TAKERS:
            return False
    return True


#: What a sync test may request besides such a fixture and still run as it did.
_INERT_REQUESTS = NOT_FIXTURES | {"request"}


def sync_test_unaffected(func: cst.FunctionDef, name: str, imports: ImportMap) -> bool:
    """Whether the sync test ``func``, which gets the fixture ``name`` (by parameter, or as
    autouse), runs as before when that fixture becomes an async fixture.

    Kept sync, the fixture never touched a loop for a sync test. As an async fixture, it makes
    pytest-asyncio's loop of its scope and sets it current before the test runs
    [EXP: pytest-asyncio 1.5]: a loop fixture the test also requests is current no more
    ("The future belongs to a different loop"). So the test requests nothing else, and
    neither takes nor runs a loop itself (:func:`coroutine_ready`)."""
    requests = set(requested_fixtures(func.params, positional_only=True, defaults=True)) - _INERT_REQUESTS
    return requests <= {name} and coroutine_ready(func, imports)


def _own_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes under ``node`` outside nested functions, classes and lambdas."""
    for child in node.children:
        if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        yield child
        yield from _own_nodes(child)


def _holds_yield(body: cst.BaseSuite) -> bool:
    return any(isinstance(n, cst.Yield) for n in _own_nodes(body))


def ast_may_patch_loop_maker(func: ast.FunctionDef) -> bool:
    """Whether a sync function may patch a loop-making name (read from ``ast``, with room
    to spare: any string that is one, or is one's attribute, in its body)."""
    attributes = {full.split(".")[1] for full in LOOP_MAKING}
    for node in ast.walk(func):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in LOOP_MAKING or node.value in attributes:
                return True
    return False

