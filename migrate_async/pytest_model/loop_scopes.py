"""pytest's fixture scopes as pytest-asyncio's loop scopes: their order, and which is wider.

A loop scope names how long one event loop lives: a test (``function``), a class, a module, a
package or the session. A test or fixture runs on the loop of its loop scope; a fixture can
only be used by tests running on its loop, so a wider loop scope serves more tests.
"""

from __future__ import annotations

#: Loop scopes, narrowest first.
SCOPES = ("function", "class", "module", "package", "session")


def scope_rank(scope: str) -> int:
    return SCOPES.index(scope)


def wider_scope(a: str, b: str) -> str:
    return a if scope_rank(a) >= scope_rank(b) else b
