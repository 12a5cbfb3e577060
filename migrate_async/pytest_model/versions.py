"""The pytest-asyncio releases that changed what the tool may write: one name per gate.

A transform asks ``project.target >= LOOP_SCOPE_KWARG`` rather than ``>= (0, 24)``, so that a
gate reads as the fact it stands for and is stated once. The versions are pytest-asyncio's
changelog's (the release table of the project's pytest-asyncio facts sheet).
"""

from __future__ import annotations

Version = tuple[int, int]

#: The oldest release the tool writes for (``--target-version``).
OLDEST_TARGET: Version = (0, 17)
#: The newest release, and the default target.
NEWEST_TARGET: Version = (1, 5)

#: ``loop_scope=`` on ``pytest.mark.asyncio`` and on ``pytest_asyncio.fixture``, and the
#: ``asyncio_default_fixture_loop_scope`` option (with its warning when unset).
LOOP_SCOPE_KWARG: Version = (0, 24)
#: ``asyncio_default_test_loop_scope``: the config-level way to give tests a wider loop.
TEST_LOOP_SCOPE_OPTION: Version = (0, 26)
#: The ``event_loop`` fixture is gone: a fixture of that name is the project's own.
NO_EVENT_LOOP_FIXTURE: Version = (1, 0)
#: ``asyncio_debug`` (and ``--asyncio-debug``).
DEBUG_OPTION: Version = (1, 2)
#: The ``pytest_asyncio_loop_factories`` hook; overriding ``event_loop_policy`` is deprecated;
#: no current loop is left set after an async test.
LOOP_FACTORIES_HOOK: Version = (1, 4)
#: No current loop is left set once an async test has run (#724): sync code outside any loop
#: (a sync fixture, an xunit setup, a sync test) gets none from ``asyncio.get_event_loop()``.
NO_CURRENT_LOOP_LEFT: Version = LOOP_FACTORIES_HOOK
#: ``asyncio_default_fixture_loop_scope = fixture-scope``.
FIXTURE_SCOPE_DEFAULT: Version = (1, 5)
