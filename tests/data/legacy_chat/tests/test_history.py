import asyncio

import pytest

LOOPS = []


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_first_sees_a_module_loop():
    LOOPS.append(asyncio.get_running_loop())
    assert type(LOOPS[0]).__module__.startswith("asyncio")  # not the root's uvloop


@pytest.mark.asyncio
async def test_second_shares_it():
    LOOPS.append(asyncio.get_running_loop())
    assert LOOPS[0] is LOOPS[1]
