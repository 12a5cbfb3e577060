"""Rate limiter tests, run by anyio's pytest plugin on the asyncio backend."""
import asyncio

import anyio
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


class RateLimiter:
    def __init__(self, per_second):
        self.per_second = per_second
        self.granted = 0

    async def acquire(self):
        await anyio.sleep(0)
        self.granted += 1
        return self.granted <= self.per_second


async def test_limiter_grants_up_to_the_rate():
    limiter = RateLimiter(per_second=2)
    assert [await limiter.acquire() for _ in range(3)] == [True, True, False]


def test_limiter_from_sync_code():
    limiter = RateLimiter(per_second=1)
    assert anyio.run(limiter.acquire) is True


def test_limiter_under_plain_asyncio():
    limiter = RateLimiter(per_second=1)
    assert asyncio.run(limiter.acquire()) is True
