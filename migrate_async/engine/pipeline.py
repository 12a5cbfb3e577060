"""A whole run, phase by phase: discover, scan (one read per file, scan.py), survey, rewrite
the candidates, complete what they asked of other files, check the planned result and write it
(writes.py: nothing is written before the check), edit configs."""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..discovery import Discovered, Found, discover
from ..paths import display_path, file_size, forget_resolved, resolved, within
from ..project import (
    FileFacts,
    ProjectResolver,
    Version,
    fallback_root,
    format_version,
    project_root,
)
from ..readings import forget_kept, forget_offered
from ..transforms.transform import Transform
from .config_requests import apply_config_requests
from .pin_checks import tell_clashes
from .process import process_item
from .requirement_edits import raise_requirements, tell_stale_locks
from .results import FileOutcome, RunResult
from .scan import NOTHING, ProjectPlan, Scanned, scan
from .survey import Survey
from .writes import settle

# Below this many candidate files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 64


@dataclass
class RunOptions:
    transforms: list[type[Transform]]
    #: None: each project's target follows its pytest-asyncio pins (the newest without any)
    target: Version | None
    write: bool = False
    jobs: int = 1
    exclude: list[str] = field(default_factory=list)
    all_files: bool = False
    #: apply excludes, .gitignore and the test-code filter to explicitly named files too
    force_exclude: bool = False
    #: where an explicit target came from, for the summary
    target_source: str = "--target-version"


def tune_gc() -> None:
    """Fewer garbage collections, for the command line and its workers.

    LibCST allocates millions of short-lived, acyclic nodes, and each full collection walks
    every object alive, the imported modules included. What is alive at start-up is moved
    out of the collector's sight (gc.freeze) and collections run less often.
    """
    gc.freeze()
    gc.set_threshold(20000, 20, 50)


def run(
    paths: Sequence[Path],
    options: RunOptions,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
) -> RunResult:
    """Discover, scan (one read per file), survey, rewrite the candidates, place their
    conftest.py requests, check the planned result (withdrawing what it breaks), write it,
    edit configs.

    Only the files the scan cannot settle are rewritten (in a process pool with
    ``--jobs``); they are read again there, which also gives ``apply`` a fresh copy to
    compare before writing.
    """
    forget_resolved()
    forget_offered()  # (trees a resolver used outside a run offered, or a run that failed)
    forget_kept()
    result = RunResult()
    common = _common_root(paths)
    # a folder named is the project as far as the user said; files named lie in one
    named_folder = any(p.is_dir() for p in paths) or not paths
    resolver = ProjectResolver(
        options.target, common, options.target_source if options.target else None,
        create_root=common if named_folder else fallback_root(common, resolved(Path.cwd())),
    )
    found = _discover(paths, options, resolver, result)
    # on a big tree the pool is there from the start: the survey runs in it during the scan
    pool = _pool(options) if len(found.files) >= PARALLEL_THRESHOLD else None
    try:
        survey = Survey(options.transforms, resolver, pool)
        scanned = scan(found, options, resolver, survey, progress)
        _settle_projects(result, scanned, survey, found, resolver)
        work = _work(paths, options, scanned, survey, _hook_folders(scanned, result))
        if progress is not None and work.settled:
            progress(work.settled, len(scanned.files), NOTHING)
        if pool is None and len(work.items) >= PARALLEL_THRESHOLD:
            pool = _pool(options)
        _process(work, result, len(scanned.files), progress, pool, options.jobs)
    finally:
        forget_offered()  # (the scan gives them up as it ends; not when it failed)
        forget_kept()  # (the glances took what they could)
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    settle(result, work.plan_of, scanned, options.transforms, options.write)
    active = _active_plans(result, scanned, paths)
    _edit_configs(result, active, scanned, options, paths)
    return result


def _discover(paths: Sequence[Path], options: RunOptions, resolver: ProjectResolver, result: RunResult) -> Discovered:
    """The files under ``paths`` (each project's own ignore rules apply); what cannot be
    found or is passed by goes to ``result``."""

    def root_of(folder: str) -> str | None:
        root = project_root(resolver.facts_for_dir(Path(folder)))
        return str(root) if root is not None else None

    found = discover(list(paths), options.exclude, force_exclude=options.force_exclude, root_of=root_of)
    for missing in found.missing:
        result.errors.append(f"{missing}:1:1: no such file or directory")
    result.errors.extend(found.skipped)
    result.left_alone.extend(found.passed_by)
    return found


