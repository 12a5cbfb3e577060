import asyncio
from collections import deque

from pytest import mark


class JobQueue:
    def __init__(self) -> None:
        self._jobs: deque[str] = deque()

    async def push(self, job: str) -> None:
        await asyncio.sleep(0)
        self._jobs.append(job)

    async def pop(self) -> str:
        await asyncio.sleep(0)
        return self._jobs.popleft()


async def test_jobs_come_out_in_order():
    queue = JobQueue()
    for job in ("resize", "upload", "notify"):
        await queue.push(job)
    assert [await queue.pop() for _ in range(3)] == ["resize", "upload", "notify"]


@mark.asyncio
async def test_single_job_round_trip():
    queue = JobQueue()
    await queue.push("thumbnail")
    assert await queue.pop() == "thumbnail"


@mark.parametrize("count", [1, 50])
async def test_first_job_pops_first(count):
    queue = JobQueue()
    for n in range(count):
        await queue.push(f"job-{n}")
    assert await queue.pop() == "job-0"
