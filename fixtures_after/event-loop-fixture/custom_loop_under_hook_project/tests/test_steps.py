"""Timer delays, recorded by a loop of this module's own (written before the project's hook)."""

import asyncio

import pytest


class StepLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__()
        self.steps = []

    def call_at(self, when, callback, *args, context=None):
        self.steps.append(round(when - self.time(), 2))
        return super().call_at(when, callback, *args, context=context)


@pytest.mark.asyncio
async def test_records_the_delay():
    await asyncio.sleep(0.01)
    assert asyncio.get_running_loop().steps == [0.01]
