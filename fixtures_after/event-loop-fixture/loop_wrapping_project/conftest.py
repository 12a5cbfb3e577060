import asyncio
import contextlib

import pytest_asyncio


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


def pytest_asyncio_loop_factories(config, item):
    return {"SimLoop": SimLoop}


@pytest_asyncio.fixture(autouse=True, loop_scope="function")
async def _record(request):
    if pytest_asyncio.is_async_test(request.node):
        with asyncio.get_running_loop().record():
            yield
    else:
        yield  # sync tests never ran in the event_loop fixture
