import asyncio

import pytest


@pytest.mark.asyncio
async def test_service_answers():
    reader_writer = asyncio.Queue()
    await reader_writer.put("ok")
    assert await reader_writer.get() == "ok"
