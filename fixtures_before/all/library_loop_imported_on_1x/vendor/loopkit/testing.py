"""loopkit's pytest helpers (a vendored copy of a third-party package)."""

import pytest


class ManualLoop:
    """Not an asyncio loop: a queue of callbacks the test runs by hand."""

    def __init__(self):
        self.pending = []

    def call_soon(self, callback, *args):
        self.pending.append((callback, args))

    def run_pending(self):
        while self.pending:
            callback, args = self.pending.pop(0)
            callback(*args)


@pytest.fixture
def event_loop():
    return ManualLoop()
