"""A sync app fixture built on whatever executor the test module provides."""
import asyncio

import pytest


class Executor:
    def __init__(self, loop=None):
        self.loop = loop

    async def double(self, value):
        loop = self.loop or asyncio.get_running_loop()
        done = loop.create_future()
        loop.call_soon(done.set_result, value * 2)
        return await done


@pytest.fixture
def executor():
    return Executor()


@pytest.fixture
def app(executor):
    return {"executor": executor}
