import asyncio

import pytest

from tests.helpers import event_loop, make_payload


@pytest.mark.asyncio
async def test_the_loop_counts_callbacks():
    loop = asyncio.get_running_loop()
    before = loop.callbacks_run
    await asyncio.sleep(0)
    assert loop.callbacks_run > before


@pytest.mark.asyncio
async def test_payloads_are_built_on_the_counting_loop():
    assert len(make_payload(3)) == 3
    assert type(asyncio.get_running_loop()).__name__ == "CountingLoop"
