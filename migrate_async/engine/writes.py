"""The run's plan settled and written: the conftest.py requests placed, the planned result
checked (plan_check.py) and the edits it breaks withdrawn, then, under ``apply``, every file
that changes written, before the configuration edits (pipeline.py).

Placing the conftest.py requests is undone and done again whenever a file's edits go (a
withdrawal, a write that fails): what the other files asked for is placed on what is left.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import inside
from ..project import project_root
from ..transforms.transform import Transform
from .conftest_requests import apply_conftest_requests
from .files import atomic_write, write_failure
from .plan_check import PlanCheck
from .results import FileOutcome, RunResult

if TYPE_CHECKING:
    from .scan import ProjectPlan, Scanned


class _Placement:
    """The outcomes as they were before the conftest.py requests were placed, to place
    them again after a file's edits went."""

    def __init__(self, result: RunResult, plan_of: Sequence[ProjectPlan], plugins: list[Path]) -> None:
        self.result, self.plan_of, self.plugins = result, plan_of, plugins
        self._take()

    def _take(self) -> None:
        result = self.result
        self.sizes = (len(result.files), len(result.notes), len(result.errors))
        self.fields = [(o, o.changed, o.created, o.diff, o.texts, o.error) for o in result.files]

    def place(self) -> None:
        if any(outcome.conftest_requests for outcome in self.result.files):
            apply_conftest_requests(self.result, self.plan_of, False, self.plugins)
        self.notes = self.result.notes[self.sizes[1]:]  # what the placement said

    def undo(self) -> None:
        """Back to before the placement (what was noted since, by the check, stays)."""
        result = self.result
        files, _notes, errors = self.sizes
        del result.files[files:], result.errors[errors:]
        result.notes[:] = [n for n in result.notes if not any(n is mine for mine in self.notes)]
        for outcome, changed, created, diff, texts, error in self.fields:
            outcome.changed, outcome.created, outcome.diff, outcome.texts, outcome.error = changed, created, diff, texts, error

    def again(self) -> None:
        """Place the requests again on the outcomes as they are now (some files' edits
        went), the plans' ``changed`` said again from their files first."""
        for plan in self.plan_of:
            plan.changed = any(o.changed for o, p in zip(self.result.files, self.plan_of) if p is plan)
        self._take()
        self.place()

    def placed(self) -> list[FileOutcome]:
        """The outcomes the placement made or changed."""
        before = {id(o): texts for o, _c, _cr, _d, texts, _e in self.fields}
        return [o for o in self.result.files if id(o) not in before or before[id(o)] is not o.texts]


def settle(result: RunResult, plan_of: Sequence[ProjectPlan], scanned: Scanned, transforms: Sequence[type[Transform]], write: bool) -> None:
    """Place the conftest.py requests, check the planned result and withdraw what it breaks
    until nothing is, note what is left; then, with ``write``, write every file that changes.
    A file that cannot be written (its folder or itself not writable) is known before: it
    counts as unchanged in the check, so what relied on its edits is withdrawn too."""
    index = {id(o): i for i, o in enumerate(result.files[: len(plan_of)])}

    def forget(outcome: FileOutcome) -> None:
        """Take what ``outcome`` asked of its project's configuration out of its plan; a
        file left as it is counts, for what the transforms ask once per project, as one the
        run did not see (its wider-scoped async fixtures keep no ``loop_scope=``: a default
        of ``function`` would fail them with ScopeMismatch)."""
        at = index.get(id(outcome))
        if at is None:
            return
        plan = plan_of[at]
        if outcome.changed:
            plan.whole = False
        if outcome.config_requests:
            plan.requests = [r for r in plan.requests if not any(r is mine for mine in outcome.config_requests)]

    if write:
        for outcome in result.files:
            if outcome.changed and outcome.texts is not None and (error := cannot_write(outcome)) is not None:
                forget(outcome)
                outcome.failed(error)
        for plan in plan_of:
            plan.changed = any(o.changed for o, p in zip(result.files, plan_of) if p is plan)
    placement = _Placement(result, plan_of, [Path(p) for p in sorted(scanned.loaded)])
    placement.place()
    check = PlanCheck(result, scanned, transforms, write)

    while breaks := check.breaks():
        placement.undo()
        check.withdraw(breaks, forget)
        placement.again()
    check.report()
    if write:
        roots = [r for p in scanned.plans.values() if (r := project_root(p.project)) is not None]
        _write(result, placement, forget, roots)


def _write(result: RunResult, placement: _Placement, forget: Callable[[FileOutcome], None], roots: list[Path]) -> None:
    """Write the files the run changes: the rewritten ones first, then those the conftest.py
    requests were placed in (placed again without the requests of a file that could not be
    written)."""
    placed = {id(o) for o in placement.placed()}
    failed: list[tuple[FileOutcome, str]] = []
    for outcome in list(result.files):
        if id(outcome) not in placed and (error := _write_one(outcome, roots)) is not None:
            failed.append((outcome, error))
            forget(outcome)
            outcome.failed(error)
    if any(o.conftest_requests for o, _e in failed):
        placement.undo()
        for outcome, error in failed:
            outcome.failed(error)
        placement.again()
        placed = {id(o) for o in placement.placed()}
    for outcome in list(result.files):
        if id(outcome) in placed and (error := _write_one(outcome, roots)) is not None:
            outcome.failed(error)


def cannot_write(outcome: FileOutcome) -> str | None:
    """Why a file the run rewrites cannot be written, found before anything is (the error
    line), or None: it, or the folder its new text is first written in, is not writable."""
    path = Path(outcome.path)
    folder = path.parent if str(path.parent) else Path(".")
    if (not outcome.created and not os.access(path, os.W_OK)) or not os.access(folder, os.W_OK | os.X_OK):
        return write_failure(outcome.path, PermissionError(errno.EACCES, "Permission denied"))
    return None


def _write_one(outcome: FileOutcome, roots: list[Path]) -> str | None:
    """Write one outcome's new text (atomically, only over what was read); the error line
    when it cannot be."""
    if not outcome.changed or outcome.texts is None or outcome.error or outcome.written:
        return None
    original, new, encoding = outcome.texts
    path = Path(outcome.path)
    root = Path(outcome.root) if outcome.root is not None else _root_of(path, roots)
    try:
        atomic_write(path, new.encode(encoding), expected_old=None if outcome.created else original.encode(encoding), within=root)
    except OSError as exc:
        return write_failure(outcome.path, exc)
    outcome.written = True
    return None


def _root_of(path: Path, roots: list[Path]) -> Path | None:
    """The project root of a file the run creates (a conftest.py): the innermost of the
    run's project roots it is in."""
    inner = [root for root in roots if inside(path, root)]
    return max(inner, key=lambda root: len(root.parts)) if inner else None
