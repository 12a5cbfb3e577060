"""Declaring a requirement the rewritten tests need and the project does not declare (a
transform's :class:`RequirementRequest`).

Where it goes: next to the project's own declaration of the first distribution the request
names in ``beside`` (the plugin the run migrates to, then pytest) that a test-dependency
place of the project lists; in the same file, the same list or table, right after it, and
written as its neighbour is (quotes, indentation, a Poetry caret). Every place that lists
that distribution gets it: tox.ini's deps and requirements-dev.txt each install a test
environment. Runtime dependencies (``[project] dependencies``, ``install_requires``, Poetry's
main table, Pipfile's ``[packages]``) never get it, nor does ``setup.py``, nor a requirements
file that pip-compile wrote (hashes: pip refuses a line without one; its ``.in`` is what to
edit). A project that declares the distribution anywhere gets nothing here (a pin too old
is raised, requirement_edits.py). Where no place takes it, the transform's note at the asking
line stays: it says what to add.

The requirement is written by ``packaging`` (``name>=minimum``); TOML files are edited with
tomlkit, INI files with configupdater, requirements files by inserting a line after the
logical line (continuations included) that ``packaging`` reads as the neighbour.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import tomlkit
from configupdater import ConfigUpdater
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ..paths import display_path
from ..project.config_files import toml_data
from ..project.requirements import (
    Declared,
    declarations,
    logical_lines,
    tox_factors,
    without_comment,
    written_requirement,
)
from ..transforms.transform import Note, RequirementRequest
from .results import FileOutcome, RunResult

#: Files whose declarations this module can add to (by name, or by suffix for requirements files).
EDITABLE = ("pyproject.toml", "Pipfile", "setup.cfg", "tox.ini")


@dataclass(frozen=True)
class Addition:
    """One requirement to declare right after one declaration of the project."""

    request: RequirementRequest
    after: Declared

    @property
    def text(self) -> str:
        """The requirement as written after its neighbour, under the neighbour's environment
        marker (``; python_version >= "3.10"``): installed where the neighbour is."""
        requirement = Requirement(f"{self.request.name}>={self.request.minimum}")
        requirement.marker = self.after.requirement.marker
        return str(requirement)


def requested(result: RunResult, root: str | None) -> list[tuple[FileOutcome, RequirementRequest]]:
    """The requirement requests of the files of one project (``root``: its root, as each
    file's outcome says) whose edits stand."""
    return [(f, r) for f in result.files if f.changed and f.root == root for r in f.requirement_requests]


def merged(requests: Iterable[RequirementRequest]) -> list[RequirementRequest]:
    """One request per distribution: the highest minimum asked for wins."""
    by_name: dict[str, RequirementRequest] = {}
    for request in requests:
        key = canonicalize_name(request.name)
        known = by_name.get(key)
        if known is None or _version(request.minimum) > _version(known.minimum):
            by_name[key] = request
    return list(by_name.values())


def _version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        return Version("0")


def planned(requests: Iterable[RequirementRequest], folders: list[Path]) -> list[Addition]:
    """Where each request is declared: after the first declaration, in each place that
    lists it, of the first name of ``beside`` a test-dependency place lists; nowhere when
    the project declares the distribution already (in any file the model reads) or no
    editable test-dependency place lists any of ``beside``."""
    found = declarations(folders)
    additions = []
    for request in merged(requests):
        name = canonicalize_name(request.name)
        if any(d.name == name and not d.constrains_only for d in found):
            continue  # (a constraints file's line installs nothing)
        for neighbour in request.beside:
            places = _places(found, canonicalize_name(neighbour))
            if places:
                additions += [Addition(request, after) for after in places]
                break
    return additions


def _places(found: list[Declared], name: str) -> list[Declared]:
    """The first declaration of ``name`` in each editable test-dependency place."""
    seen: set[tuple[Path, str, tuple[str, ...]]] = set()
    places = []
    for declaration in found:
        if declaration.name != name or declaration.runtime or declaration.constrains_only or not editable(declaration.path):
            continue
        if tox_factors(declaration.text) is not None:
            continue  # installed by some tox envs only
        place = (declaration.path, declaration.where, declaration.keys)
        if place not in seen:
            seen.add(place)
            places.append(declaration)
    return places


def editable(path: Path) -> bool:
    """A file whose declarations this module edits: pyproject.toml, Pipfile, setup.cfg,
    tox.ini, or a requirements file pip-compile did not write."""
    if path.name in EDITABLE:
        return True
    if path.suffix != ".txt":
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return not compiled(text)


def compiled(text: str) -> bool:
    """A requirements file a resolver wrote: hashes (pip then refuses any line without one)
    or pip-compile's / uv's header."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            if "pip-compile" in stripped or "uv pip compile" in stripped:
                return True
        elif "--hash" in without_comment(stripped):
            return True
    return False


def withdraw_notes(result: RunResult, root: str | None, made: Iterable[RequirementRequest]) -> None:
    """The notes that said to declare what the run declared go (from the files that asked)."""
    answered = {(r.transform, r.note_kind) for r in made}
    for outcome, _request in requested(result, root):
        outcome.notes = [n for n in outcome.notes if (n.transform, n.kind) not in answered]


def unplaced_note(path: Path, addition: Addition) -> Note:
    return Note(
        display_path(path), addition.after.line, 1, "requirements",
        f"add {addition.text} after {addition.after.text!r} by hand (the migrated tests need it; "
        "this declaration is not edited here)",
        kind="requirement-not-added",
    )


# -- the edits, per format -------------------------------------------------------------------


def add_to(path: Path, text: str, additions: list[Addition]) -> tuple[str, list[Addition]]:
    """The file's text with the additions made, and those that could not be made."""
    name = path.name
    try:
        if name.endswith(".toml") or name == "Pipfile":
            return _add_toml(text, additions, pipfile=name == "Pipfile")
        if name in ("setup.cfg", "tox.ini"):
            return _add_ini(text, additions)
        if name.endswith(".txt") and not compiled(text):
            return _add_lines(text, additions)
    except Exception:  # noqa: BLE001 - a layout the libraries cannot edit: said, not guessed at
        pass
    return text, list(additions)


def _named(text: str, name: str) -> bool:
    """Whether a requirement as written (``pytest-asyncio==0.21  # c``) names ``name``."""
    requirement = written_requirement(text)
    return requirement is not None and canonicalize_name(requirement.name) == name


def _add_lines(text: str, additions: list[Addition]) -> tuple[str, list[Addition]]:
    lines = text.splitlines(keepends=True)
    left = []
    for addition in additions:
        name = addition.after.name
        spans = [(s, e, c) for s, e, c in logical_lines(lines) if not c.lstrip().startswith(("#", "-")) and _named(c, name)]
        span = next((x for x in spans if x[0] == addition.after.line - 1), spans[0] if spans else None)
        if span is None:
            left.append(addition)
            continue
        start, end, _content = span
        first, last = lines[start], lines[end]
        ending = last[len(last.rstrip("\r\n")):]
        indent = first[: len(first) - len(first.lstrip())]
        if ending:
            lines.insert(end + 1, f"{indent}{addition.text}{ending}")
        else:  # the last line, with no line break: the new one ends the file as it did
            newline = "\r\n" if "\r\n" in text else "\n"
            lines[end] = last + newline
            lines.insert(end + 1, f"{indent}{addition.text}")
    return "".join(lines), left


def _add_toml(text: str, additions: list[Addition], pipfile: bool) -> tuple[str, list[Addition]]:
    doc = tomlkit.parse(text)
    left = [a for a in additions if not _add_toml_one(doc, a, pipfile)]
    new = tomlkit.dumps(doc)
    toml_data(new)  # what does not parse back is never written (read as pytest reads it)
    return new, left


def _add_toml_one(doc: Any, addition: Addition, pipfile: bool) -> bool:
    """In the array the neighbour's keys lead to (PEP 621 extras, dependency groups, PDM,
    Hatch): a string after the neighbour's, quoted as it is; in the table (Poetry, Pipfile):
    a key after the neighbour's."""
    node = doc
    for key in addition.after.keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    name = addition.after.name
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, str) and _named(item, name):
                node.insert(index + 1, quoted_like(item, addition.text))
                return True
        return False
    body = getattr(getattr(node, "value", None), "body", None)
    if not isinstance(body, list) or not hasattr(node.value, "_insert_at"):
        return False  # an inline table, or a tomlkit without the insertion this needs
    for index, (key, value) in enumerate(body):
        if key is not None and canonicalize_name(key.key) == name:
            constraint = _constraint(value, addition, pipfile)
            node.value._insert_at(index + 1, canonicalize_name(addition.request.name), constraint)
            return True
    return False


