"""What a project declares beside pytest-asyncio that the release it runs on cannot be
installed or run with (pytest_model.dependencies), said on every run while it holds, as a
lock file that still locks the old plugin is (requirement_edits.tell_stale_locks): ``check``
after ``apply`` must not be clean while the migrated suite cannot be installed or collected.

The release a project runs on is the run's target where the run changes it (its pins are
raised, or a note says to raise them), else the oldest release its own pins admit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from packaging.version import Version as PackageVersion

from ..paths import display_path
from ..project import ProjectFacts, format_version
from ..project.python_claims import lowest_python
from ..project.requirements import (
    DEFAULT_DISTRIBUTION,
    Declared,
    declaration_folders,
    declarations,
    floor,
    named,
    tox_factors,
)
from ..pytest_model.dependencies import (
    BROKEN_ON_PYTEST_8,
    PYTEST_8_FROM,
    TYPING_EXTENSIONS,
    TYPING_EXTENSIONS_MINIMUM,
    admits_from,
    typing_extensions_below,
)
from ..transforms.transform import Note
from .requirement_edits import declarations_root
from .results import RunResult

CLASH = "declared-with-clash"
BROKEN_PLUGIN = "plugin-broken-on-pytest-8"


def tell_clashes(result: RunResult, projects: Sequence[tuple[ProjectFacts, bool]], run_root: Path) -> None:
    """For each (project, whether the run changes it): a declaration that cannot be installed
    with the pytest-asyncio it runs on (typing-extensions pinned below what that release
    requires, in the same place (file and extra, group or tox env) or installed with the
    project), and a declared plugin that pytest 8 cannot run, declared where the tests
    install (not a constraints file); each a note ``left`` unfinished, once per declaration."""
    told: set[tuple[str, int, str]] = {(n.path, n.line, n.kind) for n in result.notes if n.kind in (CLASH, BROKEN_PLUGIN)}
    for facts, changed in projects:
        root = declarations_root(facts, run_root)
        if root is None:
            continue
        folders = declaration_folders(root, run_root)
        found = declarations(folders)  # (read once: every file of each folder)
        release = _release(facts, changed, found)
        if release is None:
            continue
        for note in [*_typing_extensions(release, folders, found), *_broken_plugins(release, found)]:
            key = (note.path, note.line, note.kind)
            if key not in told:
                told.add(key)
                result.notes.append(note)


def _release(facts: ProjectFacts, changed: bool, found: list[Declared]) -> PackageVersion | None:
    """The oldest pytest-asyncio release the project will run on (None: not known)."""
    lows = [low for d in named(found, DEFAULT_DISTRIBUTION) if (low := floor(d.requirement.specifier)) is not None]
    release = max(lows) if lows else None
    if changed:
        target = PackageVersion(format_version(facts.target))
        release = target if release is None or target > release else release
    return release


def _typing_extensions(release: PackageVersion, folders: list[Path], found: list[Declared]) -> list[Note]:
    below = typing_extensions_below(release)
    if below is None:
        return []
    claim = lowest_python(folders)
    if claim is not None and claim.version >= below:
        return []  # (every Python it supports comes with no such requirement)
    plugin_places = _environments(found, DEFAULT_DISTRIBUTION)
    notes = []
    for pin in named(found, TYPING_EXTENSIONS):
        if pin.requirement.marker is not None or pin.conditional or tox_factors(pin.text) is not None:
            continue  # (a marker, a table's condition or a tox factor may keep it from the Pythons concerned: not read)
        if not str(pin.requirement.specifier):
            continue
        if not (pin.runtime or (pin.path, pin.where) in plugin_places):
            continue  # (another environment's: docs, lint, another extra or tox env)
        if admits_from(pin.requirement.specifier, TYPING_EXTENSIONS_MINIMUM):
            continue
        notes.append(_note(pin, CLASH, (
            f"{pin.text} admits no typing-extensions {TYPING_EXTENSIONS_MINIMUM} or newer, which pytest-asyncio "
            f"{release} requires below Python {below}: pip cannot install the two together (ResolutionImpossible); "
            f"allow typing-extensions>={TYPING_EXTENSIONS_MINIMUM} here"
        )))
    return notes


def _broken_plugins(release: PackageVersion, found: list[Declared]) -> list[Note]:
    pytest_lows = [low for d in named(found, "pytest") if (low := floor(d.requirement.specifier)) is not None]
    if release < PYTEST_8_FROM and not any(low >= PackageVersion("8") for low in pytest_lows):
        return []
    test_places = _environments(found, DEFAULT_DISTRIBUTION) | _environments(found, "pytest")
    return [
        _note(declaration, BROKEN_PLUGIN, f"{declaration.text}: {why}")
        for name, why in sorted(BROKEN_ON_PYTEST_8.items())
        for declaration in named(found, name)
        if not declaration.constrains_only and tox_factors(declaration.text) is None
        and (declaration.runtime or (declaration.path, declaration.where) in test_places)
    ]


def _environments(found: list[Declared], name: str) -> set[tuple[Path, str]]:
    """Where a distribution is declared, as (file, table or section or keyword): what is
    declared in the same place is installed with it (a requirements file is one place)."""
    return {(d.path, d.where) for d in named(found, name) if not d.constrains_only}


def _note(declaration: Declared, kind: str, message: str) -> Note:
    return Note(display_path(declaration.path), declaration.line, 1, "requirements", message, kind=kind, left=True)
