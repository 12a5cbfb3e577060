"""An override whose setup stays: the request it took for the loop goes with the loop."""

import pytest

CALLS = []


@pytest.fixture(autouse=True)
def setup_calls():
    CALLS.append("setup")
    yield
    CALLS.append("teardown")


@pytest.mark.asyncio
async def test_setup_ran_first():
    assert CALLS[-1] == "setup"
