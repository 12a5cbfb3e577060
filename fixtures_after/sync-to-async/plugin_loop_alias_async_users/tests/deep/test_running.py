import asyncio

import pytest


@pytest.mark.asyncio
async def test_the_alias_is_the_running_loop(loop):
    assert loop is asyncio.get_running_loop()
