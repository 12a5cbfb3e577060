"""Project context: the pytest configuration that governs a file and what follows from it."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..discovery import SKIP_DIRS
from ..paths import resolved
from ..pytest_model import aiohttp, loop_scopes
from ..pytest_model.aiohttp_loop import (
    plugin_loop_fixtures,
    plugin_shown,
    project_plugin_fixtures,
)
from ..pytest_model.collection import ignored_paths
from ..pytest_model.versions import (
    NEWEST_TARGET,
    NO_EVENT_LOOP_FIXTURE,
    OLDEST_TARGET,
    Version,
)
from .config_files import (
    MISSING,
    ConfigError,
    PytestConfig,
    find_config,
    load_config_file,
)
from .formatting import CodeStyle, detect_style
from .requirements import (
    DEFAULT_DISTRIBUTION,
    Declared,
    declaration_folders,
    declarations,
    floor,
    marks_a_project,
)

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
#: Plugins built on pytest-asyncio whose declarations the project model keeps (canonical names).
COMPANION_DISTRIBUTIONS = frozenset({aiohttp.DISTRIBUTION})
DEFAULT_PYTHON_FUNCTIONS = ("test",)
DEFAULT_PYTHON_CLASSES = ("Test",)
TEST_FOLDER_NAMES = frozenset({"test", "tests", "testing"})
#: The configuration options ProjectFacts.planned takes from a run's planned settings, and
#: the attribute each sets.
PLANNED_OPTIONS = {
    "asyncio_default_fixture_loop_scope": "default_fixture_loop_scope",
    "asyncio_default_test_loop_scope": "default_test_loop_scope",
}


class UsageProblem(Exception):
    """A problem with what the user asked for (exit status 2)."""


def parse_version(text: str) -> Version:
    """'1.5', '1.4.1', '0.24' → (major, minor); out-of-range or malformed → UsageProblem."""
    pieces = text.strip().lstrip("v").split(".")
    try:
        numbers = [int(p) for p in pieces[:2]]
    except ValueError:
        numbers = []
    if len(numbers) != 2:
        raise UsageProblem(f"--target-version: '{text}' is not a version like 1.5 or 0.24")
    version = (numbers[0], numbers[1])
    if not OLDEST_TARGET <= version <= NEWEST_TARGET:
        raise UsageProblem(
            f"--target-version: {text} is outside the supported range "
            f"{format_version(OLDEST_TARGET)} to {format_version(NEWEST_TARGET)}"
        )
    return version


def format_version(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


@dataclass(frozen=True)
class ProjectFacts:
    """What every transform may know about the project a file belongs to."""

    config: PytestConfig = field(default_factory=lambda: PytestConfig(None, MISSING, ""))
    mode: str = "strict"
    mode_source: str = "default"
    target: Version = NEWEST_TARGET
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    python_functions: tuple[str, ...] = DEFAULT_PYTHON_FUNCTIONS
    python_classes: tuple[str, ...] = DEFAULT_PYTHON_CLASSES
    default_fixture_loop_scope: str | None = None
    default_test_loop_scope: str | None = None
    trio_mode: bool = False
    #: where the target came from: "--target-version", a pin ("pytest-asyncio==1.4.0
    #: (requirements.txt:3)") or "default"
    target_source: str = "default"
    #: the project's declarations of pytest-asyncio (requirements.py), nearest first
    pins: tuple[Declared, ...] = ()
    #: how the project's code is formatted (formatting.py), for the lines our edits write
    style: CodeStyle = field(default_factory=CodeStyle)
    #: the loop fixtures of a plugin the project loads besides pytest-asyncio (pytest-aiohttp's
    #: ``loop``: pytest_model.aiohttp_loop), which request the loop of pytest-asyncio 0.x
    plugin_loops: frozenset[str] = frozenset()
    #: the project's declarations of plugins built on pytest-asyncio (pytest-aiohttp)
    companions: tuple[Declared, ...] = ()
    #: the fixtures of aiohttp's legacy names (``test_client``...) that the project's own
    #: plugin modules define (pytest_model.aiohttp_loop.project_plugin_fixtures)
    own_plugin_fixtures: frozenset[str] = frozenset()
    #: where the project shows pytest-aiohttp without declaring it (its module named in
    #: ``pytest_plugins`` or with ``-p``; a request of its fixtures that nothing of the
    #: project defines: pytest_model.aiohttp_requests), for the summary; empty when it does not
    plugin_shown: str = ""

    @classmethod
    def from_config(
        cls,
        config: PytestConfig,
        target: Version | None = NEWEST_TARGET,
        pins: tuple[Declared, ...] = (),
        target_source: str | None = None,
        style: CodeStyle | None = None,
        plugin_loops: frozenset[str] = frozenset(),
    ) -> "ProjectFacts":
        mode, source = _effective_mode(config)
        if target is None:
            target, target_source = target_from_pins(pins, project_root_of(config))
        return cls(
            config=config,
            mode=mode,
            mode_source=source,
            target=target,
            target_source=target_source or "default",
            pins=pins,
            python_files=tuple(config.get_list("python_files") or DEFAULT_PYTHON_FILES),
            python_functions=tuple(config.get_list("python_functions") or DEFAULT_PYTHON_FUNCTIONS),
            python_classes=tuple(config.get_list("python_classes") or DEFAULT_PYTHON_CLASSES),
            default_fixture_loop_scope=config.get_str("asyncio_default_fixture_loop_scope") or None,
            default_test_loop_scope=config.get_str("asyncio_default_test_loop_scope") or None,
            trio_mode=config.get_bool("trio_mode"),
            style=style or CodeStyle(),
            plugin_loops=plugin_loops,
        )

    def planned(self, settings: dict[str, str]) -> "ProjectFacts":
        """These facts as the run's own configuration edits will leave them
        (Transform.planned_settings): a planned default loop scope replaces the configured
        one, as the configuration edit will (a transform's request overrides what is set)."""
        changes = {
            attribute: settings[key]
            for key, attribute in PLANNED_OPTIONS.items()
            if key in settings and getattr(self, attribute) != settings[key]
        }
        return dataclasses.replace(self, **changes) if changes else self

    @property
    def strict(self) -> bool:
        return self.mode != "auto"

    @property
    def pinned_floor(self) -> tuple[int, int] | None:
        """The lowest pytest-asyncio release the project's pins admit (major, minor)."""
        floors = [f for d in self.pins if (f := floor(d.requirement.specifier)) is not None]
        if not floors:
            return None
        low = min(floors)
        return (low.major, low.minor)

    @property
    def declares_plugin(self) -> bool:
        """The project declares pytest-asyncio, or a plugin that installs it (pytest-aiohttp
        1.0 or newer, or with no version: the newest is), or shows that plugin as surely as a
        declaration would (``plugin_shown``: its tests request its fixtures, declared where the
        run cannot read, a CI file)."""
        return bool(self.pins) or bool(self.plugin_shown) or any(
            not str(d.requirement.specifier) or aiohttp.runs_on_pytest_asyncio(floor(d.requirement.specifier))
            for d in self.companions
        )

    @property
    def autoloaded_runners(self) -> frozenset[str]:
        """The plugin modules that run the project's coroutine tests themselves and that a
        declaration loads by entry point, without a ``pytest_plugins`` line (pytest-aiohttp
        0.x: aiohttp's legacy plugin)."""
        if any(aiohttp.loads_legacy_plugin(floor(d.requirement.specifier)) for d in self.companions):
            return frozenset({aiohttp.LEGACY_PLUGIN})
        return frozenset()

    def plugin_requirements(self) -> list[str]:
        """What a project whose declarations name neither the plugin nor a companion is told to
        declare for the migrated tests: the plugin at the target, and pytest-aiohttp at the
        release a migration declares where its tests show it (``plugin_shown``)."""
        wanted = [f"{DEFAULT_DISTRIBUTION}>={format_version(self.target)}"]
        if self.plugin_shown:
            wanted.append(f"{aiohttp.DISTRIBUTION}>={aiohttp.FLOOR}")
        return wanted

    def companion_floors(self) -> list[tuple[Declared, str]]:
        """Each declaration of a plugin built on pytest-asyncio, with the release it must be
        raised to where it admits older ones (the requirement edits ask, after a run that
        changed the project)."""
        return [(d, str(aiohttp.FLOOR)) for d in self.companions if d.name == aiohttp.DISTRIBUTION]

    @property
    def on_pytest_asyncio_1(self) -> bool:
        """The project's pins admit only pytest-asyncio 1.x: it has no legacy ``event_loop``
        fixture, so one it defines is its own (an ordinary fixture under 1.x)."""
        low = self.pinned_floor
        return low is not None and low >= NO_EVENT_LOOP_FIXTURE

    def matches_python_files(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.python_files)

    def is_test_function_name(self, name: str) -> bool:
        return any(_name_matches(name, p) for p in self.python_functions)

    def is_test_class_name(self, name: str) -> bool:
        return any(_name_matches(name, p) for p in self.python_classes)

    def default_gives_loop(self, cache_scope: str) -> bool:
        """Whether the default fixture loop scope gives a fixture of this cache scope its loop."""
        return loop_scopes.default_gives_loop(self.default_fixture_loop_scope, cache_scope)

    def fixture_loop_scope_for(self, cache_scope: str) -> str:
        """The loop scope a fixture without ``loop_scope=`` runs in today."""
        return loop_scopes.fixture_loop_scope(self.default_fixture_loop_scope, cache_scope)

    @property
    def test_loop_scope(self) -> str:
        """The loop a test without a ``loop_scope`` of its own runs on."""
        return loop_scopes.default_test_loop_scope(self.default_test_loop_scope)

    @property
    def fixture_default_loop_scope(self) -> str:
        """What the default fixture loop scope gives a fixture without ``loop_scope=``."""
        return loop_scopes.default_fixture_loop_scope(self.default_fixture_loop_scope)


def _name_matches(name: str, pattern: str) -> bool:
    """pytest's rule: a pattern with glob characters is a glob, otherwise a prefix."""
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatch(name, pattern)
    return name.startswith(pattern)


def _effective_mode(config: PytestConfig) -> tuple[str, str]:
    mode = (config.get_str("asyncio_mode") or "").lower()
    source = f"{config.display}: asyncio_mode" if mode else "default"
    args = config.get_list("addopts") or []
    for i, arg in enumerate(args):
        value = None
        if arg.startswith("--asyncio-mode="):
            value = arg.split("=", 1)[1]
        elif arg == "--asyncio-mode" and i + 1 < len(args):
            value = args[i + 1]
        if value:
            mode, source = value.lower(), f"{config.display}: addopts"
    if mode not in ("strict", "auto"):
        # "legacy" is rejected by pytest-asyncio >= 0.20; strict is what a fixed suite needs.
        return "strict", source if mode else "default"
    return mode, source


@dataclass(frozen=True)
class FileFacts:
    """ProjectFacts plus what is known about one file."""

    project: ProjectFacts = field(default_factory=ProjectFacts)
    path: str = "<string>"
    is_test_module: bool = True
    is_conftest: bool = False
    #: the project is on pytest-asyncio 1.x and an ``event_loop`` fixture of its own (in this
    #: file or a conftest.py above it) serves this file: ``event_loop`` is an ordinary fixture here
    own_event_loop: bool = False
    #: Cross-file facts from the survey pass: transform name → what that transform's
    #: ``survey`` found in the modules loaded as plugins whose fixtures serve this file, the
    #: conftest.py files above it and the file itself, nearest last (see Survey.entries_for).
    survey: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    #: For a conftest.py (or a module loaded as a plugin): transform name → what
    #: ``Transform.gather`` made of what that transform's survey found in the modules below
    #: the folder its fixtures serve (its own; a plugin's, the project root: see
    #: Survey.below), and whether the run looked at every module there (the folder is at or
    #: below a path named).
    below: tuple[tuple[str, Any], ...] = ()
    below_complete: bool = False
    #: for the survey: the resolved paths of the modules loaded as plugins (``pytest_plugins``,
    #: ``-p``), which serve every test as a root conftest.py does
    plugins: frozenset[str] = frozenset()
    #: for the survey: a conftest.py above the file may name the loop fixture (False: none of
    #: those the run read does, so no fixture of theirs takes the loop)
    loop_fixture_above: bool = True
    #: some test code of the session may run an event loop (False: the run read every test
    #: file and conftest.py of the project and none shows one: ``runners.may_run_a_loop``)
    loop_runs: bool = True

    def served_by_own_loop(self) -> FileFacts:
        """These facts, for a file that a loop fixture of the project's own serves (in the
        file or a conftest.py above it, see ``pytest_model.loading.defines_own_loop``)."""
        return dataclasses.replace(self, own_event_loop=True)

    def surveyed(self, transform: str) -> tuple[Any, ...]:
        for name, found in self.survey:
            if name == transform:
                return found
        return ()

    def gathered(self, transform: str) -> Any:
        """What the modules below this conftest.py told ``transform`` (None when nothing, or
        when the run did not look at all of them)."""
        if not self.below_complete:
            return None
        for name, found in self.below:
            if name == transform:
                return found
        return None

    @classmethod
    def for_path(cls, project: ProjectFacts, path: Path) -> "FileFacts":
        return cls(
            project=project,
            path=str(path),
            is_test_module=project.matches_python_files(path.name),
            is_conftest=path.name == "conftest.py",
        )


def fallback_root(common: Path, cwd: Path) -> Path:
    """Where a run on files below ``common`` (the folder the paths named share) takes the
    project to be rooted when no pytest configuration says so: where a new configuration
    file goes and where dependencies are read. pytest reads the configuration of the folder
    it is started in, so the root is not simply the folder of the files named
    (``apply tests/test_x.py`` must not create ``tests/pytest.ini``): it is the nearest folder
    at or above ``common`` that marks a project (see ``marks_a_project``), not above the
    current folder when that holds the files; when none does, the current folder, if it
    holds them and is neither the filesystem's root nor the home folder; else ``common``."""
    within = cwd == common or cwd in common.parents
    for here in (common, *common.parents):
        if marks_a_project(here):
            return here
        if within and here == cwd:
            break
    if within and cwd != Path(cwd.anchor) and cwd != Path.home():
        return cwd
    return common


class ProjectResolver:
    """Finds the ProjectFacts of each folder once (pytest's lookup walks up from the folder)."""

    def __init__(
        self,
        target: Version | None = NEWEST_TARGET,
        fallback_root: Path | None = None,
        target_source: str | None = None,
        create_root: Path | None = None,
    ) -> None:
        #: None: each project's target comes from its pins (see target_from_pins)
        self.target = target
        self.target_source = target_source
        #: the folder the run began in: declarations are not read above it
        self.fallback_root = fallback_root
        #: where a project without pytest configuration gets one (see ``fallback_root()``)
        self.create_root = create_root or fallback_root
        self._by_dir: dict[Path, ProjectFacts] = {}
        self._by_config: dict[tuple, ProjectFacts] = {}
        #: each configuration file read once: what it holds, or the error reading it gave
        self._files: dict[Path, PytestConfig | None | ConfigError] = {}
        #: each folder walked up from: the configuration found at or above it (find_config)
        self._nearest: dict[Path, PytestConfig | None] = {}
        self.errors: list[str] = []

    def facts_for_dir(self, directory: Path) -> ProjectFacts:
        cached = self._by_dir.get(directory)
        if cached is not None:
            return cached
        try:
            config = find_config(directory, self.create_root, self._load, self._nearest)
        except ConfigError as exc:
            message = str(exc)
            if message not in self.errors:
                self.errors.append(message)
            config = PytestConfig(None, MISSING, "", {}, create_at=None)
        key = (config.path, config.kind, config.section, config.create_at)
        facts = self._by_config.get(key)
        if facts is None:
            folders = self._folders(config)
            found = declarations(folders)
            pins = tuple(d for d in found if d.name == DEFAULT_DISTRIBUTION)
            companions = tuple(d for d in found if d.name in COMPANION_DISTRIBUTIONS)
            loops = plugin_loop_fixtures(companions, config, project_root_of(config))
            facts = ProjectFacts.from_config(
                config, self.target, pins, self.target_source, detect_style(folders), plugin_loops=loops
            )
            if companions:
                facts = dataclasses.replace(facts, companions=companions)
            elif shown := plugin_shown(facts, found, project_root_of(config)):
                facts = dataclasses.replace(facts, plugin_shown=shown[0], plugin_loops=facts.plugin_loops or shown[1])
            own = project_plugin_fixtures(config, project_root_of(config), aiohttp.RENAMES)
            if own:
                facts = dataclasses.replace(facts, own_plugin_fixtures=own)
            self._by_config[key] = facts
        self._by_dir[directory] = facts
        return facts

    def _load(self, path: Path) -> PytestConfig | None:
        """load_config_file, once per file: the folders of a tree share their files."""
        if path not in self._files:
            try:
                self._files[path] = load_config_file(path)
            except ConfigError as exc:
                self._files[path] = exc
        found = self._files[path]
        if isinstance(found, ConfigError):
            raise found
        return found

    def _folders(self, config: PytestConfig) -> list[Path]:
        """Where the project of ``config`` declares its dependencies and formatter."""
        root = project_root_of(config) or self.fallback_root
        if root is None:
            return []
        return declaration_folders(resolved(root), self.fallback_root)

    def facts_for_file(self, path: Path) -> FileFacts:
        return FileFacts.for_path(self.facts_for_dir(resolved(path).parent), path)


def holds_every_test(folder: str, project: ProjectFacts) -> bool:
    """Whether every test module of the project lies in ``folder`` (or below it): its
    ``testpaths`` all do, or, without ``testpaths``, no file outside ``folder`` under the
    project's root matches ``python_files`` (folders pytest and this tool skip are skipped).
    Then what serves the tests of that folder serves the whole run."""
    root = project_root(project)
    if root is None:
        return False
    ignored, globs = ignored_paths(project.config.get_list("addopts") or ())
    return _holds_every_test(
        os.path.realpath(folder), os.path.realpath(root), project.python_files,
        tuple(project.config.get_list("testpaths") or ()), ignored, globs,
    )


@functools.lru_cache(maxsize=64)
def _holds_every_test(
    folder: str, root: str, python_files: tuple[str, ...], testpaths: tuple[str, ...],
    ignored: tuple[str, ...] = (), globs: tuple[str, ...] = (),
) -> bool:
    if folder == root:
        return True
    if os.path.commonpath([folder, root]) != root:
        return False
    if testpaths:
        return all(_inside(os.path.realpath(os.path.join(root, p)), folder) for p in testpaths)
    skipped = {os.path.realpath(os.path.join(root, p)) for p in ignored}  # (--ignore in addopts)
    patterns = [os.path.join(root, g) for g in globs]

    def kept(path: str) -> bool:
        return os.path.realpath(path) not in skipped and not any(fnmatch.fnmatch(path, g) for g in patterns)

    for here, dirs, files in os.walk(root):
        dirs[:] = [
            d for d in dirs
            if not (d.startswith(".") or d in SKIP_DIRS or d.endswith(".egg-info"))
            and os.path.realpath(os.path.join(here, d)) != folder
            and not os.path.exists(os.path.join(here, d, "pyvenv.cfg"))
            and kept(os.path.join(here, d))
        ]
        if any(
            name.endswith(".py") and any(fnmatch.fnmatch(name, p) for p in python_files) and kept(os.path.join(here, name))
            for name in files
        ):
            return False
    return True


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def project_root(facts: ProjectFacts) -> Path | None:
    return project_root_of(facts.config)


def project_root_of(config: PytestConfig) -> Path | None:
    anchor = config.path or config.create_at
    return anchor.parent if anchor is not None else None


def target_from_pins(pins: tuple[Declared, ...], root: Path | None) -> tuple[Version, str]:
    """The target a project's pins allow: a project whose pins admit only 1.x gets forms
    valid from the floor of its range (``==1.4.0`` → 1.4); a project on 0.x, or pinned to
    nothing, is migrated to the newest target."""
    lowest: tuple[Any, Declared] | None = None
    for declaration in pins:
        low = floor(declaration.requirement.specifier)
        if low is not None and (lowest is None or low < lowest[0]):
            lowest = (low, declaration)
    if lowest is None or lowest[0].major < 1:
        return NEWEST_TARGET, "default"
    low, declaration = lowest
    target = min((low.major, low.minor), NEWEST_TARGET)
    return target, f"{declaration.text} in {declaration.location(root)}"


def is_test_code(path: Path, facts: ProjectFacts) -> bool:
    """Test modules, conftest.py and modules under a test/tests/testing folder of the project."""
    if path.name == "conftest.py" or facts.matches_python_files(path.name):
        return True
    return in_test_folder(path, facts)


def in_test_folder(path: Path, facts: ProjectFacts) -> bool:
    """Whether ``path`` is below a test/tests/testing folder of its project (of the path as
    given, outside any project)."""
    root = project_root(facts)
    here = resolved(path)
    parts: tuple[str, ...]
    if root is not None and here.is_relative_to(resolved(root)):
        parts = here.relative_to(resolved(root)).parts[:-1]
    else:
        parts = path.parts[:-1]
    return any(part in TEST_FOLDER_NAMES for part in parts)
