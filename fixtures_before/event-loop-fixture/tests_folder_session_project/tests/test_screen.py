import asyncio

import pytest


@pytest.mark.asyncio
async def test_the_screen_lives_on_the_session_loop(screen):
    assert screen.loop is asyncio.get_running_loop()
    await screen.show("welcome")
