"""A whole run: discover, scan (one read per file), survey, rewrite the candidates, edit configs."""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..discovery import Discovered, Found, discover
from ..paths import display_path, forget_resolved, resolved
from ..project import (
    FileFacts,
    ProjectFacts,
    ProjectResolver,
    Version,
    format_version,
    in_test_folder,
    is_test_code,
    project_root,
)
from ..project.suppressions import SKIP
from ..pytest_model.event_loop import OWN_LOOP_MARK
from ..pytest_model.loading import (
    defines_event_loop,
    defines_fixtures_or_requests_event_loop,
    entry_point_plugins,
    loaded_by_conftest,
    module_files,
)
from ..pytest_model.runners import (
    SIGNS_IN_CODE,
    configures_pytest_asyncio,
    disabled_by,
    hook_runs_coroutines,
    other_runner,
    plugin_args,
)
from ..transforms.transform import ConfigRequest, Transform
from .config_requests import apply_config_requests
from .conftest_requests import apply_conftest_requests
from .loop_requests import report_unmet_loop_requests
from .prefilter import gate_strings
from .process import process_item
from .requirement_edits import raise_requirements
from .results import FileOutcome, RunResult
from .survey import Survey

#: a skip comment (either kind), as the scan sees it in a file's bytes
SKIP_COMMENT = SKIP.encode()
#: an ``event_loop`` fixture migrate-async added as the project's own (see OWN_LOOP_MARK)
OWN_LOOP_BYTES = OWN_LOOP_MARK.encode()

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


class ProjectPlan:
    """What one project's settings mean for every file in it, worked out once per project.

    ``bare`` facts carry no survey: a transform whose ``applies_to`` waits for the survey
    (event-loop-fixture) is left out here, and a file the survey later reaches is checked
    again with its full facts when it is processed. Files are first asked for the gate's
    few strings (see gate_strings); when none occurs, no transform here matches, and
    triggers that contain one of them cannot occur either.
    """

    def __init__(self, project: ProjectFacts, transforms: Sequence[type[Transform]], surveying: Sequence[type[Transform]]) -> None:
        self.project = project
        bare = FileFacts(project=project)
        self.transforms = [t for t in transforms if t.applies_to(bare)]
        self.gate = gate_strings(self.transforms) if self.transforms else ()
        gate = self.gate or ()

        def unstood(triggers: Iterable[bytes]) -> tuple[bytes, ...]:
            return tuple(t for t in triggers if not any(root in t for root in gate))

        self.evidence = [(t.name, t.triggers.project) for t in self.transforms if t.triggers.project]
        #: the evidence still possible in a file without any gate string
        self.evidence_on_miss = [(name, left) for name, triggers in self.evidence if (left := unstood(triggers))]
        #: whether a file without any gate string can still be one the survey wants
        self.survey_on_miss = any(
            wanted and unstood(wanted) == wanted
            for t in surveying
            for wanted in (t.triggers.survey, t.triggers.survey_also)
        )
        #: the project configures pytest-asyncio: that is evidence enough
        configures = any(key.startswith("asyncio_") for key in project.config.values)
        self.configured = [name for name, _ in self.evidence] if configures else []
        self.active = False  # a file of this project was read (and parsed, when it had to be)
        self.found: set[str] = set()  # transforms whose triggers.project occur in its files
        self.requests: list[ConfigRequest] = []
        self.changed = False  # a file of this project changes
        #: the run saw every file of the project pytest loads, each parsed, none kept as it
        #: is by a skip comment (see Transform.project_requests)
        self.whole = True
        config = project.config
        disabled = disabled_by(config)
        #: why pytest-asyncio does not run this project's async tests (then nothing is changed)
        self.left_alone: str | None = f"pytest-asyncio is disabled here ({disabled})" if disabled else other_runner(config)
        #: where pytest-asyncio shows: its configuration, its declaration, a file (see decide)
        self.shows_pytest_asyncio = configures_pytest_asyncio(config) is not None or bool(project.pins)

    def decide(self) -> None:
        """After the scan: a project that shows pytest-asyncio nowhere is left as it is."""
        if self.left_alone is None and not self.shows_pytest_asyncio:
            self.left_alone = (
                "pytest-asyncio is not used here (not declared, not imported, no asyncio mark, "
                "no asyncio_* setting)"
            )

    @property
    def where(self) -> str:
        config = self.project.config
        return display_path(config.path) if config.path is not None else "."

    def passes_gate(self, data: bytes) -> bool:
        gate = self.gate
        if gate is None:
            return True
        for root in gate:
            if root in data:
                return True
        return False

    def candidate(self, data: bytes) -> bool:
        """Whether a transform may change a file with these bytes (before the survey)."""
        for transform in self.transforms:
            if transform.matches(data):
                return True
        return False

    def evidence_in(self, data: bytes, passed: bool) -> list[str]:
        found = []
        for name, triggers in self.evidence if passed else self.evidence_on_miss:
            for trigger in triggers:
                if trigger in data:
                    found.append(name)
                    break
        return found

    def take(self, outcome: FileOutcome) -> None:
        """Count one processed file of the project (read and parsed without error)."""
        self.active = True
        self.found.update(outcome.evidence)
        self.requests.extend(outcome.config_requests)
        self.changed = self.changed or outcome.changed


