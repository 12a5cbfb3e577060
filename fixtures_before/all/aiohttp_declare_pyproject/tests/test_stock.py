import asyncio

import aiohttp


async def test_stock_over_a_real_server(test_server, app, unused_port):
    port = unused_port()
    server = await test_server(app, port=port)
    async with aiohttp.ClientSession() as session:
        response = await asyncio.wait_for(session.get(server.make_url("/stock/bolts")), timeout=2)
        body = await response.json()
    assert body == {"item": "bolts", "loop": id(asyncio.get_running_loop())}


async def test_stock_through_the_client(test_client, app):
    client = await test_client(app)
    response = await asyncio.wait_for(client.get("/stock/nuts"), timeout=2)
    assert (await response.json())["item"] == "nuts"
