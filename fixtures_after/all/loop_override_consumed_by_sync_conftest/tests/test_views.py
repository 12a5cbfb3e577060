import asyncio

import pytest
import pytest_asyncio

from .conftest import Executor


class TestBound:
    @pytest_asyncio.fixture
    async def executor(self):
        event_loop = asyncio.get_running_loop()
        return Executor(loop=event_loop)

    @pytest.mark.asyncio
    async def test_bound_executor_is_on_the_test_loop(self, app):
        assert app["executor"].loop is asyncio.get_running_loop()
        assert await asyncio.wait_for(app["executor"].double(4), timeout=2) == 8
