"""The module and a class each override the executor a conftest.py fixture builds on."""
import asyncio

import pytest
import pytest_asyncio

from .conftest import Executor


@pytest_asyncio.fixture
async def executor():
    event_loop = asyncio.get_running_loop()
    return Executor(loop=event_loop)


@pytest.mark.asyncio
async def test_module(client):
    assert client["executor"].loop is asyncio.get_running_loop()


class TestBound:
    @pytest_asyncio.fixture
    async def executor(self):
        event_loop = asyncio.get_running_loop()
        return Executor(loop=event_loop)

    @pytest.mark.asyncio
    async def test_class(self, client):
        assert client["executor"].loop is asyncio.get_running_loop()
