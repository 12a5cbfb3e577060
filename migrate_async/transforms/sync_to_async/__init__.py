"""sync-to-async: sync tests and fixtures that drive coroutines with ``run_until_complete`` → ``async def`` + ``await``.

What:
    A sync test or sync ``@pytest.fixture`` (``yield`` fixtures included) that drives coroutines
    with ``run_until_complete(...)`` on the ``event_loop`` fixture or on
    ``asyncio.get_event_loop()`` (inline, or stored in a local first:
    ``loop = asyncio.get_event_loop()``) becomes an ``async def`` that awaits what it used to
    run: ``event_loop.run_until_complete(client.get(url))`` → ``await client.get(url)``, also
    for ``asyncio.gather(...)``, tasks and futures. The ``event_loop`` parameter is removed (a
    signature that loses its only parameter closes up); when the body still uses the loop for
    something else (``event_loop.create_future()``, ``call_later``),
    ``event_loop = asyncio.get_running_loop()`` becomes the first statement, and a local
    ``loop = asyncio.get_event_loop()`` becomes ``asyncio.get_running_loop()`` (or goes away when
    it only drove coroutines). In strict mode a converted test gets ``@pytest.mark.asyncio`` as
    first decorator (spelled the way the module spells pytest, unless a class or module mark
    already reaches it) and a converted fixture becomes ``@pytest_asyncio.fixture`` with its
    arguments kept, plus ``loop_scope=`` equal to a wider literal ``scope=`` (target ≥ 0.24); in
    auto mode the decorators stay as they are. Either way, a converted function stays on the
    loop it ran on, the function-scoped one of its test: where the configured
    ``asyncio_default_fixture_loop_scope`` (``asyncio_default_test_loop_scope``) names another
    scope, a converted fixture gets ``@pytest_asyncio.fixture(loop_scope="function")`` (a
    converted test ``@pytest.mark.asyncio(loop_scope="function")``). A converted yield fixture's
    ``Iterator[T]``/``Iterable[T]``/``Generator[T, S, None]`` return annotation becomes
    ``AsyncIterator[T]``/``AsyncIterable[T]``/``AsyncGenerator[T, S]``. A fixture that
    registers a local ``def close()`` with ``request.addfinalizer(close)`` right before its
    only ``return value`` (a finalizer cannot be a coroutine) becomes a yield fixture:
    ``yield value``, then close's body, awaited; ``-> T`` becomes ``-> AsyncIterator[T]`` and
    ``request`` goes when nothing else reads it.

    Only what drove coroutines on that loop becomes async. A sync test or fixture that requests
    ``event_loop`` and never uses it loses the parameter and stays sync, unless its sync code
    finds the current loop (``asyncio.get_event_loop()``, ``ensure_future``, ``gather``, ...,
    itself or in a class or helper of the module it calls), which 0.21 made the fixture's: then
    it keeps the parameter, on the project's own ``event_loop``. One that needs the loop
    object (hands it to a constructor or helper, stores it, creates futures on it without
    running it, controls it with ``run_forever``/``stop``/``close``, drives it from a callback)
    stays sync, and the nearest conftest.py gets an ``event_loop`` fixture of the project's own:
    a new loop, current while it lives, closed after, as pytest-asyncio 0.21's was. A fixture that only hands out
    the loop (``def loop(event_loop): return event_loop``, pytest-aiohttp's name) becomes an
    async fixture returning ``asyncio.get_running_loop()`` when no sync code requests it: in a
    test module, none of its own; in a conftest.py, none of the modules below it, as the
    survey saw them (a run that named only some of them, or a name without "loop", keeps it).

Why:
    pytest-asyncio 1.0 removed the ``event_loop`` fixture ("fixture 'event_loop' not found"), and
    since 1.4 no current loop is left set between tests, so ``asyncio.get_event_loop()`` in sync
    code raises "There is no current event loop". The official migration ("migrate from 0.21",
    steps 2–3) makes such tests and fixtures coroutines; they then run in the loop pytest-asyncio
    gives them, which converted fixtures and tests of the same loop scope share. Before 1.0 a
    fixture that used ``event_loop`` ran on its test's loop; with
    ``asyncio_default_fixture_loop_scope = session`` configured, the converted fixture would
    run on the session loop while its test runs on a function loop, and a server it starts
    never answers. Code that needs a loop object rather than the running loop cannot become a
    coroutine (``run_until_complete`` inside a running loop fails with "Cannot run the event
    loop while another loop is running"); a loop of its own is what it had.

Safety:
    A function becomes async only when every loop use in it can become ``await``; otherwise it
    stays sync: with the project's own ``event_loop`` when it requested the fixture, else as it
    is, reported (``run_until_complete`` on a ``get_event_loop()`` loop stored or handed on, a
    ``yield from`` or a value ``return`` in a ``yield`` fixture, a loop run the function cannot
    await next to ones it can, calls of a same-module helper that runs ``run_until_complete``
    itself). A function and the same-module fixtures it reaches (directly or through other
    fixtures of the module) go one way together: when one of them keeps a loop of its own, none
    becomes async (an async fixture on pytest-asyncio's loop whose results a sync test drives
    on another loop fails or hangs), and one held back so, with nothing else in its way, is
    reported. Where the project's own ``event_loop`` is there already (on 1.x, or after a first
    run), what takes it is left as it is and holds back what goes with it, so a second run
    changes nothing; a module that defines ``event_loop`` itself gets none in a conftest.py.
    No loop of its own
    where the code also meets pytest-asyncio's loop (it requests an async fixture of the module,
    an async test or fixture requests it) or in a conftest.py (whose consumers are not seen
    here): those stay as they are, with notes. Helpers (functions that are neither tests nor
    fixtures) stay sync; a ``run_until_complete`` on ``get_event_loop()``, or on a loop they are
    given by callers other than sync tests on the project's own loop, is reported. Untouched:
    ``asyncio.run`` anywhere (a sync test calling it is modern code, and may test exactly that),
    loops a test or thread creates itself (``asyncio.new_event_loop()``), sync
    ``@pytest_asyncio.fixture`` functions (pytest-asyncio ≥ 1.4 sets their loop as current),
    ``event_loop``/``event_loop_policy`` fixture definitions, unittest classes, and modules run
    by anyio or trio. A sync test that merely consumes a converted fixture stays sync:
    pytest-asyncio runs async fixtures for sync tests too (strict and auto mode,
    pytest-asyncio #287). A converted test reached by a class or module asyncio mark that
    gives it another loop than it ran on gets a mark of its own with that ``loop_scope=``
    (the closest mark wins). Fixtures of a conftest.py meet the modules below it only as the
    survey tells: its async fixtures, and its sync ones that take ``event_loop``, count as on
    pytest-asyncio's loop.
"""

from __future__ import annotations

from .analysis import BodyAnalysis
from .plan import FunctionPlan
from .survey import ConftestLoops, SyncLoopRequests
from .transform import SyncToAsync

__all__ = ["BodyAnalysis", "ConftestLoops", "FunctionPlan", "SyncLoopRequests", "SyncToAsync"]
