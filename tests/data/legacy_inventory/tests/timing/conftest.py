import asyncio

import pytest


@pytest.fixture
def event_loop():
    # Records the delay of every timer, so that back-off tests need not measure time.
    class StepLoop(asyncio.SelectorEventLoop):
        def __init__(self):
            super().__init__()
            self.steps = []

        def call_at(self, when, callback, *args, context=None):
            loop.steps.append(round(when - loop.time(), 2))
            return super().call_at(when, callback, *args, context=context)

    loop = StepLoop()
    yield loop
    loop.close()
