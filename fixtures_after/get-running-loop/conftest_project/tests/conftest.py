import asyncio

import pytest


class Ledger:
    def __init__(self, loop):
        self.loop = loop
        self.entries = []

    async def record(self, amount):
        await asyncio.sleep(0)
        self.entries.append(amount)


@pytest.fixture
async def ledger():
    return Ledger(asyncio.get_running_loop())


@pytest.fixture
def loop_factory():
    return lambda: asyncio.get_event_loop()
