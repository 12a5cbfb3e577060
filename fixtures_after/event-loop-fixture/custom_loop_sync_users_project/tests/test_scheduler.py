"""A scheduler's tests on a loop whose clock jumps ahead to the next timer, so that a
sleep of an hour takes no time; the sync tests drive that loop themselves."""

import asyncio

import pytest


class JumpingLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.offset = 0.0

    def time(self) -> float:
        return super().time() + self.offset

    def _run_once(self) -> None:
        if not self._ready and self._scheduled:
            self.offset += max(0.0, self._scheduled[0].when() - self.time())
        super()._run_once()


@pytest.fixture
def event_loop():
    loop = JumpingLoop()
    yield loop
    loop.close()


async def wait_out(seconds):
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.sleep(seconds)
    return loop.time() - start


@pytest.mark.asyncio
async def test_an_hour_passes_at_once():
    assert type(asyncio.get_running_loop()).__name__ == "JumpingLoop"  # (else it takes an hour)
    assert await wait_out(3600) >= 3600


def test_the_clock_starts_unshifted(event_loop):
    assert type(event_loop).__name__ == "JumpingLoop"  # (else it takes a day)
    assert event_loop.offset == 0.0


def test_a_day_is_skipped_when_driven(event_loop):
    assert event_loop.run_until_complete(wait_out(86400)) >= 86400
