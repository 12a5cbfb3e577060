import pytest


@pytest.fixture
def loop(event_loop):
    """The loop of the test (async tests run in it; sync ones drive it)."""
    return event_loop
