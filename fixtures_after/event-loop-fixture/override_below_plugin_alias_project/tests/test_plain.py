import asyncio

import pytest


@pytest.mark.asyncio
async def test_sleeps():
    assert await asyncio.sleep(0, "slept") == "slept"
