import asyncio


class StepLoop(asyncio.SelectorEventLoop):
    """A loop that records the delay of every timer the code under test sets."""

    def __init__(self):
        super().__init__()
        self.steps = []

    def call_at(self, when, callback, *args, context=None):
        self.steps.append(round(when - self.time(), 2))
        return super().call_at(when, callback, *args, context=context)


def pytest_asyncio_loop_factories(config, item):
    return {"StepLoop": StepLoop}
