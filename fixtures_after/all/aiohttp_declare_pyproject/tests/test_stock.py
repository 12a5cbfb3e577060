import asyncio

import aiohttp
import pytest


@pytest.mark.asyncio
async def test_stock_over_a_real_server(aiohttp_server, app, unused_tcp_port_factory):
    port = unused_tcp_port_factory()
    server = await aiohttp_server(app, port=port)
    async with aiohttp.ClientSession() as session:
        response = await asyncio.wait_for(session.get(server.make_url("/stock/bolts")), timeout=2)
        body = await response.json()
    assert body == {"item": "bolts", "loop": id(asyncio.get_running_loop())}


@pytest.mark.asyncio
async def test_stock_through_the_client(aiohttp_client, app):
    client = await aiohttp_client(app)
    response = await asyncio.wait_for(client.get("/stock/nuts"), timeout=2)
    assert (await response.json())["item"] == "nuts"
