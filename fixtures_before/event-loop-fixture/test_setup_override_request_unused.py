"""An override whose setup stays: the request it took for the loop goes with the loop."""
import asyncio

import pytest

CALLS = []


@pytest.fixture
def event_loop(request):
    """Create an instance of the default event loop for each test case."""
    CALLS.append("setup")
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
    CALLS.append("teardown")


@pytest.mark.asyncio
async def test_setup_ran_first():
    assert CALLS[-1] == "setup"
