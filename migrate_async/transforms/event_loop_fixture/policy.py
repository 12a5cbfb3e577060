"""event-loop-fixture's survey of ``event_loop_policy`` overrides (the 0.23–1.3 way to run the
tests on uvloop or a loop class of the project).

pytest-asyncio 1.4 deprecates overriding the fixture ("Overriding the "event_loop_policy"
fixture is deprecated ... Use the "pytest_asyncio_loop_factories" hook"), a
PytestDeprecationWarning for every test; the hook takes a zero-argument loop factory. For
targets ≥ 1.4 an override in a conftest.py whose body is one ``return`` (or ``yield``) of a
policy this can read becomes that hook in the same conftest.py (which limits it to the same
subtree, as the fixture was):

- ``uvloop.EventLoopPolicy()``: ``{"uvloop": uvloop.new_event_loop}``;
- ``asyncio.DefaultEventLoopPolicy()``: nothing (pytest-asyncio's own loops are those), or,
  under a conftest.py that gives another loop type, ``{"asyncio": asyncio.new_event_loop}``
  (chain.resolve_chain);
- ``MyPolicy()``, a class of the conftest derived from an asyncio or uvloop policy whose only
  member is ``new_event_loop(self)`` returning a zero-argument call (``RecordingLoop()``):
  ``{"RecordingLoop": RecordingLoop}``; the policy class goes too when nothing else names it
  (the policy API is deprecated in Python 3.14).

Left in place, with the reason: a parametrized fixture (``params=``, ``request.param``: a
test per policy; the hook can give several factories, but the test ids change), a body that
does more, a policy class with more in it, a conftest that already has the hook. An
override in a test module gives its loop type to a branch of the covering conftest's hook
(``if item.path == ...``, pytest_model/conftest_code.py; a loop class of the module is reached as
``item.module.X``); asyncio's own policy there needs a branch only under a conftest that
gives another loop type.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from ...imports.resolve import ImportMap, ast_dotted_name
from ...pytest_model.conftest_code import loop_key
from ...pytest_model.event_loop import LOOP_FACTORIES_HOOK_NAME, POLICY_FIXTURE
from ...pytest_model.fixtures import ast_fixture_decorator, ast_fixture_name
from ...pytest_model.project_helpers import module_function
from ...pytest_model.versions import LOOP_FACTORIES_HOOK

_POLICY_BASES = frozenset(
    {
        "asyncio.DefaultEventLoopPolicy", "asyncio.AbstractEventLoopPolicy", "asyncio.BaseDefaultEventLoopPolicy",
        "asyncio.events.BaseDefaultEventLoopPolicy", "asyncio.unix_events.DefaultEventLoopPolicy",
        "asyncio.windows_events.DefaultEventLoopPolicy", "uvloop.EventLoopPolicy",
    }
)
#: uvloop's zero-argument loop factories (body.py reads an override's loop through them too)
UVLOOP_FACTORIES = frozenset({"uvloop.new_event_loop", "uvloop.Loop"})


#: The policy an override returns: uvloop's, a policy class of the conftest that makes a
#: loop class ("custom"), or asyncio's own ("default": nothing to carry).
PolicyKind = Literal["uvloop", "custom", "default"]
#: carry it over (the hook, or nothing) and remove it; leave it in place, with the reason.
PolicyAction = Literal["carry", "leave"]


@dataclass(frozen=True)
class PolicyOverride:
    """One ``event_loop_policy`` fixture override, as the survey found it."""

    line: int
    kind: PolicyKind
    factory: str | None  # dotted expression of a zero-argument loop factory ("custom")
    action: PolicyAction
    reason: str = ""
    #: the conftest's own policy class, which goes with the fixture (nothing else names it)
    policy_class: str | None = None
    #: asyncio's own policy under a conftest above that gives another loop type: a hook of
    #: its own giving asyncio's loop (set by chain.resolve_chain)
    default_hook: bool = False
    #: in a test module: its loop type goes to the covering conftest's hook, as a branch
    #: for the module's tests (a hook lives only in a conftest.py)
    branch: bool = False


def survey_policies(tree: ast.Module, imports: ImportMap, is_conftest: bool, target: tuple[int, ...]) -> tuple[PolicyOverride, ...]:
    """The module-level ``event_loop_policy`` overrides of a module, for targets ≥ 1.4 (below,
    the fixture is the way to choose a loop type, and this tool writes it)."""
    if target < LOOP_FACTORIES_HOOK:
        return ()
    found = []
    definitions = [
        (stmt, decorator)
        for stmt in tree.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (decorator := ast_fixture_decorator(stmt, imports)) is not None
        and ast_fixture_name(stmt, decorator) == POLICY_FIXTURE
    ]
    for func, decorator in definitions:
        found.append(_judge(func, decorator, tree, imports, is_conftest, len(definitions)))
    return tuple(found)


def _judge(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    decorator: ast.expr,
    tree: ast.Module,
    imports: ImportMap,
    is_conftest: bool,
    count: int,
) -> PolicyOverride:
    def leave(reason: str) -> PolicyOverride:
        return PolicyOverride(func.lineno, "custom", None, "leave", reason)

    if count > 1:
        return leave("the module defines event_loop_policy more than once")
    if isinstance(func, ast.AsyncFunctionDef) or func.name != POLICY_FIXTURE:
        return leave("it is not a plain event_loop_policy function")
    keywords = {k.arg for k in decorator.keywords} if isinstance(decorator, ast.Call) else set()
    if "params" in keywords:
        return leave(
            "it is parametrized (a test per policy): the hook can return several factories, "
            "{\"asyncio\": asyncio.new_event_loop, \"uvloop\": uvloop.new_event_loop}, which changes the test ids"
        )
    requested = [a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)]
    if requested:
        return leave(
            f"it requests {', '.join(requested)}: write the pytest_asyncio_loop_factories(config, item) hook "
            "by hand, reading from config and item what it read there (a command-line option, a mark), and "
            "returning the loop factory that policy gave"
        )
    if is_conftest and module_function(tree, LOOP_FACTORIES_HOOK_NAME) is not None:
        return leave("the conftest already defines pytest_asyncio_loop_factories: add this loop type to it")
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    value = None
    if len(body) == 1 and isinstance(body[0], ast.Return):
        value = body[0].value
    elif len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Yield):
        value = body[0].value.value
    if not (isinstance(value, ast.Call) and not value.args and not value.keywords):
        return leave("its body does more than return a policy this tool can read")
    # in a test module, the loop type goes to a branch of the covering conftest's hook
    branch = not is_conftest
    full = imports.qualify_ast(value.func, well_known=False)
    if full == "uvloop.EventLoopPolicy":
        return PolicyOverride(func.lineno, "uvloop", "uvloop.new_event_loop", "carry", branch=branch)
    if full in ("asyncio.DefaultEventLoopPolicy", "asyncio.unix_events.DefaultEventLoopPolicy"):
        return PolicyOverride(func.lineno, "default", None, "carry", branch=branch)
    name = value.func.id if isinstance(value.func, ast.Name) else None
    cls = next((s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == name), None)
    if cls is None:
        return leave("it returns a policy this tool cannot read (not uvloop's, not a class of this conftest)")
    factory = _policy_factory(cls, imports)
    if factory is None:
        return leave(
            f"its policy class {cls.name} does more than make loops with a zero-argument call in new_event_loop; "
            "write a pytest_asyncio_loop_factories hook that returns its loop factory"
        )
    kind: PolicyKind = "uvloop" if imports.qualify_dotted(factory, well_known=False) in UVLOOP_FACTORIES else "custom"
    if branch and kind == "custom" and not any(
        isinstance(s, ast.ClassDef) and s.name == factory for s in tree.body
    ):
        return leave(
            f"its loop factory {factory} comes from an import, and a branch of the covering conftest's "
            f"pytest_asyncio_loop_factories hook reaches only classes this module defines (as item.module.X): "
            f"give that hook a branch returning {{\"{loop_key(factory)}\": {loop_key(factory)}}} "
            "for this module's tests, importing it there"
        )
    others = sum(isinstance(n, ast.Name) and n.id == cls.name for n in ast.walk(tree))
    return PolicyOverride(
        func.lineno, kind, factory, "carry", policy_class=cls.name if others == 1 else None, branch=branch
    )


def _policy_factory(cls: ast.ClassDef, imports: ImportMap) -> str | None:
    """The dotted factory of a policy class whose only member is ``new_event_loop(self)``
    returning a zero-argument call, derived from an asyncio or uvloop policy; else None."""
    if cls.decorator_list or cls.keywords or len(cls.bases) != 1:
        return None
    if imports.qualify_ast(cls.bases[0], well_known=False) not in _POLICY_BASES:
        return None
    members = [s for s in cls.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(members) != 1 or not isinstance(members[0], ast.FunctionDef):
        return None
    method = members[0]
    if method.name != "new_event_loop" or method.decorator_list or len(method.args.args) != 1:
        return None
    if method.args.vararg or method.args.kwarg or method.args.kwonlyargs or method.args.posonlyargs:
        return None
    body = [s for s in method.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    call = body[0].value
    if not (isinstance(call, ast.Call) and not call.args and not call.keywords):
        return None
    dotted = ast_dotted_name(call.func)
    if dotted is None or dotted.split(".")[0] == method.args.args[0].arg:
        return None  # self.something(): the policy's own state
    return dotted
