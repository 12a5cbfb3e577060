import asyncio
from pathlib import Path


class CountingLoop(asyncio.SelectorEventLoop):
    """The project's loop: counts the callbacks scheduled on it."""

    def __init__(self):
        super().__init__()
        self.scheduled = 0

    def call_soon(self, callback, *args, context=None):
        self.scheduled += 1
        return super().call_soon(callback, *args, context=context)


def pytest_asyncio_loop_factories(config, item):
    """Every async test runs on a CountingLoop."""
    # tests/test_steps.py's event_loop fixture gave its tests StepLoop loops
    if item.path == Path(__file__).parent / "tests" / "test_steps.py":
        return {"StepLoop": item.module.StepLoop}
    return {"CountingLoop": CountingLoop}
