"""No silent misses: what the processed files still request after the run and nothing meets.

A transform says what a file's migrated code still requests and does not meet itself
(``Transform.unmet_requests``: a fixture the target no longer provides, checked per file in
process.py), and whether a module's text meets such requests (``Transform.meets_unmet``). A
request is met by a conftest.py at or above the file's folder within the project, or by a
plugin module pytest loads; each one left unmet is reported, file:line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..project import project_root
from ..transforms import BY_NAME
from .results import FileOutcome, RunResult

if TYPE_CHECKING:
    from .scan import ProjectPlan


def report_unmet_requests(result: RunResult, plan_of: Sequence[ProjectPlan], plugins: set[str]) -> None:
    """Note each request the processed files left that no conftest.py above them and no
    plugin module meets; ``plan_of[i]`` is the plan of ``result.files[i]`` and ``plugins``
    the real paths of the plugin modules pytest loads."""
    asking = [(outcome, plan) for outcome, plan in zip(result.files, plan_of) if outcome.unmet]
    if not asking:
        return
    final = {Path(os.path.abspath(f.path)): f.texts[1] for f in result.files if f.texts is not None}
    texts: dict[Path, str] = {}
    known: dict[tuple[Path, str], bool] = {}

    def meets(path: Path, transform: str) -> bool:
        """Whether the module at ``path`` (as the run leaves it) meets ``transform``'s requests."""
        if (path, transform) not in known:
            text = final.get(path)
            if text is None:
                text = texts.get(path)
            if text is None:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = ""
                texts[path] = text
            known[path, transform] = BY_NAME[transform].meets_unmet(text)
        return known[path, transform]

    met_by_plugin = {
        name: any(meets(Path(p), name) for p in sorted(plugins))
        for name in sorted({n.transform for outcome, _plan in asking for n in outcome.unmet})
    }
    for outcome, plan in asking:
        added = False
        for name in sorted({n.transform for n in outcome.unmet}):
            if met_by_plugin[name] or _met_above(outcome, plan, lambda path: meets(path, name)):
                continue
            outcome.notes.extend(n for n in outcome.unmet if n.transform == name)
            added = True
        if added:
            outcome.notes.sort(key=lambda n: (n.line, n.column, n.transform))


def _met_above(outcome: FileOutcome, plan: ProjectPlan, meets: Callable[[Path], bool]) -> bool:
    """Whether a conftest.py at or above the file's folder, within its project, meets it."""
    folder = Path(os.path.abspath(outcome.path)).parent
    root = project_root(plan.project)
    limit = Path(os.path.abspath(root)) if root is not None else folder
    for here in (folder, *folder.parents):
        if meets(here / "conftest.py"):
            return True
        if here == limit or limit not in here.parents:
            break
    return False
