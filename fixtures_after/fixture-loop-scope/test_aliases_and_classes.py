"""Fixtures reached through aliases, and wider-scoped fixtures used by test classes."""
import asyncio

import pytest as pt
from pytest_asyncio import fixture as async_fixture


class RateLimiter:
    def __init__(self, per_second: int) -> None:
        self.per_second = per_second
        self.tokens = asyncio.Semaphore(per_second)


@async_fixture(scope="package", loop_scope="package")
async def limiter():
    return RateLimiter(per_second=3)


@async_fixture(scope="class", loop_scope="class")
async def burst(limiter):
    acquired = 0
    while not limiter.tokens.locked():
        await limiter.tokens.acquire()
        acquired += 1
    yield acquired
    for _ in range(acquired):
        limiter.tokens.release()


class TestBurst:
    @pt.mark.asyncio(loop_scope="class")
    async def test_burst_takes_every_token(self, burst, limiter):
        assert burst == limiter.per_second

    @pt.mark.asyncio(loop_scope="class")
    async def test_limiter_is_exhausted_during_burst(self, burst, limiter):
        assert limiter.tokens.locked()


class TestQuota:
    @async_fixture(scope="module", loop_scope="module")
    @classmethod
    async def daily_quota(cls):
        return {"calls": 1000}

    @pt.mark.asyncio
    async def test_quota_is_generous(self, daily_quota, limiter):
        assert daily_quota["calls"] > limiter.per_second
