"""View tests; one class swaps in an executor bound to the test's loop."""
import asyncio

import pytest
import pytest_asyncio

from .conftest import Executor


@pytest.mark.asyncio
async def test_default_executor(client):
    assert await asyncio.wait_for(client["executor"].run(2), timeout=2) == 4


class TestBoundExecutor:
    @pytest_asyncio.fixture
    async def executor(self):
        event_loop = asyncio.get_running_loop()
        return Executor(loop=event_loop)

    @pytest.mark.asyncio
    async def test_bound_executor_runs_on_the_test_loop(self, client):
        assert client["executor"].loop is asyncio.get_running_loop()
        assert await asyncio.wait_for(client["executor"].run(3), timeout=2) == 6
