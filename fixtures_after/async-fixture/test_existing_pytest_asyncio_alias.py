import asyncio

import pytest
from pytest_asyncio import fixture as async_fixture


class RateLimiter:
    def __init__(self, per_second: int) -> None:
        self.per_second = per_second
        self.granted = 0

    async def acquire(self) -> bool:
        await asyncio.sleep(0)
        if self.granted >= self.per_second:
            return False
        self.granted += 1
        return True


@async_fixture
async def limiter():
    return RateLimiter(per_second=2)


@async_fixture
async def exhausted_limiter(limiter):
    while await limiter.acquire():
        pass
    return limiter


@pytest.mark.asyncio
async def test_fresh_limiter_grants(limiter):
    assert await limiter.acquire()


@pytest.mark.asyncio
async def test_exhausted_limiter_refuses(exhausted_limiter):
    assert exhausted_limiter.granted == 2
    assert not await exhausted_limiter.acquire()
