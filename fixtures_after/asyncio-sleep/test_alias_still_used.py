"""Rate-limiter tests: `time` is still needed for monotonic() after the fix."""
import asyncio
import time as t

import pytest


class TokenBucket:
    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.stamp = t.monotonic()

    def elapsed(self) -> float:
        return t.monotonic() - self.stamp


@pytest.mark.asyncio
async def test_bucket_measures_elapsed_time():
    bucket = TokenBucket(rate=10)
    await asyncio.sleep(0.02)
    assert bucket.elapsed() >= 0.02
