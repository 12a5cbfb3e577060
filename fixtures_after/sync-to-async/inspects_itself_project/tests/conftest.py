import asyncio
import warnings

import pytest


@pytest.fixture
def event_loop():
    """A new event loop for each test, for sync code that needs a loop object
    (pytest-asyncio 1.0 removed its own event_loop fixture), current while it lives;
    the loop current before it is current again after."""
    with warnings.catch_warnings():
        # none current: Python 3.12-3.13 would warn, then make one (not as an error)
        warnings.simplefilter("error", DeprecationWarning)
        try:
            previous = asyncio.get_event_loop()
        except (RuntimeError, DeprecationWarning):
            previous = None
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(previous)
    loop.close()
