import asyncio

import pytest


class Scheduler:
    def __init__(self) -> None:
        self.done: list[str] = []

    async def run(self, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        self.done.append(name)


@pytest.fixture
async def scheduler():
    scheduler = Scheduler()
    yield scheduler
    scheduler.done.clear()


@pytest.mark.asyncio
async def test_jobs_finish_in_delay_order(scheduler):
    await asyncio.gather(scheduler.run("slow", 0.02), scheduler.run("fast", 0.001))
    assert scheduler.done == ["fast", "slow"]


@pytest.mark.asyncio
async def test_cancelled_job_does_not_finish(scheduler):
    task = asyncio.ensure_future(scheduler.run("never", 1))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert scheduler.done == []
