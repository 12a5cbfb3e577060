import asyncio

import pytest
from aiohttp import web

pytest_plugins = "aiohttp.pytest_plugin"


async def hello(request):
    return web.json_response({"loop": id(asyncio.get_running_loop())})


@pytest.mark.asyncio
async def test_hello_on_a_free_port(test_client, unused_port):
    app = web.Application()
    app.router.add_get("/", hello)
    port = unused_port()
    client = await test_client(app, server_kwargs={"port": port})
    assert client.port == port
    response = await asyncio.wait_for(client.get("/"), timeout=2)
    assert (await response.json())["loop"] == id(asyncio.get_running_loop())
