import asyncio

import pytest


async def retry(operation, attempts, delay):
    for attempt in range(attempts):
        try:
            return await operation()
        except ConnectionError:
            await asyncio.sleep(delay * 2**attempt)
    raise ConnectionError("gave up")


@pytest.mark.asyncio
async def test_backs_off():
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError
        return "ok"

    assert await retry(flaky, attempts=3, delay=0.001) == "ok"
