import asyncio as aio
from asyncio import get_running_loop

import pytest


@pytest.mark.asyncio
async def test_alias_spelling():
    loop = aio.get_running_loop()
    ready = loop.create_future()
    loop.call_soon(ready.set_result, "green")
    assert await ready == "green"


@pytest.mark.asyncio
async def test_from_import_spelling():
    loop = get_running_loop()
    assert loop.is_running()
