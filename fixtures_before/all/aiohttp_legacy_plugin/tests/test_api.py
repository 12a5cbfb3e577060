import asyncio

import aiohttp
import pytest
from aiohttp import web


async def test_client_answers_on_the_test_loop(test_client, app):
    client = await test_client(app)
    response = await asyncio.wait_for(client.get("/whoami"), timeout=2)
    assert response.status == 200
    body = await response.json()
    assert body["loop"] == id(asyncio.get_running_loop())


async def test_raw_server(raw_test_server, test_client):
    async def handler(request):
        return web.Response(text="raw")

    server = await raw_test_server(handler)
    client = await test_client(server)
    response = await asyncio.wait_for(client.get("/"), timeout=2)
    assert await response.text() == "raw"


async def test_server_on_a_free_port(test_server, app, unused_port):
    port = unused_port()
    server = await test_server(app, port=port)
    assert server.port == port
    async with aiohttp.ClientSession() as session:
        response = await asyncio.wait_for(session.get(server.make_url("/whoami")), timeout=2)
        assert response.status == 200
        response.release()


@pytest.mark.usefixtures("test_server")
def test_ports_are_numbers(unused_port):
    assert 0 < unused_port() < 65536
