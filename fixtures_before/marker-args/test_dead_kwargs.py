"""Very old (pytest-asyncio 0.5 era) tests for a rate limiter."""
import asyncio

import pytest


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


@pytest.mark.asyncio(forbid_global_loop=True)
async def test_grants_up_to_limit():
    limiter = RateLimiter(per_second=2)
    assert [await limiter.acquire() for _ in range(3)] == [True, True, False]


@pytest.mark.asyncio(forbid_global_loop=False, loop_scope="function")
async def test_zero_limit_grants_nothing():
    assert await RateLimiter(per_second=0).acquire() is False


@pytest.mark.asyncio(
    loop_scope="function",
    forbid_global_loop=True,
)
async def test_limit_counts_grants():
    limiter = RateLimiter(per_second=5)
    await limiter.acquire()
    assert limiter.granted == 1


@pytest.mark.asyncio()
async def test_empty_parentheses_are_fine():
    assert await RateLimiter(per_second=1).acquire()


# Not a test (pytest does not collect it), but the timeout= it carries is not a
# pytest-asyncio argument and would fail any test that reused the mark.
@pytest.mark.asyncio(timeout=2)
async def acquire_all(limiter: RateLimiter) -> int:
    return sum([await limiter.acquire() for _ in range(limiter.per_second)])
