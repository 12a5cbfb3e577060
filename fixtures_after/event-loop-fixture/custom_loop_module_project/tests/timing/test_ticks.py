import asyncio

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")


class TickLoop(asyncio.SelectorEventLoop):
    """Counts the callbacks scheduled on it, over the whole module."""

    def __init__(self):
        super().__init__()
        self.ticks = 0

    def call_soon(self, callback, *args, context=None):
        self.ticks += 1
        return super().call_soon(callback, *args, context=context)


async def test_first_counts_ticks():
    await asyncio.sleep(0)
    assert asyncio.get_running_loop().ticks > 0


async def test_second_shares_the_loop():
    assert type(asyncio.get_running_loop()).__name__ == "TickLoop"
    assert asyncio.get_running_loop().ticks > 1
