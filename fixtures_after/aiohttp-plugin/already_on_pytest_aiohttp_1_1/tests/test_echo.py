import asyncio

import pytest
from aiohttp import web


async def echo(request):
    return web.Response(body=await request.read())


@pytest.mark.asyncio
async def test_echo(aiohttp_client, unused_tcp_port_factory):
    application = web.Application()
    application.router.add_post("/", echo)
    client = await aiohttp_client(application, server_kwargs={"port": unused_tcp_port_factory()})
    response = await asyncio.wait_for(client.post("/", data=b"hi"), timeout=2)
    assert await response.read() == b"hi"
