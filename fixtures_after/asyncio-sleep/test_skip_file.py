# This module measures what a blocked loop does to the scheduler.
# migrate-async: skip-file
import asyncio
import time

import pytest


@pytest.mark.asyncio
async def test_blocked_loop_delays_callbacks():
    ran = []
    asyncio.get_running_loop().call_soon(ran.append, "tick")
    time.sleep(0.001)
    assert ran == []
