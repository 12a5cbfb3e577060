"""Retry back-off, checked on a loop that records the delay of every timer set."""

import asyncio

import pytest


class StepLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__()
        self.steps = []

    def call_at(self, when, callback, *args, context=None):
        self.steps.append(round(when - self.time(), 2))
        return super().call_at(when, callback, *args, context=context)


async def retry(operation, attempts, delay):
    for attempt in range(attempts):
        try:
            return await operation()
        except ConnectionError:
            await asyncio.sleep(delay * 2**attempt)
    raise ConnectionError("gave up")


@pytest.mark.asyncio
async def test_backs_off_exponentially():
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError
        return "ok"

    assert await retry(flaky, attempts=3, delay=0.01) == "ok"
    assert asyncio.get_running_loop().steps == [0.01, 0.02]
