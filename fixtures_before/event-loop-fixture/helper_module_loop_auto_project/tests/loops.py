"""A loop whose clock jumps ahead to the next timer, so long sleeps return at once."""

import asyncio

import pytest


class JumpingLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.offset = 0.0

    def time(self) -> float:
        return super().time() + self.offset

    def _run_once(self) -> None:
        if not self._ready and self._scheduled:
            self.offset += max(0.0, self._scheduled[0].when() - self.time())
        super()._run_once()


@pytest.fixture
def event_loop():
    loop = JumpingLoop()
    yield loop
    loop.close()
