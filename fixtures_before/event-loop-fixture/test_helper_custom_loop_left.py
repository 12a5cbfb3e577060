"""Timer tests: the loop comes from a helper that builds a loop recording what is scheduled."""

import asyncio

import pytest


class RecordingLoop(asyncio.SelectorEventLoop):
    """Records the delay of every call_later, for tests that inspect the schedule."""

    def __init__(self):
        super().__init__()
        self.delays = []

    def call_later(self, delay, callback, *args, context=None):
        self.delays.append(delay)
        return super().call_later(delay, callback, *args, context=context)


def get_event_loop():
    """The loop the timer tests run on (not asyncio's own: it records the schedule)."""
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        return RecordingLoop()


class TestTimers:
    @pytest.fixture
    def event_loop(self):
        loop = get_event_loop()
        yield loop
        loop.close()

    @pytest.mark.asyncio
    async def test_timeout_fires(self):
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.sleep(1), timeout=0.01)

    @pytest.mark.asyncio
    async def test_short_sleep_completes(self):
        assert await asyncio.wait_for(asyncio.sleep(0, result="done"), timeout=2) == "done"
