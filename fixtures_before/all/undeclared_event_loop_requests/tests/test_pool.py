"""A worker pool tested on pytest-asyncio 0.x's event_loop fixture, which nothing here
declares: the project's test dependencies live in its CI configuration only."""
import asyncio


class Pool:
    def __init__(self) -> None:
        self.done: list[int] = []

    async def run(self, job: int) -> int:
        await asyncio.sleep(0)
        self.done.append(job)
        return job * 2


def test_a_job_runs(event_loop):
    pool = Pool()
    assert event_loop.run_until_complete(pool.run(3)) == 6
    assert pool.done == [3]


def test_jobs_run_together(event_loop):
    pool = Pool()
    results = event_loop.run_until_complete(asyncio.gather(pool.run(1), pool.run(2)))
    assert results == [2, 4]
    assert sorted(pool.done) == [1, 2]
