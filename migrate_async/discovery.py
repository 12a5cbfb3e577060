"""Paths on the command line → the Python files to look at.

Directories are walked for ``*.py``; ``.gitignore`` files (from the repository root down)
are honoured through pathspec; virtual environments, VCS and build folders are skipped;
``--exclude`` globs use the same gitignore syntax. A file named explicitly is always
processed. Symbolic links found while walking are not followed.

Nothing outside the project tree is ever edited through a symbolic link:

- a path named on the command line that goes through a link (the file itself, or a folder
  on the way as written) is taken only when where it leads is inside the project tree of
  where the link is: the root pytest would use (``root_of``, see project/model.py), found from
  the resolved folder holding the link, not from the link's target. Then the target is
  what is read and written (the link stays a link); otherwise it is skipped, one line;
- a ``*.py`` link found while walking a folder is not followed: when it leads to a file
  inside the folder walked, that file is found under its own name (and taken once);
  when it leads out of it, it is skipped with one line (a link to a folder, or a broken
  link, is passed by silently, as before).

This runs once per file of trees with tens of thousands of files, most of which need
nothing: it works on path strings and ``os.scandir`` entries (whose file type comes with
the directory listing), resolves each folder once, and asks pathspec only in folders that
a ``.gitignore`` or an ``--exclude`` pattern can reach.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

import pathspec

from .paths import display_path, inside

SKIP_DIRS = frozenset(
    {
        ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pytest_cache",
        ".ruff_cache", ".svn", ".tox", ".venv", "__pycache__", "__pypackages__", "_build",
        "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
    }
)


class Found(NamedTuple):
    """One file to look at."""

    path: str  # as the user would write it: the argument, then the names below it
    folder: str  # the resolved folder the file is in
    name: str  # the file's name as found
    explicit: bool  # named on the command line
    real: str  # the resolved file (a file named explicitly may be a symbolic link)


@dataclass
class Discovered:
    files: list[Found] = field(default_factory=list)  # sorted by path
    missing: list[str] = field(default_factory=list)  # arguments that do not exist
    real: set[str] = field(default_factory=set)  # the resolved paths of ``files``
    #: one line each (``path: reason``): symbolic links named that lead out of the tree
    skipped: list[str] = field(default_factory=list)
    #: one line each: ``*.py`` links found walking that lead out of the folder walked (said,
    #: not an error: the user did not ask for them, and a tree that has one is not broken)
    passed_by: list[str] = field(default_factory=list)


class _Spec:
    """A pathspec GitIgnoreSpec, with a quick test for the usual answer: no pattern matches.

    pathspec tries each pattern in turn in Python (about 40 µs per path for a typical
    Python .gitignore); one regular expression made of all its patterns' own expressions
    says in C whether any of them matches at all (about 2 µs). When none does, the spec
    has no opinion; when one does, pathspec decides, with its rules for negation and
    directories.
    """

    def __init__(self, spec: pathspec.GitIgnoreSpec) -> None:
        self.spec = spec
        self.any_match = _any_pattern(spec)

    def include(self, rel: str) -> bool | None:
        """pathspec's verdict on ``rel``: True (ignored), False (re-included), None (no opinion)."""
        if self.any_match is not None and self.any_match.search(rel) is None:
            return None
        return self.spec.check_file(rel).include


def _any_pattern(spec: pathspec.GitIgnoreSpec) -> re.Pattern[str] | None:
    """One expression that matches where any pattern of ``spec`` does, or None when the
    patterns cannot be joined (then every path goes to pathspec)."""
    sources = []
    flags = None
    for pattern in spec.patterns:
        regex = getattr(pattern, "regex", None)
        if getattr(pattern, "include", None) is None:
            continue  # a comment or blank line: never matches
        if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        if flags is None:
            flags = regex.flags
        if regex.flags != flags or "(?P=" in regex.pattern or "\\(" in regex.pattern:
            return None
        sources.append(_without_group_names(regex.pattern))
    if not sources:
        return None
    # pathspec spells a pattern without a slash "at any depth" as this prefix; sharing it
    # ("^(?:.+/)?(?:A|B)" matches where "^(?:.+/)?A|^(?:.+/)?B" does) spares the regex
    # engine retrying the prefix for each pattern: five times faster on a typical .gitignore
    anywhere = [source[len(_ANY_DEPTH):] for source in sources if source.startswith(_ANY_DEPTH)]
    parts = [f"(?:{source})" for source in sources if not source.startswith(_ANY_DEPTH)]
    if anywhere:
        parts.append(_ANY_DEPTH + "(?:" + "|".join(f"(?:{source})" for source in anywhere) + ")")
    try:
        return re.compile("|".join(parts), flags or 0)
    except re.error:
        return None


