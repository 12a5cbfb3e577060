"""A lock bound to the loop it is used in (pytest-asyncio 0.21 style: tests take `loop`)."""
import asyncio

import pytest


class Lock:
    def __init__(self):
        self._loop = None
        self._held = False

    async def acquire(self):
        self._loop = asyncio.get_running_loop()
        while self._held:
            await asyncio.sleep(0)
        self._held = True

    def release(self):
        self._held = False


@pytest.mark.asyncio
async def test_lock_is_bound_to_the_running_loop(loop):
    lock = Lock()
    await lock.acquire()
    # the loop the test got is the one it runs in: a loop of its own would not be
    assert lock._loop is loop
    lock.release()


@pytest.mark.asyncio
async def test_callbacks_run_on_the_test_loop(loop):
    done = asyncio.Event()
    loop.call_soon(done.set)
    await asyncio.wait_for(done.wait(), timeout=1)
