"""event-loop-fixture's survey, second step: the modules that import an ``event_loop`` and
the modules they import it from, read together once every file has been surveyed.

A fixture imported into a test module is that module's fixture (pytest registers it under
the importer's name for it), so removing a module's ``event_loop`` is finished only in
every module that imports it: ``from pkg.test_utils import assert_run, event_loop`` loses
the name (and ``__all__`` with it), and the importer's tests get the loop the override
gave them from the covering conftest's loop-factories hook, through a branch matching the
importer (the helper module has no tests of its own to match). The importer follows the
helper's own verdict, so both say the same: where the helper's override is left, so is
every import of it; where an importer takes it in a way the rewrite cannot finish
(``event_loop = test_utils.event_loop``, ``import event_loop as loop``), the override is
left where it is, with that reason. A name removed from a module that re-exports it
(``from .helpers import event_loop`` in a package's ``__init__``) is removed from its
importers in turn, as is pytest-asyncio's own (``from pytest_asyncio.plugin import
event_loop``: 1.x no longer has it).
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from ...pytest_model.event_loop import LoopImport
from .survey import LoopOverrideSurvey, Override


def settle_imports(found: dict[str, Any]) -> dict[str, Any]:
    """``found`` (resolved path → this transform's survey) with what each module learns
    from the modules it imports ``event_loop`` from, and they from it."""
    surveys = {path: s for path, s in found.items() if isinstance(s, LoopOverrideSurvey)}
    if not any(s.loop_imports for s in surveys.values()):
        return found
    left, unfollowed = _blocked(surveys)
    for path, reason in left.items():
        surveys[path] = _left_alone(surveys[path], reason)
    for path, lines in unfollowed.items():
        surveys[path] = replace(surveys[path], unfollowed=frozenset(lines))
    losing = _losing(surveys)
    settled = dict(found)
    for path, survey in surveys.items():
        settled[path] = _settled(survey, surveys, losing)
    return settled


def _own(survey: LoopOverrideSurvey) -> Override | None:
    """The module's own module-level override (not one it imports)."""
    return next((o for o in survey.overrides if o.class_name is None and o.imported_from is None), None)


def _removes(survey: LoopOverrideSurvey) -> bool:
    own = _own(survey)
    return own is not None and own.action == "carry"


def _blocked(surveys: dict[str, LoopOverrideSurvey]) -> tuple[dict[str, str], dict[str, set[int]]]:
    """The helper modules whose override must stay: a module imports it in a way the
    rewrite cannot follow to its tests (path → the reason); and those importers' lines."""
    blocked: dict[str, str] = {}
    unfollowed: dict[str, set[int]] = {}
    for path, survey in sorted(surveys.items()):
        for binding, source in survey.loop_imports:
            helper = surveys.get(source) if source is not None else None
            if binding.how == "import" or helper is None or not _removes(helper):
                continue
            unfollowed.setdefault(path, set()).add(binding.line)
            blocked[source] = blocked.get(source) or (
                f"{_display(path, source)}:{binding.line} takes it {_how(binding)}, which this tool does not follow to "
                "that module's tests; import it there by name (from ... import event_loop) and run it again"
            )
    return blocked, unfollowed


def _how(binding: LoopImport) -> str:
    return "by assignment (event_loop = module.event_loop)" if binding.how == "assign" else "under another name"


def _display(importer: str, helper: str) -> str:
    """The importer as a note in the helper module says it: from the folder both are in."""
    try:
        return os.path.relpath(importer, os.path.commonpath([importer, os.path.dirname(helper)]))
    except ValueError:
        return os.path.basename(importer)


def _left_alone(survey: LoopOverrideSurvey, reason: str) -> LoopOverrideSurvey:
    own = _own(survey)
    assert own is not None
    kept = replace(own, action="leave", reason=reason, branch=False, moved_class=None, moved_instance=None)
    return replace(survey, overrides=tuple(kept if o is own else o for o in survey.overrides))


def _losing(surveys: dict[str, LoopOverrideSurvey]) -> set[str]:
    """The modules whose module-level ``event_loop`` goes in this run: their override is
    carried, their import of pytest-asyncio's goes, or they import it by name from one
    that loses it (and define none of their own), to a fixed point."""
    losing = {path for path, s in surveys.items() if _removes(s) or s.dropped}
    changed = True
    while changed:
        changed = False
        for path, survey in surveys.items():
            if path in losing or _own(survey) is not None:
                continue
            if any(b.how == "import" and source in losing for b, source in survey.loop_imports):
                losing.add(path)
                changed = True
    return losing


def _settled(
    survey: LoopOverrideSurvey, surveys: dict[str, LoopOverrideSurvey], losing: set[str]
) -> LoopOverrideSurvey:
    """One module's survey as its helpers' verdicts leave it."""
    dropped = set(survey.dropped)
    overrides = []
    for override in survey.overrides:
        helper = surveys.get(override.imported_path) if override.imported_path is not None else None
        own = _own(helper) if helper is not None else None
        if own is not None:
            override = _as_helper(override, own, helper)  # type: ignore[arg-type]
            if override.action == "carry":
                dropped.add(override.line)
        overrides.append(override)
    for binding, source in survey.loop_imports:
        if binding.how == "import" and source in losing and not any(o.line == binding.line for o in overrides):
            dropped.add(binding.line)
    own = _own(survey)
    if own is not None and own.branch and not survey.has_tests:
        # no test of its own to match: its importers' branches give their tests its loop
        overrides = [replace(o, branch=False) if o is own else o for o in overrides]
    return replace(survey, overrides=tuple(overrides), dropped=frozenset(dropped))


def _as_helper(override: Override, own: Override, helper: LoopOverrideSurvey) -> Override:
    """An importer's override as the helper module's own verdict has it."""
    where = override.imported_from
    if own.action != "carry":
        reason = own.reason or "its own module keeps it"
        return replace(override, action="leave", reason=f"{reason} ({where})", branch=False, factory_import=None)
    if own.extra != "none" or own.wraps:
        return replace(override, action="leave", branch=False, factory_import=None, reason=(
            f"its setup becomes an autouse fixture of {where.rsplit(':', 1)[0] if where else 'its module'}, which "
            "runs only for tests of modules that import it: import that fixture here in place of event_loop"
        ))
    if own.kind == "asyncio":
        return replace(override, kind="asyncio", factory=None, branch=False, factory_import=None, action="carry")
    factory = own.moved_class or own.factory
    module, level = override.imported_by or ("", 0)
    factory_import = None
    if own.kind == "custom" and factory is not None and (factory == own.moved_class or factory in helper.names):
        factory_import = (module, factory) if level == 0 and module else None
        if factory_import is None:
            return replace(override, action="leave", branch=False, factory_import=None, reason=(
                f"its loop class {factory} is imported here relatively, and the conftest.py whose "
                "pytest_asyncio_loop_factories hook gives this module's tests that loop cannot import it so"
            ))
    elif own.kind == "custom":
        return replace(override, action="leave", branch=False, factory_import=None, reason=(
            f"its loop comes from {factory}, which this tool cannot import into the conftest.py whose "
            "pytest_asyncio_loop_factories hook would give this module's tests that loop"
        ))
    return replace(
        override, action="carry", reason="", kind=own.kind, factory=factory, branch=True, factory_import=factory_import,
        debug=own.debug,
    )
