"""Test helpers shipped with pkg: a loop that counts its iterations, and assert_run."""

import asyncio

import pytest


async def assert_run(coro, expected):
    result = await coro
    assert result == expected, f"{result!r} != {expected!r}"
    return result


@pytest.fixture
def event_loop():
    """A loop that counts the iterations it runs, so tests can see code yield to it."""

    class SteppingLoop(asyncio.SelectorEventLoop):
        def __init__(self):
            super().__init__()
            self.steps = 0

        def _run_once(self):
            self.steps += 1
            super()._run_once()

        def assert_cleanup(self):
            pending = [t for t in asyncio.all_tasks(self) if t is not asyncio.current_task(self)]
            assert not pending, f"tasks left running: {pending}"

    loop = SteppingLoop()
    yield loop
    loop.close()
