"""The check of a run's planned result, before anything is written (pipeline.py).

The project as the run would leave it (the planned text of every file that changes, the
text on disk of the others, every test module, conftest.py and plugin module of it, changed
or not) is checked the way Python and pytest will read it:

1. an import of a project module finds each name it imports: where an edit removed a name
   from a module (``from pkg.helpers import a`` after the edit of pkg/helpers.py removed
   ``a``); and no import names what the target of the plugin no longer has
   (``providers.gone_imports``);
2. each fixture a test or fixture requests is provided in its scope
   (``providers.provided``): a name an edit removed from where the original project
   defined it, and the plugin fixtures the target no longer has
   (``providers.plugin_fixtures_gone``) that a selected transform migrates
   (``Transform.migrates_fixtures``). Other names are some plugin's: not seen, not checked.

Where the original was sound and the plan breaks one of these, the edits of the module that
removed the name are withdrawn: that file is left as it is, with what its edits asked of
other files (``FileOutcome.withdraw``), a note at the import or request says why, and the
check runs again on the new plan. What is still broken after that (a plugin fixture nothing
provides, a name the plugin no longer has) is a note with ``left=True``, where it is, in a
changed file or not: ``check`` exits 1 while one is. A note of the run already in the test
or fixture concerned speaks for it: it is marked ``left`` instead of repeated.

Cost: a file is read with ``ast`` only when its text holds a name concerned as a word of
its own (once per text; a longer name that holds its letters does not count); what a rewritten module binds before and after its edits was read from its trees in
the worker (``FileOutcome.provides``), and so were its imports and requests of the names
concerned (``FileOutcome.planned_reading``, planned_reading.py); the scan kept the bytes of the files holding a
watched name (``Scanned.kept``), and others are read again only when an edit removed some
other name.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..discovery import discover
from ..paths import display_path, inside, within
from ..project import ProjectFacts, project_root
from ..pytest_model import providers
from ..pytest_model.providers import ModuleFacts, Request
from ..transforms.transform import Note, Transform
from ..transforms.triggers import has_word
from .files import SourceError, decode
from .planned_reading import ImportSite, claimant, gone_fixtures, import_sites
from .results import FileOutcome, RunResult
from .source import LineMapper

if TYPE_CHECKING:
    from ..discovery import Found
    from .scan import ProjectPlan, Scanned

UNPROVIDED = "unprovided-fixture"
GONE_IMPORT = "gone-import"
WITHDRAWN = "withdrawn-edit"


@dataclass
class Finding:
    """Something the planned result breaks: where (a file, a line of its planned text), what
    the note says, and the outcomes whose edits caused it (empty: it can only be reported)."""

    real: str
    line: int
    column: int
    span: tuple[int, int]
    transform: str
    message: str
    kind: str
    blame: list[FileOutcome] = field(default_factory=list)
    #: the fixture a request finding is about (a note of the run stands in for it only when
    #: it speaks of that fixture)
    fixture: str = ""


@dataclass
class _File:
    """A file of the project as the run would leave it."""

    entry: Found
    plan: ProjectPlan
    considered: bool


class PlanCheck:
    """The check of one run's plan (see the module docstring); ``withdraw`` and ``report``
    are its two steps."""

    def __init__(self, result: RunResult, scanned: Scanned, transforms: Sequence[type[Transform]], write: bool) -> None:
        self.result = result
        self.scanned = scanned
        self.transforms = transforms
        self.write = write
        self.files = [
            _File(entry, plan, True) for entry, plan, _c, _e in scanned.files if plan.left_alone is None
        ] + [_File(entry, plan, False) for entry, plan in scanned.others if plan.left_alone is None]
        self.plugins = sorted(scanned.loaded)
        #: text → its tree (None: ast cannot read it)
        self._trees: dict[str, ast.Module | None] = {}
        #: a module's facts, made once per text (the key says planned or original)
        self._module_facts: dict[str, tuple[str, ModuleFacts]] = {}
        #: a module's requests as last read: (its tree, the names asked, the requests)
        self._requests_read: dict[str, tuple[ast.Module, list[str], list[Request]]] = {}
        #: (name, original) → the files whose text mentions it (made anew each round)
        self._holding: dict[tuple[str, bool], list[str]] = {}
        self._disk: dict[str, str | None] = {}
        #: a project root → the .py files below it that the run did not look at (listed once)
        self._outside: dict[Path, list[str]] | None = None
        #: notes of withdrawals, with the planned text their line is in
        self._withdrawn: list[tuple[Finding, str]] = []
        self._changed: dict[str, FileOutcome] = {}
        self._by_real = {f.entry.real: f for f in self.files}
        self._gone: dict[int, frozenset[str]] = {}
        self._all: dict[str, FileOutcome] = {}  # every outcome read without error, by real path

    # -- the steps -------------------------------------------------------------------------
    def breaks(self) -> list[tuple[Finding, str]]:
        """What the plan breaks that the original had, each with the planned text of its
        file (its line is in it): edits to withdraw."""
        return [(f, self._planned_text(f.real)) for f in self._findings() if f.blame]

    def withdraw(self, breaks: list[tuple[Finding, str]], forget: Callable[[FileOutcome], None]) -> None:
        """Withdraw the edits ``breaks`` blames (``forget`` first takes what each outcome
        asked of its project's plan out of it); their notes are given by :meth:`report`."""
        done: set[int] = set()
        for finding, text in breaks:
            self._withdrawn.append((finding, text))
            for outcome in finding.blame:
                if id(outcome) not in done:
                    done.add(id(outcome))
                    forget(outcome)
                    outcome.withdraw()

    def report(self) -> None:
        """Note each withdrawal, and what is left broken."""
        findings = self._findings()
        if not findings and not self._withdrawn:
            return
        for outcome in self.result.files:
            if not outcome.error:
                self._all.setdefault(os.path.realpath(outcome.path), outcome)
        for finding, text in self._withdrawn:
            self._note(finding, text)
        for finding in findings:
            self._note(finding, self._planned_text(finding.real))

    # -- the files -------------------------------------------------------------------------
    def _outcomes(self) -> dict[str, FileOutcome]:
        """Outcomes of files that change, by real path."""
        return {os.path.realpath(o.path): o for o in self.result.files if o.changed and o.texts is not None}

    def _planned_text(self, real: str) -> str:
        outcome = self._changed.get(real)
        if outcome is not None and outcome.texts is not None:
            return outcome.texts[1]
        return self._disk_text(real) or ""

    def _original_text(self, real: str) -> str | None:
        outcome = self._changed.get(real)
        if outcome is not None and outcome.texts is not None:
            return outcome.texts[0] or None
        return self._disk_text(real)

    def _disk_text(self, real: str) -> str | None:
        if real not in self._disk:
            data = self.scanned.kept.get(real)
            try:
                if data is None:
                    with open(real, "rb") as handle:
                        data = handle.read()
                self._disk[real] = decode(data, real)[0]
            except (OSError, SourceError):
                self._disk[real] = None
        return self._disk[real]

    def _tree(self, text: str) -> ast.Module | None:
        """The tree of a text, parsed once (a file the run does not change is the same text
        planned and original; the trees are only read)."""
        if text in self._trees:
            return self._trees[text]
        try:
            tree: ast.Module | None = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            tree = None
        self._trees[text] = tree
        return tree

    def _facts(self, real: str, original: bool) -> ModuleFacts | None:
        """What a module provides, planned or original (None: it does not exist, or cannot
        be read: taken to provide nothing it cannot be seen to)."""
        outcome = self._changed.get(real)
        if outcome is not None and outcome.provides is not None and not real.endswith(providers.CONFTEST):
            return outcome.provides[0 if original else 1]
        if outcome is None and not os.path.isfile(real):
            return None
        text = self._original_text(real) if original else self._planned_text(real)
        if text is None:
            return None
        key = real + ("\0" if original else "")
        kept = self._module_facts.get(key)
        if kept is not None and kept[0] is text:
            return kept[1]
        tree = self._tree(text)
        facts = providers.module_facts(tree) if tree is not None else _ANYTHING
        self._module_facts[key] = (text, facts)
        return facts

    # -- what is broken --------------------------------------------------------------------
    def _findings(self) -> list[Finding]:
        self._changed = self._outcomes()
        self._holding = {}  # a withdrawal changes planned texts
        lost = {}
        for real, outcome in self._changed.items():
            file = self._by_real.get(real)
            if outcome.provides is not None and file is not None:
                gone = self._gone_of(file.plan.project)
                if names := providers.lost_names(*outcome.provides, imported=gone):
                    lost[real] = names
        lost_anywhere = frozenset(n for names in lost.values() for n in names)
        found: list[Finding] = []
        if not self._changed and not self.scanned.kept:
            return found  # no file holds a name concerned (the loop below would pass by each)
        for file in self.files:
            project = file.plan.project
            gone = self._gone_of(project)
            real = file.entry.real
            if real not in self._changed and real not in self.scanned.kept and lost_anywhere <= gone:
                continue  # none of the names concerned is in it (the scan kept those that hold one)
            text = self._planned_text(real)
            names = [n for n in (*sorted(gone), *sorted(lost_anywhere - gone)) if has_word(text, n)]
            if not names:
                continue
            outcome = self._changed.get(real)
            reading = outcome.planned_reading if outcome is not None else None
            tree = None
            if reading is None or reading.text is not text or list(reading.names) != names:
                reading = None  # (read in the worker for other names: read here)
                tree = self._tree(text)
                if tree is None:
                    continue
            root = project_root(project)
            root_real = Path(os.path.realpath(root)) if root is not None else None
            sites = reading.imports if reading is not None else import_sites(tree, names)  # type: ignore[arg-type]
            found += self._imports(real, sites, gone, lost, root_real, project)
            if file.considered or real in self.scanned.loaded:
                if reading is not None:
                    requests = list(reading.requests)
                else:
                    requests = self._requests_in(real, tree, names, project)  # type: ignore[arg-type]
                found += self._requests(real, requests, gone, lost, root_real, project)
        if lost:
            found += self._importers_outside_the_run(lost)
        return found

    def _importers_outside_the_run(self, lost: dict[str, frozenset[str]]) -> list[Finding]:
        """The imports of a lost name in the files of its project the run did not look at
        (not named, excluded, not test code): a module that loses a name must not break
        them either. Read only when an edit loses a name (rare), each file once."""
        found: list[Finding] = []
        by_root: dict[Path, tuple[ProjectFacts, set[str]]] = {}
        for module, names in lost.items():
            file = self._by_real.get(module)
            root = project_root(file.plan.project) if file is not None else None
            if root is not None:
                project, wanted = by_root.setdefault(Path(os.path.realpath(root)), (file.plan.project, set()))
                wanted.update(names)
        for root_real, (project, wanted) in by_root.items():
            if self._outside is None:
                self._outside = {}
            files = self._outside.get(root_real)
            if files is None:
                files = self._outside[root_real] = [
                    f.real for f in discover([root_real]).files if f.real not in self._by_real
                ]
            for real in files:
                text = self._disk_text(real)
                names = sorted(n for n in wanted if text and has_word(text, n))
                if not names or text is None or (tree := self._tree(text)) is None:
                    continue
                found += self._imports(real, import_sites(tree, names), frozenset(), lost, root_real, project)
        return found

    def _gone_of(self, project: ProjectFacts) -> frozenset[str]:
        gone = self._gone.get(id(project))
        if gone is None:
            gone = self._gone[id(project)] = gone_fixtures(project, self.transforms)
        return gone

    def _imports(
        self, real: str, sites: Sequence[ImportSite], gone: frozenset[str],
        lost: dict[str, frozenset[str]], root: Path | None, project: ProjectFacts,
    ) -> list[Finding]:
        """What the import statements ``sites`` (each of names asked) break."""
        found: list[Finding] = []
        gone_from = {m: n & gone for m, n in providers.gone_imports(project).items() if n & gone}
        for site in sites:
            if site.level == 0 and site.module in gone_from:
                for name in site.names:
                    if name in gone_from[site.module]:
                        found.append(self._finding(
                            real, site, name, providers.gone_import_message(site.module, name), GONE_IMPORT
                        ))
                continue
            files = providers.project_module_files(site.module or "", site.level, Path(real), root)
            if not files:
                continue
            module = os.path.realpath(files[0])
            removed = lost.get(module, frozenset())
            for name in site.names:
                if name in removed and not providers.is_submodule(files[0], name):
                    blamed = self._changed[module]
                    found.append(Finding(
                        real, site.line, site.column + 1, (site.line, site.end_line),
                        _first(blamed.edits), _withdrawn_import(name, blamed), WITHDRAWN, [blamed],
                    ))
        return found

    def _requests_in(self, real: str, tree: ast.Module, names: list[str], project: ProjectFacts) -> list[Request]:
        """The requests of ``names`` in the planned text of ``real`` (read as ``tree``)."""
        text = self._planned_text(real) or ""
        kept = self._requests_read.get(real)
        if kept is not None and kept[0] is tree and kept[1] == names:
            return kept[2]
        requests = providers.fixture_requests(tree, names, project, calls=providers.may_request_by_call(text))
        self._requests_read[real] = (tree, names, requests)
        return requests

    def _requests(
        self, real: str, requests: list[Request], gone: frozenset[str],
        lost: dict[str, frozenset[str]], root: Path | None, project: ProjectFacts,
    ) -> list[Finding]:
        """What the requests of a module break."""
        if not requests:
            return []
        path = Path(real)
        # plugin modules serve the tests of their own project only (a run may span several)
        plugins = [p for p in self.plugins if root is None or inside(Path(p), root)]
        chain = [str(p) for p in providers.conftest_chain(path, root)] + plugins
        found: list[Finding] = []
        for request in requests:
            if self._provided(request, real, chain, original=False):
                continue
            if request.name in gone and root is not None and str(root) in self.scanned.unseen_plugins:
                continue  # a plugin from outside the project may provide it: not a false alarm
            # a module of the project provided it, and an edit removes it from there: that edit
            # goes. Where the plugin's fixture of that name is gone, only a provider below a
            # fixture that asks for it, where tests that use the fixture are, counts (the loop
            # fixture's override below a plugin's sync loop alias: the project's own loop is
            # what those tests got); removing one the request's conftest.py chain holds is the
            # migration, and the request left is reported (the claimant's notes)
            below: list[str] = []
            if request.by_fixture:  # (pytest looks for what a fixture requests from each test it serves)
                near = {real, *chain}
                below = [
                    m for m in lost
                    if m not in near and self._serves(real, m) and self._used_by(request, m, root, project)
                ]
            providers_of = below if request.name in gone else [real, *chain, *below]
            blame = [
                self._changed[m] for m in providers_of
                if request.name in lost.get(m, frozenset()) and m in self._changed
            ]
            if blame and self._provided(request, real, chain, original=True):
                message = _withdrawn_request(request, blame[0])
                found.append(Finding(
                    real, request.line, request.column, request.span, _first(blame[0].edits), message, WITHDRAWN, blame
                ))
            elif request.name in gone:
                transform = claimant(request.name, self.transforms)
                assert transform is not None
                message = providers.unprovided_message(request.name, request.how, request.unused, request.framework)
                found.append(Finding(
                    real, request.line, request.column, request.span, transform.name, message, UNPROVIDED,
                    fixture=request.name,
                ))
        return found

    def _provided(self, request: Request, real: str, chain: list[str], original: bool) -> bool:
        here = self._facts(real, original)
        if here is None:
            return True
        visible = [f for m in chain if m != real and (f := self._facts(m, original)) is not None]
        below: Iterable[ModuleFacts] = ()
        if request.by_fixture:  # (only read when nothing nearer provides it)
            # what a fixture requests, pytest looks for from each test the fixture serves: in
            # the original, a module below any of them may have provided it (an edit that
            # removes it there is withdrawn, the safe side); in the plan, only one below the
            # fixture's own folder counts (else it is reported, the safe side again)
            folders = self._served_folders(real) if original else [os.path.dirname(real)]
            below = (facts for folder in folders for facts in self._below(folder, request.name, original))
        return providers.provided(request, here, visible, below)

    def _served_folders(self, real: str) -> list[str]:
        """The folders whose tests the fixtures of the module ``real`` serve: a module loaded
        as a plugin, those it reaches (Scanned.reach); any other, its own folder."""
        return self.scanned.reach.get(real) or [os.path.dirname(real)]

    def _serves(self, real: str, module: str) -> bool:
        """Whether ``module`` lies where the tests the fixtures of ``real`` serve are."""
        return any(within(module, folder) for folder in self._served_folders(real))

    def _used_by(self, request: Request, module: str, root: Path | None, project: ProjectFacts) -> bool:
        """Whether the fixture making ``request`` serves a test that ``module``'s fixtures
        reach (the tests of its folder and below for a conftest.py, else its own): there, or
        in a conftest.py or plugin module serving them, something requests it, as the run
        would leave them. An override of the name there is then what it got. A fixture
        that is autouse, or a request by a call, is taken to (``Request.requester``)."""
        name = request.requester
        if name is None:
            return True
        if os.path.basename(module) == providers.CONFTEST:
            folder = os.path.dirname(module)
            reached = [f.entry.real for f in self.files if within(f.entry.real, folder)]
        else:
            reached = [module]
        serving = [str(p) for p in providers.conftest_chain(Path(module), root)]
        serving += [p for p in self.plugins if root is None or inside(Path(p), root)]
        for real in dict.fromkeys([*reached, *serving]):
            text = self._planned_text(real)
            if not has_word(text, name):
                continue
            tree = self._tree(text)
            if tree is None or providers.fixture_requests(tree, [name], project):
                return True  # (a module that cannot be read is taken to)
        return False

    def _below(self, folder: str, name: str, original: bool) -> Iterator[ModuleFacts]:
        """The modules of the project in ``folder`` or below it that hold ``name``, lazily
        (the files that mention ``name`` are listed once per name and side)."""
        key = (name, original)
        holding = self._holding.get(key)
        if holding is None:
            holding = self._holding[key] = [
                file.entry.real for file in self.files
                if (text := self._original_text(file.entry.real) if original else self._planned_text(file.entry.real))
                and has_word(text, name)
            ]
        for real in holding:
            if within(real, folder) and (facts := self._facts(real, original)) is not None:
                yield facts

    def _finding(self, real: str, site: ImportSite, name: str, message: str, kind: str) -> Finding:
        transform = claimant(name, self.transforms)
        return Finding(
            real, site.line, site.column + 1, (site.line, site.end_line),
            transform.name if transform is not None else "", message, kind,
        )

    # -- notes -----------------------------------------------------------------------------
    def _note(self, finding: Finding, planned: str) -> None:
        """The finding as a note where the user will read it: at a line of the text the
        run's notes point into (the written result under ``apply``, else the original)."""
        outcome = self._all.get(finding.real)
        shown = planned
        if outcome is not None and outcome.changed and outcome.texts is not None:
            shown = outcome.texts[1] if self.write else outcome.texts[0]
        elif (disk := self._disk_text(finding.real)) is not None:
            shown = disk
        place: Callable[[int], int] = (lambda line: line)
        if shown is not planned and shown != planned:
            place = LineMapper(planned, shown).map
        first, last = place(finding.span[0]), place(finding.span[1])
        notes = outcome.notes if outcome is not None else self.result.notes
        file = self._by_real.get(finding.real)
        display = outcome.path if outcome is not None else display_path(Path(file.entry.path if file is not None else finding.real))
        covering = [
            i for i, n in enumerate(notes)
            if n.path == display and first <= n.line <= last and (not finding.fixture or _names(finding.fixture, n.message))
        ]
        if finding.kind != WITHDRAWN and covering:
            for index in covering:  # a note of the run already speaks for it: it is left
                notes[index] = notes[index]._replace(left=True)
            return
        kind = finding.kind  # (each finding's kind is a literal where it is found)
        note = Note(display, place(finding.line), finding.column, finding.transform, finding.message, kind=kind, left=True)
        if note not in notes:
            notes.append(note)
            if outcome is not None:  # a file's notes are in line order; the run's own in the order said
                notes.sort(key=lambda n: (n.line, n.column, n.transform))


#: a module that cannot be read: taken to provide anything
_ANYTHING = ModuleFacts(frozenset(), frozenset(), frozenset(), (), True)


def _first(edits: dict[str, int]) -> str:
    return next(iter(edits), "")


def _withdrawn_import(name: str, blamed: FileOutcome) -> str:
    where = blamed.path
    return (
        f"imports {name} from {where}, which this run's edits there remove{_by(blamed)}: all of that "
        f"file's edits are withdrawn and {where} is left as it is (finish the migration by hand: "
        f"remove {name} from this import, or keep it in {where})"
    )


def _withdrawn_request(request: Request, blamed: FileOutcome) -> str:
    where = blamed.path
    return (
        f"requests the {request.name} fixture ({request.how}), which {where} provided and this run's "
        f"edits there remove{_by(blamed)}: all of that file's edits are withdrawn and {where} is left "
        "as it is (finish the migration by hand)"
    )


def _by(blamed: FileOutcome) -> str:
    """Which transforms edited the file (all of their edits there go), as the notes say it."""
    return f" (it was edited by {', '.join(blamed.edits)})" if blamed.edits else ""


def _names(word: str, message: str) -> bool:
    """Whether ``message`` names ``word`` as a word of its own (a fixture ``x_loop``, not
    the ``get_x_loop`` of another sentence)."""
    words = "".join(c if c.isalnum() or c == "_" else " " for c in message).split()
    return word in words
