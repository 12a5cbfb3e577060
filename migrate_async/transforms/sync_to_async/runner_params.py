"""Which of a module's tests and fixtures a fixture's parameters hand to a runner.

A fixture whose ``params`` carry a runner's mark (``pytest.param("trio",
marks=pytest.mark.trio)``) gives that mark to every test that uses it: the parameter,
not a mark of the test's own, says which plugin runs it as an async test
(pytest_model.frameworks). sync-to-async does not make such a test async with an
asyncio mark; :class:`ParamRunners` says which ones they are, from the fixtures of the
module and of the conftest.py files above it (their surveys).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import libcst as cst

from ...imports.resolve import ImportMap
from ...project import FileFacts, project_root
from ...pytest_model.fixtures import fixture_decorator, requested_fixtures
from ...pytest_model.frameworks import param_runner_fixture
from .nodes import functions
from .survey import ConftestLoops

#: how a note names the module itself as the place a fixture is defined
THIS_MODULE = "this module"


class ParamRunners:
    """The fixtures carrying a runner's mark that the module sees, and where each is defined."""

    def __init__(
        self,
        facts: FileFacts,
        imports: ImportMap,
        conftests: Sequence[ConftestLoops],
        own: frozenset[str],
        body: Sequence[cst.BaseStatement],
    ) -> None:
        """``conftests``: what the conftest.py files above said, outermost first; ``own``:
        the module's own fixtures whose params carry a runner's mark; ``body``: the module's."""
        self.facts = facts
        self.imports = imports
        self.conftests = conftests
        self.body = body
        self.defined_in = {name: THIS_MODULE for name in own}
        for entry in reversed(conftests):  # (the nearest first)
            for name in entry.runner_fixtures:
                self.defined_in.setdefault(name, self._shown(entry.path))
        self._graph: dict[str, set[str]] | None = None

    def of(self, func: cst.FunctionDef) -> tuple[str, str] | None:
        """The fixture a test or fixture uses (requests, directly or through other fixtures)
        whose params carry a runner's mark, and where it is defined; None when none."""
        if not self.defined_in:
            return None
        if self._graph is None:
            self._graph = self._fixture_graph()
        found = param_runner_fixture(func, self.imports, self.defined_in.keys(), self._graph)
        return (found, self.defined_in[found]) if found is not None else None

    def _fixture_graph(self) -> dict[str, set[str]]:
        """What each fixture the module sees requests: the conftest.py files' (outermost
        first, a nearer one's definition replacing an outer one's), then the module's."""
        graph: dict[str, set[str]] = {}
        for entry in self.conftests:
            for name, _is_async, requests in entry.requests.fixtures if entry.requests is not None else ():
                graph[name] = set(requests)
        for stmt in functions(self.body):
            info = fixture_decorator(stmt, self.imports)
            if info is not None:
                graph[info.registered_name(stmt)] = set(
                    requested_fixtures(stmt.params, positional_only=True, defaults=True, skip=("self", "cls"))
                )
        return graph

    def _shown(self, path: str) -> str:
        """A conftest.py's path as a note shows it: from the project's root where it is below."""
        root = project_root(self.facts.project)
        try:
            return Path(path).resolve().relative_to(root.resolve()).as_posix() if root is not None else path
        except ValueError:
            return path
