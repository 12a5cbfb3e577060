import pytest


@pytest.fixture
def loop(event_loop):
    """The loop the test runs in (the name pytest-aiohttp used)."""
    return event_loop
