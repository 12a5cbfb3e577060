"""What a project declares it depends on: its requirements, read where projects write them.

``declarations(folders)`` reads, in each folder given (nearest first):
``pyproject.toml`` (``[project]`` dependencies and optional dependencies,
``[dependency-groups]``, Poetry's dependencies and groups, PDM's dev-dependencies, Hatch's
environments), ``*requirements*.txt`` and ``requirements/*.txt`` with the files they include
through ``-r``/``-c``, ``setup.cfg`` (``install_requires``, ``extras_require``,
``tests_require``), ``setup.py`` (the same keywords of its ``setup()`` call, read with
``ast``, never run), ``tox.ini`` (``deps`` of every ``testenv``) and ``Pipfile``.

Every requirement string is parsed by ``packaging``; one it cannot parse is passed over
(never guessed at). Each declaration keeps its file and line, for the summary and notes.
Nothing here writes.
"""

from __future__ import annotations

import ast
import configparser
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .config_files import toml_data

#: Files that make a folder the root of a Python project (the search for declarations stops there).
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

#: The distribution migrate-async reads the pins of.
DEFAULT_DISTRIBUTION = "pytest-asyncio"

#: Lock files: never edited; a project that has one is told to re-lock.
LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")


@dataclass(frozen=True)
class Declared:
    """One requirement as a project declares it."""

    requirement: Requirement
    text: str  # as written (``pytest-asyncio>=1.4.0,<2``)
    path: Path
    line: int  # 1-based; the line the requirement's text starts on
    where: str  # the table, section or keyword it sits in ("[project.optional-dependencies] test")
    #: in a TOML file, the keys that lead to the array holding it, or to the table whose key
    #: it is (Poetry, Pipfile); in an INI file (setup.cfg, tox.ini), its section and option;
    #: empty elsewhere
    keys: tuple[str, ...] = ()
    #: what installing the project installs (``[project] dependencies``, ``install_requires``,
    #: Poetry's main table, Pipfile's ``[packages]``), not a test or development dependency
    runtime: bool = False
    #: a line of a constraints file (``-c``): it bounds a version pip installs for another
    #: reason and installs nothing itself
    constrains_only: bool = False
    #: a Poetry or Pipfile table constraint with a condition of its own (``python``,
    #: ``markers``, ``platform``, ``sys_platform``): installed only where that holds
    conditional: bool = False

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    def location(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            try:
                path = path.relative_to(root)
            except ValueError:
                pass
        return f"{path.as_posix()}:{self.line}"


def declarations(folders: Iterable[Path]) -> list[Declared]:
    """Every requirement declared in the dependency files of these folders, in file order."""
    found: list[Declared] = []
    seen: set[Path] = set()
    for folder in folders:
        for reader, path in _files_in(folder):
            if path in seen:
                continue
            seen.add(path)
            try:
                found.extend(reader(path, seen))
            except (OSError, UnicodeDecodeError, ValueError, SyntaxError, configparser.Error, tomlkit.exceptions.TOMLKitError):
                continue  # an unreadable dependency file declares nothing we can know
    return found


def declared(folders: Iterable[Path], name: str) -> list[Declared]:
    """The declarations of one distribution (``pytest-asyncio``, ``pytest_asyncio``: the same)."""
    return named(declarations(folders), name)


def named(found: Iterable[Declared], name: str) -> list[Declared]:
    """Those of ``found`` (declarations read once) that declare the distribution ``name``."""
    wanted = canonicalize_name(name)
    return [d for d in found if d.name == wanted]


def lock_files(folders: Iterable[Path]) -> list[Path]:
    return [folder / name for folder in folders for name in LOCK_FILES if (folder / name).is_file()]


def locked_version(lock: Path, name: str) -> Version | None:
    """The release of the distribution ``name`` a lock file locks (None: it locks none, or
    it cannot be read). ``uv.lock``, ``poetry.lock`` and ``pdm.lock`` list ``[[package]]``
    tables with ``name`` and ``version``; ``Pipfile.lock`` is JSON whose ``default`` and
    ``develop`` sections map each name to its ``"version": "==X"``."""
    wanted = canonicalize_name(name)
    try:
        text = lock.read_text(encoding="utf-8")
        if lock.name == "Pipfile.lock":
            data = json.loads(text)
            spelled = [
                (package, pinned.get("version"))
                for section in ("default", "develop") if isinstance(data.get(section), dict)
                for package, pinned in data[section].items() if isinstance(pinned, dict)
            ]
        else:
            packages = toml_data(text).get("package")
            spelled = [
                (package.get("name"), package.get("version"))
                for package in (packages if isinstance(packages, list) else []) if isinstance(package, dict)
            ]
    except (OSError, UnicodeDecodeError, ValueError, tomlkit.exceptions.TOMLKitError):
        return None
    for package, version in spelled:
        if isinstance(package, str) and isinstance(version, str) and canonicalize_name(package) == wanted:
            return _pinned(version)
    return None


def _pinned(version: str) -> Version | None:
    """The release a lock file's version names: a bare version (``0.21.1``, TOML locks) or
    an exact specifier (``==0.21.1``, Pipfile.lock), read by ``packaging``."""
    try:
        return Version(version)
    except InvalidVersion:
        pass
    try:
        exact = [s.version for s in SpecifierSet(version) if s.operator in ("==", "===")]
        return Version(exact[0]) if len(exact) == 1 else None
    except (InvalidSpecifier, InvalidVersion):
        return None


def declaration_folders(start: Path, limit: Path | None) -> list[Path]:
    """Where a project whose pytest configuration sits in ``start`` declares its dependencies:
    ``start``, then its parents up to the first folder that is a project root (see
    PROJECT_MARKERS), never above ``limit`` (the folder the run began in) unless ``start`` is
    itself above it."""
    folders = [start]
    here = start
    while not any((here / marker).exists() for marker in PROJECT_MARKERS):
        parent = here.parent
        if parent == here or limit is None or not _inside(parent, limit):
            break
        folders.append(parent)
        here = parent
    return folders


def marks_a_project(folder: Path) -> bool:
    """Whether ``folder`` looks like the root of a project: a PROJECT_MARKERS file, or a file
    that declares dependencies (``*requirements*.txt``, tox.ini, Pipfile)."""
    return any((folder / marker).exists() for marker in PROJECT_MARKERS) or next(_files_in(folder), None) is not None


def floor(specifier: SpecifierSet) -> Version | None:
    """The lowest release a specifier set admits, as far as its lower bounds tell (``==1.4.0``
    → 1.4.0, ``>=0.20,<1`` → 0.20, ``~=1.2`` → 1.2); None when it sets no lower bound."""
    low: Version | None = None
    for spec in specifier:
        if spec.operator in ("==", "===", ">=", "~=", ">"):
            text = spec.version.rstrip(".*")
            try:
                version = Version(text)
            except InvalidVersion:
                continue
            if low is None or version > low:
                low = version
    return low


# -- the files ------------------------------------------------------------------------------


def _files_in(folder: Path) -> Iterator[tuple[Any, Path]]:
    if (folder / "pyproject.toml").is_file():
        yield _read_pyproject, folder / "pyproject.toml"
    for path in sorted(folder.glob("*requirements*.txt")) + sorted(folder.glob("requirements/*.txt")):
        yield _read_requirements_file, path
    for name, reader in (("setup.cfg", _read_setup_cfg), ("setup.py", _read_setup_py), ("tox.ini", _read_tox_ini), ("Pipfile", _read_pipfile)):
        if (folder / name).is_file():
            yield reader, folder / name


def _parse(text: str) -> Requirement | None:
    try:
        return Requirement(text.strip())
    except InvalidRequirement:
        return None


def _after_space(text: str, mark: str) -> int:
    """Where ``mark`` first starts the text or follows whitespace (a space, a tab); -1 if nowhere."""
    at = text.find(mark)
    while at > 0 and not text[at - 1].isspace():
        at = text.find(mark, at + 1)
    return at


def without_comment(text: str) -> str:
    """A line up to its comment: a ``#`` that starts it or follows whitespace, space or tab,
    as pip and tox read one (a ``#`` inside a word, a URL's ``#egg=``, is none)."""
    at = _after_space(text, "#")
    return text if at < 0 else text[:at]


def written_requirement(text: str) -> Requirement | None:
    """A requirement as a line writes it (``pytest-asyncio==0.21  # pinned``,
    ``pytest-asyncio==0.21\t# pinned``, ``pytest==8.4 --hash=sha256:...``): its comment and
    per-requirement options (``--`` after whitespace) cut, the rest parsed by packaging; None
    when that is no requirement."""
    text = without_comment(text)
    option = _after_space(text, "--")
    return _parse(text if option < 0 else text[:option])


#: what a tox factor condition is spelled with (``py38,py39:``, ``!pypy-django32:``)
_FACTOR_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-,!{} ")


def tox_factors(entry: str) -> tuple[str, str] | None:
    """A tox ``deps`` entry conditioned on factors (``py311: pytest-asyncio==0.21.1``):
    (the condition with its colon and the space after it, the requirement); None for an
    entry without one (a URL's ``scheme:`` is no condition: no space follows it)."""
    head, colon, rest = entry.partition(":")
    if not colon or not rest.startswith((" ", "\t")) or not head.strip():
        return None
    if not set(head) <= _FACTOR_CHARACTERS:
        return None
    body = rest.lstrip()
    return entry[: len(entry) - len(body)], body


def line_of(lines: list[str], text: str, start: int = 0) -> int:
    """The 1-based line of the first line (from ``start``) that holds ``text`` as a whole
    entry, not as the start of a longer name (``pytest`` is not on the ``pytest-cov`` line);
    else of the first that holds it at all; 1 if none."""
    fallback = 0
    for number in range(start, len(lines)):
        line = lines[number]
        at = line.find(text)
        while at >= 0:
            if not fallback:
                fallback = number + 1
            after = line[at + len(text) : at + len(text) + 1]
            if not (after.isalnum() or after in "._-") or not after:
                return number + 1
            at = line.find(text, at + 1)
    return fallback or 1


def _key_line(lines: list[str], key: str, table: str | None = None) -> int:
    """The 1-based line where a TOML key ``key = ...`` is set (bare or quoted), after the
    header of ``table`` when it has one; 1 if none."""
    start = line_of(lines, f"[{table}]") - 1 if table and any(f"[{table}]" in line for line in lines) else 0
    for number in range(start, len(lines)):
        text = lines[number].strip()
        for spelling in (key, f'"{key}"', f"'{key}'"):
            if text.startswith(spelling) and text[len(spelling):].lstrip().startswith("="):
                return number + 1
    return 1


def _strings(
    path: Path, lines: list[str], values: Any, where: str, keys: tuple[str, ...] = (), runtime: bool = False
) -> Iterator[Declared]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return
    for value in values:
        if isinstance(value, str) and (requirement := _parse(value)) is not None:
            yield Declared(requirement, value.strip(), path, line_of(lines, value), where, keys, runtime)


def _read_pyproject(path: Path, seen: set[Path]) -> Iterator[Declared]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    data = toml_data(text)
    project = data.get("project", {})
    if isinstance(project, dict):
        yield from _strings(path, lines, project.get("dependencies"), "[project] dependencies", ("project", "dependencies"), runtime=True)
        for extra, values in _items(project.get("optional-dependencies")):
            yield from _strings(path, lines, values, f"[project.optional-dependencies] {extra}", ("project", "optional-dependencies", extra))
    for group, values in _items(data.get("dependency-groups")):
        yield from _strings(path, lines, values, f"[dependency-groups] {group}", ("dependency-groups", group))
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry", {}) if isinstance(tool.get("poetry"), dict) else {}
    tables = [(("tool", "poetry", "dependencies"), poetry.get("dependencies")), (("tool", "poetry", "dev-dependencies"), poetry.get("dev-dependencies"))]
    tables += [(("tool", "poetry", "group", g, "dependencies"), v.get("dependencies")) for g, v in _items(poetry.get("group")) if isinstance(v, dict)]
    for keys, deps in tables:
        table = ".".join(keys)
        for name, constraint in _items(deps):
            requirement = _poetry_requirement(name, constraint)
            if requirement is not None:
                yield Declared(
                    requirement, f"{name} {constraint}", path, _key_line(lines, name, table), f"[{table}]", keys,
                    runtime=keys == ("tool", "poetry", "dependencies"), conditional=_conditional(constraint),
                )
    pdm = tool.get("pdm", {}) if isinstance(tool.get("pdm"), dict) else {}
    for group, values in _items(pdm.get("dev-dependencies")):
        yield from _strings(path, lines, values, f"[tool.pdm.dev-dependencies] {group}", ("tool", "pdm", "dev-dependencies", group))
    hatch = tool.get("hatch", {}) if isinstance(tool.get("hatch"), dict) else {}
    for env, table in _items(hatch.get("envs")):
        if isinstance(table, dict):
            for key in ("dependencies", "extra-dependencies"):
                yield from _strings(path, lines, table.get(key), f"[tool.hatch.envs.{env}] {key}", ("tool", "hatch", "envs", env, key))


def _items(value: Any) -> list[tuple[str, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


#: the keys of a Poetry or Pipfile table constraint that limit where it is installed
_CONDITIONS = ("python", "markers", "platform", "sys_platform", "platform_system", "os_name")


def _conditional(constraint: Any) -> bool:
    return isinstance(constraint, dict) and any(key in constraint for key in _CONDITIONS)


def _poetry_requirement(name: str, constraint: Any) -> Requirement | None:
    """A Poetry dependency (``pytest-asyncio = "^0.21"``, ``{version = "~1.2"}``) as a PEP 508
    requirement; Poetry's caret and tilde ranges become the bounds they stand for."""
    if name == "python":
        return None
    if isinstance(constraint, dict):
        constraint = constraint.get("version", "*")
    specifiers = poetry_specifiers(constraint)
    if specifiers is None:
        return None
    try:
        return Requirement(name + ",".join(specifiers))
    except InvalidRequirement:
        return None


def poetry_specifiers(constraint: Any) -> list[str] | None:
    """A Poetry version constraint (``^0.21``, ``~1.2``, ``1.4.0``, ``>=1,<2``) as PEP 440
    specifiers; None when it is not one this reads."""
    if not isinstance(constraint, str):
        return None
    specifiers = []
    for part in constraint.split(","):
        part = part.strip()
        if part in ("", "*"):
            continue
        if part[0] in "^~" and not part.startswith("~="):
            bounds = _poetry_range(part[0], part[1:].strip())
            if bounds is None:
                return None
            specifiers.extend(bounds)
        elif part[0].isdigit():
            specifiers.append(f"=={part}")
        else:
            specifiers.append(part)
    return specifiers


def _poetry_range(kind: str, text: str) -> list[str] | None:
    try:
        parts = [int(p) for p in text.split(".")]
    except ValueError:
        return None
    if not parts:
        return None
    if kind == "^":  # the first non-zero component may not change
        index = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
    else:  # "~": the minor version may not change (the major, when only it is given)
        index = min(1, len(parts) - 1)
    upper = parts[: index + 1]
    upper[-1] += 1
    return [f">={text}", "<" + ".".join(str(p) for p in upper)]


def logical_lines(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(first, last index, content) of each logical line of a requirements file: a line
    ending in a backslash continues on the next (line endings of ``lines`` dropped)."""
    number = 0
    while number < len(lines):
        start = number
        logical = lines[number].rstrip("\r\n")
        while logical.endswith("\\") and number + 1 < len(lines):
            number += 1
            logical = logical[:-1] + lines[number].rstrip("\r\n")
        yield start, number, logical
        number += 1


def _read_requirements_file(path: Path, seen: set[Path], constraints: bool = False) -> Iterator[Declared]:
    """pip's requirements format: one requirement a line, ``#`` comments, ``\\`` continuations,
    options passed over, ``-r``/``-c`` (and their long spellings) followed once (what a
    constraints file names is ``constrains_only``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for start, _last, logical in logical_lines(lines):
        content = without_comment(logical).strip()
        if not content:
            continue
        if content.startswith("-"):
            option, _, rest = content.partition(" ")
            option, _, attached = option.partition("=")
            target = (attached or rest).strip()
            if option in ("-r", "--requirement", "-c", "--constraint") and target:
                included = (path.parent / target).resolve()
                if included not in seen and included.is_file():
                    seen.add(included)
                    yield from _read_requirements_file(included, seen, constraints or option in ("-c", "--constraint"))
            continue
        requirement = written_requirement(content)  # per-requirement options (--hash=...) go
        if requirement is not None:
            yield Declared(requirement, content, path, start + 1, "requirements", constrains_only=constraints)


def config_lines(value: str) -> list[str]:
    """The entries of a multi-line INI value, without comment lines and inline ``  # ...``."""
    entries = []
    for line in value.splitlines():
        entry = without_comment(line).strip()  # (a comment line leaves nothing)
        if entry:
            entries.append(entry)
    return entries


def _read_setup_cfg(path: Path, seen: set[Path]) -> Iterator[Declared]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text, source=str(path))
    if parser.has_section("options"):
        for key in ("install_requires", "tests_require"):
            if parser.has_option("options", key):
                entries = config_lines(parser.get("options", key))
                yield from _strings(path, lines, entries, f"[options] {key}", ("options", key), key == "install_requires")
    if parser.has_section("options.extras_require"):
        for extra, value in parser.items("options.extras_require"):
            yield from _strings(path, lines, config_lines(value), f"[options.extras_require] {extra}", ("options.extras_require", extra))


def _read_tox_ini(path: Path, seen: set[Path]) -> Iterator[Declared]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text, source=str(path))
    for section in parser.sections():
        if not (section == "testenv" or section.startswith("testenv:")) or not parser.has_option(section, "deps"):
            continue
        for entry in config_lines(parser.get(section, "deps")):
            if entry.startswith("-r") or entry.startswith("-c"):
                target = entry[2:].strip()
                included = (path.parent / target).resolve()
                if "{" not in target and included not in seen and included.is_file():
                    seen.add(included)
                    yield from _read_requirements_file(included, seen)
                continue
            factored = tox_factors(entry)
            if factored is not None and "{" not in factored[1]:
                # only the envs of those factors install it: it is theirs, raised in place
                requirement = _parse(factored[1])
                if requirement is not None:
                    yield Declared(requirement, entry, path, line_of(lines, entry), f"[{section}] deps", (section, "deps"))
                continue
            if "{" in entry:
                continue  # a substitution: tox expands it, we do not guess
            yield from _strings(path, lines, [entry], f"[{section}] deps", (section, "deps"))


def _read_pipfile(path: Path, seen: set[Path]) -> Iterator[Declared]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    data = toml_data(text)
    for table in ("packages", "dev-packages"):
        for name, constraint in _items(data.get(table)):
            conditional = _conditional(constraint)
            if isinstance(constraint, dict):
                constraint = constraint.get("version", "*")
            if not isinstance(constraint, str):
                continue
            try:
                specifier = "" if constraint.strip() == "*" else str(SpecifierSet(constraint))
                requirement = Requirement(name + specifier)
            except (InvalidSpecifier, InvalidRequirement):
                continue
            where = _key_line(lines, name, table)
            yield Declared(
                requirement, f"{name} {constraint}", path, where, f"[{table}]", (table,), runtime=table == "packages",
                conditional=conditional,
            )


def _read_setup_py(path: Path, seen: set[Path]) -> Iterator[Declared]:
    """The requirement lists passed to ``setup()`` as literals, or through names bound to
    literals at module level."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    bound: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            bound[node.targets[0].id] = node.value
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and call_name(node.func) == "setup"):
            continue
        for keyword in node.keywords:
            value = bound.get(keyword.value.id, keyword.value) if isinstance(keyword.value, ast.Name) else keyword.value
            if keyword.arg in ("install_requires", "tests_require", "setup_requires"):
                yield from _literal_requirements(path, value, keyword.arg, keyword.arg != "tests_require")
            elif keyword.arg == "extras_require" and isinstance(value, ast.Dict):
                for key, item in zip(value.keys, value.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        item = bound.get(item.id, item) if isinstance(item, ast.Name) else item
                        yield from _literal_requirements(path, item, f"extras_require {key.value}")


def call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_requirements(path: Path, value: ast.expr, where: str, runtime: bool = False) -> Iterator[Declared]:
    if not isinstance(value, (ast.List, ast.Tuple)):
        return
    for element in value.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            requirement = _parse(element.value)
            if requirement is not None:
                yield Declared(requirement, element.value, path, element.lineno, f"setup() {where}", runtime=runtime)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True
