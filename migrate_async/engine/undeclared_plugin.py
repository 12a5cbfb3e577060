"""Telling a project to declare pytest-asyncio where nothing the run reads declares it.

The migrated tests run only under pytest-asyncio 1.x (markers, the plugin's fixture
decorator, loop scopes, its settings). A project whose dependency files (requirements.py reads them)
name neither pytest-asyncio nor a plugin that installs it (pytest-aiohttp), and to which the run adds none, installs it
somewhere the run cannot see (a CI file, a hand-written command) or not at all: the run
adds no declaration out of nothing (it cannot tell which place installs the test
environment), and says, once per project, what to declare. The note goes to the project's
first declaration of pytest as a test dependency (``tests_require``, an extra, a
requirements file): that is where its test dependencies are declared, so the plugin's
absence there means something; a project that declares pytest nowhere the run reads gets
none (its test dependencies live elsewhere). Only where a file the run changed has edits of a
transform that needs the plugin (one not in ``transforms.RUNNER_FREE``): a run that changes nothing, or
only rewrites any runner takes, says nothing.
"""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name

from ..paths import display_path
from ..project import ProjectFacts
from ..project.model import COMPANION_DISTRIBUTIONS
from ..project.requirements import DEFAULT_DISTRIBUTION, Declared, declarations
from ..transforms import RUNNER_FREE
from ..transforms.transform import Note
from .results import FileOutcome, RunResult

KIND = "plugin-not-declared"


def tell_undeclared(result: RunResult, facts: ProjectFacts, folders: list[Path], root: str | None) -> None:
    """The note for one project (``root``: its root, as each file's outcome says), where
    its changed files need pytest-asyncio and nothing it declares installs it."""
    found = declarations(folders)
    if facts.pins or facts.companions or any(d.name in _INSTALLING for d in found):
        return  # declared, in some form (a constraint, a tox factor, a plugin that installs it)
    changed = [f for f in result.files if f.changed and f.root == root]
    if not any(_needs_plugin(f) for f in changed):
        return
    if any(canonicalize_name(r.name) in _INSTALLING for f in changed for r in f.requirement_requests):
        return  # the run declares a plugin that installs it, or its note says to
    where = _place(found)
    if where is None:
        return
    wanted = " and ".join(facts.plugin_requirements())
    if facts.plugin_shown:
        wanted += f" (the tests use its fixtures: {facts.plugin_shown})"
    note = Note(
        display_path(where.path), where.line, 1, "requirements",
        f"nothing this run reads declares {DEFAULT_DISTRIBUTION}, and the migrated tests run only under it: "
        f"declare {wanted} with the test dependencies by hand",
        kind=KIND,
    )
    if note not in result.notes:
        result.notes.append(note)


#: Distributions whose declaration installs pytest-asyncio (the plugin, or one built on it).
_INSTALLING = frozenset({DEFAULT_DISTRIBUTION, *COMPANION_DISTRIBUTIONS})


def _needs_plugin(outcome: FileOutcome) -> bool:
    """Whether the file's edits, or the settings they asked for, are those of a transform
    whose output runs only under pytest-asyncio."""
    names = {name for name, count in outcome.edits.items() if count} | {r.transform for r in outcome.config_requests}
    return bool(names - RUNNER_FREE)


def _place(found: list[Declared]) -> Declared | None:
    """Where to say it: the project's first declaration of pytest as a test dependency; None
    where it declares none the run reads (its test dependencies live elsewhere, a CI file or
    tox: nothing to go by)."""
    return next((d for d in found if d.name == "pytest" and not d.runtime and not d.constrains_only), None)
