import asyncio
import sys

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def make_lock(shared_loop):
    if sys.version_info < (3, 10):
        return asyncio.Lock(loop=shared_loop)
    return asyncio.Lock()


@pytest.mark.asyncio
async def test_lock_is_free(event_loop):
    lock = make_lock(event_loop)
    assert not lock.locked()


@pytest.mark.usefixtures("event_loop")
class TestLedger:
    def test_opening_balance(self):
        assert sum([100, -40]) == 60

    @pytest.mark.asyncio
    async def test_posting_waits_for_lock(self):
        async def post(shared_loop):
            if sys.version_info < (3, 10):
                return asyncio.Lock(loop=shared_loop)
            return asyncio.Lock()

        lock = await post(asyncio.get_running_loop())
        async with lock:
            assert lock.locked()
