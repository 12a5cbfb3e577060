"""Sync code cannot ask for the running loop: these spots are reported, not rewritten."""

import asyncio
from asyncio import get_event_loop as current_loop, get_running_loop

import pytest
import pytest_asyncio

BOOT_LOOP = asyncio.get_event_loop()


def loop_clock():
    return current_loop().time()


@pytest_asyncio.fixture
def session_id():
    return id(asyncio.get_event_loop())


@pytest.mark.asyncio
async def test_clock_moves_forward(session_id):
    start = loop_clock()
    await asyncio.sleep(0.001)
    assert loop_clock() >= start
    assert session_id == id(get_running_loop())


@pytest.mark.asyncio
async def test_callbacks_see_the_loop():
    seen = []

    def on_ready():
        seen.append(asyncio.get_event_loop().is_running())

    loop = get_running_loop()
    loop.call_soon(on_ready)
    loop.call_soon(lambda: seen.append(asyncio.get_event_loop() is loop))
    await asyncio.sleep(0)
    assert seen == [True, True]


@pytest.mark.asyncio
async def test_policy_loop_is_the_running_loop():
    policy_loop = asyncio.get_event_loop_policy().get_event_loop()
    assert policy_loop is asyncio.get_running_loop()
    assert BOOT_LOOP is not policy_loop
