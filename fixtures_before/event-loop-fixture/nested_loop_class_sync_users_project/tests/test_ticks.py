"""Ticks counted on the loop the module's own override made; a sync test reads that loop."""

import asyncio

import pytest


@pytest.fixture
def event_loop():
    class TickLoop(asyncio.SelectorEventLoop):
        ticks = 0

        def call_soon(self, callback, *args, context=None):
            self.ticks += 1
            return super().call_soon(callback, *args, context=context)

    loop = TickLoop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_async():
    await asyncio.sleep(0)
    assert type(asyncio.get_running_loop()).__name__ == "TickLoop"


def test_sync(event_loop):
    assert type(event_loop).__name__ == "TickLoop"