_NOTHING = FileOutcome(path="")  # what progress is told about the files the scan settled


@dataclass
class Scanned:
    """What the scan found: the files to consider, each with its project's plan."""

    #: (file, its plan, whether a transform may change it, evidence found in it)
    files: list[tuple[Found, ProjectPlan, bool, list[str]]] = field(default_factory=list)
    plans: dict[int, ProjectPlan] = field(default_factory=dict)  # id(ProjectFacts) → its plan
    worked_in: dict[str, ProjectFacts] = field(default_factory=dict)  # folders with files to consider
    left_out: int = 0
    #: folders whose conftest.py runs coroutine tests in a pytest_pyfunc_call hook → (conftest, line)
    hook_folders: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: files that show pytest-asyncio themselves (its import or its mark)
    showing: set[str] = field(default_factory=set)
    #: files pytest loads as plugins (pytest_plugins, a conftest's star-import, pytest11), by real path
    loaded: set[str] = field(default_factory=set)
    #: files left out that define fixtures or take event_loop
    left_out_with_fixtures: list[str] = field(default_factory=list)
    #: in projects on pytest-asyncio 1.x: files that define an ``event_loop`` fixture of their
    #: own, and folders whose conftest.py does (by path as discovered)
    own_event_loop_files: set[str] = field(default_factory=set)
    own_event_loop_folders: list[str] = field(default_factory=list)


