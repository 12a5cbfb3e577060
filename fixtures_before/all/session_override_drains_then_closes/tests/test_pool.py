import asyncio

import pytest

LOOPS = []


@pytest.mark.asyncio
async def test_first(pool):
    LOOPS.append(asyncio.get_running_loop())
    assert await asyncio.wait_for(pool.get("a"), timeout=2) == "A"


@pytest.mark.asyncio
async def test_second_shares_the_session_loop(pool):
    LOOPS.append(asyncio.get_running_loop())
    assert await asyncio.wait_for(pool.get("b"), timeout=2) == "B"
    assert LOOPS[0] is LOOPS[1]


@pytest.mark.asyncio
async def test_warmed_on_the_session_loop(warmed, pool):
    assert warmed == ["X", "Y"]
    assert pool.loop is asyncio.get_running_loop()
