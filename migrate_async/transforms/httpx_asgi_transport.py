"""httpx-asgi-transport: ``AsyncClient(app=x)`` → ``AsyncClient(transport=ASGITransport(app=x))``.

``httpx.AsyncClient(app=x)`` becomes ``AsyncClient(transport=httpx.ASGITransport(app=x))``
(``Client(app=)`` → ``WSGITransport``), spelled as the module spells the client.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from ..cstkit.names import (
    defined_names,
    dotted_name,
    find_kwarg,
    name_to_expr,
    string_value,
)
from ..cstkit.scope import ScopeHooks, ScopeStack
from ..imports.resolve import FunctionImports, function_imports
from ..project import FileFacts
from .examples import Example
from .glance import Glance
from .transform import MigrationContext, Transform
from .triggers import Triggers

#: client → the transport that replaces its ``app=`` shortcut
TRANSPORTS = {
    "httpx.AsyncClient": "ASGITransport",
    "httpx.Client": "WSGITransport",
}


#: Names bound by ``import`` statements in one function body (see imports.resolve).
_Scope = FunctionImports


#: What ``migrate-async explain httpx-asgi-transport`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="``from httpx import AsyncClient``: the transport joins the import",
        before="""
            import pytest_asyncio
            from httpx import AsyncClient

            @pytest_asyncio.fixture
            async def client():
                async with AsyncClient(app=app, base_url="http://testserver") as client:
                    yield client
            """,
        after="""
            import pytest_asyncio
            from httpx import ASGITransport, AsyncClient

            @pytest_asyncio.fixture
            async def client():
                async with AsyncClient(
                    transport=ASGITransport(app=app), base_url="http://testserver"
                ) as client:
                    yield client
            """,
    ),
    Example(
        title="the sync client gets a WSGI transport",
        before="""
            import httpx

            def test_health(wsgi_app):
                with httpx.Client(app=wsgi_app, base_url="http://testserver") as client:
                    assert client.get("/health").status_code == 200
            """,
        after="""
            import httpx

            def test_health(wsgi_app):
                with httpx.Client(
                    transport=httpx.WSGITransport(app=wsgi_app), base_url="http://testserver"
                ) as client:
                    assert client.get("/health").status_code == 200
            """,
    ),
    Example(
        title="an ``AsyncClient`` of the module's own and ``app=`` on other calls",
        before="""
            class AsyncClient:
                def __init__(self, app):
                    self.app = app

            def test_local_client(app):
                assert AsyncClient(app=app).app is app
                assert make_server(app=app)
            """,
    ),
)


class HttpxAsgiTransport(ScopeHooks, Transform):
    name = "httpx-asgi-transport"
    summary = "httpx AsyncClient(app=x) → AsyncClient(transport=ASGITransport(app=x)); Client(app=) → WSGITransport"
    triggers = Triggers(all=(b"httpx", b"Client", b"app"))

    examples = EXAMPLES

    def __init__(self, context: MigrationContext | None = None) -> None:
        super().__init__(context)
        # frames of defs and lambdas keep the names they bind (a generator expression binds
        # none the resolver follows)
        self.scope: ScopeStack[_Scope] = ScopeStack(generator_frames=False)
        self._module_rebound: set[str] = set()

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Nothing to do where no call passes ``app=``."""
        return "app" not in glance.keywords

    # -- names ---------------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self._module_rebound = defined_names(
            node, imports=False, skip=lambda small: _importorskip_binding(small) is not None
        )
        for local in self._module_rebound:
            # ``class AsyncClient(AsyncClient)`` after ``from httpx import AsyncClient``: the
            # name no longer means httpx's client
            self.imports.names.pop(local, None)
        self.imports.names.update(importorskip_bindings(node.body))
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.enter(node, _function_imports(node))
        return True

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.scope.enter(node, _Scope(names={name: "" for name in _param_names(node.params)}))
        return True

    @property
    def _scopes(self) -> list[_Scope]:
        """The names bound in the enclosing defs and lambdas, outermost first (class
        bodies bind none that the functions in them see)."""
        return [frame.data for frame in self.scope if frame.data is not None]

    def _resolve(self, node: cst.BaseExpression) -> tuple[str | None, bool]:
        """(full dotted name, whether its head was bound by a from-import inside a function)."""
        dotted = dotted_name(node)
        if dotted is None:
            return None, False
        head, _, rest = dotted.partition(".")
        for scope in reversed(self._scopes):
            if head in scope.names:
                full = scope.names[head]
                return (f"{full}.{rest}" if rest else full), head in scope.from_imported
        if head in self._module_rebound:
            return None, False
        full = self.imports.qualify(node)
        if full is None and not rest and self.imports.star_modules == {"httpx"}:
            # ``from httpx import *`` and nothing else could have bound the name
            full = f"httpx.{head}"
        return full, False

    def _transport_spelling(self, func: cst.BaseExpression, transport: str, local_from_import: bool) -> str | None:
        """How to write ``httpx.<transport>`` next to this client call, scheduling the import
        it needs; None when there is no safe spelling."""
        full = f"httpx.{transport}"
        for scope in reversed(self._scopes):
            for local, target in sorted(scope.names.items()):
                if target == full:
                    return local
        for local in self.imports.local_names_for(full):
            if local not in self._module_rebound and not self._shadowed(local):
                return local
        if local_from_import:
            # ``from httpx import AsyncClient`` inside the function: a module-level import
            # of the transport would defeat the local one (httpx may be optional); only an
            # ``httpx`` module name that is already bound will do
            return self._through_module_name(transport)
        if isinstance(func, cst.Attribute):
            # ``httpx.AsyncClient`` / ``hx.AsyncClient``: the module object is right there
            prefix = dotted_name(func.value)
            if prefix is not None:
                return f"{prefix}.{transport}"
            return None
        # a bare name from ``from httpx import AsyncClient`` (or a star import)
        if self.imports.star_modules == {"httpx"} and not self.imports.binds_locally(transport):
            return transport
        if self.imports.binds_locally(transport) or transport in self._module_rebound or self._shadowed(transport):
            # the name is taken (``from mylib import ASGITransport``): ``httpx.ASGITransport``
            # will do when the module is imported as well
            return self._through_module_name(transport)
        self.add_needed_import("httpx", transport)
        return transport

    def _through_module_name(self, transport: str) -> str | None:
        """``<local>.<transport>`` through a name already bound to the httpx module."""
        for scope in reversed(self._scopes):
            for local, target in sorted(scope.names.items()):
                if target == "httpx" and local not in scope.from_imported:
                    return f"{local}.{transport}"
        for local in self.imports.local_names_for("httpx"):
            if local not in self._module_rebound and not self._shadowed(local):
                return f"{local}.{transport}"
        return None

    def _shadowed(self, local: str) -> bool:
        return any(local in scope.names for scope in self._scopes)

    # -- the rewrite ---------------------------------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        app = find_kwarg(original_node.args, "app")
        if app is None:
            return updated_node
        client_expr = original_node.func
        if self._resolve(client_expr)[0] == "functools.partial" and original_node.args:
            # ``functools.partial(httpx.AsyncClient, app=app)``: the transport is as stateless
            # as the app, so one for every client made is fine
            first = original_node.args[0]
            if first.keyword is not None or first.star:
                return updated_node
            client_expr = first.value
        client, local_from_import = self._resolve(client_expr)
        transport = TRANSPORTS.get(client or "")
        if transport is None:
            return updated_node
        assert client is not None
        short = client.rsplit(".", 1)[-1]
        if find_kwarg(original_node.args, "transport") is not None:
            self.note(
                original_node,
                f"{short}() gets both app= and transport=: httpx ignored app= in favour of the "
                f"transport, and httpx 0.28 rejects app=; delete app= by hand (or, if the app was "
                f"meant, pass transport={transport}(app=...) instead)",
                kind="app-and-transport",
            )
            return updated_node
        if _may_be_none(app.value):
            self.note(
                original_node,
                f"{short}(app=...) gets a value that may be None (no app: a real network client), "
                f"and httpx 0.28 rejects app=; pass transport={transport}(app=...) only when there "
                f"is an app, by hand",
                kind="app-may-be-none",
            )
            return updated_node
        spelled = self._transport_spelling(client_expr, transport, local_from_import)
        if spelled is None and local_from_import:
            self.note(
                original_node,
                f"httpx 0.28 rejects {short}(app=...), and {short} is imported inside the function: "
                f"add {transport} to that import and pass transport={transport}(app=...) instead of "
                f"app=, by hand",
                kind="client-imported-locally",
            )
            return updated_node
        if spelled is None:
            self.note(
                original_node,
                f"httpx 0.28 rejects {short}(app=...), and the name {transport} means something else "
                f"here: pass transport=httpx.{transport}(app=...) instead of app=, by hand",
                kind="transport-name-taken",
            )
            return updated_node
        self.count_edit()
        return updated_node.with_changes(args=list(_replace_app(updated_node.args, spelled)))


