"""What a run found and did, per file and per configuration file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..transforms.transform import (
    ConfigRequest,
    ConftestRequest,
    Note,
    RequirementRequest,
)

if TYPE_CHECKING:
    from ..pytest_model.providers import ModuleFacts
    from .planned_reading import PlannedReading


class RunRefused(Exception):
    """A selected transform refuses to run on this project (exit status 2)."""


@dataclass
class FileOutcome:
    path: str
    changed: bool = False
    written: bool = False
    diff: str = ""
    notes: list[Note] = field(default_factory=list)
    edits: dict[str, int] = field(default_factory=dict)
    config_requests: list[ConfigRequest] = field(default_factory=list)
    conftest_requests: list[ConftestRequest] = field(default_factory=list)
    #: requirements its edits need declared (the engine adds them after the writes)
    requirement_requests: list[RequirementRequest] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    #: transforms whose ``triggers.project`` occur in the file (or in what its edits wrote)
    evidence: list[str] = field(default_factory=list)
    error: str | None = None
    parsed: bool = False
    #: of a file that changes: what its module binds and provides before and after the
    #: edits (for the check of the planned result, plan_check.py)
    provides: tuple[ModuleFacts, ModuleFacts] | None = None
    #: the file did not exist: the run creates it (a conftest.py for a requested definition)
    created: bool = False
    #: of a file that changes: its text before and after, and its encoding (the check of
    #: the planned result reads them, the engine writes them after it, and adds requested
    #: definitions to a conftest.py's, see conftest_requests.py)
    texts: tuple[str, str, str] | None = None
    #: the project root writes stay within
    root: str | None = None
    #: of a file that changes: what the check of the planned result reads of its planned
    #: text, read where it was rewritten (planned_reading.py)
    planned_reading: PlannedReading | None = None

    def failed(self, error: str) -> None:
        """The file could not be written: it counts for its error alone.

        Not changed (the summary and the lists say what is on disk), and what its edits
        asked of other files (config settings, conftest.py definitions) or said about their
        result (notes at its lines) is dropped with them.
        """
        self.error = error
        self.written = False
        self._drop_edits()

    def withdraw(self) -> None:
        """The file is left as it is (the check of the planned result withdrew its edits):
        what they asked of other files and said about their result goes with them."""
        self._drop_edits()
        self.edits = {}

    def _drop_edits(self) -> None:
        self.changed = self.created = False
        self.diff = ""
        self.notes = []
        self.config_requests = []
        self.conftest_requests = []
        self.requirement_requests = []
        self.texts = None
        self.provides = None
        self.planned_reading = None


@dataclass
class ConfigOutcome:
    path: str
    diff: str = ""
    written: bool = False
    #: the file did not exist: the run creates it
    created: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    #: the text before and after the run's edits (for a second edit of the same file)
    old: str | None = None
    new: str | None = None

    def failed(self, error: str) -> None:
        """The file could not be written: not changed, not created, one error line."""
        self.error = error
        self.diff = ""
        self.written = self.created = False


@dataclass
class RunResult:
    files: list[FileOutcome] = field(default_factory=list)
    configs: list[ConfigOutcome] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # project-level notes (config conflicts)
    errors: list[str] = field(default_factory=list)  # discovery / config read errors
    left_out: int = 0
    considered: int = 0
    #: scopes where pytest-asyncio does not run the async tests, with the evidence (one line each)
    left_alone: list[str] = field(default_factory=list)
    #: what each project was migrated to, and where that came from (one line each)
    targets: list[str] = field(default_factory=list)
    #: configuration edits that reach further than the files named on the command line
    project_wide: list[str] = field(default_factory=list)
    #: files left out as not test code although they define fixtures or take the loop fixture
    left_out_with_fixtures: list[str] = field(default_factory=list)

    @property
    def changed_files(self) -> list[str]:
        return [f.path for f in self.files if f.changed] + [c.path for c in self.configs if c.diff]

    @property
    def created_files(self) -> list[str]:
        return [f.path for f in self.files if f.changed and f.created] + [c.path for c in self.configs if c.diff and c.created]

    @property
    def all_notes(self) -> list[Note]:
        notes = [n for f in self.files for n in f.notes] + self.notes
        return notes

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [f.error for f in self.files if f.error] + [c.error for c in self.configs if c.error]