def _scan(
    found: Discovered,
    options: RunOptions,
    resolver: ProjectResolver,
    survey: Survey,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
) -> Scanned:
    """Read each file once: survey it, ask the pre-filter, record its evidence.

    This is what every file of a big tree costs, and most need nothing, so what can be is
    worked out per project (the plan) and per folder (its plan, whether it is a test folder).
    ``progress`` hears every so often how many files look settled so far, out of all found.
    """
    scanned = Scanned()
    scanned.loaded = _plugin_modules(found, resolver)
    loaded = scanned.loaded
    survey.plugins = frozenset(loaded)
    settled = 0
    plans = scanned.plans
    folders: dict[str, tuple[ProjectPlan, bool]] = {}  # resolved folder → (its plan, a test folder)
    surveying = bool(survey.transforms)
    for position, entry in enumerate(found.files):
        if progress is not None and position % 256 == 255:
            progress(settled, len(found.files), _NOTHING)
        folder = folders.get(entry.folder)
        if folder is None:
            project = resolver.facts_for_dir(Path(entry.folder))
            plan = plans.get(id(project))
            if plan is None:
                plan = plans[id(project)] = ProjectPlan(project, options.transforms, survey.transforms)
            # (a file named explicitly may be a symbolic link: its folder is checked alone)
            folder = (plan, not entry.explicit and in_test_folder(Path(entry.path), project))
            if not entry.explicit:
                folders[entry.folder] = folder
        plan, in_tests = folder
        name = entry.name
        if entry.explicit:
            considered = not options.force_exclude or is_test_code(Path(entry.path), plan.project)
        else:
            considered = in_tests or name == "conftest.py" or plan.project.matches_python_files(name)
        considered = considered or options.all_files or (bool(loaded) and entry.real in loaded)
        if not considered:
            scanned.left_out += 1
            if not surveying:
                continue
        real = entry.real
        try:
            with open(real, "rb", buffering=0) as handle:  # unbuffered: one read of the whole file
                data = handle.read()
        except OSError:
            if considered:  # processing reads it again and reports why it cannot
                plan.whole = False
                scanned.files.append((entry, plan, True, []))
                scanned.worked_in[entry.folder] = plan.project
            continue
        if SIGNS_IN_CODE[0] in data or SIGNS_IN_CODE[1] in data:
            plan.shows_pytest_asyncio = True
            scanned.showing.add(entry.path)
        if name == "conftest.py" and (line := hook_runs_coroutines(data)) is not None:
            scanned.hook_folders[entry.folder] = (entry.path, line)
        if (plan.project.on_pytest_asyncio_1 or OWN_LOOP_BYTES in data) and defines_event_loop(data):
            scanned.own_event_loop_files.add(entry.path)
            if name == "conftest.py":
                scanned.own_event_loop_folders.append(entry.folder)
        passed = plan.passes_gate(data)
        if surveying and (passed or plan.survey_on_miss):
            survey.look_at(real, entry.path, data)
        if not considered and defines_fixtures_or_requests_event_loop(data):
            scanned.left_out_with_fixtures.append(entry.path)
            plan.whole = False
        if considered and SKIP_COMMENT in data:
            plan.whole = False  # what it keeps as it is was not looked at
        if considered:
            scanned.worked_in[entry.folder] = plan.project
            candidate = passed and plan.candidate(data)
            scanned.files.append((entry, plan, candidate, [] if candidate else plan.evidence_in(data, passed)))
            settled += not candidate
    return scanned


