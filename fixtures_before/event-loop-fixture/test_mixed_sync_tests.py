"""Rate limiter: async token bucket tests share a module loop; the config parser tests are sync."""

import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def parse_rate(text):
    count, _, per = text.partition("/")
    return int(count), {"s": 1, "m": 60}[per]


class TokenBucket:
    def __init__(self, capacity):
        self.tokens = asyncio.Semaphore(capacity)
        self.loop = asyncio.get_running_loop()

    async def take(self):
        await self.tokens.acquire()
        return asyncio.get_running_loop() is self.loop


@pytest_asyncio.fixture(scope="module")
async def bucket():
    return TokenBucket(capacity=2)


def test_parse_rate_per_second():
    assert parse_rate("10/s") == (10, 1)


@pytest.mark.asyncio
async def test_take_one_token(bucket):
    assert await bucket.take()


class TestBucketDrains:
    def test_parse_rate_per_minute(self):
        assert parse_rate("5/m") == (5, 60)

    @pytest.mark.asyncio
    async def test_take_last_token_in_same_loop(self, bucket):
        assert await bucket.take()
        assert bucket.tokens.locked()
