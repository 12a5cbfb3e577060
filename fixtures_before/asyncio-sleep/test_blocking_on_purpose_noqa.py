import asyncio
import time

import pytest


@pytest.mark.asyncio
async def test_a_blocking_call_starves_the_loop():
    ran = []
    asyncio.get_running_loop().call_soon(ran.append, "tick")
    time.sleep(0.01)  # noqa: ASYNC251
    assert ran == []  # nothing else ran while the loop was blocked
    await asyncio.sleep(0)
    assert ran == ["tick"]


@pytest.mark.asyncio
async def test_a_bare_noqa_also_says_so():
    ran = []
    asyncio.get_running_loop().call_soon(ran.append, "tick")
    time.sleep(0.001)  # noqa
    assert ran == []


@pytest.mark.asyncio
async def test_a_noqa_for_another_code_does_not():
    time.sleep(0.001)  # noqa: E501
