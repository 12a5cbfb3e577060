import asyncio

import pytest


@pytest.fixture(scope="module")
def event_loop():
    class TickLoop(asyncio.SelectorEventLoop):
        """Counts the callbacks scheduled on it, over the whole module."""

        def __init__(self):
            super().__init__()
            self.ticks = 0

        def call_soon(self, callback, *args, context=None):
            loop.ticks += 1
            return super().call_soon(callback, *args, context=context)

    loop = TickLoop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_first_counts_ticks():
    await asyncio.sleep(0)
    assert asyncio.get_running_loop().ticks > 0


@pytest.mark.asyncio
async def test_second_shares_the_loop():
    assert type(asyncio.get_running_loop()).__name__ == "TickLoop"
    assert asyncio.get_running_loop().ticks > 1
