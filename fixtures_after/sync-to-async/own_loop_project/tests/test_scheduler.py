"""A sync scheduler API that runs its jobs on the loop it is given (pytest-asyncio 0.21 tests)."""
import asyncio

import pytest


class Scheduler:
    """Sync facade: queues coroutines and runs them on its loop when asked."""

    def __init__(self, loop):
        self.loop = loop
        self.pending = []
        self.done = []

    def add(self, coro):
        self.pending.append(coro)

    def run_pending(self):
        while self.pending:
            self.done.append(self.loop.run_until_complete(self.pending.pop(0)))
        return len(self.done)

    async def wait_idle(self):
        # a future of the scheduler's own loop: awaited from another loop it fails
        idle = self.loop.create_future()
        self.loop.call_soon(idle.set_result, len(self.done))
        return await idle


async def job(name):
    await asyncio.sleep(0)
    return name.upper()


def handle(request):
    """A framework handler that runs its coroutine on a loop of its own."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(job(request))
    finally:
        loop.close()


@pytest.fixture
def scheduler(event_loop, job_names):
    scheduler = Scheduler(event_loop)
    for name in job_names:
        scheduler.add(job(name))
    return scheduler


def test_run_pending_runs_every_job(scheduler):
    assert scheduler.run_pending() == 2
    assert scheduler.done == ["BACKUP", "REPORT"]


def test_idle_after_run(scheduler, event_loop):
    scheduler.run_pending()
    assert event_loop.run_until_complete(scheduler.wait_idle()) == 2


def test_scheduler_on_the_fixture_loop(event_loop):
    scheduler = Scheduler(event_loop)
    scheduler.add(job("ping"))
    assert scheduler.run_pending() == 1
    assert scheduler.loop is event_loop


def test_tasks_and_gather_on_the_current_loop(event_loop):
    # ensure_future() and gather() without a loop argument use the current loop: the
    # fixture's, as pytest-asyncio 0.21 set it
    scheduler = Scheduler(event_loop)
    task = asyncio.ensure_future(job("task"))
    assert event_loop.run_until_complete(asyncio.gather(task, job("gather"))) == ["TASK", "GATHER"]
    assert scheduler.loop is asyncio.get_event_loop()


def test_new_future_is_pending(event_loop):
    future = event_loop.create_future()
    assert not future.done()


def test_handler_has_a_loop_of_its_own():
    assert handle("hello") == "HELLO"


@pytest.mark.asyncio
async def test_job_result():
    assert await job("sync") == "SYNC"
