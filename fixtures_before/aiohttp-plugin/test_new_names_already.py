import asyncio

import pytest
from aiohttp import web


@pytest.mark.asyncio
async def test_raw_server(aiohttp_raw_server, aiohttp_client):
    async def handler(request):
        return web.Response(text="ok")

    client = await aiohttp_client(await aiohttp_raw_server(handler))
    response = await asyncio.wait_for(client.get("/"), timeout=2)
    assert await response.text() == "ok"
