"""``Path.resolve()`` once per path and run.

Resolving a path asks the file system about every folder on the way (``lstat`` each),
and a run used to resolve each file several times (discovery, the test-code filter,
the survey, display): on a tree of 20,000 files that was most of the time spent on the
files that need nothing. Discovery records what it already knows (a file that is not a
symlink, in a resolved folder), and the engine forgets everything at the start of a run.
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


def remember_resolved(path: Path, real: Path) -> None:
    """Record that ``path`` resolves to ``real`` (the caller knows it without asking)."""
    _KNOWN[os.path.abspath(path)] = real


def forget_resolved() -> None:
    _KNOWN.clear()
