"""event-loop-fixture's judge: what to do with one ``event_loop`` override, and why.

The survey reads an override (its body, the project's helpers it calls for its loop, a loop
class defined inside it) and the file it is in; the judge turns that into a verdict. Carry:
its loop scope, loop type and setup go to their pytest-asyncio 1.x forms and it goes. Keep:
the same, but sync code of the file still requests it (pytest-asyncio 1.x gives it to sync
code as a plain fixture). Leave: it stays, and the note at it gives the reason, which says
what to write by hand. The first reason that applies is the one given.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from ...pytest_model.event_loop import (
    FIXTURE_NAME,
    LOOP_FACTORIES_HOOK_NAME,
    POLICY_FIXTURE,
)
from ...pytest_model.loop_scopes import FUNCTION, default_test_loop_scope
from ...pytest_model.project_helpers import Helper
from ...pytest_model.versions import LOOP_FACTORIES_HOOK, TEST_LOOP_SCOPE_OPTION
from .body import BodyFacts
from .nested import NestedClass, nested_reason

if TYPE_CHECKING:
    from .survey import Override

#: carry it over and remove it; keep it (sync code of the file requests it); leave it in place.
Action = Literal["carry", "keep", "leave"]


class Verdict(NamedTuple):
    action: Action
    reason: str = ""  # why it is left (the note says it)
    #: in a test module: its loop type goes to the covering conftest's loop-factories hook,
    #: as a branch for the module's tests (a hook lives only in a conftest.py)
    branch: bool = False


@dataclass(frozen=True)
class FileEvidence:
    """What the judge needs to know of the file an override is in."""

    is_conftest: bool  # a conftest.py or a plugin module
    target: tuple[int, ...]
    #: the configured asyncio_default_test_loop_scope (None: not configured, function)
    default_test_loop_scope: str | None
    #: the names of the module's own top-level functions (hooks, fixtures)
    functions: frozenset[str]
    #: a conftest.py that serves the whole run (its folder holds every test module)
    serves_whole_run: bool
    #: the sync functions of the file that request ``event_loop``
    sync_users: tuple[str, ...]


@dataclass(frozen=True)
class OverrideEvidence:
    """What the survey read of one override defined in the file."""

    func: ast.FunctionDef | ast.AsyncFunctionDef
    class_name: str | None
    scope: str | None  # None: not a literal
    body: BodyFacts
    #: the project's functions it calls, followed to their definitions (``fits``: they only
    #: return the current or a new asyncio loop)
    helpers: Sequence[Helper]
    #: the loop classes defined inside it; the one that moves to module level, if any, and
    #: why the one that would have moved cannot
    nested: Sequence[NestedClass]
    moving: NestedClass | None
    move_problem: str | None


def _leave(reason: str) -> Verdict:
    return Verdict("leave", reason)


def judge(override: OverrideEvidence, file: FileEvidence) -> Verdict:
    """What to do with an override of the file's own."""
    body, scope, target = override.body, override.scope, file.target
    if isinstance(override.func, ast.AsyncFunctionDef):
        return _leave("an async event_loop fixture is not a loop override pytest-asyncio ever used")
    if scope is None:
        return _leave("its scope is not a string literal, so the loop scope to carry over is unknown")
    if override.func.name != FIXTURE_NAME:
        return _leave("it is registered under another function name (name=\"event_loop\")")
    if override.move_problem is not None:
        return _leave(override.move_problem)
    if override.nested and override.moving is None:
        return _leave(nested_reason(override.nested, file.is_conftest, target, override.func))
    if not body.created and body.kind == "asyncio":
        unread = next((h for h in override.helpers if not h.fits), None)
        return _leave(
            f"it gets its loop from {unread.spelling}() ({unread.where}), which does more than return the "
            "current or a new asyncio loop: move what else it does to the loop into an async autouse fixture "
            "that uses asyncio.get_running_loop(), with a matching loop_scope"
            if unread is not None
            else "it does not create the loop in a way this tool recognises"
        )
    if body.extra == "loop":
        return _leave(
            "its body does more with the loop than create and close it (exception handler, "
            "run_until_complete, attributes); move that into an async autouse fixture that uses "
            "asyncio.get_running_loop(), with a matching loop_scope"
        )
    if body.wraps and (override.class_name is not None or scope != "function" or body.extra != "none"):
        return _leave(
            "its with-block around the yield wraps each test in a context manager of the loop; move it to an "
            "async autouse fixture of matching scope that enters it on asyncio.get_running_loop()"
        )
    if body.wraps and default_test_loop_scope(file.default_test_loop_scope) != FUNCTION:
        return _leave(
            "its with-block around the yield wraps each test in a context manager of the loop, and the configured "
            f"asyncio_default_test_loop_scope ({file.default_test_loop_scope}) runs the tests in wider "
            "loops than this function-scoped override gave them; move it to an async autouse fixture of the "
            "tests' loop scope that enters it on asyncio.get_running_loop()"
        )
    if body.drives and (body.kind != "asyncio" or file.sync_users):
        return _leave(
            "its setup runs coroutines on the loop (run_until_complete)"
            + (f" and sync code here requests it ({', '.join(file.sync_users)})" if file.sync_users else
               f" of a {body.kind} loop ({body.factory})")
            + "; move that setup into an async autouse fixture that awaits them, with a matching loop_scope"
        )
    if body.extra == "setup" and body.nested_extra:
        return _leave(
            "its setup/teardown is interleaved with the loop's in try/finally; keep the setup as an "
            "autouse fixture of the same scope"
        )
    if body.kind != "asyncio" and not file.is_conftest:
        # its loop factory is a name of the module (a class of its own, moved or not, or of
        # an imported library): the covering conftest's hook reaches it as item.module.X.
        # Sync code of the module that requests it keeps it: pytest-asyncio 1.x gives it
        # to sync code as a plain fixture, the loop type they drove (the stand-in that
        # replaces a removed event_loop gives asyncio's own loop)
        if target >= LOOP_FACTORIES_HOOK:
            return Verdict("keep" if file.sync_users else "carry", branch=True)
        return _leave(
            f"it makes a {body.kind} loop ({body.factory}); a loop type can only be chosen by a "
            "pytest_asyncio_loop_factories hook in a conftest.py (inspect item.path there to limit it "
            "to this module; pytest-asyncio 1.4) or pytest.mark.asyncio(loop_factories=[...])"
        )
    if body.kind == "custom" and target < LOOP_FACTORIES_HOOK:
        moving = override.moving
        moved = (
            f" (first move {moving.name}, defined inside it, to module level"
            + (f", reading self for {moving.instance})" if moving.instance else ")")
            if moving is not None else ""
        )
        return _leave(
            f"it makes a custom loop ({body.factory}); below pytest-asyncio 1.4 that needs an "
            f"event_loop_policy fixture whose policy returns that loop{moved}"
        )
    chooser = LOOP_FACTORIES_HOOK_NAME if target >= LOOP_FACTORIES_HOOK else POLICY_FIXTURE
    if body.kind != "asyncio" and chooser in file.functions:
        return _leave(
            "the conftest already defines the loop-factories hook (or event_loop_policy); add this loop type to it"
        )
    if (
        file.is_conftest
        and scope != "function"
        and "pytest_collection_modifyitems" in file.functions
        and not (file.serves_whole_run and target >= TEST_LOOP_SCOPE_OPTION)
    ):
        return _leave(
            "the conftest already has a pytest_collection_modifyitems hook; add "
            f"pytest.mark.asyncio(loop_scope=\"{scope}\") to the async tests below this folder there"
        )
    if file.sync_users:
        return Verdict("keep")
    return Verdict("carry")


