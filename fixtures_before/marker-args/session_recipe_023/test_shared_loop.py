import asyncio

import pytest

_loops: list[asyncio.AbstractEventLoop] = []


@pytest.mark.asyncio
async def test_first():
    _loops.append(asyncio.get_running_loop())


@pytest.mark.asyncio
async def test_second_shares_the_session_loop():
    assert asyncio.get_running_loop() is _loops[0]
