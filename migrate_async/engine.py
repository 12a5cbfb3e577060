"""plan → survey → per-file rewrite → config edits → results.

Data flows one way: bytes → text → one LibCST tree per file → each selected transform in
registry order → new text. A file is parsed only when the triggers of a selected transform
occur in its bytes. Config settings requested by transforms are merged per pytest
configuration and applied once, through config_files.py.
"""

from __future__ import annotations

import ast
import dataclasses
import gc
import io
import os
import tempfile
import tokenize
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from .codegen import generate
from .config_files import ConfigError, edit_config
from .discovery import Discovered, Found, discover
from .paths import forget_resolved, resolved
from .project import (
    FileFacts,
    ProjectFacts,
    ProjectResolver,
    Version,
    in_test_folder,
    is_test_code,
    project_root,
)
from .textdiff import opcodes, unified_diff
from .transforms import BY_NAME, REGISTRY
from .transforms.base import (
    ConfigRequest,
    MigrationContext,
    Note,
    Transform,
    gate_strings,
)
from .transforms.name_index import NameIndex

# Below this many candidate files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 64


# ---------------------------------------------------------------------------------------
# one source text


@dataclass
class SourceResult:
    """What the selected transforms made of one module's text."""

    code: str
    notes: list[Note] = field(default_factory=list)
    config_requests: list[ConfigRequest] = field(default_factory=list)
    edits: dict[str, int] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)  # transforms whose triggers matched

    def changed(self, original: str) -> bool:
        return self.code != original


def candidate_transforms(data: bytes, facts: FileFacts, transforms: Sequence[type[Transform]]) -> list[type[Transform]]:
    """The transforms that can possibly change a file with these bytes (the pre-filter)."""
    produced: set[bytes] = set()
    chosen = []
    for transform in transforms:
        if not transform.applies_to(facts):
            continue
        if transform.matches(data, produced):
            chosen.append(transform)
            produced.update(transform.produces)
    return chosen


def migrate_tree(
    module: cst.Module,
    source: str,
    facts: FileFacts,
    transforms: Sequence[type[Transform]],
    notes_against: str = "original",
) -> SourceResult:
    """Run ``transforms`` in order on a parsed module.

    Notes point at lines of the original text (``notes_against="original"``) or of the
    result (``"result"``), whichever the caller shows the user.
    """
    result = SourceResult(code=source)
    staged: dict[str, tuple[cst.Module, list[Note]]] = {}
    requests: dict[str, list[ConfigRequest]] = {}
    tree = module
    data_seen = source.encode("utf-8", "surrogatepass")
    produced: set[bytes] = set()
    name_index = NameIndex()

    def run_one(transform_cls: type[Transform], tree: cst.Module) -> cst.Module:
        context = MigrationContext(facts=facts, source=source, filename=facts.path, index=name_index)
        transform = transform_cls(context)
        new_tree = transform.transform_module(tree)
        staged[transform_cls.name] = (tree, list(context.notes))
        requests[transform_cls.name] = list(context.config_requests)
        if transform.edits:
            result.edits[transform_cls.name] = result.edits.get(transform_cls.name, 0) + transform.edits
            produced.update(transform_cls.produces)
        return new_tree

    ran: list[type[Transform]] = []
    for transform_cls in transforms:
        if not transform_cls.matches(data_seen, produced):
            continue
        ran.append(transform_cls)
        result.ran.append(transform_cls.name)
        tree = run_one(transform_cls, tree)
    # A transform whose decision depends on what a later one rewrites runs once more
    # (event-loop-fixture keeps an override that sync tests use until sync-to-async has
    # made them async), so that a second ``apply`` has nothing left to do.
    for index, transform_cls in enumerate(ran):
        later_edits = {t.name for t in ran[index + 1:]} & set(result.edits)
        if later_edits & set(transform_cls.revisit_after):
            tree = run_one(transform_cls, tree)
    for found in requests.values():
        result.config_requests.extend(found)
    result.code = generate(tree) if tree is not module else source
    # Notes were positioned on the tree each transform was given; map them onto the text
    # the user will read.
    target_text = source if notes_against == "original" else result.code
    for stage_tree, notes in staged.values():
        if not notes:
            continue
        if stage_tree is module and notes_against == "original":
            result.notes.extend(notes)
            continue
        stage_text = source if stage_tree is module else generate(stage_tree)
        if stage_text == target_text:
            result.notes.extend(notes)
            continue
        mapper = LineMapper(stage_text, target_text)
        result.notes.extend(n._replace(line=mapper.map(n.line)) for n in notes)
    result.notes.sort(key=lambda n: (n.line, n.column, n.transform))
    return result


