"""Blocking sleeps that run synchronously must stay: none of them runs in the loop."""
import asyncio
import time

import pytest


def retry(func, attempts: int = 3):
    for _ in range(attempts):
        try:
            return func()
        except ValueError:
            time.sleep(0.001)
    raise RuntimeError("gave up")


@pytest.fixture
def slow_resource():
    time.sleep(0.001)
    return {"open": True}


def test_retry_gives_up():
    def always_fails():
        raise ValueError

    with pytest.raises(RuntimeError):
        retry(always_fails)


@pytest.mark.asyncio
async def test_blocking_work_goes_to_a_thread(slow_resource):
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, time.sleep, 0.001)
    await loop.run_in_executor(None, lambda: time.sleep(0.001))

    def worker() -> str:
        time.sleep(0.001)
        return "done"

    assert await asyncio.to_thread(worker) == "done"
    assert slow_resource["open"]


@pytest.mark.asyncio
async def test_generator_expression_is_lazy_and_sync():
    waits = (time.sleep(0) for _ in range(2))
    assert list(waits) == [None, None]