def quoted_like(neighbour: Any, text: str) -> Any:
    """``text`` as a TOML string quoted as ``neighbour`` is (``'...'`` stays a literal string
    where ``text`` has no ``'``)."""
    literal = hasattr(neighbour, "as_string") and neighbour.as_string().startswith("'") and "'" not in text
    return tomlkit.string(text, literal=literal)


def _constraint(neighbour: Any, addition: Addition, pipfile: bool) -> str:
    """Poetry writes its caret where the neighbour does (``^1.0.5``: this release up to the
    next major); otherwise the PEP 440 lower bound."""
    minimum = addition.request.minimum
    version = neighbour.get("version") if isinstance(neighbour, dict) else neighbour
    if not pipfile and isinstance(version, str) and version.strip().startswith("^"):
        return f"^{minimum}"
    return f">={minimum}"


def _add_ini(text: str, additions: list[Addition]) -> tuple[str, list[Addition]]:
    updater = ConfigUpdater()
    updater.read_string(text)
    left = [a for a in additions if not _add_ini_one(updater, a)]
    new = kept_layout(text, str(updater))
    ConfigUpdater().read_string(new)  # what does not parse back is never written
    return new, left


def _add_ini_one(updater: ConfigUpdater, addition: Addition) -> bool:
    """An entry after the neighbour's in its option's value: one more line, indented as the
    others (a value on one line keeps it and continues below)."""
    if len(addition.after.keys) != 2:
        return False
    section, key = addition.after.keys
    if not updater.has_option(section, key):
        return False
    option = updater[section][key]
    lines = (option.value or "").split("\n")
    at = next((i for i, line in enumerate(lines) if _named(line.strip(), addition.after.name)), None)
    if at is None:
        return False
    entries = [line.strip() for line in lines]
    entries.insert(at + 1, addition.text)
    indent = indent_of(option.lines[1]) if len(option.lines) > 1 else "    "
    if entries[0] == "":
        option.set_values([e for e in entries[1:] if e], indent=indent)
    else:
        option.set_values([e for e in entries if e], indent=indent, prepend_newline=False)
    return True


