"""pytest's fixture scopes as pytest-asyncio's loop scopes: their order, and which is wider.

A loop scope names how long one event loop lives: a test (``function``), a class, a module, a
package or the session. A test or fixture runs on the loop of its loop scope; a fixture can
only be used by tests running on its loop, so a wider loop scope serves more tests.
"""

from __future__ import annotations

#: Loop scopes, narrowest first.
SCOPES = ("function", "class", "module", "package", "session")
#: The loop scopes that outlive one test.
WIDER_SCOPES = SCOPES[1:]


def scope_rank(scope: str) -> int:
    return SCOPES.index(scope)


def wider_scope(a: str, b: str) -> str:
    return a if scope_rank(a) >= scope_rank(b) else b


#: A loop per test: what a test or fixture runs on when nothing says otherwise.
FUNCTION = "function"
#: ``asyncio_default_fixture_loop_scope``'s value (1.5) that gives every async fixture a
#: loop as wide as its cache scope.
FIXTURE_SCOPE = "fixture-scope"


def default_test_loop_scope(configured: str | None) -> str:
    """The loop a test without a ``loop_scope`` of its own runs on: the project's
    ``asyncio_default_test_loop_scope`` (configured or planned by the run), else one per test
    (a value that is no scope is one pytest-asyncio rejects: it gives no wider loop)."""
    return configured if configured in SCOPES else FUNCTION


def default_fixture_loop_scope(configured: str | None) -> str:
    """What ``asyncio_default_fixture_loop_scope`` gives an async fixture without
    ``loop_scope=``: the configured (or planned) value, else a loop per test. The value may be
    ``fixture-scope``: see :func:`fixture_loop_scope` for the loop that makes."""
    return configured or FUNCTION


def default_gives_loop(configured: str | None, cache_scope: str) -> bool:
    """Whether ``asyncio_default_fixture_loop_scope`` gives a fixture of this cache scope
    its loop without ``loop_scope=``: the option is set (or planned) at least as wide, or to
    ``fixture-scope``. A narrower default is a ScopeMismatch under pytest-asyncio 1.x."""
    if configured == FIXTURE_SCOPE:
        return True
    return configured in SCOPES and scope_rank(configured) >= scope_rank(cache_scope)


def fixture_loop_scope(configured: str | None, cache_scope: str) -> str:
    """The loop scope an async fixture without ``loop_scope=`` runs in, given the project's
    default: never narrower than its cache scope (pytest-asyncio before 1.0 ran it so, and a
    ``fixture-scope`` or unset default still does)."""
    if configured in SCOPES:
        return wider_scope(configured, cache_scope)
    return cache_scope
