"""What sync-to-async makes of one sync function: its :class:`FunctionPlan`.

The analysis (analysis.py) fills what the function's body does with the loop; the planner
(planner.py) settles its ``state``, the module's functions together; the notes (notes.py)
and the rewrite (transform.py) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from .finalizers import Finalizer

#: What pytest makes of a function: a test it collects, a fixture, or neither (a helper the
#: tests and fixtures call).
Role = Literal["test", "fixture", "helper"]

#: What becomes of a function, settled once every function of the module is planned:
#: "convert" (async def + await), "unused" (the unused ``event_loop`` parameter goes, it
#: stays sync), "own" (it stays sync with an ``event_loop`` fixture of the project's own),
#: "alias" (a fixture that only handed out the loop hands out the running one, see
#: ``FunctionPlan.alias``) or "leave" (as it is, with its notes).
State = Literal["convert", "unused", "own", "alias", "leave"]

#: Why a function that needs the loop object gets no ``event_loop`` of the project's own.
NoOwnLoop = Literal[
    "async tests or fixtures request it, and they run on pytest-asyncio's loop",
    "in a conftest.py, whose consumers are not seen here",
    "the scope of the event_loop it ran on is not a literal",
]


@dataclass
class FunctionPlan:
    """What converting one function takes, or why it cannot be converted."""

    role: Role
    loop_param: str | None = None
    drivers: list[cst.Call] = field(default_factory=list)  # calls that become ``await <arg>``
    #: the lines of drivers whose coroutine leaves callbacks that the code after them may
    #: read: a turn of the loop follows them once converted (callbacks.py)
    loop_turns: set[cst.SimpleStatementLine] = field(default_factory=set)
    #: (where, message, kind of note)
    blockers: list[tuple[cst.CSTNode, str, str]] = field(default_factory=list)
    #: the blockers that are where the loop object itself goes (handed on, stored, returned
    #: or yielded; ids of their nodes): they keep the function sync unless only async code
    #: consumes it (``on_running_loop``)
    handoffs: set[int] = field(default_factory=set)
    #: only block a conversion (a loop run that cannot be awaited next to ones that can)
    conditional: list[tuple[cst.CSTNode, str, str]] = field(default_factory=list)
    loop_vars: dict[str, cst.SimpleStatementLine] = field(default_factory=dict)
    other_use: set[str] = field(default_factory=set)  # loop names used for more than running
    helper_runs: list[cst.Call] = field(default_factory=list)  # helpers: runs to report
    helper_calls: set[str] = field(default_factory=set)  # the same-module helpers it calls that run a loop
    marked: bool = False  # an asyncio mark already reaches the test
    #: the loop scope the closest asyncio mark names: None when it names none (the configured
    #: default), "?" when it is not a literal
    mark_scope: str | None = None
    #: the closest asyncio mark is the function's own decorator
    own_mark: bool = False
    generator: bool = False  # a ``yield`` fixture
    #: a fixture that returns its value after ``request.addfinalizer(close)`` of a local
    #: ``def close()``: it becomes a ``yield`` fixture with close's body after the yield
    finalizer: Finalizer | None = None
    #: it calls ``addfinalizer`` (for the notes: a finalizer cannot be a coroutine)
    registers_finalizer: bool = False
    loop_used: bool = False  # the body names the ``event_loop`` parameter
    #: the names of the other parameters (the fixtures it requests)
    requests: tuple[str, ...] = ()
    #: what becomes of it (see State and ModulePlanner._settle)
    state: State = "leave"
    #: fixtures on pytest-asyncio's loop that kept it from a loop of its own
    meets: tuple[str, ...] = ()
    #: a fixture whose body only returns or yields ``event_loop`` (``loop``, as pytest-aiohttp
    #: named it): state "alias" makes it an async fixture giving the running loop
    alias: bool = False
    #: the function's name, as notes say it
    name: str = ""
    #: it takes the project's own ``event_loop`` already (FileFacts.own_event_loop, on 1.x or
    #: after a first run): left as it is, without a note, but its partners still go with it
    kept: bool = False
    #: the scope of the ``event_loop`` it ran on before 1.0 (see
    #: ModulePlanner._read_loop_scope), and whether its module or class defines that one itself
    ran_on: str | None = "function"
    local_loop: bool = False
    #: why it gets no loop of its own, though it needs one (it stays as it is)
    why: NoOwnLoop | None = None
    #: the function that kept it from becoming async (it keeps a loop of its own)
    held_by: str | None = None
    #: its body (ModulePlanner._finds_current_loop reads it when asked)
    body: cst.BaseSuite | None = None

    #: a fixture that hands the loop on whose consumers are async code only: it becomes an
    #: async fixture on the running loop (see ModulePlanner._settle)
    on_running_loop: bool = False
    #: a fixture's literal cache scope (None when not a literal), and its decorator's library
    cache_scope: str | None = "function"
    library: str = "pytest"
    #: such a fixture whose cache scope outlives the loop its tests run on (that loop
    #: scope): it is left as it is, with a note
    wider_than_tests: str | None = None
    #: it hands the loop to async code only, but some of its tests ran on an event_loop of
    #: their module's or class's own (see LoopFlow.reaches_own_loops): it stays as it is
    on_own_loops: bool = False
    #: a callable of the project it hands the loop to that runs it (run_until_complete):
    #: (its spelling, where it runs it); on the running loop that fails, so it is not put there
    drives_loop: tuple[str, str] | None = None
    #: such a fixture whose consumers are async code only: it is left as it is, with a note
    driven_for_async: bool = False
    #: a fixture that hands the loop on to sync and to async consumers: the sync ones get
    #: the project's own event_loop, the async ones run on another loop (a left note)
    mixed_consumers: bool = False
    #: a fixture it requests (directly or through others) whose params carry a runner's
    #: mark, and where that fixture is defined: each parameter says which plugin runs the
    #: test as an async one (pytest_model.frameworks.param_runner_fixture), so it is not
    #: made a pytest-asyncio test or fixture; it stays sync
    runner_fixture: tuple[str, str] | None = None

    @property
    def candidate(self) -> bool:
        return self.role != "helper" and (bool(self.drivers) or self.loop_param is not None)

    @property
    def convertible(self) -> bool:
        # only what drove coroutines on the loop becomes async: a test that merely requests
        # the loop, or hands the loop object to code of its own, stays sync
        if self.role == "helper" or self.conditional or self.runner_fixture is not None:
            return False
        if self.on_running_loop:
            return not self.hard_blockers
        return bool(self.drivers) and not self.blockers

    @property
    def hard_blockers(self) -> list[tuple[cst.CSTNode, str, str]]:
        """The blockers that keep it sync whoever consumes it (all but the handoffs)."""
        return [blocker for blocker in self.blockers if id(blocker[0]) not in self.handoffs]

    @property
    def hands_on_loop(self) -> bool:
        """A fixture that needs the loop object (hands it on, tweaks it), and nothing else
        keeps sync: on the running loop it does what it did, when only async code consumes it."""
        return (
            self.role == "fixture" and self.loop_param is not None and self.loop_param in self.other_use
            and not self.hard_blockers and not self.conditional and not self.loop_vars
            and self.runner_fixture is None
        )

    @property
    def unused_loop(self) -> bool:
        return (
            self.role != "helper" and self.loop_param is not None and not self.loop_used
            and not self.drivers and not self.blockers
        )

    @property
    def needs_own_loop(self) -> bool:
        """It stays sync on an ``event_loop`` of the project's own, which this run provides
        (a project's own one that it takes already needs nothing)."""
        return self.role != "helper" and self.state == "own" and not self.kept
