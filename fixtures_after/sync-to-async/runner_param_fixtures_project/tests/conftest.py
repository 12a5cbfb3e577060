import asyncio
import warnings

import pytest


@pytest.fixture(
    params=[
        pytest.param("asyncio", marks=pytest.mark.anyio),
        pytest.param("trio", marks=pytest.mark.trio),
    ]
)
def backend(request):
    """Each parameter hands the async tests that use it to its own runner."""
    return request.param


@pytest.fixture
def event_loop(request):
    """A new event loop for each test, for sync code that needs a loop object
    (pytest-asyncio 1.0 removed its own event_loop fixture), current while it lives;
    the loop current before it is current again after."""

    def current():
        # the current loop, or None; where none was ever set, reading makes one:
        # Python 3.12-3.13 warn first (an error here, so none is made), 3.10.9-3.11 do not
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            try:
                return asyncio.get_event_loop()
            except (RuntimeError, DeprecationWarning):
                return None

    def close_unused():
        if previous is not current() and not previous.is_running():
            previous.close()

    previous = current()
    if previous is not None:
        # it may be one the read made, which nothing else would close: closed at the end
        # of the run, unless it is in use then
        request.session.addfinalizer(close_unused)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(previous)
    loop.close()
