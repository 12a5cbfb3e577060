"""The scan: each file read once, and each project's plan (what its settings mean for every
file in it), before the survey and the rewrite (pipeline.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..discovery import Discovered, Found
from ..paths import display_path, read_whole, within
from ..present import Present
from ..project import (
    FileFacts,
    ProjectFacts,
    ProjectResolver,
    in_test_folder,
    is_test_code,
    project_root,
)
from ..project.suppressions import SKIP
from ..pytest_model.loading import (
    conftest_modules,
    defines_fixtures_or_takes_loop,
    defines_own_loop,
    entry_point_plugins,
    fixtures_reach,
    legacy_loop_fixture_use,
    may_use_legacy_loop_fixture,
    mentions_loop_fixture,
    module_files,
    provides_no_loop_fixture,
    ships_module,
)
from ..pytest_model.runners import (
    NOT_USED,
    SIGNS_IN_CODE,
    configures_options,
    disabled_by,
    hook_runs_coroutines,
    may_run_a_loop,
    not_run_here,
    plugin_args,
    plugin_runs_coroutines,
    shows_plugin,
    unset_scope_advice,
)
from ..readings import forget_offered
from ..transforms.transform import ConfigRequest, Transform
from .planned_reading import watched_words
from .prefilter import gate_strings
from .results import FileOutcome
from .survey import Survey

if TYPE_CHECKING:
    from .pipeline import RunOptions

#: a skip comment (either kind), as the scan sees it in a file's bytes
SKIP_COMMENT = SKIP.encode()


class ProjectPlan:
    """What one project's settings mean for every file in it, worked out once per project.

    ``bare`` facts carry no survey: a transform whose ``applies_to`` waits for the survey
    is left out here, and a file the survey later reaches is checked
    again with its full facts when it is processed. Files are first asked for the gate's
    few strings (see gate_strings); when none occurs, no transform here matches, and
    triggers that contain one of them cannot occur either.
    """

    def __init__(self, project: ProjectFacts, transforms: Sequence[type[Transform]], surveying: Sequence[type[Transform]]) -> None:
        self.project = project
        bare = self.bare = FileFacts(project=project)
        self.transforms = [t for t in transforms if t.applies_to(bare)]
        self.gate = gate_strings(self.transforms, project) if self.transforms else ()
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
        #: the project configures the plugin it migrates: that is evidence enough
        self.configured = [name for name, _ in self.evidence] if configures_options(project.config) else []
        self.active = False  # a file of this project was read (and parsed, when it had to be)
        self.found: set[str] = set()  # transforms whose triggers.project occur in its files
        self.requests: list[ConfigRequest] = []
        self.changed = False  # a file of this project changes
        #: the run saw every file of the project pytest loads, each parsed, none kept as it
        #: is by a skip comment (see Transform.project_requests)
        self.whole = True
        #: why the plugin the run migrates does not run this project's async tests (then
        #: nothing is changed), from the project model
        self.left_alone: str | None = not_run_here(project.config)
        #: what the line saying so adds (runners.NOT_USED: what a shared environment needs)
        self.left_alone_advice: str | None = None
        #: where the plugin shows: its configuration, its declaration, a file (see decide)
        self.shows_plugin = shows_plugin(project.config, project.declares_plugin)
        #: plugins running async tests whose tests a selected transform moves onto the plugin
        #: (not one the project ships itself: its suite tests that plugin)
        root = project_root(project)
        self.adopted = frozenset(
            module for t in self.transforms for module in t.adopts if not ships_module(module, root)
        )
        if self.adopted & project.autoloaded_runners:
            self.shows_plugin = True  # a declaration loads it everywhere, and its tests move
        #: the names whose bytes make the check of the planned result read a file
        #: (plan_check.watched_words): the scan keeps such files' bytes (Scanned.kept)
        self.watched = watched_words(project, transforms)
        #: the files read while the plugin showed nowhere else that name the old loop
        #: fixture (resolved path, whether the file is considered): read again in decide
        #: only when the plugin still shows nowhere (loading.legacy_loop_fixture_use)
        self.loop_mentions: list[tuple[str, bool]] = []
        #: a test file or conftest.py read may run a loop (runners.may_run_a_loop),
        #: or could not be read
        self.runs_a_loop = False

    def decide(self) -> None:
        """After the scan: a project that shows the plugin nowhere is left as it is. Its tests
        requesting the plugin's old loop fixture, which no file of the project defines, show it."""
        if not self.shows_plugin and self._requests_legacy_fixture():
            self.shows_plugin = True
        if self.left_alone is None and not self.shows_plugin:
            self.left_alone = NOT_USED
        if self.left_alone is not None and disabled_by(self.project.config) is None:
            # (not used, or anyio's or trio's mode runs the tests: pytest-asyncio loads if installed)
            self.left_alone_advice = unset_scope_advice(self.project.config)

    def _requests_legacy_fixture(self) -> bool:
        """Whether a test file of the project requests the old loop fixture while no file
        of it defines one."""
        requests = False
        for real, considered in self.loop_mentions:
            try:
                with open(real, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            requested, defines = legacy_loop_fixture_use(data)
            if defines:
                return False
            requests = requests or (requested and considered)
        return requests

    @property
    def where(self) -> str:
        config = self.project.config
        return display_path(config.path) if config.path is not None else "."

    def passes_gate(self, data: bytes | Present) -> bool:
        gate = self.gate
        if gate is None:
            return True
        for root in gate:
            if root in data:
                return True
        return False

    def candidate(self, data: bytes | Present) -> bool:
        """Whether a transform may change a file with these bytes (before the survey)."""
        for transform in self.transforms:
            if transform.matches(data, facts=self.bare):
                return True
        return False

    def evidence_in(self, data: bytes | Present, passed: bool) -> list[str]:
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


NOTHING = FileOutcome(path="")  # what progress is told about the files the scan settled


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
    #: files that show the plugin themselves (SIGNS_IN_CODE: its import or its mark)
    showing: set[str] = field(default_factory=set)
    #: files pytest loads as plugins (pytest_plugins, a conftest's star-import, pytest11), by real path
    loaded: set[str] = field(default_factory=set)
    #: each of ``loaded`` → the real folders whose tests its fixtures serve
    #: (loading.fixtures_reach), the modules in the order pytest registers them: the ``-p``
    #: and ``pytest11`` ones, then those the conftest.py files load
    reach: dict[str, list[str]] = field(default_factory=dict)
    #: the real project roots whose conftest.py loads a plugin module from outside the project
    #: (an installed test kit): what it provides is not seen
    unseen_plugins: set[str] = field(default_factory=set)
    #: files left out that define fixtures or take the loop fixture
    left_out_with_fixtures: list[str] = field(default_factory=list)
    #: files that define a loop fixture of the project's own (loading.defines_own_loop), and
    #: folders whose conftest.py does (by path as discovered)
    own_loop_files: set[str] = field(default_factory=set)
    own_loop_folders: list[str] = field(default_factory=list)
    #: files read that are not test code (when a survey wants every file), with their plan
    others: list[tuple[Found, ProjectPlan]] = field(default_factory=list)
    #: the bytes of the files holding one of their plan's watched names, by real path
    kept: dict[str, bytes] = field(default_factory=dict)


def scan(
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
    loop_folders: set[str] = set()
    adopted = frozenset(module for t in options.transforms for module in t.adopts)
    scanned.loaded = _plugin_modules(found, resolver, scanned.unseen_plugins, loop_folders, adopted, scanned.reach)
    loaded = scanned.loaded
    survey.plugins = frozenset(loaded)
    survey.reach = scanned.reach
    survey.loop_conftest_folders = frozenset(loop_folders)
    settled = 0
    plans = scanned.plans
    folders: dict[str, tuple[ProjectPlan, bool]] = {}  # resolved folder → (its plan, a test folder)
    surveying = bool(survey.transforms)
    for position, entry in enumerate(found.files):
        if progress is not None and position % 256 == 255:
            progress(settled, len(found.files), NOTHING)
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
            data = read_whole(real)
        except OSError:
            if considered:  # processing reads it again and reports why it cannot
                plan.whole = False
                plan.runs_a_loop = True
                scanned.files.append((entry, plan, True, []))
                scanned.worked_in[entry.folder] = plan.project
            continue
        # (each string looked for once in the file: the checks below ask many of the same)
        present = Present(data)
        if SIGNS_IN_CODE[0] in present or SIGNS_IN_CODE[1] in present:
            plan.shows_plugin = True
            scanned.showing.add(entry.path)
        if considered and not plan.runs_a_loop and may_run_a_loop(present):
            plan.runs_a_loop = True
        if not plan.shows_plugin and may_use_legacy_loop_fixture(present):
            plan.loop_mentions.append((real, considered))
        if name == "conftest.py" and (line := hook_runs_coroutines(data)) is not None:
            scanned.hook_folders[entry.folder] = (entry.path, line)
        elif name == "conftest.py" and (runner := plugin_runs_coroutines(data)) is not None:
            if runner[0] in plan.adopted:
                plan.shows_plugin = True  # a selected transform moves its tests onto the plugin
            else:
                scanned.hook_folders[entry.folder] = (entry.path, runner[1])
        if defines_own_loop(plan.project, present):
            scanned.own_loop_files.add(entry.path)
            if name == "conftest.py":
                scanned.own_loop_folders.append(entry.folder)
        for word in plan.watched:
            if word in present:
                scanned.kept[real] = data
                break
        if not considered:
            scanned.others.append((entry, plan))
        passed = plan.passes_gate(present)
        if surveying and (passed or plan.survey_on_miss):
            survey.look_at(real, entry.path, data, entry.folder, present, name)
        if not considered and defines_fixtures_or_takes_loop(data):
            scanned.left_out_with_fixtures.append(entry.path)
            plan.whole = False
        if considered and SKIP_COMMENT in present:
            plan.whole = False  # what it keeps as it is was not looked at
        if considered:
            scanned.worked_in[entry.folder] = plan.project
            candidate = passed and plan.candidate(present)
            scanned.files.append((entry, plan, candidate, [] if candidate else plan.evidence_in(present, passed)))
            settled += not candidate
    forget_offered()  # (the trees the project model read for the survey and it did not take)
    return scanned


def _conftests(found: Discovered, resolver: ProjectResolver) -> Iterable[tuple[str, str, bool]]:
    """(resolved path, resolved folder, whether the run reads it) of each conftest.py pytest
    loads for the files found: theirs, then those above their folders (up to each project's
    root) that the run does not read (a run over some folders or files of a project)."""
    folders: set[str] = set()
    for entry in found.files:
        folders.add(entry.folder)
        if entry.name == "conftest.py":
            yield entry.real, entry.folder, True
    looked_in: set[str] = set()
    for start in sorted(folders):
        root = project_root(resolver.facts_for_dir(Path(start)))
        top = os.path.realpath(root) if root is not None else start
        folder = start
        while folder not in looked_in:
            looked_in.add(folder)
            candidate = os.path.join(folder, "conftest.py")
            if candidate not in found.real and os.path.isfile(candidate):
                yield candidate, folder, False
            parent = os.path.dirname(folder)
            if folder == top or parent == folder or not within(start, top):
                break
            folder = parent


def _plugin_modules(
    found: Discovered, resolver: ProjectResolver, unseen: set[str], loop_folders: set[str], adopted: frozenset[str],
    reach: dict[str, list[str]],
) -> set[str]:
    """The files pytest loads as plugins: what conftest.py files (those found, and those
    above them: :func:`_conftests`) name in ``pytest_plugins`` or star-import, the modules
    a project registers under the ``pytest11`` entry point group, and those its
    configuration names with ``-p`` in ``addopts``. ``unseen`` gets the real
    roots of the projects whose conftest.py names one from outside the project (not one of
    the plugins known to provide no loop fixture, nor one the run takes out: ``adopted``, whose
    tests a selected transform moves onto the plugin); ``loop_folders`` the resolved folders
    of the files found whose conftest.py names the loop fixture
    (``loading.mentions_loop_fixture``); ``reach``
    each module's folders whose tests its fixtures serve (``loading.fixtures_reach``)."""
    loaded: set[str] = set()
    roots: set[Path] = set()

    def serves(files: Iterable[Path], folder: Path) -> None:
        where = os.path.realpath(folder)
        for path in files:
            real = os.path.realpath(path)
            loaded.add(real)
            folders = reach.setdefault(real, [])
            if where not in folders:
                folders.append(where)
    named: list[tuple[list[Path], Path]] = []  # what the conftest.py files load, served after
    for real, folder, read in _conftests(found, resolver):
        conftest = Path(real)
        root = project_root(resolver.facts_for_dir(Path(folder))) or conftest.parent
        roots.add(root)
        try:
            with open(conftest, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if read and mentions_loop_fixture(data):
            loop_folders.add(folder)
        for module, level, files, reach_folder in conftest_modules(conftest, data, root):
            named.append((files, reach_folder))
            if not files and level == 0 and not provides_no_loop_fixture(module) and module not in adopted:
                unseen.add(os.path.realpath(root))
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
            serves(module_files(module, 0, root / "setup.py", [root]), fixtures_reach(True, root, root))
    # (after: pytest registers the -p and pytest11 plugins first, at its start, so a
    # pytest_plugins module's fixture of the same name wins over theirs)
    for files, reach_folder in named:
        serves(files, reach_folder)
    return loaded
