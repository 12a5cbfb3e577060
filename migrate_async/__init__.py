"""migrate-async: upgrade async pytest suites to pytest-asyncio 1.x.

Python API::

    import migrate_async

    result = migrate_async.migrate_source(code, select=["asyncio-sleep"], target_version="1.5")
    result.code    # the new text (the same text when nothing applies)
    result.notes   # [Note(path, line, column, transform, message, kind, left), ...]

It raises ``libcst.ParserSyntaxError`` for code that does not parse, and ``KeyError`` for
an unknown transform name. Project-level settings (config file edits) are not made; they are
returned in ``result.config_requests``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .engine import SourceResult

__version__ = "0.1.0"


def migrate_source(
    code: str,
    select: Iterable[str] | None = None,
    target_version: str = "1.5",
    mode: str = "strict",
    path: str = "test_module.py",
) -> "SourceResult":
    """Migrate one module's text, as if it were ``path`` in a project in ``mode``."""
    from pathlib import Path

    from .engine import migrate_source as _migrate
    from .project import FileFacts, ProjectFacts, parse_version

    if mode not in ("strict", "auto"):
        raise ValueError(f"mode must be 'strict' or 'auto', not {mode!r}")
    project = ProjectFacts(mode=mode, target=parse_version(target_version))
    facts = FileFacts.for_path(project, Path(path))
    return _migrate(code, select=select, facts=facts)


__all__ = ["__version__", "migrate_source"]
