import asyncio

import pytest

_loops: list[asyncio.AbstractEventLoop] = []


async def test_submit_numbers_tickets(queue):
    _loops.append(asyncio.get_running_loop())
    assert await queue.submit("printer jam") == 1


async def test_same_session_loop(queue):
    assert asyncio.get_running_loop() is _loops[0]


@pytest.mark.asyncio
def test_titles_are_plain_strings():
    assert isinstance("printer jam".title(), str)
