"""A sync test class beside an async test: the async test alone takes the loop scope."""

import asyncio

import pytest


class TestOrderIds:
    def test_format(self):
        assert f"{7:05d}" == "00007"


@pytest.mark.asyncio
async def test_on_the_counting_loop():
    loop = asyncio.get_running_loop()
    assert type(loop).__name__ == "CountingLoop"
    await asyncio.sleep(0)
    assert loop.scheduled > 0
