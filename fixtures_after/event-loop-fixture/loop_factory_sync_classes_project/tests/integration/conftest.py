import asyncio


class CountingLoop(asyncio.SelectorEventLoop):
    """The integration tests' loop: counts the callbacks scheduled on it."""

    def __init__(self):
        super().__init__()
        self.scheduled = 0

    def call_soon(self, callback, *args, context=None):
        self.scheduled += 1
        return super().call_soon(callback, *args, context=context)


def pytest_asyncio_loop_factories(config, item):
    return {"CountingLoop": CountingLoop}
