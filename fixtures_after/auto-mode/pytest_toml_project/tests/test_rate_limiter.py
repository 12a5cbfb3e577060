import asyncio


class RateLimiter:
    def __init__(self, per_second: int) -> None:
        self.tokens = per_second
        self.waiters = 0

    async def acquire(self) -> bool:
        await asyncio.sleep(0)
        if self.tokens == 0:
            self.waiters += 1
            return False
        self.tokens -= 1
        return True


class TestRateLimiter:
    async def test_allows_up_to_the_limit(self):
        limiter = RateLimiter(per_second=2)
        assert [await limiter.acquire() for _ in range(3)] == [True, True, False]

    # waiters are counted so the dashboard can show back-pressure
    async def test_counts_rejected_callers(self):
        limiter = RateLimiter(per_second=0)
        await asyncio.gather(limiter.acquire(), limiter.acquire())
        assert limiter.waiters == 2
