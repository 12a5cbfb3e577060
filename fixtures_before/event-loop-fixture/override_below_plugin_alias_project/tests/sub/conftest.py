import asyncio

import pytest


class CountingLoop(asyncio.SelectorEventLoop):
    pass


@pytest.fixture
def event_loop():
    loop = CountingLoop()
    yield loop
    loop.close()
