"""Nothing here is time.sleep: a local sleep(), a clock object, asyncio.sleep."""
import asyncio

import pytest


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def sleep(seconds: float) -> float:
    return seconds * 2


@pytest.mark.asyncio
async def test_fake_clock_advances():
    clock = FakeClock()
    clock.sleep(5)
    assert sleep(1) == 2
    await asyncio.sleep(0)
    assert clock.now == 5
