"""Scheduler tests: the override's own loop class reads a clock the fixture made, so it
cannot move to module level as it is (the note names the class and the hook to write)."""

import asyncio

import pytest


class FakeClock:
    def __init__(self):
        self.now = 0.0


@pytest.fixture
def event_loop():
    clock = FakeClock()

    class ClockLoop(asyncio.SelectorEventLoop):
        def time(self):
            return clock.now

    loop = ClockLoop()
    yield loop
    loop.close()


async def tick(ticks):
    await asyncio.sleep(0)
    return ticks + 1


@pytest.mark.asyncio
async def test_tick():
    assert await tick(1) == 2
