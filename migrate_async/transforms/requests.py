"""What a transform hands the engine besides its tree: notes, and requests the engine merges
and carries out once for the whole run (config settings, conftest.py definitions and branches
of a conftest.py's function, requirements to declare). The engine reads only these
shapes; what a request says is the transform's (or the code templates' of
``pytest_model/conftest_code.py``).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, NamedTuple, Protocol

import libcst as cst


class Note(NamedTuple):
    """Something a human must look at: path:line:col, transform, message.

    ``kind`` names what sort of note it is: a kebab-case slug, the same for every note of
    that sort whatever function or class it names (``override-left``, ``helper-runs-loop``),
    so that repeated notes can be grouped, as ruff's ``--statistics`` groups by rule. Every
    note passes one (tests/test_note_kinds.py); where one place says different sorts of
    thing, each sort has its own.

    ``left`` says the migration is unfinished there: run as the tool leaves it, under the
    target, the suite would fail at that spot (a request of a fixture nothing provides, a
    loop object from another loop, a test that closes the loop it runs in), so ``check``
    exits 1 while any is left. It means "would fail", not "worth a look": a note is not
    ``left`` when the failure depends on what the note's place cannot see (whether the
    function is collected, whether something is awaited after a ``loop.stop()``, whether
    the module defines its own ``event_loop``, a version check around the code), on a
    deprecation warning, or on a pin the environment may not install. The goldens hold
    such cases: a mark with a rejected argument on a helper pytest never collects, a test
    that stops its loop as its last statement, both passing.
    """

    path: str
    line: int
    column: int
    transform: str
    message: str
    kind: str = ""
    left: bool = False

    def format(self) -> str:
        """``path:line:col: transform: message [kind]``, the message after ``left
        unfinished:`` when it is left (mypy puts its error codes at the end the same way)."""
        left = f"{LEFT}: " if self.left else ""
        kind = f" [{self.kind}]" if self.kind else ""
        return f"{self.path}:{self.line}:{self.column}: {self.transform}: {left}{self.message}{kind}"


#: How a ``left`` note is called wherever the output names it (its line, the summary).
LEFT = "left unfinished"


class ConfigRequest(NamedTuple):
    """A pytest configuration setting a transform needs; the engine merges and applies them.

    A ``weak`` request only wants the key to be set: any other transform's value wins
    without a conflict (``fixture-loop-scope`` only wants the "is unset" warning gone).
    """

    key: str
    value: Any
    transform: str
    reason: str
    weak: bool = False


class RequirementRequest(NamedTuple):
    """A distribution the rewritten tests need installed and the project may not declare
    (``pytest-aiohttp`` once aiohttp's legacy plugin is gone from ``pytest_plugins``).

    The engine declares ``name>=minimum`` among the project's test dependencies, right after
    the declaration of the first name of ``beside`` that a test-dependency place of the
    project lists (each such place gets it), where the project declares ``name`` nowhere;
    the transform leaves a note of kind ``note_kind`` at the asking line, which says what to
    add, and the engine withdraws it where the declaration is made
    (engine/requirement_additions.py).
    """

    name: str
    minimum: str
    #: the distributions to declare it next to, the preferred first
    beside: tuple[str, ...]
    transform: str
    note_kind: str


class FunctionBranch(Protocol):
    """A statement a transform wants at the top of a function of a conftest.py (a hook), for
    the tests of the file that asks: the request's ``name`` is the function's. The engine
    merges the branches one conftest.py gets into that function, each once and in the order
    they were asked (a ``narrow`` one before the others of its file), and creates the function
    where the conftest.py has none. What the statement, the new function and the notes say is
    the branch's own (``pytest_model/conftest_code.py`` writes them: ``LoopFactoryBranch``)."""

    @property
    def narrow(self) -> bool:
        """Goes before the other branches of the same file (the first that matches answers)."""

    @property
    def same_as_fallback(self) -> bool:
        """Says only what a new function gives the other tests anyway: where the conftest.py
        has no such function and none answers from above, it is not written."""

    def needs(self) -> tuple[tuple[str, str | None], ...]:
        """The imports the statement needs, as ``ConftestRequest.imports`` says them."""

    def statement(self, module: PurePath, folder: PurePath, line_length: int) -> cst.BaseStatement:
        """The statement for the tests of ``module``, in the conftest.py of ``folder``."""

    def refusal(self, function: cst.FunctionDef) -> str | None:
        """Why the conftest.py's own function cannot take the branch, or None."""

    def new_function(self, above: str | None) -> tuple[str, tuple[tuple[str, str | None], ...]]:
        """The code of a new function (the branches go on top of its body) and its imports.
        ``above``: where another definition answers for the other tests: "conftest" (a
        conftest.py above, within the project), "plugin" (a plugin module), or None."""

    def unplaced(self, asker: str, problem: str) -> str:
        """The note when the conftest.py cannot take the branch (``problem`` says why)."""


class ConftestRequest(NamedTuple):
    """A definition a transform needs in a conftest.py that covers the file it works on
    (a fixture, a hook); the engine adds it after every file is processed.

    ``code`` holds module-level statements with every name spelled in full
    (``pytest.fixture``, ``asyncio.new_event_loop``); ``imports`` the ``(module, name or
    None)`` pairs it needs (``("asyncio", None)`` is ``import asyncio``). ``nearest``: the
    nearest conftest.py at or above ``folder`` within the project (created in ``folder``
    when there is none); otherwise ``folder``'s own conftest.py.
    """

    folder: str
    name: str
    code: str
    imports: tuple[tuple[str, str | None], ...]
    transform: str
    reason: str
    nearest: bool = True
    #: the file that asked (for notes)
    asker: str = ""
    #: a branch of the function ``name`` for the asker's tests (``code`` is then empty)
    branch: FunctionBranch | None = None
