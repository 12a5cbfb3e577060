"""The fixtures of the conftest.py files above a module that make a loop current
(``asyncio.set_event_loop(loop)``) for the tests they serve.

pytest-asyncio 1.4+ leaves no current loop once an async test has run; a fixture set up
again for each test that makes one current undoes that for the sync code of the tests it
serves (every test, when it is autouse; else those that request it). One set up once for
the session, a package or a module is undone by the first async test there, as if there
were none: it excuses nothing.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

from ..imports.resolve import ImportMap
from .fixtures import (
    ast_fixture_autouse,
    ast_fixture_decorator,
    ast_fixture_name,
    ast_fixture_scope,
)
from .outside_loop import ast_sets_current_loop
from .project_helpers import parsed_module
from .providers import conftest_chain

#: Cache scopes set up once for many tests: what they make current does not outlive the
#: first async test among them.
_ONCE = frozenset({"session", "package", "module"})


def loop_setting_fixtures(path: str, root: Path | None) -> tuple[frozenset[str], bool]:
    """The names of the fixtures of the conftest.py files above ``path`` (its own folder's
    included, up to ``root``; its own folder's alone without one) that make a loop current
    and are set up again for each test (function or class scope, or a scope this cannot
    read), and whether one of them is autouse."""
    if not path:
        return frozenset(), False
    names: set[str] = set()
    autouse = False
    real_root = Path(os.path.realpath(root)) if root is not None else None
    for conftest in conftest_chain(Path(os.path.realpath(path)), real_root):
        tree = parsed_module(str(conftest)) if conftest.is_file() else None
        if tree is not None:
            for name, is_autouse in _setters(tree):
                names.add(name)
                autouse = autouse or is_autouse
    return frozenset(names), autouse


def _setters(tree: ast.Module) -> list[tuple[str, bool]]:
    imports = ImportMap.from_ast(tree)
    found = []
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorator = ast_fixture_decorator(stmt, imports)
        if decorator is None or ast_fixture_scope(decorator) in _ONCE:
            continue
        if any(ast_sets_current_loop(node, imports) for node in ast.walk(stmt)):
            found.append((ast_fixture_name(stmt, decorator), ast_fixture_autouse(decorator)))
    return found