def _settle_projects(result: RunResult, scanned: Scanned, survey: Survey, found: Discovered, resolver: ProjectResolver) -> None:
    """After the scan: the survey completed (it may refuse the run), and each project
    decided on (one line for each left alone)."""
    result.left_out = scanned.left_out
    result.left_out_with_fixtures = [display_path(Path(p)) for p in scanned.left_out_with_fixtures]
    result.considered = len(scanned.files)
    if survey.transforms:
        survey.conftests_above(scanned.worked_in.items(), found.real)
        survey.settle()
        survey.refuse()
    result.errors.extend(resolver.errors)
    for plan in scanned.plans.values():
        plan.decide()
        line = f"{plan.where}: {plan.left_alone}; nothing changed there"
        if plan.left_alone_advice:
            line = f"{line}. {plan.left_alone_advice}"
        if plan.left_alone is not None and line not in result.left_alone and any(p is plan for _e, p, _c, _v in scanned.files):
            result.left_alone.append(line)


@dataclass
class Work:
    """The files to process, each with its facts (``items``) and its project's plan
    (``plan_of``, index for index), and how many files the scan settled without them."""

    items: list[tuple[Path, str, FileFacts, tuple[str, ...], bool]] = field(default_factory=list)
    plan_of: list[ProjectPlan] = field(default_factory=list)
    settled: int = 0


def _work(paths: Sequence[Path], options: RunOptions, scanned: Scanned, survey: Survey, hooks: list[str]) -> Work:
    """The files that need processing: candidates, and files the survey reached."""
    names = tuple(t.name for t in options.transforms)
    named = [resolved(p) for p in paths]
    work = Work()
    reached = survey.anything  # else no file has survey facts
    for entry, plan, candidate, evidence in scanned.files:
        if plan.left_alone is not None or (hooks and _under_hook(entry, hooks, scanned.showing)):
            work.settled += 1
            continue
        entries = survey.entries_for(entry.real) if reached else ()
        # a conftest.py, or a module loaded as a plugin, may learn from the modules its
        # fixtures serve what it has to say (Transform.gather)
        below = (
            reached and not candidate and not entries
            and (entry.name == "conftest.py" or entry.real in scanned.loaded) and survey.below(entry.real)
        )
        if not candidate and not entries and not below:
            plan.active = True
            if evidence:
                plan.found.update(evidence)
            work.settled += 1
            continue
        path = Path(entry.path)
        facts = _facts_for(entry, plan, entries, scanned, survey, named)
        work.items.append((path, display_path(path), facts, names, options.write))
        work.plan_of.append(plan)
    return work


def _facts_for(
    entry: Found, plan: ProjectPlan, entries: Any, scanned: Scanned, survey: Survey, named: list[Path]
) -> FileFacts:
    """What the transforms know about one file: its project's facts, whether pytest loads
    it as a plugin, whether a loop fixture of the project's own serves it, its survey facts."""
    facts = FileFacts.for_path(plan.project, Path(entry.path))
    if scanned.loaded and entry.real in scanned.loaded:
        facts = dataclasses.replace(facts, is_conftest=True)  # pytest loads it as it loads a conftest.py
    if scanned.own_loop_files and (entry.path in scanned.own_loop_files or _below(entry.folder, scanned.own_loop_folders)):
        facts = facts.served_by_own_loop()
    if not plan.runs_a_loop and (root := project_root(plan.project)) is not None:
        if any(_at_or_below(resolved(root), folder) for folder in named):  # every file of it read
            facts = dataclasses.replace(facts, loop_runs=False)
    if entries:
        facts = survey.planned(dataclasses.replace(facts, survey=entries))
    if facts.is_conftest and survey.transforms:
        below = survey.below(entry.real)
        if below:
            complete = all(
                any(_at_or_below(Path(served), folder) for folder in named) for served in survey.serves(entry.real)
            )
            facts = dataclasses.replace(facts, below=below, below_complete=complete)
    return facts


def _pool(options: RunOptions) -> ProcessPoolExecutor | None:
    """The worker processes of ``--jobs`` (None for one job). They start at the first task."""
    return ProcessPoolExecutor(max_workers=options.jobs, initializer=tune_gc) if options.jobs > 1 else None


def _process(
    work: Work,
    result: RunResult,
    total: int,
    progress: Callable[[int, int, FileOutcome], None] | None,
    pool: ProcessPoolExecutor | None,
    jobs: int,
) -> None:
    """Process every file of ``work`` (in the pool when there is one), each outcome
    counted for its project's plan, in the order of ``work``."""
    outcomes: Iterable[FileOutcome]
    if pool is not None and len(work.items) > 1:
        outcomes = _in_pool(work, pool, jobs, total, progress)
        progress = None  # (told as the outcomes came)
    else:
        outcomes = (process_item(item) for item in work.items)
    for index, outcome in enumerate(outcomes):
        result.files.append(outcome)
        if not outcome.error:
            work.plan_of[index].take(outcome)
        else:
            work.plan_of[index].whole = False
        if progress is not None:
            progress(work.settled + index + 1, total, outcome)


