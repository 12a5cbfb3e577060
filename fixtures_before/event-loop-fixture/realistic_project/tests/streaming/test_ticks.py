import asyncio

import pytest
import pytest_asyncio

LOOPS = []


@pytest_asyncio.fixture(scope="module")
async def stream_state():
    return {"loop": asyncio.get_running_loop(), "last": None}


@pytest.mark.asyncio
async def test_first_tick(ticker, stream_state):
    LOOPS.append(asyncio.get_running_loop())
    stream_state["last"] = await ticker.get()
    assert stream_state["last"] == 101


@pytest.mark.asyncio
async def test_stream_state_in_module_loop(stream_state):
    LOOPS.append(asyncio.get_running_loop())
    assert stream_state["loop"] is LOOPS[0] is LOOPS[1]
