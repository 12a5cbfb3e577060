import asyncio

import pytest


class RecordingLoop(asyncio.SelectorEventLoop):
    """A loop that records the name of every callback scheduled on it."""

    def __init__(self):
        super().__init__()
        self.scheduled = []

    def call_soon(self, callback, *args, context=None):
        self.scheduled.append(getattr(callback, "__qualname__", repr(callback)))
        return super().call_soon(callback, *args, context=context)


class RecordingLoopPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return RecordingLoop()


@pytest.fixture(scope="session")
def event_loop_policy():
    return RecordingLoopPolicy()
