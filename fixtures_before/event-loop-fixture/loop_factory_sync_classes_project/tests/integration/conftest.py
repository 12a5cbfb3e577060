import asyncio

import pytest


class CountingLoop(asyncio.SelectorEventLoop):
    """The integration tests' loop: counts the callbacks scheduled on it."""

    def __init__(self):
        super().__init__()
        self.scheduled = 0

    def call_soon(self, callback, *args, context=None):
        self.scheduled += 1
        return super().call_soon(callback, *args, context=context)


@pytest.fixture(scope="session")
def event_loop():
    loop = CountingLoop()
    yield loop
    loop.close()
