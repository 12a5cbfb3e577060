import asyncio

import pytest as pt


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


async def test_grants_up_to_the_limit():
    limiter = RateLimiter(per_second=3)
    results = [await limiter.acquire() for _ in range(4)]
    assert results == [True, True, True, False]


@pt.mark.parametrize("limit", [1, 5])
async def test_first_request_is_always_granted(limit):
    assert await RateLimiter(per_second=limit).acquire()
