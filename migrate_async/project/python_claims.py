"""The Pythons a project says it supports: the lowest one, and where it says so.

Read from its metadata (``requires-python``, ``python_requires``, the ``Programming Language
:: Python :: 3.X`` classifiers, Poetry's ``python``) and from tox's environment list
(``envlist = py38, py3{9,10}-aiohttp``): a pin the tool raises past what those Pythons can
install is said, with the place that claims the older Python. Nothing here writes.
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path
from typing import Any

import tomlkit
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from .config_files import toml_data
from .requirements import call_name, config_lines, floor, line_of, poetry_specifiers


@dataclass(frozen=True)
class PythonClaim:
    """The lowest Python a project says it supports, and where it says so."""

    version: Version  # 3.8
    path: Path
    line: int
    what: str  # "requires-python = '>=3.8'", "classifier 'Programming Language :: Python :: 3.8'"


CLASSIFIER_PREFIX = "Programming Language :: Python :: "


def lowest_python(folders: Iterable[Path]) -> PythonClaim | None:
    """The lowest Python the project's metadata in these folders admits: ``requires-python``
    (pyproject.toml), ``python_requires`` (setup.cfg, setup.py), the
    ``Programming Language :: Python :: 3.X`` classifiers and tox's envlist (``py38``), the
    most inclusive claim winning (a project that still lists 3.8 still tests on it). None
    when none says."""
    claims: list[PythonClaim] = []
    for folder in folders:
        readers = (
            ("pyproject.toml", _python_in_pyproject),
            ("setup.cfg", _python_in_setup_cfg),
            ("setup.py", _python_in_setup_py),
            ("tox.ini", _python_in_tox_ini),
        )
        for name, reader in readers:
            path = folder / name
            if path.is_file():
                try:
                    claims.extend(reader(path))
                except (OSError, UnicodeDecodeError, ValueError, SyntaxError, configparser.Error, tomlkit.exceptions.TOMLKitError):
                    continue
    return min(claims, key=lambda c: c.version, default=None)


def _python_claims(path: Path, lines: list[str], requires: Any, classifiers: Any, key: str) -> Iterator[PythonClaim]:
    if isinstance(requires, str):
        try:
            low = floor(SpecifierSet(requires))
        except InvalidSpecifier:
            low = None
        if low is not None:
            yield PythonClaim(Version(f"{low.major}.{low.minor}"), path, line_of(lines, requires), f"{key} {requires!r}")
    for classifier in classifiers if isinstance(classifiers, list) else []:
        if isinstance(classifier, str) and classifier.startswith(CLASSIFIER_PREFIX):
            try:
                version = Version(classifier[len(CLASSIFIER_PREFIX):].strip())
            except InvalidVersion:
                continue  # "Implementation :: CPython", "3 :: Only"
            if len(version.release) == 2:
                yield PythonClaim(version, path, line_of(lines, classifier), f"the classifier {classifier!r}")


def _python_in_pyproject(path: Path) -> Iterator[PythonClaim]:
    text = path.read_text(encoding="utf-8")
    data = toml_data(text)
    project = data.get("project")
    if isinstance(project, dict):
        yield from _python_claims(path, text.splitlines(), project.get("requires-python"), project.get("classifiers"), "requires-python")
    # Poetry's own table: [tool.poetry.dependencies] python = "^3.7" (alternatives with ||)
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if isinstance(poetry, dict):
        dependencies = poetry.get("dependencies")
        constraint = dependencies.get("python") if isinstance(dependencies, dict) else None
        for alternative in constraint.split("||") if isinstance(constraint, str) else ():
            specifiers = poetry_specifiers(alternative.strip())
            if specifiers:
                for claim in _python_claims(path, text.splitlines(), ",".join(specifiers), [], "python"):
                    yield replace(claim, line=line_of(text.splitlines(), constraint), what=f"python = {constraint!r}")
        yield from _python_claims(path, text.splitlines(), None, poetry.get("classifiers"), "python")


def _python_in_setup_cfg(path: Path) -> Iterator[PythonClaim]:
    text = path.read_text(encoding="utf-8")
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text, source=str(path))
    requires = parser.get("options", "python_requires", fallback=None)
    classifiers = config_lines(parser.get("metadata", "classifiers", fallback=""))
    yield from _python_claims(path, text.splitlines(), requires, classifiers, "python_requires")


def _python_in_setup_py(path: Path) -> Iterator[PythonClaim]:
    text = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.Call) and call_name(node.func) == "setup":
            values = {k.arg: k.value for k in node.keywords if k.arg in ("python_requires", "classifiers")}
            requires = values.get("python_requires")
            listed = values.get("classifiers")
            yield from _python_claims(
                path,
                text.splitlines(),
                requires.value if isinstance(requires, ast.Constant) else None,
                [e.value for e in listed.elts if isinstance(e, ast.Constant)] if isinstance(listed, (ast.List, ast.Tuple)) else None,
                "python_requires",
            )


def _python_in_tox_ini(path: Path) -> Iterator[PythonClaim]:
    """The Pythons tox's ``[tox] envlist`` (or tox 4's ``env_list``) names by a ``pyXY``
    factor, its generative forms (``py{38,39}-django{3,4}``) expanded."""
    text = path.read_text(encoding="utf-8")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text, source=str(path))
    key = "envlist" if parser.has_option("tox", "envlist") else "env_list"
    value = parser.get("tox", key, fallback=None)
    if not value:
        return
    lines = text.splitlines()
    line = line_of(lines, key)
    for name in tox_env_names(value):
        for factor in name.split("-"):
            version = _factor_python(factor)
            if version is not None:
                yield PythonClaim(version, path, line, f"the tox environment {name!r}")


def tox_env_names(value: str) -> list[str]:
    """The environment names an envlist value stands for, read as tox reads it: each line
    split at the commas outside braces, whitespace dropped, and each name the product of its
    brace groups (``py{38,39}-django{3,4}`` → four names; ``py3{8-10,12}``: a numeric range
    is every number in it). Braces inside braces are nothing tox reads: no name comes of
    such an entry (nor of an unclosed one)."""
    names: list[str] = []
    for line in value.splitlines():
        for entry in _entries(line):
            for name in _expand(entry):
                if name not in names:
                    names.append(name)
    return names


def _entries(line: str) -> list[str]:
    """A line of an envlist split at its commas outside braces, whitespace dropped."""
    entries, depth, current = [], 0, ""
    for char in line:
        depth += (char == "{") - (char == "}")
        if depth == 0 and char == ",":
            entries.append(current)
            current = ""
        elif not char.isspace():
            current += char
    entries.append(current)
    return [entry for entry in entries if entry]


def _expand(entry: str) -> list[str]:
    """The names one entry stands for: the cartesian product of its brace groups."""
    parts: list[list[str]] = []
    rest = entry
    while rest:
        start = rest.find("{")
        if start < 0:
            parts.append([rest])
            break
        end = rest.find("}", start)
        if end < 0 or "{" in rest[start + 1:end]:
            return []  # unclosed, or nested: not a list tox expands
        parts += [[rest[:start]], _options(rest[start + 1:end])]
        rest = rest[end + 1:]
    return ["".join(choice) for choice in product(*parts)]


def _options(group: str) -> list[str]:
    """The choices of one brace group: its comma-separated options, ``8-10`` standing for
    8, 9 and 10 (tox 4's numeric ranges)."""
    options: list[str] = []
    for option in group.split(","):
        low, dash, high = option.partition("-")
        if dash and low.isdigit() and high.isdigit():
            options += [str(number) for number in range(int(low), int(high) + 1)]
        else:
            options.append(option)
    return options


def _factor_python(factor: str) -> Version | None:
    """``py38`` → 3.8, ``py310`` → 3.10, ``py3.9`` → 3.9; None for ``py3``, ``pypy3``, others."""
    if not factor.startswith("py") or factor.startswith("pypy"):
        return None
    digits = factor[2:]
    if "." in digits:
        major, _, minor = digits.partition(".")
    else:
        major, minor = digits[:1], digits[1:]
    if major != "3" or not minor.isdigit():
        return None
    return Version(f"3.{int(minor)}")
