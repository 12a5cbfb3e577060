"""Fixtures shared by the view tests (pytest-asyncio 0.21 style)."""
import asyncio

import pytest
import pytest_asyncio


class Executor:
    """Runs work on a loop; the default one when none is given."""

    def __init__(self, loop=None):
        self.loop = loop

    async def run(self, value):
        loop = self.loop or asyncio.get_running_loop()
        done = loop.create_future()
        loop.call_soon(done.set_result, value * 2)
        return await done


@pytest.fixture
def executor():
    return Executor()


@pytest.fixture
def app(executor):
    return {"executor": executor, "name": "views"}


@pytest_asyncio.fixture
async def client(app):
    yield app