def _param_names(params: cst.Parameters) -> list[str]:
    found = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star.name.value)
    return found


def _replace_app(args: Sequence[cst.Arg], transport: str) -> Iterator[cst.Arg]:
    for arg in args:
        if arg.keyword is not None and arg.keyword.value == "app":
            inner = cst.Arg(keyword=cst.Name("app"), value=arg.value, equal=arg.equal)
            yield arg.with_changes(
                keyword=cst.Name("transport"),
                value=cst.Call(func=name_to_expr(transport), args=[inner]),
            )
        else:
            yield arg


def _may_be_none(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Name) and value.value == "None":
        return True
    if isinstance(value, cst.IfExp):
        return _may_be_none(value.body) or _may_be_none(value.orelse)
    if isinstance(value, cst.BooleanOperation):
        return True  # ``app or None``, ``settings.app and create_app()``
    return False


def _function_imports(func: cst.FunctionDef) -> _Scope:
    """The imports in a function's own body (nested blocks, not nested functions/classes);
    its parameters shadow module names and mean nothing known."""
    return function_imports(func, shadowed=_param_names(func.params), extra_binding=_importorskip_binding)


def _importorskip_binding(small: cst.BaseSmallStatement) -> tuple[str, str] | None:
    """``httpx = pytest.importorskip("httpx")`` binds a module like an import: (local, module)."""
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target, value = small.targets[0].target, small.value
    if not isinstance(target, cst.Name) or not isinstance(value, cst.Call) or not value.args:
        return None
    if dotted_name(value.func) not in ("pytest.importorskip", "importorskip"):
        return None
    first = value.args[0]
    if first.keyword is not None and first.keyword.value != "modname":
        return None
    module = string_value(first.value)
    return (target.value, module) if module is not None else None


def importorskip_bindings(body: Sequence[cst.BaseStatement]) -> dict[str, str]:
    """Module-level ``name = pytest.importorskip("module")`` assignments: local → module."""
    found: dict[str, str] = {}
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                binding = _importorskip_binding(small)
                if binding is not None:
                    found[binding[0]] = binding[1]
    return found
