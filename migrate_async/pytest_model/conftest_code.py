"""The code migrate-async writes into a conftest.py, laid out one way.

Transforms build what they ask a conftest.py to hold from here; the engine only merges and
places it.
"""

from __future__ import annotations

from .event_loop import OWN_LOOP_MARK


def own_loop_code(scope: str = "function") -> str:
    """The ``event_loop`` fixture of the project's own that sync code needing a loop object
    gets in its conftest.py: what pytest-asyncio 0.21 (or the project's override) gave it, a
    new loop of that scope, the current loop while it lives (0.21 set it so: ``ensure_future``,
    ``gather`` and ``get_event_loop()`` in sync code use it), closed after. At teardown no loop
    is left current (0.21 set a fresh one; pytest-asyncio 1.4+ leaves none after its own
    tests either). Its docstring carries OWN_LOOP_MARK, so that a later run takes it for the
    project's own."""
    decorator = "@pytest.fixture" if scope == "function" else f'@pytest.fixture(scope="{scope}")'
    each = "test" if scope == "function" else scope
    return (
        f"{decorator}\n"
        "def event_loop():\n"
        f'    """A new event loop for each {each}, {OWN_LOOP_MARK}\n'
        '    (pytest-asyncio 1.0 removed its own event_loop fixture), current while it lives."""\n'
        "    loop = asyncio.new_event_loop()\n"
        "    asyncio.set_event_loop(loop)\n"
        "    yield loop\n"
        "    asyncio.set_event_loop(None)\n"
        "    loop.close()\n"
    )
