"""Broadcasts share one loop per module: the fan-out queue is created once."""

import asyncio

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")

LOOPS: list[asyncio.AbstractEventLoop] = []


async def test_first_broadcast():
    LOOPS.append(asyncio.get_running_loop())


async def test_second_broadcast_shares_the_loop():
    assert asyncio.get_running_loop() is LOOPS[0]


@pytest.mark.asyncio
async def test_private_message_uses_its_own_loop():
    assert asyncio.get_running_loop() is not LOOPS[0]