def migrate_source(
    code: str,
    select: Iterable[str] | None = None,
    facts: FileFacts | None = None,
) -> SourceResult:
    """Python API: migrate one module's text. Raises libcst.ParserSyntaxError on bad input."""
    transforms = resolve_selection(select)
    facts = facts or FileFacts()
    chosen = candidate_transforms(code.encode("utf-8", "surrogatepass"), facts, transforms)
    if not chosen:
        return SourceResult(code=code)
    module = parse_module(code)
    return migrate_tree(module, code, facts, chosen)


def parse_module(text: str) -> cst.Module:
    """``cst.parse_module``, keeping the final line break of a file whose lines end in a
    lone ``\r`` (old Mac style): LibCST sees no trailing newline there, and its code for
    the tree drops the last ``\r`` (checked on such text only, so nothing else pays)."""
    module = cst.parse_module(text)
    if not module.has_trailing_newline and text.endswith("\r"):
        kept = module.with_changes(has_trailing_newline=True)
        if generate(kept) == text:
            return kept
    return module


def resolve_selection(select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[type[Transform]]:
    """Transform classes in registry order; ``select=None`` means the default set."""
    ignored = set(ignore)
    if select is None:
        chosen = {t.name for t in REGISTRY if t.default}
    else:
        chosen = set(select)
    unknown = (chosen | ignored) - set(BY_NAME)
    if unknown:
        raise KeyError(sorted(unknown))
    selected = [t for t in REGISTRY if t.name in chosen and t.name not in ignored]
    names = {t.name for t in selected}
    for transform in selected:
        clash = sorted(names & set(transform.conflicts_with))
        if clash:
            raise ValueError(f"{transform.name} cannot run together with {', '.join(clash)}")
    return selected


class LineMapper:
    """Maps line numbers of one version of a text onto another (through the edit script the
    diffs are made of, see textdiff)."""

    def __init__(self, old: str, new: str) -> None:
        self._ops = opcodes(old.splitlines(), new.splitlines())

    def map(self, line: int) -> int:
        index = line - 1
        for tag, i1, i2, j1, j2 in self._ops:
            if i1 <= index < i2:
                if tag == "equal":
                    return j1 + (index - i1) + 1
                return j1 + min(index - i1, max(j2 - j1 - 1, 0)) + 1
        return line


# ---------------------------------------------------------------------------------------
# one file


@dataclass
class FileOutcome:
    path: str
    changed: bool = False
    written: bool = False
    diff: str = ""
    notes: list[Note] = field(default_factory=list)
    edits: dict[str, int] = field(default_factory=dict)
    config_requests: list[ConfigRequest] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    #: transforms whose ``project_triggers`` occur in the file (or in what its edits wrote)
    evidence: list[str] = field(default_factory=list)
    error: str | None = None
    parsed: bool = False


def _evidence(transforms: Sequence[type[Transform]], facts: FileFacts, data: bytes) -> list[str]:
    return [
        t.name for t in transforms
        if t.project_triggers and t.applies_to(facts) and any(p in data for p in t.project_triggers)
    ]


class RunRefused(Exception):
    """A selected transform refuses to run on this project (exit status 2)."""


class SourceError(Exception):
    """A file that cannot be read, decoded or parsed; the message is one line."""


def decode(data: bytes, path: str) -> tuple[str, str]:
    """bytes → (text, encoding), honouring a BOM and a PEP 263 coding cookie."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # tokenize says "invalid or missing encoding declaration" for bytes that are not
        # UTF-8 in the first two lines; decoding as UTF-8 tells where exactly.
        encoding = "utf-8"
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
            raise SourceError(f"{path}:{exc.lineno or 1}:1: {str(exc.msg).splitlines()[0]}") from exc
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise SourceError(f"{path}:{line}:{column}: cannot decode as {encoding}: {reason}") from exc


def parse(text: str, path: str) -> cst.Module:
    try:
        return parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"
        raise SourceError(f"{path}:{exc.raw_line}:{exc.raw_column + 1}: syntax error: {message}") from exc
    except RecursionError as exc:
        raise SourceError(f"{path}:1:1: too deeply nested for the parser") from exc


def output_is_valid(new: str, old: str) -> bool:
    """The rewritten text must parse; ``ast`` first, LibCST when the old text is beyond ``ast``."""
    try:
        ast.parse(new)
        return True
    except SyntaxError:
        pass
    except (ValueError, RecursionError, MemoryError):
        return False
    try:
        ast.parse(old)
        return False  # the old text parsed and the new does not: our bug
    except Exception:  # noqa: BLE001
        pass
    try:
        cst.parse_module(new)
        return True
    except Exception:  # noqa: BLE001
        return False


def atomic_write(path: Path, data: bytes, expected_old: bytes | None = None) -> None:
    """Write through a temp file in the same folder and a rename; keep the mode bits.

    With ``expected_old``, refuse (OSError) when the file changed since it was read.
    """
    if expected_old is not None:
        current = path.read_bytes()
        if current != expected_old:
            raise OSError(f"{path} changed on disk while migrate-async was running; not overwritten")
    mode = os.stat(path).st_mode & 0o7777 if path.exists() else None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".migrate-async.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise


def process_file(
    path: Path,
    display: str,
    facts: FileFacts,
    transform_names: Sequence[str],
    write: bool,
) -> FileOutcome:
    outcome = FileOutcome(path=display)
    transforms = [BY_NAME[name] for name in transform_names]
    try:
        data = path.read_bytes()
    except OSError as exc:
        outcome.error = f"{display}:1:1: cannot read: {exc.strerror or exc}"
        return outcome
    outcome.evidence = _evidence(transforms, facts, data)
    chosen = candidate_transforms(data, facts, transforms)
    if not chosen:
        return outcome
    try:
        text, encoding = decode(data, display)
        module = parse(text, display)
    except SourceError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.parsed = True
    try:
        result = migrate_tree(module, text, facts, chosen, notes_against="result" if write else "original")
    except RecursionError:
        outcome.error = f"{display}:1:1: too deeply nested to rewrite"
        return outcome
    except Exception as exc:  # noqa: BLE001 - a bug in a transform must not stop the run
        outcome.error = f"{display}:1:1: internal error in a transform ({type(exc).__name__}: {exc}); file left as it is"
        return outcome
    outcome.notes = result.notes
    outcome.config_requests = result.config_requests
    outcome.edits = result.edits
    outcome.ran = result.ran
    if result.edits:
        # strings the edits introduced count as evidence too (asyncio-marker writes the
        # first ``mark.asyncio`` of a project whose tests were all unmarked)
        produced = b"\0".join(p for name in result.edits for p in BY_NAME[name].produces)
        outcome.evidence = sorted(set(outcome.evidence) | set(_evidence(transforms, facts, produced)))
    if not result.changed(text):
        return outcome
    if not output_is_valid(result.code, text):
        outcome.error = f"{display}:1:1: internal error: the rewritten file would not parse; left as it is"
        outcome.notes = []
        return outcome
    outcome.changed = True
    outcome.diff = unified_diff(text, result.code, display)
    if write:
        try:
            atomic_write(path, result.code.encode(encoding), expected_old=data)
            outcome.written = True
        except OSError as exc:
            outcome.error = f"{display}:1:1: cannot write: {exc.strerror or exc}"
    return outcome


def _process_item(item: tuple[Path, str, FileFacts, tuple[str, ...], bool]) -> FileOutcome:
    return process_file(*item)


# ---------------------------------------------------------------------------------------
# a whole run


@dataclass
class RunOptions:
    transforms: list[type[Transform]]
    target: Version
    write: bool = False
    jobs: int = 1
    exclude: list[str] = field(default_factory=list)
    all_files: bool = False
    #: apply excludes, .gitignore and the test-code filter to explicitly named files too
    force_exclude: bool = False


@dataclass
class ConfigOutcome:
    path: str
    diff: str = ""
    written: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class RunResult:
    files: list[FileOutcome] = field(default_factory=list)
    configs: list[ConfigOutcome] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # project-level notes (config conflicts)
    errors: list[str] = field(default_factory=list)  # discovery / config read errors
    left_out: int = 0
    considered: int = 0

    @property
    def changed_files(self) -> list[str]:
        return [f.path for f in self.files if f.changed] + [c.path for c in self.configs if c.diff]

    @property
    def all_notes(self) -> list[Note]:
        notes = [n for f in self.files for n in f.notes] + self.notes
        return notes

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [f.error for f in self.files if f.error] + [c.error for c in self.configs if c.error]


def display_path(path: Path) -> str:
    """The path relative to the working folder when it is under it, else as given."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()  # already relative to the working folder, as the user wrote it
    full = str(resolved(path))
    cwd = str(resolved(Path(".")))
    if full.startswith(cwd) and full[len(cwd):len(cwd) + 1] == os.sep:
        return Path(full[len(cwd) + 1:]).as_posix()
    if full == cwd:
        return "."
    return path.as_posix()


def tune_gc() -> None:
    """Fewer garbage collections, for the command line and its workers.

    LibCST allocates millions of short-lived, acyclic nodes, and each full collection walks
    every object alive, the imported modules included. What is alive at start-up is moved
    out of the collector's sight (gc.freeze) and collections run less often.
    """
    gc.freeze()
    gc.set_threshold(20000, 20, 50)


class _Plan:
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

        self.evidence = [(t.name, t.project_triggers) for t in self.transforms if t.project_triggers]
        #: the evidence still possible in a file without any gate string
        self.evidence_on_miss = [(name, left) for name, triggers in self.evidence if (left := unstood(triggers))]
        #: whether a file without any gate string can still be one the survey wants
        self.survey_on_miss = any(unstood(t.survey_triggers) == t.survey_triggers for t in surveying)
        #: the project configures pytest-asyncio: that is evidence enough
        configures = any(key.startswith("asyncio_") for key in project.config.values)
        self.configured = [name for name, _ in self.evidence] if configures else []
        self.active = False  # a file of this project was read (and parsed, when it had to be)
        self.found: set[str] = set()  # transforms whose project_triggers occur in its files
        self.requests: list[ConfigRequest] = []

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


class _Survey:
    """The survey pass: cross-file facts, gathered before rewriting (see Transform.survey).

    Files are surveyed as the scan reads them; afterwards the conftest.py files above the
    scanned folders (up to their project root) that were not among them.
    """

    def __init__(self, transforms: Sequence[type[Transform]], resolver: ProjectResolver) -> None:
        self.transforms = [t for t in transforms if t.survey_triggers]
        self.resolver = resolver
        self.found: dict[str, dict[str, Any]] = {t.name: {} for t in self.transforms}
        self._chains: dict[str, tuple[tuple[str, tuple[Any, ...]], ...]] = {}

    def look_at(self, real: str, path: str, data: bytes) -> None:
        """Survey one file (``real`` resolved, ``path`` as found) with these bytes."""
        wanted = []
        for transform in self.transforms:
            for trigger in transform.survey_triggers:
                if trigger not in data:
                    break
            else:
                wanted.append(transform)
        if not wanted:
            return
        facts = self.resolver.facts_for_file(Path(path))
        try:
            text, _ = decode(data, path)
        except SourceError:
            return
        for transform in wanted:
            try:
                value = transform.survey(text, facts)
            except (SyntaxError, ValueError, RecursionError):
                value = None
            if value is not None:
                self.found[transform.name][real] = value

    def conftests_above(self, folders: Iterable[tuple[str, ProjectFacts]], read: set[str]) -> None:
        """Survey the conftest.py files above ``folders`` (each up to its project root) that
        are not in ``read``: one look per folder."""
        looked_in: set[str] = set()
        for start, project in folders:
            root = project_root(project)
            top = str(resolved(root)) if root is not None else None
            folder = start
            while True:
                if folder not in looked_in:
                    looked_in.add(folder)
                    candidate = os.path.join(folder, "conftest.py")
                    if candidate not in read and os.path.isfile(candidate):
                        try:
                            with open(candidate, "rb") as handle:
                                data = handle.read()
                        except OSError:
                            data = None
                        if data is not None:
                            self.look_at(candidate, candidate, data)
                parent = os.path.dirname(folder)
                if folder == top or parent == folder:
                    break
                folder = parent

    def refuse(self) -> None:
        for transform in self.transforms:
            reason = transform.refusal({display_path(Path(p)): v for p, v in self.found[transform.name].items()})
            if reason:
                raise RunRefused(f"{transform.name}: {reason}")

    @property
    def anything(self) -> bool:
        return any(self.found.values())

    def _chain(self, folder: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """Per transform, what the conftest.py files of ``folder`` and above it returned, outermost first."""
        cached = self._chains.get(folder)
        if cached is None:
            parent = os.path.dirname(folder)
            outer = self._chain(parent) if parent != folder else ()
            cached = self._chains[folder] = self._extended(outer, os.path.join(folder, "conftest.py"))
        return cached

    def _extended(self, chains: tuple[tuple[str, tuple[Any, ...]], ...], path: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """``chains`` with what each transform's survey returned for ``path`` (if anything) at the end."""
        entries = []
        for transform in self.transforms:
            chain = next((found for name, found in chains if name == transform.name), ())
            value = self.found[transform.name].get(path)
            if value is not None:
                chain = (*chain, value)
            if chain:
                entries.append((transform.name, chain))
        return tuple(entries)

    def entries_for(self, real: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """FileFacts.survey for the resolved file ``real``."""
        chains = self._chain(os.path.dirname(real))
        if os.path.basename(real) == "conftest.py":
            return chains  # its own value is the last of its folder's
        return self._extended(chains, real)


def survey_facts(path: Path, transforms: Sequence[type[Transform]], resolver: ProjectResolver) -> FileFacts:
    """One file's facts as a run over just that file would give them (the survey included)."""
    facts = resolver.facts_for_file(path)
    survey = _Survey(transforms, resolver)
    real = str(resolved(path))
    try:
        survey.look_at(real, str(path), path.read_bytes())
    except OSError:
        pass
    survey.conftests_above([(os.path.dirname(real), facts.project)], {real})
    entries = survey.entries_for(real)
    return dataclasses.replace(facts, survey=entries) if entries else facts


_NOTHING = FileOutcome(path="")  # what progress is told about the files the scan settled


@dataclass
class _Scanned:
    """What the scan found: the files to consider, each with its project's plan."""

    #: (file, its plan, whether a transform may change it, evidence found in it)
    files: list[tuple[Found, _Plan, bool, list[str]]] = field(default_factory=list)
    plans: dict[int, _Plan] = field(default_factory=dict)  # id(ProjectFacts) → its plan
    worked_in: dict[str, ProjectFacts] = field(default_factory=dict)  # folders with files to consider
    left_out: int = 0


def _scan(
    found: Discovered,
    options: RunOptions,
    resolver: ProjectResolver,
    survey: _Survey,
    progress: Callable[[int, int, FileOutcome], None] | None = None,
) -> _Scanned:
    """Read each file once: survey it, ask the pre-filter, record its evidence.

    This is what every file of a big tree costs, and most need nothing, so what can be is
    worked out per project (the plan) and per folder (its plan, whether it is a test folder).
    ``progress`` hears every so often how many files look settled so far, out of all found.
    """
    scanned = _Scanned()
    settled = 0
    plans = scanned.plans
    folders: dict[str, tuple[_Plan, bool]] = {}  # resolved folder → (its plan, a test folder)
    surveying = bool(survey.transforms)
    for position, entry in enumerate(found.files):
        if progress is not None and position % 256 == 255:
            progress(settled, len(found.files), _NOTHING)
        folder = folders.get(entry.folder)
        if folder is None:
            project = resolver.facts_for_dir(Path(entry.folder))
            plan = plans.get(id(project))
            if plan is None:
                plan = plans[id(project)] = _Plan(project, options.transforms, survey.transforms)
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
        considered = considered or options.all_files
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
                scanned.files.append((entry, plan, True, []))
                scanned.worked_in[entry.folder] = plan.project
            continue
        passed = plan.passes_gate(data)
        if surveying and (passed or plan.survey_on_miss):
            survey.look_at(real, entry.path, data)
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
    found = discover(list(paths), options.exclude, force_exclude=options.force_exclude)
    for missing in found.missing:
        result.errors.append(f"{missing}:1:1: no such file or directory")
    resolver = ProjectResolver(options.target, _common_root(paths))
    survey = _Survey(options.transforms, resolver)
    scanned = _scan(found, options, resolver, survey, progress)
    result.left_out = scanned.left_out
    result.considered = len(scanned.files)
    if survey.transforms:
        survey.conftests_above(scanned.worked_in.items(), found.real)
        survey.refuse()
    result.errors.extend(resolver.errors)

    names = tuple(t.name for t in options.transforms)
    work: list[tuple[Path, str, FileFacts, tuple[str, ...], bool]] = []
    plan_of: list[_Plan] = []
    settled = 0
    reached = survey.anything  # else no file has survey facts
    for entry, plan, candidate, evidence in scanned.files:
        entries = survey.entries_for(entry.real) if reached else ()
        if not candidate and not entries:
            plan.active = True
            if evidence:
                plan.found.update(evidence)
            settled += 1
            continue
        path = Path(entry.path)
        facts = FileFacts.for_path(plan.project, path)
        if entries:
            facts = dataclasses.replace(facts, survey=entries)
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
        outcomes = executor.map(_process_item, work, chunksize=chunk)
    else:
        outcomes = (_process_item(item) for item in work)
    try:
        for index, outcome in enumerate(outcomes):
            result.files.append(outcome)
            if not outcome.error:
                plan_of[index].take(outcome)
            if progress is not None:
                progress(settled + index + 1, total, outcome)
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)

    _apply_config_requests(result, [p for p in scanned.plans.values() if p.active], options)
    return result


def _common_root(paths: Sequence[Path]) -> Path:
    absolute = [resolved(p) for p in paths] or [resolved(Path.cwd())]
    dirs = [p if p.is_dir() else p.parent for p in absolute]
    return Path(os.path.commonpath([str(d) for d in dirs]))


def _apply_config_requests(result: RunResult, plans: list[_Plan], options: RunOptions) -> None:
    """Merge config requests per pytest configuration and apply them once."""
    for plan in plans:
        project = plan.project
        requests = list(plan.requests)
        names = plan.found | set(plan.configured)
        for transform in options.transforms:
            if transform.name in names:
                requests.extend(transform.project_requests(project))
        if not requests:
            continue
        settings: dict[str, Any] = {}
        origin: dict[str, ConfigRequest] = {}
        conflicts: set[str] = set()
        strong_keys = {r.key for r in requests if not r.weak}
        for request in requests:
            if request.key in conflicts or (request.weak and request.key in strong_keys):
                continue
            previous = origin.get(request.key)
            if previous is not None and previous.value != request.value:
                conflicts.add(request.key)
                settings.pop(request.key, None)
                where = project.config.path or project.config.create_at
                result.notes.append(
                    Note(
                        display_path(where) if where else "(config)", 1, 1, request.transform,
                        f"conflicting settings requested for {request.key}: "
                        f"{previous.value!r} ({previous.transform}: {previous.reason}) and "
                        f"{request.value!r} ({request.transform}: {request.reason}); set it by hand",
                    )
                )
                continue
            origin[request.key] = request
            settings[request.key] = request.value
        current = project.config.values
        settings = {k: v for k, v in settings.items() if not _same_value(current.get(k), v)}
        if not settings:
            continue
        try:
            path, old, new = edit_config(project.config, settings)
        except (ConfigError, OSError, Exception) as exc:  # noqa: BLE001
            where = project.config.path or project.config.create_at
            result.configs.append(ConfigOutcome(display_path(where) if where else "?", error=f"{where}:1:1: cannot edit: {exc}"))
            continue
        display = display_path(path)
        outcome = ConfigOutcome(display, settings=settings)
        if old != new:
            outcome.diff = unified_diff(old, new, display)
            if options.write:
                try:
                    atomic_write(path, new.encode("utf-8"), expected_old=old.encode("utf-8") if path.exists() else None)
                    outcome.written = True
                except OSError as exc:
                    outcome.error = f"{display}:1:1: cannot write: {exc.strerror or exc}"
        result.configs.append(outcome)


def _same_value(current: Any, wanted: Any) -> bool:
    if current is None:
        return False
    if isinstance(wanted, bool):
        return str(current).strip().lower() == ("true" if wanted else "false")
    return str(current).strip() == str(wanted)
