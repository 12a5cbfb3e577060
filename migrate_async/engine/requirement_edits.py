"""Raising a project's pytest-asyncio requirement to the target the migration wrote for.

Migrated code uses forms the old pins do not have (the plugin's fixture decorator, ``loop_scope=``),
so where a project the run changed declares pytest-asyncio with a range that admits releases
below the target, the declaration is raised to the target in the style it was written in
(:func:`raised_version`: exact stays exact, a wildcard or compatible release stays one, a range
becomes ``>=TARGET``), and pytest to 8.4 where it is pinned lower (pytest-asyncio 1.x needs
it). A project whose metadata still claims a Python the raised pins do not install on is told
so (a note at the pin). Only the version part changes: the name as
written, extras, environment markers, comments and layout stay. TOML files are edited with
tomlkit, INI files (setup.cfg, tox.ini) with configupdater, requirements files by a line edit
that ``packaging``'s parse of the old and the new text checks. ``setup.py`` is never edited
(a note says what to raise), and lock files are not either (a note says to re-lock).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomlkit
from configupdater import ConfigUpdater
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion
from packaging.version import Version as PackageVersion

from ..paths import display_path, inside
from ..project import ProjectFacts, Version, format_version, project_root
from ..project.python_claims import lowest_python
from ..project.requirements import (
    DEFAULT_DISTRIBUTION,
    Declared,
    declaration_folders,
    declared,
    floor,
    lock_files,
    locked_version,
    tox_factors,
    without_comment,
)
from ..transforms.transform import Note
from .files import OUTSIDE, atomic_write, write_failure
from .requirement_additions import (
    Addition,
    add_to,
    indent_of,
    kept_layout,
    planned,
    quoted_like,
    requested,
    unplaced_note,
    withdraw_notes,
)
from .results import ConfigOutcome, RunResult
from .undeclared_plugin import tell_undeclared

#: The oldest pytest that pytest-asyncio 1.x runs on.
PYTEST_FLOOR = PackageVersion("8.4")

#: The oldest Python each pytest-asyncio release line installs on (newest first).
PYTHON_FLOOR = (
    (PackageVersion("1.3"), PackageVersion("3.10")),
    (PackageVersion("0.25"), PackageVersion("3.9")),
    (PackageVersion("0.23"), PackageVersion("3.8")),
    (PackageVersion("0.17"), PackageVersion("3.7")),
)


def python_floor(target: PackageVersion) -> PackageVersion:
    """The oldest Python a pytest-asyncio of at least ``target`` installs on."""
    return next((python for release, python in PYTHON_FLOOR if target >= release), PackageVersion("3.6"))

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def needs_raising(declaration: Declared, wanted: PackageVersion) -> bool:
    """A declaration that pins a version range admitting releases older than ``wanted``, or
    nothing from ``wanted`` on (``<1``); one with no version stays, and so does one whose
    oldest admitted release is ``wanted`` or newer (``pytest==8.4.2`` for 8.4: a pin is
    never lowered)."""
    specifier = declaration.requirement.specifier
    if not str(specifier):
        return False
    low = floor(specifier)
    if low is not None and low >= wanted:
        return not specifier.contains(low, prereleases=True)
    return (low is not None and low < wanted) or not specifier.contains(wanted, prereleases=True)


def raised_version(specifier: str, minimum: str) -> str:
    """The version part a careful maintainer writes for ``minimum`` in the style of the old
    one: an exact pin stays exact (``==0.21.1`` → ``==1.5.0``), a wildcard pin stays one as
    deep (``==0.18.*`` → ``==1.5.*``; ``==7.*`` → ``~=8.4``: the major pinned, no older
    release admitted), a compatible release stays one (``~=0.23`` → ``~=1.5``); anything
    else (ranges, bounds) becomes ``>=minimum``."""
    low = PackageVersion(minimum)
    try:
        specs = list(SpecifierSet(specifier))
    except InvalidSpecifier:
        specs = []
    if len(specs) == 1:
        operator, version = specs[0].operator, specs[0].version
        if operator == "==" and version.endswith(".*"):
            depth = len(version[:-2].split("."))
            if depth >= len(low.release):
                return "==" + _release(low, depth) + ".*"
            return "~=" + _release(low, max(2, len(low.release)))
        if operator in ("==", "~="):
            try:
                depth = len(PackageVersion(version).release)
            except InvalidVersion:
                depth = 0
            if depth:
                return operator + _release(low, max(depth, 2 if operator == "~=" else 1))
    return f">={minimum}"


def _release(version: PackageVersion, depth: int) -> str:
    parts = [*version.release, *([0] * depth)][: max(depth, len(version.release))]
    return ".".join(str(part) for part in parts)


def with_floor(text: str, minimum: str) -> str | None:
    """``text`` (a PEP 508 requirement as written) with its version part raised to
    ``minimum`` (:func:`raised_version`); None when the result would not parse back to the
    same name, extras and markers (then the declaration is reported, not edited)."""
    try:
        old = Requirement(text)
    except InvalidRequirement:
        return None
    if old.url:
        return None
    stripped = text.lstrip()
    lead = text[: len(text) - len(stripped)]
    end = 0
    while end < len(stripped) and stripped[end] in _NAME_CHARS:
        end += 1
    rest = stripped[end:]
    head = stripped[:end]
    if rest.lstrip().startswith("["):
        close = rest.find("]")
        if close < 0:
            return None
        head += rest[: close + 1]
        rest = rest[close + 1 :]
    marker_at = rest.find(";")
    version_part, tail = (rest, "") if marker_at < 0 else (rest[:marker_at], rest[marker_at:])
    gap = " " if tail and version_part.endswith(" ") else ""
    new_text = f"{lead}{head}{raised_version(str(old.specifier), minimum)}{gap}{tail}"
    try:
        new = Requirement(new_text)
    except InvalidRequirement:
        return None
    if new.name != old.name or new.extras != old.extras or str(new.marker) != str(old.marker):
        return None
    return new_text


def raise_requirements(result: RunResult, projects: Sequence[tuple[ProjectFacts, Version]], run_root: Path, write: bool) -> None:
    """For each (project facts, target) the run changed: raise the pins that admit older
    releases, and declare what the transforms asked for where the project declares none
    (requirement_additions.py), one edit per file, merged with a configuration edit of the
    same file."""
    by_file: dict[Path, list[tuple[Declared, str]]] = defaultdict(list)
    adding: dict[Path, list[Addition]] = defaultdict(list)
    with_added: dict[Path, list[tuple[Declared, str]]] = defaultdict(list)  # made where an addition is
    asked: list[tuple[str | None, list[Addition]]] = []
    told_locks: set[Path] = set()
    for facts, target in projects:
        root = declarations_root(facts, run_root)
        if root is None:
            continue
        folders = declaration_folders(root, run_root)
        wanted = PackageVersion(format_version(target))
        raised = [d for d in facts.pins if needs_raising(d, wanted)]
        # plugins built on the target plugin, each to the release that works with it
        companions = [(d, m) for d, m in facts.companion_floors() if needs_raising(d, PackageVersion(m))]
        own_root = project_root(facts)
        asking = str(own_root) if own_root is not None else None
        additions = planned([r for _f, r in requested(result, asking)], folders)
        tell_undeclared(result, facts, folders, asking)
        if additions:
            asked.append((asking, additions))
        if not raised and not companions and not additions:
            continue
        for declaration in raised:
            by_file[declaration.path].append((declaration, format_version(target)))
        for declaration, minimum in companions:
            by_file[declaration.path].append((declaration, minimum))
        for addition in additions:
            adding[addition.after.path].append(addition)
        if raised:
            _tell_dropped_pythons(result, raised[0], wanted, folders)
        # a file that now installs the migrated stack installs a pytest it runs on
        edited = {d.path for d in raised} | {d.path for d, _m in companions}
        added_to = {a.after.path for a in additions}
        for pin in declared(folders, "pytest"):
            if needs_raising(pin, PYTEST_FLOOR) and pin.path in edited:
                by_file[pin.path].append((pin, str(PYTEST_FLOOR)))
            elif needs_raising(pin, PYTEST_FLOOR) and pin.path in added_to:
                with_added[pin.path].append((pin, str(PYTEST_FLOOR)))
        for lock in lock_files(folders):
            if lock not in told_locks:
                told_locks.add(lock)
                result.notes.append(_lock_note(lock, format_version(target) if raised else None, additions))
    made: set[Addition] = set()
    for path in sorted(set(by_file) | set(adding)):
        made |= _edit_file(result, path, by_file.get(path, []), write, adding.get(path, []), with_added.get(path, []))
    for asking, additions in asked:
        withdraw_notes(result, asking, {a.request for a in additions if a in made})


def tell_stale_locks(result: RunResult, projects: Sequence[ProjectFacts], run_root: Path) -> None:
    """A lock file that locks a pytest-asyncio its own project's declarations exclude (the
    pins raised, by this run or by hand, the lock not re-locked) is said on every run until
    it is re-locked: installed from the lock, the migrated suite runs on the old plugin. The
    run that raised the pins says so already (raise_requirements)."""
    told = {note.path for note in result.notes if note.kind == "lock-file-not-edited"}
    for facts in projects:
        root = declarations_root(facts, run_root)
        if root is None:
            continue
        folders = declaration_folders(root, run_root)
        locks = [lock for lock in lock_files(folders) if display_path(lock) not in told]
        if not locks:
            continue
        pins = [d for d in declared(folders, DEFAULT_DISTRIBUTION) if str(d.requirement.specifier)]
        for lock in locks:
            locked = locked_version(lock, DEFAULT_DISTRIBUTION)
            excluding = next((d for d in pins if locked is not None and not d.requirement.specifier.contains(locked, prereleases=True)), None)
            if locked is None or excluding is None:
                continue
            told.add(display_path(lock))
            result.notes.append(Note(
                display_path(lock), 1, 1, "requirements",
                f"{lock.name} locks {DEFAULT_DISTRIBUTION} {locked}, which {display_path(excluding.path)}:{excluding.line} "
                f"({excluding.text}) excludes: re-lock; lock files are not edited",
                kind="lock-file-not-edited",
            ))


def _lock_note(lock: Path, target: str | None, additions: list[Addition]) -> Note:
    if target is not None:
        message = (f"{lock.name} still pins the old pytest-asyncio: re-lock after this change "
                   f"(pytest-asyncio>={target}); lock files are not edited")
    else:
        wanted = ", ".join(sorted({a.text for a in additions}))
        message = f"{lock.name} does not lock {wanted} yet: re-lock after this change; lock files are not edited"
    return Note(display_path(lock), 1, 1, "requirements", message, kind="lock-file-not-edited")


def _tell_dropped_pythons(result: RunResult, pin: Declared, wanted: PackageVersion, folders: list[Path]) -> None:
    """A raised pin that the project's oldest supported Python cannot install is said, not
    hidden: the test matrix of such a project loses those Pythons (or keeps an older target)."""
    claim = lowest_python(folders)
    needed = python_floor(wanted)
    if claim is None or claim.version >= needed:
        return
    if claim.version >= PackageVersion("3.9") and wanted >= PackageVersion("1.3"):
        keep = f"migrate with --target-version 1.2 to keep Python {claim.version}"  # 1.0-1.2 install on 3.9
    elif wanted >= PackageVersion("1.0"):
        keep = f"keep Python {claim.version} on the old pins in a test environment of its own (no pytest-asyncio 1.x installs on it)"
    else:
        keep = f"keep Python {claim.version} on the old pins in a test environment of its own"
    result.notes.append(Note(
        display_path(pin.path), pin.line, 1, "requirements",
        f"pytest-asyncio {wanted} needs Python {needed} or newer, but the project says it "
        f"supports Python {claim.version} ({display_path(claim.path)}:{claim.line}: {claim.what}): drop the older "
        f"Pythons from the test matrix and the metadata, or {keep}",
        kind="python-floor-raised",
    ))


def declarations_root(facts: ProjectFacts, run_root: Path) -> Path | None:
    """The folder a project's declarations are looked for from (its configuration's)."""
    config = facts.config
    anchor = config.path or config.create_at
    return anchor.parent.resolve() if anchor is not None else run_root


def _edit_file(
    result: RunResult,
    path: Path,
    edits: list[tuple[Declared, str]],
    write: bool,
    additions: Sequence[Addition] = (),
    with_added: Sequence[tuple[Declared, str]] = (),
) -> set[Addition]:
    """Raise the pins of one file and make its additions (``with_added``: raises made only
    where an addition is); the additions made (and written when ``write``)."""
    display = display_path(path)
    existing = next((c for c in result.configs if c.path == display and c.new is not None), None)
    if existing is not None and existing.error or any(c.path == display and c.error and OUTSIDE in c.error for c in result.configs):
        return set()  # reported already: the configuration edit of the same file failed, or was refused
    if not inside(path, path.parent):
        raise_ = ", ".join(f"{d.requirement.name}>={m}" for d, m in edits)
        declare = ", ".join(a.text for a in additions)
        wanted = " and ".join(part for part in (raise_ and f"raise {raise_}", declare and f"declare {declare}") if part)
        result.configs.append(ConfigOutcome(display, error=f"{display}: {OUTSIDE}; not edited ({wanted} by hand)"))
        return set()
    try:
        on_disk = path.read_bytes().decode("utf-8")  # line endings as they are: written back as read
    except (OSError, UnicodeDecodeError) as exc:
        result.configs.append(ConfigOutcome(display, error=f"{display}:1:1: cannot read: {getattr(exc, 'strerror', None) or 'not UTF-8'}"))
        return set()
    base = existing.new if existing is not None and not existing.written else on_disk
    original = existing.old if existing is not None and existing.old is not None else on_disk
    if with_added and len(add_to(path, base, list(additions))[1]) < len(additions):
        edits = edits + list(with_added)
    try:
        raised, left = _edited(path, base, edits)
    except Exception:  # noqa: BLE001 - a layout the libraries cannot edit: each pin gets a note instead
        raised, left = base, list(edits)
    new, not_added = add_to(path, raised, list(additions))
    for declaration, minimum in left:
        result.notes.append(Note(
            display, declaration.line, 1, "requirements",
            f"raise {declaration.text!r} to {_raised_text(declaration, minimum)} by hand "
            "(the migrated code needs it; this declaration is not edited here)",
            kind="pin-not-edited",
        ))
    result.notes.extend(unplaced_note(path, addition) for addition in not_added)
    if new == base:
        return set()
    outcome = existing or ConfigOutcome(display)
    outcome.old, outcome.new = original, new
    outcome.diff = _diff(original, new, display)
    made = {a for a in additions if a not in not_added}
    changes = [_raised_text(d, m) for d, m in edits if (d, m) not in left] + sorted({a.text for a in made})
    outcome.settings = dict(outcome.settings, requirements=changes)
    if write:
        try:
            atomic_write(path, new.encode("utf-8"), expected_old=on_disk.encode("utf-8"), within=path.parent)
            outcome.written = True
        except OSError as exc:
            outcome.failed(write_failure(display, exc))
            made = set()
    if existing is None:
        result.configs.append(outcome)
    return made


def _raised_text(declaration: Declared, minimum: str) -> str:
    return declaration.requirement.name + raised_version(str(declaration.requirement.specifier), minimum)


def _diff(old: str, new: str, display: str) -> str:
    from ..textdiff import unified_diff

    return unified_diff(old, new, display)


def _edited(path: Path, text: str, edits: list[tuple[Declared, str]]) -> tuple[str, list[tuple[Declared, str]]]:
    """The file's text with the edits made, and the edits that could not be made."""
    name = path.name
    if name.endswith(".toml") or name == "Pipfile":
        return _edit_toml(text, edits)
    if name in ("setup.cfg", "tox.ini"):
        return _edit_ini(text, edits)
    if name.endswith(".txt"):
        return _edit_lines(text, edits)
    return text, list(edits)


