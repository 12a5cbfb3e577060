"""What the check of the planned result (plan_check.py) reads of a rewritten module's
planned text, read where the module was rewritten.

The check reads a module with ``ast`` only when its text holds a fixture name concerned: the
plugin fixtures gone at the project's target that a selected transform migrates (what an
edit removed from another module adds names, rarely). A rewritten module's planned text
holds one as a rule (``loop`` is in ``get_running_loop``), so the worker that rewrote it reads
it for the check (:func:`read_planned`): its ``from ... import`` statements and its requests
of those names. With ``--jobs``, that is work the main process no longer does after the
pool; the check reads the text itself when the names it asks are others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..project import ProjectFacts
from ..pytest_model import providers
from ..pytest_model.providers import Request
from ..transforms.transform import Transform
from ..transforms.triggers import has_word


def claimant(name: str, transforms: Sequence[type[Transform]]) -> type[Transform] | None:
    """The first selected transform that migrates the plugin fixture ``name``."""
    return next((t for t in transforms if name in t.migrates_fixtures), None)


def gone_fixtures(project: ProjectFacts, transforms: Sequence[type[Transform]]) -> frozenset[str]:
    """The plugin fixtures gone at the project's target that a selected transform migrates."""
    return frozenset(n for n in providers.plugin_fixtures_gone(project) if claimant(n, transforms) is not None)


def watched_words(project: ProjectFacts, transforms: Sequence[type[Transform]]) -> tuple[bytes, ...]:
    """:func:`gone_fixtures` as bytes: the scan keeps the files that hold one for the check."""
    return tuple(n.encode() for n in sorted(gone_fixtures(project, transforms)))


@dataclass(frozen=True)
class ImportSite:
    """A ``from ... import`` statement that imports some of the names asked, as the check
    reads it: the module, its level, those names (in the statement's order), and where."""

    module: str | None
    level: int
    names: tuple[str, ...]
    line: int
    column: int  # (from 0, as ast gives it)
    end_line: int


@dataclass(frozen=True)
class PlannedReading:
    """A planned text as the check reads it, for the fixture names ``names`` (those of
    :func:`gone_fixtures` the text holds, in sorted order): its import sites and its requests
    of them (``providers.fixture_requests``); empty when it holds none."""

    #: the text read (the check uses the reading only while this is the planned text: a
    #: conftest.py's may grow the definitions other files request, conftest_requests.py)
    text: str
    names: tuple[str, ...]
    imports: tuple[ImportSite, ...] = ()
    requests: tuple[Request, ...] = ()


def read_planned(text: str, project: ProjectFacts, transforms: Sequence[type[Transform]]) -> PlannedReading | None:
    """The check's reading of a planned text (None when ``ast`` cannot read it: the check
    then reads it for itself)."""
    names = [n for n in sorted(gone_fixtures(project, transforms)) if has_word(text, n)]
    if not names:
        return PlannedReading(text, ())
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    requests = providers.fixture_requests(tree, names, project, calls=providers.may_request_by_call(text))
    return PlannedReading(text, tuple(names), tuple(import_sites(tree, names)), tuple(requests))


def import_sites(tree: ast.Module, names: Sequence[str]) -> list[ImportSite]:
    """The ``from ... import`` statements of a module (at any depth of its statements) that
    import one of ``names``."""
    found = []
    for node in _import_froms(tree.body):
        asked = tuple(a.name for a in node.names if a.name in names)
        if asked:
            found.append(ImportSite(node.module, node.level, asked, node.lineno, node.col_offset, node.end_lineno or node.lineno))
    return found


def _import_froms(body: list[ast.stmt]) -> Iterator[ast.ImportFrom]:
    """The ``from ... import`` statements of a body and of the bodies nested in it
    (functions, classes, ``if``, ``try``...): statements only, expressions are not walked."""
    for stmt in body:
        if isinstance(stmt, ast.ImportFrom):
            yield stmt
            continue
        for part in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, part, None)
            if isinstance(inner, list):
                yield from _import_froms(inner)
        for handler in getattr(stmt, "handlers", ()):
            yield from _import_froms(handler.body)
        for case in getattr(stmt, "cases", ()):
            yield from _import_froms(case.body)
