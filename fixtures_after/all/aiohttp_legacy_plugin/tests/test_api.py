import asyncio

import aiohttp
import pytest
from aiohttp import web


@pytest.mark.asyncio
async def test_client_answers_on_the_test_loop(aiohttp_client, app):
    client = await aiohttp_client(app)
    response = await asyncio.wait_for(client.get("/whoami"), timeout=2)
    assert response.status == 200
    body = await response.json()
    assert body["loop"] == id(asyncio.get_running_loop())


@pytest.mark.asyncio
async def test_raw_server(aiohttp_raw_server, aiohttp_client):
    async def handler(request):
        return web.Response(text="raw")

    server = await aiohttp_raw_server(handler)
    client = await aiohttp_client(server)
    response = await asyncio.wait_for(client.get("/"), timeout=2)
    assert await response.text() == "raw"


@pytest.mark.asyncio
async def test_server_on_a_free_port(aiohttp_server, app, unused_tcp_port_factory):
    port = unused_tcp_port_factory()
    server = await aiohttp_server(app, port=port)
    assert server.port == port
    async with aiohttp.ClientSession() as session:
        response = await asyncio.wait_for(session.get(server.make_url("/whoami")), timeout=2)
        assert response.status == 200
        response.release()


@pytest.mark.usefixtures("aiohttp_server")
def test_ports_are_numbers(unused_tcp_port_factory):
    assert 0 < unused_tcp_port_factory() < 65536
