import asyncio

import pytest


@pytest.fixture
def event_loop():
    class StepLoop(TimerLog):
        """A loop that records the delay of every timer the code under test sets."""

        def call_at(self, when, callback, *args, context=None):
            self.steps.append(round(when - self.time(), 2))
            return super().call_at(when, callback, *args, context=context)

    loop = StepLoop()
    yield loop
    loop.close()


class TimerLog(asyncio.SelectorEventLoop):
    # defined below the fixture: StepLoop at the fixture's place would not find it
    def __init__(self):
        super().__init__()
        self.steps = []
