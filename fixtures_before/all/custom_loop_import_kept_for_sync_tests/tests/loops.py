import asyncio

import pytest


class StepLoop(asyncio.SelectorEventLoop):
    pass


@pytest.fixture
def event_loop():
    loop = StepLoop()
    yield loop
    loop.close()
