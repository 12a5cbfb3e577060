import unittest
from unittest import mock


class RateLimiter:
    def __init__(self, redis, limit):
        self.redis = redis
        self.limit = limit

    async def allow(self, user):
        count = await self.redis.incr(f"rate:{user}")
        if count == 1:
            await self.redis.expire(f"rate:{user}", 60)
        return count <= self.limit


async def test_first_request_sets_the_window(redis):
    limiter = RateLimiter(redis, limit=2)

    assert await limiter.allow("ada")
    redis.expire.assert_awaited_once_with("rate:ada", 60)


async def test_requests_over_the_limit_are_refused(redis):
    limiter = RateLimiter(redis, limit=2)
    results = [await limiter.allow("ada") for _ in range(3)]
    assert results == [True, True, False]


class TestRateLimiterUnittestStyle(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.redis = mock.MagicMock()
        self.redis.incr = mock.AsyncMock(return_value=5)
        self.redis.expire = mock.AsyncMock()

    async def test_busy_user_is_refused(self):
        self.assertFalse(await RateLimiter(self.redis, limit=3).allow("bob"))
        self.redis.expire.assert_not_awaited()
