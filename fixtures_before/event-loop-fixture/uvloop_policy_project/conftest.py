import pytest
import uvloop


@pytest.fixture(scope="session")
def event_loop_policy():
    """Every test runs on uvloop, as production does."""
    return uvloop.EventLoopPolicy()
