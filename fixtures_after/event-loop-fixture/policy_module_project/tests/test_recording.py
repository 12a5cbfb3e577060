import asyncio

import pytest


class RecordingLoop(asyncio.SelectorEventLoop):
    """Remembers every callback scheduled on it."""

    def __init__(self) -> None:
        super().__init__()
        self.scheduled = []

    def call_soon(self, callback, *args, **kwargs):
        self.scheduled.append(callback)
        return super().call_soon(callback, *args, **kwargs)


@pytest.mark.asyncio
async def test_callbacks_are_recorded():
    loop = asyncio.get_running_loop()
    loop.call_soon(print)
    assert print in loop.scheduled
