import asyncio
import contextlib

import pytest


class SimLoop(asyncio.SelectorEventLoop):
    """Records the callbacks the code under test schedules while a recording is on."""

    def __init__(self):
        super().__init__()
        self.steps = []
        self.recording = False

    @contextlib.contextmanager
    def record(self):
        self.recording = True
        try:
            yield
        finally:
            self.recording = False

    def call_soon(self, callback, *args, context=None):
        if self.recording:
            self.steps.append(getattr(callback, "__qualname__", repr(callback)))
        return super().call_soon(callback, *args, context=context)


@pytest.fixture
def event_loop():
    loop = SimLoop()
    with loop.record():
        yield loop
    loop.close()