_ANY_DEPTH = "^(?:.+/)?"


def _without_group_names(source: str) -> str:
    """``(?P<name>...)`` groups as plain ``(?:...)`` ones: the same name in two patterns
    could not be joined into one expression, and nothing here reads the groups."""
    out = []
    start = 0
    while (found := source.find("(?P<", start)) != -1:
        out.append(source[start:found])
        out.append("(?:")
        start = source.index(">", found) + 1
    out.append(source[start:])
    return "".join(out)


def _under(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` (both resolved), or None when it is not below it."""
    if path == base:
        return ""
    prefix = base if base.endswith(os.sep) else base + os.sep
    return path[len(prefix):] if path.startswith(prefix) else None


class _Rules:
    """The .gitignore files and --exclude patterns that decide what is skipped."""

    def __init__(self, exclude: list[str] | None) -> None:
        self.exclude = _Spec(pathspec.GitIgnoreSpec.from_lines(exclude)) if exclude else None
        self.cwd = os.path.realpath(os.getcwd())
        self._specs: dict[str, _Spec | None] = {}

    def spec_in(self, folder: str) -> _Spec | None:
        """The .gitignore of a resolved folder, parsed once."""
        if folder not in self._specs:
            spec = None
            gitignore = os.path.join(folder, ".gitignore")
            if os.path.isfile(gitignore):
                try:
                    with open(gitignore, encoding="utf-8", errors="replace") as handle:
                        spec = _Spec(pathspec.GitIgnoreSpec.from_lines(handle.read().splitlines()))
                except (OSError, ValueError):
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def specs_along(self, chain: list[str]) -> list[tuple[str, _Spec]]:
        """The .gitignore specs of the folders in ``chain`` (shallowest first) that exist."""
        return [(folder, spec) for folder in chain if (spec := self.spec_in(folder)) is not None]

    def skipped(self, real: str, is_dir: bool, specs: list[tuple[str, _Spec]]) -> bool:
        """Whether an --exclude pattern or the deepest .gitignore with an opinion skips ``real``."""
        tail = "/" if is_dir else ""
        if self.exclude is not None:
            rel = _under(real, self.cwd)
            if rel is None:
                rel = real.lstrip(os.sep)
            if self.exclude.include(rel.replace(os.sep, "/") + tail):
                return True
        verdict: bool | None = None
        for base, spec in specs:
            rel = _under(real, base)
            if not rel:
                continue
            include = spec.include(rel.replace(os.sep, "/") + tail)
            if include is not None:
                verdict = include
        return bool(verdict)


def _repo_root(start: str) -> str | None:
    folder = start
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _ancestor_chain(folder: str) -> list[str]:
    """Resolved folders from the repository root down to ``folder`` (just it, outside a repository)."""
    root = _repo_root(folder)
    chain = [folder]
    if root is None:
        return chain
    while folder != root:
        folder = os.path.dirname(folder)
        chain.append(folder)
    chain.reverse()
    return chain


def discover(
    paths: list[Path],
    exclude: list[str] | None = None,
    force_exclude: bool = False,
    root_of: Callable[[str], str | None] | None = None,
) -> Discovered:
    """Files to look at; with ``force_exclude`` a named file is skipped like a found one
    when an exclude pattern or a .gitignore rule matches it (pre-commit names files).
    ``root_of`` gives the project root of a resolved folder (for named links, see the
    module docstring); without it, the folder holding the link is the tree."""
    result = Discovered()
    rules = _Rules(exclude)
    seen = result.real
    files = result.files

    for arg in paths:
        if not arg.exists():
            result.missing.append(str(arg))
            continue
        shown = str(arg)  # pathlib has already dropped "./", doubled and trailing separators
        outside = None
        for holder in _link_holders(shown):
            tree = (root_of(holder) if root_of is not None else None) or holder
            if not inside(shown, tree):
                outside = tree
                break
        if outside is not None:
            kind = "folder" if arg.is_dir() else "file"
            result.skipped.append(
                f"{shown}: a symbolic link to a {kind} outside the project ({display_path(Path(outside))}); not followed"
            )
            continue
        if arg.is_file():
            real = os.path.realpath(shown)
            folder = os.path.dirname(real)
            if force_exclude and rules.skipped(real, False, rules.specs_along(_ancestor_chain(folder))):
                continue
            if real not in seen:
                seen.add(real)
                files.append(Found(shown, folder, os.path.basename(shown), True, real))
            continue
        if not arg.is_dir():
            continue  # a socket or a pipe: nothing to read
        top = os.path.realpath(shown)
        _walk("" if shown == "." else shown, top, _ancestor_chain(top), rules, seen, files, result.passed_by)
    if os.sep == "/":
        files.sort(key=lambda found: found.path)
    else:
        files.sort(key=lambda found: found.path.replace(os.sep, "/"))
    return result


def _link_holders(shown: str) -> list[str]:
    """The resolved folders holding the symbolic links among the parts of ``shown``, in
    order (none when it goes through none).

    Every part is checked, of an absolute path too: a link in the middle of
    ``/work/proj/tests/test_a.py`` leads out as surely as the file itself. A link at the top
    of the file system (macOS's ``/tmp``, ``/var``) is the system's layout, not a project's.
    """
    absolute = os.path.abspath(shown)
    holders: list[str] = []
    prefix = os.sep
    for part in Path(absolute).parts[1:]:
        prefix = os.path.join(prefix, part)
        if os.path.islink(prefix):
            folder = os.path.dirname(prefix)
            if folder != os.sep:
                holders.append(os.path.realpath(folder))
    return holders


def _walk(
    shown: str, real: str, chain: list[str], rules: _Rules, seen: set[str], files: list[Found], skipped: list[str]
) -> None:
    """Collect the files below one folder (iteratively: trees can be deep)."""
    top, top_shown = real, shown or "."
    stack = [(shown, real, chain)]
    sep = os.sep
    while stack:
        shown, real, chain = stack.pop()
        try:
            with os.scandir(real) as listing:
                entries = list(listing)
        except OSError:
            continue  # unreadable folders are skipped, as os.walk does
        specs = rules.specs_along(chain)
        checked = bool(specs) or rules.exclude is not None
        prefix = shown + sep if shown else ""
        real_prefix = real + sep if not real.endswith(sep) else real
        below = []
        for entry in entries:
            name = entry.name
            # is_dir/is_file without following: a symbolic link is neither
            if entry.is_dir(follow_symlinks=False):
                if name in SKIP_DIRS or name.endswith(".egg-info"):
                    continue
                child = real_prefix + name
                if os.path.isfile(os.path.join(child, "pyvenv.cfg")):  # a virtual environment
                    continue
                if checked and rules.skipped(child, True, specs):
                    continue
                below.append((prefix + name, child, [*chain, child]))
            elif name.endswith(".py") and entry.is_file(follow_symlinks=False):
                key = real_prefix + name
                if checked and rules.skipped(key, False, specs):
                    continue
                if key not in seen:
                    seen.add(key)
                    files.append(Found(prefix + name, real, name, False, key))
            elif name.endswith(".py") and entry.is_symlink():
                key = real_prefix + name
                if checked and rules.skipped(key, False, specs):
                    continue
                target = os.path.realpath(key)
                if _under(target, top) is None and os.path.isfile(target):
                    skipped.append(
                        f"{prefix + name}: a symbolic link to a file outside the folder walked ({top_shown}); not followed"
                    )
        below.sort(reverse=True)
        stack.extend(below)