def _edit_lines(text: str, edits: list[tuple[Declared, str]]) -> tuple[str, list[tuple[Declared, str]]]:
    lines = text.splitlines(keepends=True)
    left = []
    for declaration, minimum in edits:
        index = declaration.line - 1
        line = lines[index] if 0 <= index < len(lines) else ""
        at = line.find(declaration.text)
        new_requirement = with_floor(declaration.text, minimum) if at >= 0 else None
        if new_requirement is None:
            left.append((declaration, minimum))
            continue
        lines[index] = line[:at] + new_requirement + line[at + len(declaration.text):]
    return "".join(lines), left


def _edit_toml(text: str, edits: list[tuple[Declared, str]]) -> tuple[str, list[tuple[Declared, str]]]:
    doc = tomlkit.parse(text)
    left = []
    for declaration, minimum in edits:
        if not _edit_toml_one(doc, declaration, minimum):
            left.append((declaration, minimum))
    return tomlkit.dumps(doc), left


def _edit_toml_one(doc: Any, declaration: Declared, minimum: str) -> bool:
    """Put the raised version where the declaration sits: its string in the array its keys
    lead to (PEP 621, dependency groups, PDM, Hatch), or its key's value in the table they
    lead to (Poetry, Pipfile)."""
    node = doc
    for key in declaration.keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, str) and item.strip() == declaration.text:
                new = with_floor(item, minimum)
                if new is None:
                    return False
                node[index] = quoted_like(item, new)
                return True
        return False
    if isinstance(node, dict) and declaration.requirement.name in node:
        value = node[declaration.requirement.name]
        if isinstance(value, str):
            node[declaration.requirement.name] = _raised_constraint(value, minimum)
            return True
        if isinstance(value, dict) and isinstance(value.get("version"), str):
            value["version"] = _raised_constraint(value["version"], minimum)
            return True
    return False


