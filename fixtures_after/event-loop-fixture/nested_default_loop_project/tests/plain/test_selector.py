import asyncio

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")

LOOPS = []


async def test_selector_loop():
    LOOPS.append(asyncio.get_running_loop())
    assert isinstance(asyncio.get_running_loop(), asyncio.SelectorEventLoop)


async def test_one_loop_per_module():
    LOOPS.append(asyncio.get_running_loop())
    assert LOOPS[0] is LOOPS[1]