def run(
    paths: Sequence[Path],
    options: RunOptions,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
) -> RunResult:
    """Discover, scan (one read per file), survey, rewrite the candidates, edit configs.

    Only the files the scan cannot settle are rewritten (in a process pool with
    ``--jobs``); they are read again there, which also gives ``apply`` a fresh copy to
    compare before writing.
    """
    forget_resolved()
    result = RunResult()
    resolver = ProjectResolver(options.target, _common_root(paths), options.target_source if options.target else None)

    def root_of(folder: str) -> str | None:
        root = project_root(resolver.facts_for_dir(Path(folder)))
        return str(root) if root is not None else None

    found = discover(list(paths), options.exclude, force_exclude=options.force_exclude, root_of=root_of)
    for missing in found.missing:
        result.errors.append(f"{missing}:1:1: no such file or directory")
    result.errors.extend(found.skipped)
    result.left_alone.extend(found.passed_by)
    survey = Survey(options.transforms, resolver)
    scanned = _scan(found, options, resolver, survey, progress)
    result.left_out = scanned.left_out
    result.left_out_with_fixtures = [display_path(Path(p)) for p in scanned.left_out_with_fixtures]
    result.considered = len(scanned.files)
    if survey.transforms:
        survey.conftests_above(scanned.worked_in.items(), found.real)
        survey.refuse()
    result.errors.extend(resolver.errors)
    for plan in scanned.plans.values():
        plan.decide()
        line = f"{plan.where}: {plan.left_alone}; nothing changed there"
        if plan.left_alone is not None and line not in result.left_alone and any(p is plan for _e, p, _c, _v in scanned.files):
            result.left_alone.append(line)
    hooks = _hook_folders(scanned, result)

    names = tuple(t.name for t in options.transforms)
    named = [resolved(p) for p in paths]
    work: list[tuple[Path, str, FileFacts, tuple[str, ...], bool]] = []
    plan_of: list[ProjectPlan] = []
    settled = 0
    reached = survey.anything  # else no file has survey facts
    for entry, plan, candidate, evidence in scanned.files:
        if plan.left_alone is not None or (hooks and _under_hook(entry, hooks, scanned.showing)):
            settled += 1
            continue
        entries = survey.entries_for(entry.real) if reached else ()
        if not candidate and not entries:
            plan.active = True
            if evidence:
                plan.found.update(evidence)
            settled += 1
            continue
        path = Path(entry.path)
        facts = FileFacts.for_path(plan.project, path)
        if scanned.loaded and entry.real in scanned.loaded:
            facts = dataclasses.replace(facts, is_conftest=True)  # pytest loads it as it loads a conftest.py
        if scanned.own_event_loop_files and (
            entry.path in scanned.own_event_loop_files or _below(entry.folder, scanned.own_event_loop_folders)
        ):
            facts = dataclasses.replace(facts, own_event_loop=True)
        if entries:
            facts = survey.planned(dataclasses.replace(facts, survey=entries))
        if facts.is_conftest and survey.transforms:
            below = survey.below(entry.real)
            if below:
                complete = any(_at_or_below(Path(os.path.dirname(entry.real)), folder) for folder in named)
                facts = dataclasses.replace(facts, below=below, below_complete=complete)
        work.append((path, display_path(path), facts, names, options.write))
        plan_of.append(plan)
    total = len(scanned.files)
    if progress is not None and settled:
        progress(settled, total, _NOTHING)

    outcomes: Iterable[FileOutcome]
    executor = None
    if options.jobs > 1 and len(work) >= PARALLEL_THRESHOLD:
        executor = ProcessPoolExecutor(max_workers=options.jobs, initializer=tune_gc)
        # small chunks: the last ones finish close together (legacy files cost 20-50 ms each)
        chunk = max(1, min(8, len(work) // (options.jobs * 16) or 1))
        outcomes = executor.map(process_item, work, chunksize=chunk)
    else:
        outcomes = (process_item(item) for item in work)
    try:
        for index, outcome in enumerate(outcomes):
            result.files.append(outcome)
            if not outcome.error:
                plan_of[index].take(outcome)
            else:
                plan_of[index].whole = False
            if progress is not None:
                progress(settled + index + 1, total, outcome)
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)

    if any(outcome.conftest_requests for outcome in result.files):
        apply_conftest_requests(result, plan_of, options.write, [Path(p) for p in sorted(scanned.loaded)])
    report_unmet_loop_requests(result, plan_of, scanned.loaded)
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
    return result


def _plugin_modules(found: Discovered, resolver: ProjectResolver) -> set[str]:
    """The files pytest loads as plugins: what conftest.py files name in ``pytest_plugins`` or
    star-import, the modules a project registers under the ``pytest11`` entry point group,
    and those its configuration names with ``-p`` in ``addopts``."""
    loaded: set[str] = set()
    roots: set[Path] = set()
    for entry in found.files:
        if entry.name != "conftest.py":
            continue
        conftest = Path(entry.real)
        root = project_root(resolver.facts_for_dir(Path(entry.folder))) or conftest.parent
        roots.add(root)
        try:
            with open(conftest, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        for module, level in loaded_by_conftest(data):
            loaded.update(os.path.realpath(p) for p in module_files(module, level, conftest, [root, conftest.parent]))
    if found.files:
        first = found.files[0]
        root = project_root(resolver.facts_for_dir(Path(first.folder)))
        if root is not None:
            roots.add(root)
    for root in roots:
        modules = entry_point_plugins([root])
        # and what the configuration names with -p (a module of the project: -p tests.loops)
        modules += [m for m in plugin_args(resolver.facts_for_dir(root).config) if not m.startswith("no:")]
        for module in modules:
            loaded.update(os.path.realpath(p) for p in module_files(module, 0, root / "setup.py", [root]))
    return loaded


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
    return any(here == folder or here.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


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
