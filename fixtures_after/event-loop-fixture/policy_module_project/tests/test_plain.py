import asyncio

import pytest


@pytest.mark.asyncio
async def test_other_modules_keep_asyncio_loops():
    loop = asyncio.get_running_loop()
    assert not hasattr(loop, "scheduled")
    assert isinstance(loop, asyncio.SelectorEventLoop)
