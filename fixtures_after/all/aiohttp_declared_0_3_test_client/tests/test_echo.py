"""pytest-aiohttp 0.3 (aiohttp's plugin, autoloaded): test_client and unused_port."""
import asyncio

import pytest
from aiohttp import web


@pytest.mark.asyncio
async def test_echo_answers_on_the_test_loop(aiohttp_client, app):
    app["loop"] = asyncio.get_running_loop()
    client = await aiohttp_client(app)
    response = await asyncio.wait_for(client.post("/echo", data="hi"), timeout=2)
    body = await response.json()
    assert body == {"loop": id(asyncio.get_running_loop()), "text": "hi"}


@pytest.mark.asyncio
async def test_server_on_a_free_port(aiohttp_server, unused_tcp_port_factory, app):
    app["loop"] = asyncio.get_running_loop()
    port = unused_tcp_port_factory()
    server = await aiohttp_server(app, port=port)
    assert server.port == port


def test_plain_handler_table():
    assert web.HTTPNotFound.status_code == 404
