"""A deadline bound to a loop's clock: async tests use it on the loop they run in, sync
tests on the loop they drive (pytest-asyncio 0.21 style: both take `loop`)."""
import asyncio

import pytest


class Deadline:
    def __init__(self, delay, loop):
        self._loop = loop
        self.when = loop.time() + delay

    def remaining(self):
        return max(0.0, self.when - self._loop.time())


@pytest.mark.asyncio
async def test_deadline_on_the_running_loop(loop):
    assert loop is asyncio.get_running_loop()
    deadline = Deadline(5, loop)
    await asyncio.sleep(0)
    assert 0 < deadline.remaining() <= 5


def test_deadline_on_a_driven_loop(loop):
    # the loop is idle and current, as 0.21's event_loop was for a sync test
    assert not loop.is_running()
    assert asyncio.get_event_loop() is loop
    deadline = Deadline(5, loop)

    async def wait():
        await asyncio.sleep(0)
        return asyncio.get_running_loop()

    assert loop.run_until_complete(wait()) is loop
    assert 0 < deadline.remaining() <= 5
