import asyncio


class ClockLoop(asyncio.SelectorEventLoop):
    """A test loop whose clock can be moved forward by hand."""

    def __init__(self):
        super().__init__()
        self.offset = 0.0

    def time(self):
        return super().time() + self.offset

    def advance(self, seconds):
        self.offset += seconds


def pytest_asyncio_loop_factories(config, item):
    return {"ClockLoop": ClockLoop}