def _raised_constraint(constraint: str, minimum: str) -> str:
    """A Poetry or Pipfile constraint raised in its own style: Poetry's caret and tilde
    stay (``^0.21`` → ``^1.5``), PEP 440 ones as :func:`raised_version` says."""
    text = constraint.strip()
    if "," in text or "|" in text:
        return f">={minimum}"  # a range of several parts: its lower bound is what moves
    if text[:1] in ("^", "~") and text[1:2] != "=":
        return text[0] + minimum
    try:
        exact = PackageVersion(text)  # Poetry's bare version is an exact pin
    except InvalidVersion:
        return raised_version(text, minimum)
    return raised_version(f"=={exact}", minimum).removeprefix("==")


def _edit_ini(text: str, edits: list[tuple[Declared, str]]) -> tuple[str, list[tuple[Declared, str]]]:
    updater = ConfigUpdater()
    updater.read_string(text)
    left = []
    for declaration, minimum in edits:
        done = False
        for section in updater.section_blocks():
            for option in section.option_blocks():
                value = option.value or ""
                lines = value.split("\n")
                for index, line in enumerate(lines):
                    if without_comment(line).strip() == declaration.text:
                        new = _raised_entry(declaration.text, minimum)
                        if new is None:
                            continue
                        lines[index] = line.replace(declaration.text, new, 1)
                        indent = indent_of(option.lines[1]) if len(option.lines) > 1 else "    "
                        entries = [entry.strip() for entry in lines]
                        if len(entries) == 1:
                            option.value = lines[0]  # ``deps = pytest-asyncio<1`` on one line
                        else:
                            option.set_values(entries[1:] if entries[0] == "" else entries, indent=indent)
                        done = True
                        break
                if done:
                    break
            if done:
                break
        if not done:
            left.append((declaration, minimum))
    return kept_layout(text, str(updater)), left


def _raised_entry(text: str, minimum: str) -> str | None:
    """An INI entry's requirement raised to ``minimum``; a tox factor condition in front of it
    (``py311: ``) stays as it is."""
    factored = tox_factors(text)
    if factored is None:
        return with_floor(text, minimum)
    raised = with_floor(factored[1], minimum)
    return None if raised is None else factored[0] + raised
