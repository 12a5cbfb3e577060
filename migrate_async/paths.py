"""``Path.resolve()`` once per path and run, and paths as a report shows them.

Resolving a path asks the file system about every folder on the way (``lstat`` each).
Discovery hands each file over with its resolved path (a file that is not a symlink, in
a folder resolved once); what still needs resolving elsewhere (folders, project roots,
the files a run rewrites) is resolved once here, and the engine forgets everything at
the start of a run.
"""

from __future__ import annotations

import os
from pathlib import Path

_KNOWN: dict[str, Path] = {}


def resolved(path: Path) -> Path:
    """``path.resolve()`` (not strict), remembered until :func:`forget_resolved`."""
    absolute = os.path.abspath(path)
    found = _KNOWN.get(absolute)
    if found is None:
        found = _KNOWN[absolute] = Path(os.path.realpath(absolute))
    return found


def forget_resolved() -> None:
    _KNOWN.clear()


def display_path(path: Path) -> str:
    """The path relative to the working folder when it is under it, else as given.

    A symbolic link is shown where it is (its folder resolved, not the link): a report
    names what the user sees, and a link leading out of the tree is shown inside it.
    """
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()  # already relative to the working folder, as the user wrote it
    # the folder resolved, not the file: a symbolic link is shown as itself, where it is
    full = str(resolved(path.parent) / path.name) if path.name else str(resolved(path))
    cwd = str(resolved(Path(".")))
    if full.startswith(cwd) and full[len(cwd):len(cwd) + 1] == os.sep:
        return Path(full[len(cwd) + 1:]).as_posix()
    if full == cwd:
        return "."
    return path.as_posix()


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether ``path`` resolves to ``folder`` (resolved) or to something below it: the
    question every "nothing outside the project tree" check asks."""
    return within(os.path.realpath(path), os.path.realpath(folder))


def within(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it, both already resolved (no file system
    call: the string test ``inside`` makes after resolving)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def read_whole(path: str) -> bytes:
    """The bytes of the file at ``path`` (``OSError`` where it cannot be read), as
    ``open(path, "rb").read()`` gives them, without the file object and the stats and seeks
    it takes to size its read (the scan reads every file of a tree, and most are small)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(fd, 1 << 16)
        if not data:
            return data
        parts = [data]
        while chunk := os.read(fd, 1 << 20):  # until the read at the end, as open() reads
            parts.append(chunk)
        return data if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


def file_size(path: str | Path) -> int:
    """The size of the file at ``path`` in bytes; 0 where it cannot be told (whoever reads
    it later says why it cannot)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
