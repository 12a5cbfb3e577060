"""No silent misses: what still requests ``event_loop`` after the run, where nothing defines it.

pytest-asyncio 1.x has no ``event_loop`` fixture. A test or fixture that still asks for it
after every edit (a parameter the transforms could not rewrite, ``usefixtures``,
``getfixturevalue``) errors with "fixture 'event_loop' not found" unless the project
defines one: in the module itself (checked per file, see process.py), in a conftest.py at
or above its folder within the project, or in a plugin module pytest loads. Each such
request left unmet is reported, file:line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..project import project_root
from ..pytest_model.event_loop import (
    FIXTURE_NAME,
    provides_event_loop,
    survey_event_loop,
)
from ..transforms.transform import Note
from .results import RunResult

if TYPE_CHECKING:
    from .pipeline import ProjectPlan

TRANSFORM = "event-loop-argument"


def message(how: str) -> str:
    return (
        f"still requests the event_loop fixture ({how}), which pytest-asyncio 1.x no longer "
        "provides and nothing here defines: it errors with \"fixture 'event_loop' not found\"; "
        "in async code use asyncio.get_running_loop(), and for sync code that needs a loop "
        "object define an event_loop fixture of the project's own (a new loop, yielded, then "
        "closed) in a conftest.py"
    )


def defines_event_loop(text: str) -> bool:
    """Whether a conftest.py or plugin module's text gives ``event_loop`` to the modules
    below it (``event_loop.provides_event_loop``)."""
    if FIXTURE_NAME not in text and "import *" not in text:
        return False
    try:
        return provides_event_loop(survey_event_loop(text))
    except (SyntaxError, ValueError, RecursionError):
        return True  # unreadable here: not a reason to report others


def report_unmet_loop_requests(result: RunResult, plan_of: Sequence[ProjectPlan], plugins: set[str]) -> None:
    """Note each request of ``event_loop`` the processed files left that no conftest.py
    above them and no plugin module defines; ``plan_of[i]`` is the plan of ``result.files[i]``
    and ``plugins`` the real paths of the plugin modules pytest loads."""
    asking = [(outcome, plan) for outcome, plan in zip(result.files, plan_of) if outcome.loop_requests]
    if not asking:
        return
    final = {Path(os.path.abspath(f.path)): f.texts[1] for f in result.files if f.texts is not None}
    known: dict[Path, bool] = {}

    def defines(path: Path) -> bool:
        if path not in known:
            text = final.get(path)
            if text is None:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = ""
            known[path] = defines_event_loop(text)
        return known[path]

    if any(defines(Path(p)) for p in sorted(plugins)):
        return
    for outcome, plan in asking:
        folder = Path(os.path.abspath(outcome.path)).parent
        root = project_root(plan.project)
        limit = Path(os.path.abspath(root)) if root is not None else folder
        covered = False
        for here in (folder, *folder.parents):
            if defines(here / "conftest.py"):
                covered = True
                break
            if here == limit or limit not in here.parents:
                break
        if covered:
            continue
        outcome.notes.extend(Note(outcome.path, line, column, TRANSFORM, message(how)) for line, column, how in outcome.loop_requests)
        outcome.notes.sort(key=lambda n: (n.line, n.column, n.transform))