def kept_layout(old: str, new: str) -> str:
    """``new`` (configupdater's text after setting an option's values) with each line it
    rewrote without changing more than its spacing put back as it was in ``old``: the key
    line of a value set again (``tests_require = `` with its trailing space, ``deps=``) and the
    entries an edit leaves (a trailing space) stay byte for byte. A line keeps its old text
    only where the two differ in the spacing inside it, and are both continuation lines or
    both not (the indentation that makes a line a continuation is never changed)."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    kept: list[str] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            kept += new_lines[j1:j2]  # (equal or inserted; deleted lines are gone)
            continue
        waiting = old_lines[i1:i2]
        for line in new_lines[j1:j2]:
            at = next((k for k, was in enumerate(waiting) if _same_but_spacing(was, line)), None)
            if at is None:
                kept.append(line)
            else:
                kept.append(waiting[at])
                waiting = waiting[at + 1:]  # in order: a later line never pairs with an earlier one
    return "".join(kept)


def _same_but_spacing(old: str, new: str) -> bool:
    """Both continuation lines or both not, with the same text once spacing is left out."""
    return old[:1].isspace() == new[:1].isspace() and "".join(old.split()) == "".join(new.split())


def indent_of(line: str) -> str:
    """The leading whitespace of an INI value's line (four spaces where it has none)."""
    return line[: len(line) - len(line.lstrip())] or "    "
