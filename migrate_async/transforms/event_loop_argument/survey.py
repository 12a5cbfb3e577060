"""Whether a project-defined ``event_loop`` fixture makes an asyncio loop: the survey
event-loop-argument reads before it rewrites a request of it."""

from __future__ import annotations

import ast

from ...pytest_model.aiohttp_loop import defined_loop_fixtures
from ...pytest_model.event_loop import (
    loop_library_modules,
    survey_event_loop,
)

#: Libraries whose names, once imported, build asyncio-compatible loops (not asyncio
#: itself: a fixture that only makes an ``asyncio.Queue`` is not a loop); the
#: ``asyncio_word`` ones of the shared table.
_LOOP_LIBRARIES = frozenset(loop_library_modules(asyncio_word=True))
#: Identifiers whose presence in a fixture body says it builds or fetches an asyncio(-compatible) loop.
_ASYNCIO_LOOP_WORDS = _LOOP_LIBRARIES | frozenset({
    "new_event_loop", "get_event_loop", "get_running_loop", "get_event_loop_policy",
    "set_event_loop", "SelectorEventLoop", "ProactorEventLoop", "BaseEventLoop",
    "AbstractEventLoop", "QEventLoop", "EventLoopPolicy", "run_until_complete",
})

#: what event-loop-argument's survey finds in a module: (kind, line) of each ``event_loop``
#: fixture, and the plugin loop fixtures the module provides itself
LoopFixturesFound = tuple[tuple[tuple[str, int], ...], frozenset[str]]

ASYNCIO_KIND = "asyncio"
FOREIGN_KIND = "foreign"


def _identifiers(node: ast.AST) -> set[str]:
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
    return found


def survey_loop_fixtures(source: str, plugin_loops: frozenset[str]) -> LoopFixturesFound | None:
    """What a module defines of the loop fixtures: its ``event_loop`` fixtures
    (:func:`survey_event_loop_fixtures`), and those of ``plugin_loops`` (the loop fixtures of
    a plugin the project loads) it provides itself (then they are the project's own there
    and below); None when it defines none."""
    # (a fixture's decorator spells fixture: a module that does not defines none, and is
    # not parsed for them)
    kinds = survey_event_loop_fixtures(source) if "event_loop" in source and "fixture" in source else None
    defined = defined_loop_fixtures(source, plugin_loops) if plugin_loops else frozenset()
    if kinds is None and not defined:
        return None
    return (kinds or (), defined)


def survey_event_loop_fixtures(source: str) -> tuple[tuple[str, int], ...] | None:
    """(kind, line) for each ``event_loop`` fixture defined in the source (at any depth,
    however its decorator spells ``fixture``); None when there is none."""
    read = survey_event_loop(source)
    loop_words = set(_ASYNCIO_LOOP_WORDS)
    for node in read.import_statements:
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _LOOP_LIBRARIES:
            loop_words.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _LOOP_LIBRARIES and alias.asname:
                    loop_words.add(alias.asname)
    # classes of this module that are asyncio loops (class TimeTravelLoop(asyncio.SelectorEventLoop))
    changed = True
    while changed:
        changed = False
        for cls in read.classes:
            if cls.name not in loop_words and any(_identifiers(b) & loop_words for b in cls.bases):
                loop_words.add(cls.name)
                changed = True
    found = []
    for definition in read.definitions(by_imports=False):
        body = ast.Module(body=definition.func.body, type_ignores=[])
        kind = ASYNCIO_KIND if _identifiers(body) & loop_words else FOREIGN_KIND
        found.append((kind, definition.func.lineno))
    return tuple(found) or None
