"""Paths on the command line → the Python files to look at.

Directories are walked for ``*.py``; ``.gitignore`` files (from the repository root down)
are honoured through pathspec; virtual environments, VCS and build folders are skipped;
``--exclude`` globs use the same gitignore syntax. A file named explicitly is always
processed. Symbolic links found while walking are not followed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from .paths import remember_resolved, resolved

SKIP_DIRS = frozenset(
    {
        ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pytest_cache",
        ".ruff_cache", ".svn", ".tox", ".venv", "__pycache__", "__pypackages__", "_build",
        "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
    }
)


@dataclass
class Discovered:
    files: list[tuple[Path, bool]] = field(default_factory=list)  # (path, named explicitly)
    missing: list[str] = field(default_factory=list)  # arguments that do not exist


class _IgnoreStack:
    """.gitignore specs that apply below a folder, shallowest first."""

    def __init__(self) -> None:
        self._cache: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def spec_for(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._cache:
            spec = None
            gitignore = directory / ".gitignore"
            if gitignore.is_file():
                try:
                    lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except (OSError, ValueError):
                    spec = None
            self._cache[directory] = spec
        return self._cache[directory]

    def ignored(self, path: Path, is_dir: bool, chain: list[Path]) -> bool:
        """Whether the deepest .gitignore with an opinion on ``path`` ignores it."""
        verdict: bool | None = None
        for base in chain:
            spec = self.spec_for(base)
            if spec is None:
                continue
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if is_dir:
                rel += "/"
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)


def _repo_root(start: Path) -> Path | None:
    for base in (start, *start.parents):
        if (base / ".git").exists():
            return base
    return None


def _ancestor_chain(directory: Path) -> list[Path]:
    """Folders from the repository root down to ``directory`` (just it, outside a repository)."""
    root = _repo_root(directory)
    if root is None:
        return [directory]
    chain = [directory]
    for parent in directory.parents:
        chain.append(parent)
        if parent == root:
            break
    return list(reversed(chain))


def _is_venv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def discover(paths: list[Path], exclude: list[str] | None = None, force_exclude: bool = False) -> Discovered:
    """Files to look at; with ``force_exclude`` a named file is skipped like a found one
    when an exclude pattern or a .gitignore rule matches it (pre-commit names files)."""
    result = Discovered()
    exclude_spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    ignores = _IgnoreStack()
    seen: set[Path] = set()
    cwd = Path.cwd()

    def excluded(path: Path, is_dir: bool) -> bool:
        if exclude_spec is None:
            return False
        try:
            rel = resolved(path).relative_to(resolved(cwd)).as_posix()
        except ValueError:
            rel = resolved(path).as_posix().lstrip("/")
        if is_dir:
            rel += "/"
        return exclude_spec.match_file(rel)

    def add(path: Path, explicit: bool, key: Path | None = None) -> None:
        if key is None:
            key = resolved(path)
        else:
            remember_resolved(path, key)
        if key in seen:
            return
        seen.add(key)
        result.files.append((path, explicit))

    for arg in paths:
        if not arg.exists():
            result.missing.append(str(arg))
            continue
        if arg.is_file():
            if force_exclude:
                parent = arg.resolve().parent
                if excluded(arg, False) or ignores.ignored(arg.resolve(), False, _ancestor_chain(parent)):
                    continue
            add(arg, True)
            continue
        top = arg.resolve()
        base_chain = _ancestor_chain(top)
        for dirpath, dirnames, filenames in os.walk(arg):
            current = Path(dirpath)
            absolute = current.resolve()
            chain = base_chain + _between(top, absolute)
            keep = []
            for name in sorted(dirnames):
                child = current / name
                if name in SKIP_DIRS or name.endswith(".egg-info") or child.is_symlink():
                    continue
                if _is_venv(child) or ignores.ignored(absolute / name, True, chain) or excluded(child, True):
                    continue
                keep.append(name)
            dirnames[:] = keep
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                child = current / name
                if child.is_symlink():
                    continue
                if ignores.ignored(absolute / name, False, chain) or excluded(child, False):
                    continue
                add(child, False, absolute / name)  # not a symlink, in a resolved folder
    result.files.sort(key=lambda item: item[0].as_posix())
    return result


def _between(top: Path, directory: Path) -> list[Path]:
    """Folders strictly below ``top`` down to and including ``directory``."""
    if directory == top:
        return []
    rel = directory.relative_to(top)
    out = []
    current = top
    for part in rel.parts:
        current = current / part
        out.append(current)
    return out
