import asyncio


class RecordingLoop(asyncio.SelectorEventLoop):
    """A loop that records the name of every callback scheduled on it."""

    def __init__(self):
        super().__init__()
        self.scheduled = []

    def call_soon(self, callback, *args, context=None):
        self.scheduled.append(getattr(callback, "__qualname__", repr(callback)))
        return super().call_soon(callback, *args, context=context)


def pytest_asyncio_loop_factories(config, item):
    return {"RecordingLoop": RecordingLoop}