def _in_pool(
    work: Work,
    pool: ProcessPoolExecutor,
    jobs: int,
    total: int,
    progress: Callable[[int, int, FileOutcome], None] | None,
) -> list[FileOutcome]:
    """The outcomes of ``work``'s files processed in the pool, in the order of ``work``.

    The biggest files go first and in small chunks, so that the last tasks are small ones
    and the workers finish close together (a file's cost grows with its size; in the order
    found, a chunk of big files could come last and keep one worker busy alone)."""
    items = work.items
    order = sorted(range(len(items)), key=lambda index: -file_size(items[index][0]))
    chunk = max(1, min(8, len(items) // (jobs * 16) or 1))
    outcomes: list[FileOutcome | None] = [None] * len(items)
    for done, (index, outcome) in enumerate(zip(order, pool.map(process_item, [items[i] for i in order], chunksize=chunk))):
        outcomes[index] = outcome
        if progress is not None:
            progress(work.settled + done + 1, total, outcome)
    return outcomes  # type: ignore[return-value]


def _active_plans(result: RunResult, scanned: Scanned, paths: Sequence[Path]) -> list[ProjectPlan]:
    """The projects a file was read of, each one's target said once; a project only some
    of whose folders or files were named is not seen whole."""
    named = [resolved(p) for p in paths]
    active = [p for p in scanned.plans.values() if p.active]
    for plan in active:
        root = project_root(plan.project)
        if root is None or not any(_at_or_below(resolved(root), folder) for folder in named):
            plan.whole = False  # only some folders or files of it were named
    for plan in active:
        project = plan.project
        line = f"{plan.where}: target pytest-asyncio {format_version(project.target)} ({project.target_source})"
        if line not in result.targets:
            result.targets.append(line)
    return active


def _edit_configs(
    result: RunResult, active: list[ProjectPlan], scanned: Scanned, options: RunOptions, paths: Sequence[Path]
) -> None:
    """The configuration edits the transforms asked for, then the requirement edits of the
    projects that changed."""
    configs_before = len(result.configs)
    apply_config_requests(result, active, options)
    edited = {c.path for c in result.configs[configs_before:] if c.diff}
    if any(entry.explicit for entry, _p, _c, _v in scanned.files):
        for config in result.configs[configs_before:]:
            if config.diff and config.settings:
                keys = ", ".join(sorted(config.settings))
                result.project_wide.append(
                    f"{config.path}: {keys} {'comes' if len(config.settings) == 1 else 'come'} from the project "
                    "configuration: it applies to every test under it, not only to the files named"
                )
    raise_requirements(
        result,
        [(p.project, p.project.target) for p in active if p.changed or _config_display(p) in edited],
        _common_root(paths),
        options.write,
    )
    tell_stale_locks(result, [p.project for p in active], _common_root(paths))
    tell_clashes(result, [(p.project, p.changed or _config_display(p) in edited) for p in active], _common_root(paths))


def _config_display(plan: ProjectPlan) -> str | None:
    config = plan.project.config
    where = config.path or config.create_at
    return display_path(where) if where is not None else None


def _hook_folders(scanned: Scanned, result: RunResult) -> list[str]:
    """The folders whose async tests a conftest.py hook of the project runs (said once each)."""
    folders = []
    for folder, (conftest, line) in sorted(scanned.hook_folders.items()):
        plan = next((p for e, p, _c, _v in scanned.files if e.folder == folder), None)
        if plan is not None and plan.left_alone is not None:
            continue  # already said for the whole project
        folders.append(folder)
        result.left_alone.append(
            f"{display_path(Path(conftest))}:{line}: its pytest_pyfunc_call hook runs the async tests "
            "below it; files there that do not use pytest-asyncio are left as they are"
        )
    return folders


def _under_hook(entry: Found, folders: list[str], showing: set[str]) -> bool:
    return entry.path not in showing and _below(entry.folder, folders)


def _below(here: str, folders: list[str]) -> bool:
    """Whether the folder ``here`` is one of ``folders`` or inside one."""
    return any(within(here, folder) for folder in folders)


def _common_root(paths: Sequence[Path]) -> Path:
    """The resolved folder the paths named have in common, a symbolic link counting where
    it is, not where it leads (the fallback project root must not be outside the tree)."""
    dirs = [
        resolved(p) if p.is_dir() and not os.path.islink(p) else resolved(Path(os.path.dirname(os.path.abspath(p))))
        for p in paths
    ] or [resolved(Path.cwd())]
    return Path(os.path.commonpath([str(d) for d in dirs]))


def _at_or_below(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
