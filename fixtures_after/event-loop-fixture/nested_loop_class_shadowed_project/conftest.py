import asyncio

import pytest


@pytest.fixture
def event_loop():
    class StepLoop(asyncio.SelectorEventLoop):
        """A loop that records the delay of every timer the code under test sets."""

        def __init__(self):
            super().__init__()
            self.steps = []

        def attach(self, loop=None):
            # its own loop parameter: a move could not tell it from the fixture's loop
            return loop or asyncio.get_event_loop_policy().get_event_loop()

        def call_at(self, when, callback, *args, context=None):
            loop.steps.append(round(when - loop.time(), 2))
            return super().call_at(when, callback, *args, context=context)

    loop = StepLoop()
    yield loop
    loop.close()
