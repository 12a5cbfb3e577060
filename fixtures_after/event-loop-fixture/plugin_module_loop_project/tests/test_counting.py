import asyncio

import pytest


@pytest.mark.asyncio
async def test_every_module_runs_on_the_counting_loop(payload):
    loop = asyncio.get_running_loop()
    before = loop.callbacks_run
    await asyncio.sleep(0)
    assert loop.callbacks_run > before and len(payload) == 3