def judge_imported(
    body: BodyFacts,
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    scope: str | None,
    where: str,
    has_nested_classes: bool,
    class_import: tuple[str, str] | None,
    file: FileEvidence,
) -> Verdict:
    """What to do with the override a test module imports from a module of the project
    (defined at ``where``): carried when all it does is make its loop, whose class, if it
    is one, the covering conftest can import (``class_import``); kept (its import) for the
    module's sync code that requests it where it makes another loop type than asyncio's."""
    if isinstance(func, ast.AsyncFunctionDef) or not body.created or scope is None:
        return _leave(f"it does not create its loop in a way this tool recognises ({where})")
    if body.extra != "none" or body.wraps or body.debug or has_nested_classes:
        return _leave(
            f"it does more than make its loop ({where}): move what else it does into an autouse fixture of this "
            "module, then delete the import"
        )
    if file.sync_users and body.kind == "asyncio":
        return _leave(f"sync code here requests it ({', '.join(file.sync_users)}); make it async first")
    if body.kind != "asyncio" and file.target < LOOP_FACTORIES_HOOK:
        return _leave(
            f"it makes a {body.kind} loop ({body.factory}, {where}); a loop type can only be chosen by a "
            "pytest_asyncio_loop_factories hook in a conftest.py (pytest-asyncio 1.4)"
        )
    if body.kind == "custom" and class_import is None:
        return _leave(
            f"its loop class {body.factory} ({where}) cannot be imported by a conftest.py from here (a relative "
            "import): give the covering conftest's pytest_asyncio_loop_factories hook a branch for this module"
        )
    # another loop type: the import stays for the module's sync code that requests it (as
    # for an override of its own), the covering conftest's hook gives its async tests that loop
    return Verdict("keep" if file.sync_users else "carry", branch=body.kind != "asyncio")


def sync_user_left(name: str, override: Override) -> str | None:
    """Why the sync test or fixture ``name`` of a module below a conftest.py whose override
    is removed (``override``), requesting ``event_loop``, is left unfinished; None when it is
    not: a loop of asyncio's own is what the ``event_loop`` fixture sync-to-async writes in
    the override's place gives it (without that fixture, the check of the planned result
    withdraws the removal)."""
    if override.action != "carry" or override.kind == "asyncio":
        return None
    made = f"{override.factory}() loops" if override.factory else f"{override.kind} loops"
    return (
        f"'{name}' is sync and requests event_loop, whose override in conftest.py gave it {made} and was removed "
        "(pytest-asyncio 1.x has no such fixture; an event_loop fixture written in its place gives asyncio's own "
        "loop): make it async (sync-to-async) or give it such a loop of its own"
    )


def kept_import_note(override: Override) -> str:
    """The note on the import of an override kept for the module's sync code (judge_imported)."""
    return (
        f"the event_loop fixture imported here ({override.imported_from}) is kept because sync code here requests it "
        f"({', '.join(override.sync_users)}); pytest-asyncio 1.x gives it to sync code as a plain fixture but no "
        "longer runs async tests or fixtures in it (the conftest's pytest_asyncio_loop_factories hook gives them "
        f"{override.factory}() loops): make those users async (sync-to-async) and delete this import"
    )
