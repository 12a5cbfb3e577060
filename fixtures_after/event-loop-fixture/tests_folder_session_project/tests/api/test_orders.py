import asyncio

import pytest


@pytest.mark.asyncio
async def test_orders_are_shown_on_the_same_screen(screen):
    # the screen was made on the session loop: a function loop here could not await it
    assert screen.loop is asyncio.get_running_loop()
    await asyncio.wait_for(screen.show("order 17"), timeout=1)
    assert screen.lines[-1] == "order 17"
